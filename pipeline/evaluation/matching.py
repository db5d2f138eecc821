"""Whether one predicted item matches one gold item, slot by slot, and the one-to-one
matching of an article's lists, as the "How extraction is scored" section of the corpus
GOLD_FORMAT.md fixes them. Counting the matches into precision, recall and F1 is
``scoring``'s job; what counts as the same person or post is this module's.

Standard library only, like the scorer: it must not depend on the extractor it judges."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Callable, Mapping, Sequence

from warehouse.identity import normalise

# Thresholds from the GOLD_FORMAT scoring table.
ORG_RATIO = 0.9
ORG_MIN_CONTAIN_LEN = 6  # both names must be *over* this many characters
POST_RATIO = 0.85
EVENT_POST_RATIO = 0.8


# --------------------------------------------------------------------------
# String similarity (names are normalised by warehouse.identity, so that a match
# here is one id in the warehouse)
# --------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """difflib ratio of two already-normalised strings, made symmetric.

    ``SequenceMatcher.ratio`` can differ slightly with argument order; taking
    the larger keeps a match decision independent of which side is gold.
    """
    if not a or not b:
        return 0.0
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, b, a).ratio())


def contains(a: str, b: str) -> bool:
    """True when one non-empty normalised string is a substring of the other.

    Empty strings are excluded because ``"" in x`` is always true and would let
    a blank prediction match anything.
    """
    return bool(a) and bool(b) and (a in b or b in a)


# --------------------------------------------------------------------------
# Per-slot match predicates: (gold_item, predicted_item) -> bool
# --------------------------------------------------------------------------


def _text(item: Any, key: str) -> str | None:
    """Read a text field from a slot item that may be a dict or a bare string.

    Extractors sometimes emit a post as just its title; accepting that keeps a
    shape slip from silently scoring as zero.
    """
    if isinstance(item, Mapping):
        value = item.get(key)
        return None if value is None else str(value)
    if item is None:
        return None
    return str(item)


def match_person(gold: Any, pred: Any) -> bool:
    """People match when their names are equal after person normalisation.

    Names are strict (no fuzzy ratio): "Ann Smith" and "Anne Smith" are
    different people as far as the scorer can tell.
    """
    g = normalise(_text(gold, "name"), person=True)
    return bool(g) and g == normalise(_text(pred, "name"), person=True)


def match_organisation(gold: Any, pred: Any) -> bool:
    """Organisations match when equal, similar (ratio >= 0.9), or one contains the other.

    Containment is only allowed when both normalised names are over six
    characters, so that a short acronym or fragment ("nhs") does not match
    every organisation that includes it.
    """
    g = normalise(_text(gold, "name"))
    p = normalise(_text(pred, "name"))
    if not g or not p:
        return False
    if g == p or similarity(g, p) >= ORG_RATIO:
        return True
    return len(g) > ORG_MIN_CONTAIN_LEN and len(p) > ORG_MIN_CONTAIN_LEN and contains(g, p)


def match_post(gold: Any, pred: Any) -> bool:
    """Posts match on their titles: equal, similar (ratio >= 0.85), or one contains the other.

    Only the title is compared; the post's organisation and holder are judged
    by the organisation, people and event slots, not counted twice here.
    """
    g = normalise(_text(gold, "title"))
    p = normalise(_text(pred, "title"))
    if not g or not p:
        return False
    return g == p or similarity(g, p) >= POST_RATIO or contains(g, p)


def _amount(value: Any) -> int | None:
    """Coerce a salary figure to an int (or None) so 132500, 132500.0 and "132500" agree."""
    if value is None or value == "":
        return None
    try:
        return int(round(float(str(value).replace(",", ""))))
    except (TypeError, ValueError):
        return None


def match_salary(gold: Any, pred: Any) -> bool:
    """Salaries match when both ``amount_gbp`` and ``amount_gbp_max`` are equal.

    The attached post is not compared: the figure is what an alert reports,
    and post attachment is already scored in the posts and events slots.
    """
    if not isinstance(gold, Mapping) or not isinstance(pred, Mapping):
        return False
    g_amount = _amount(gold.get("amount_gbp"))
    return (
        g_amount is not None
        and g_amount == _amount(pred.get("amount_gbp"))
        and _amount(gold.get("amount_gbp_max")) == _amount(pred.get("amount_gbp_max"))
    )


def match_event(gold: Any, pred: Any) -> bool:
    """Events match on type, plus person and post only where gold names them.

    * the type must be equal (case-insensitive);
    * if gold names a person, the predicted person must match by the people
      rule (a missing predicted person fails);
    * if gold names a post, the predicted post must be similar
      (ratio >= 0.8) or contained either way; a missing predicted post fails.

    Where gold leaves person or post null the prediction is not penalised for
    filling them in: the text did not settle them, so neither can the scorer.
    Organisation, interim and date are not compared.
    """
    if not isinstance(gold, Mapping) or not isinstance(pred, Mapping):
        return False
    g_type = str(gold.get("type") or "").strip().upper()
    if not g_type or g_type != str(pred.get("type") or "").strip().upper():
        return False
    if gold.get("person"):
        if not match_person(gold.get("person"), pred.get("person")):
            return False
    if gold.get("post"):
        g_post = normalise(_text(gold.get("post"), "title"))
        p_post = normalise(_text(pred.get("post"), "title"))
        if not p_post:
            return False
        if not (similarity(g_post, p_post) >= EVENT_POST_RATIO or contains(g_post, p_post)):
            return False
    return True


#: Slot name -> match predicate.
MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "people": match_person,
    "organisations": match_organisation,
    "posts": match_post,
    "salaries": match_salary,
    "events": match_event,
}


def event_org_agrees(gold: Any, pred: Any) -> bool:
    """Whether a predicted event names the organisation its gold event names.

    The tie-break of event matching: it never decides *whether* an event matches (the
    organisation is scored apart, as its own figure), only which of several matching
    predictions a gold event takes."""
    g_org = gold.get("organisation") if isinstance(gold, Mapping) else None
    p_org = pred.get("organisation") if isinstance(pred, Mapping) else None
    return bool(g_org) and bool(p_org) and match_organisation(g_org, p_org)


#: Slot name -> tie-break among the predictions that match one gold item.
PREFERENCES: dict[str, Callable[[Any, Any], bool]] = {"events": event_org_agrees}


def greedy_match(
    gold_items: Sequence[Any],
    predicted_items: Sequence[Any],
    predicate: Callable[[Any, Any], bool],
    prefer: Callable[[Any, Any], bool] | None = None,
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match one-to-one, greedily in gold order.

    Each gold item takes the first still-unmatched predicted item that
    matches it, or, given *prefer*, the first of those that *prefer* also
    accepts when there is one.  Greedy (not optimal assignment) is what the
    spec fixes; it is simple to reason about and a duplicate prediction can
    only ever be used once, so it shows up as a false positive.  The
    preference changes no count of matches a gold item can find, only which
    prediction it takes: one sentence giving a post at two bodies makes two
    predictions that match both gold events, and taking the first for each
    would cross the pairs and score both organisations wrong.

    Returns ``(pairs, missed_gold_indices, spurious_predicted_indices)``.
    """
    used = [False] * len(predicted_items)
    pairs: list[tuple[int, int]] = []
    missed: list[int] = []
    for gi, g in enumerate(gold_items):
        candidates = [pi for pi, p in enumerate(predicted_items) if not used[pi] and predicate(g, p)]
        if not candidates:
            missed.append(gi)
            continue
        preferred = [pi for pi in candidates if prefer(g, predicted_items[pi])] if prefer else []
        pi = (preferred or candidates)[0]
        used[pi] = True
        pairs.append((gi, pi))
    spurious = [pi for pi, u in enumerate(used) if not u]
    return pairs, missed, spurious
