"""Score extracted people, organisations, posts, salaries and events against gold.

This module and ``matching`` (what counts as a match, slot by slot) are the single
implementation of the "How extraction is scored" section of the corpus GOLD_FORMAT.md,
so that every evaluation set (dev, test, seeds) is measured by the same rules and
numbers stay comparable over time. Here: counting matches into a report, and printing it.

It is deliberately pure standard-library Python: the scorer must not depend on
the extractor it judges (no spaCy), and it must be cheap to import from the CLI
and from tests.

Shapes
------
* ``gold`` is a list of article dicts as in GOLD_FORMAT (``id``, ``url``,
  ``gold`` with the five slot lists).
* ``predicted`` maps an article's url to a dict with the same five keys;
  ``people`` and ``organisations`` are lists of strings, the other slots are
  lists of dicts shaped like the gold ones.

Articles are matched by url.  When a gold article has no url (the seed file has
none) its ``id`` is used as the key instead, so an unpublished set can still be
scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple

from warehouse.identity import HONORIFICS, normalise

from .matching import (
    MATCHERS,
    PREFERENCES,
    contains,
    greedy_match,
    match_event,
    match_organisation,
    match_person,
    match_post,
    match_salary,
    similarity,
)

__all__ = [
    "SLOTS",
    "HONORIFICS",
    "SlotCounts",
    "Miss",
    "Report",
    "normalise",
    "similarity",
    "contains",
    "match_person",
    "match_organisation",
    "match_post",
    "match_salary",
    "match_event",
    "MATCHERS",
    "PREFERENCES",
    "greedy_match",
    "article_key",
    "score",
    "EVENT_TYPES",
    "format_table",
    "format_misses",
]

#: The five extraction slots, in the order they are reported.
SLOTS: tuple[str, ...] = ("people", "organisations", "posts", "salaries", "events")

NO_APPOINTMENT = "NO_APPOINTMENT"

#: Event types in the order the per-type rows are printed.
EVENT_TYPES: tuple[str, ...] = ("APPOINTMENT", "DEPARTURE", NO_APPOINTMENT, "VACANCY")


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float:
    """num/den, with the conventional 1.0 when there is nothing in the denominator."""
    return num / den if den else 1.0


@dataclass
class SlotCounts:
    """True/false positive and false negative counts, with derived P/R/F1.

    Precision is 1.0 when nothing was predicted and recall is 1.0 when there
    was nothing to find (no claims, no wrong claims); F1 is 0.0 when both are
    0.  So an empty gold + empty prediction scores 1.0, and predicting nothing
    against a non-empty gold scores P=1, R=0, F1=0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


class Miss(NamedTuple):
    """One scoring error: a gold item not found ("missed") or an unmatched prediction ("spurious").

    A NamedTuple so it is literally the ``(article_id, kind, item)`` triple
    callers may unpack, while still reading well as ``m.kind``.
    """

    article_id: str
    kind: str  # "missed" | "spurious"
    item: Any


@dataclass
class Report:
    """Everything ``score`` measured: per-slot counts, article-level alerts, and the errors.

    The misses are kept, not just the counts, because the counts say how good
    extraction is while the misses say what to fix next.
    """

    slots: dict[str, SlotCounts] = field(default_factory=lambda: {s: SlotCounts() for s in SLOTS})
    alerts: SlotCounts = field(default_factory=SlotCounts)
    misses: dict[str, list[Miss]] = field(default_factory=lambda: {s: [] for s in SLOTS})
    alert_misses: list[Miss] = field(default_factory=list)
    event_types: dict[str, SlotCounts] = field(default_factory=lambda: {t: SlotCounts() for t in EVENT_TYPES})
    event_orgs_named: int = 0  # matched events whose gold names an organisation
    event_orgs_right: int = 0  # ... and whose predicted organisation matches it
    articles: int = 0
    articles_without_prediction: int = 0
    predictions_without_gold: int = 0

    @property
    def event_org_share(self) -> float:
        """Of the matched events whose gold names an organisation, the share whose predicted
        organisation matches: an alert that says a post failed to fill but not where is of
        little use, so this is measured apart from the event match itself."""
        return _ratio(self.event_orgs_right, self.event_orgs_named)

    @property
    def macro_f1(self) -> float:
        """Mean of the five slots' F1, so a small slot (salaries) weighs as much as a large one."""
        return sum(self.slots[s].f1 for s in SLOTS) / len(SLOTS)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (for ``--json`` output and for tracking results over time)."""
        return {
            "articles": self.articles,
            "articles_without_prediction": self.articles_without_prediction,
            "predictions_without_gold": self.predictions_without_gold,
            "slots": {s: self.slots[s].to_dict() for s in SLOTS},
            "macro_f1": self.macro_f1,
            "alerts": {"type": NO_APPOINTMENT, "level": "article", **self.alerts.to_dict()},
            "event_types": {t: c.to_dict() for t, c in self.event_types.items()},
            "event_organisations": {"named": self.event_orgs_named, "right": self.event_orgs_right,
                                    "share": self.event_org_share},
            "misses": {
                s: [{"article_id": m.article_id, "kind": m.kind, "item": m.item} for m in self.misses[s]]
                for s in SLOTS
            },
            "alert_misses": [
                {"article_id": m.article_id, "kind": m.kind, "item": m.item} for m in self.alert_misses
            ],
        }


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def article_key(article: Mapping[str, Any]) -> str:
    """The key a gold article's prediction is looked up by: its url, else its id."""
    return str(article.get("url") or article.get("id") or "")


def _slot_list(record: Mapping[str, Any] | None, slot: str) -> list[Any]:
    """A slot's list from a gold/predicted record, treating absent or null as empty."""
    if not record:
        return []
    value = record.get(slot)
    if value is None:
        return []
    return list(value)


def _has_no_appointment(events: Iterable[Any]) -> bool:
    """Whether an article's events include at least one NO_APPOINTMENT."""
    return any(
        isinstance(e, Mapping) and str(e.get("type") or "").strip().upper() == NO_APPOINTMENT
        for e in events
    )


def _event_type(item: Any) -> str:
    return str(item.get("type") or "").strip().upper() if isinstance(item, Mapping) else ""


def _count_events(report: Report, g_items: list[Any], p_items: list[Any], pairs: list[tuple[int, int]],
                  missed: list[int], spurious: list[int]) -> None:
    """Per-type counts (a hit and a miss count under the gold type, a spurious event under its
    own) and the event-organisation figure over the matched pairs."""
    def counts(item: Any) -> SlotCounts:
        return report.event_types.setdefault(_event_type(item), SlotCounts())

    for gi, pi in pairs:
        counts(g_items[gi]).tp += 1
        g_org = g_items[gi].get("organisation") if isinstance(g_items[gi], Mapping) else None
        if g_org:
            report.event_orgs_named += 1
            p_org = p_items[pi].get("organisation") if isinstance(p_items[pi], Mapping) else None
            report.event_orgs_right += bool(p_org) and match_organisation(g_org, p_org)
    for gi in missed:
        counts(g_items[gi]).fn += 1
    for pi in spurious:
        counts(p_items[pi]).fp += 1


def score(gold: list[dict], predicted: Mapping[str, Mapping[str, Any]]) -> Report:
    """Score predictions for a gold set.

    Each gold article is paired with ``predicted[article_key(article)]``; an
    article with no prediction counts as predicting nothing, so every gold
    item in it is a false negative.  Predictions for urls not in gold are
    counted in ``predictions_without_gold`` but not scored (the gold set is
    the sample being measured).  Per slot and article the items are matched
    one-to-one with :func:`greedy_match` (events preferring, among the predictions
    that match, one naming the gold organisation); counts are summed over articles
    (micro-average).  Alerts are scored per article: positive when the
    article has at least one NO_APPOINTMENT event.
    """
    report = Report()
    gold_keys: set[str] = set()
    for article in gold:
        key = article_key(article)
        gold_keys.add(key)
        article_id = str(article.get("id") or key)
        g_record = article.get("gold") or {}
        p_record = predicted.get(key)
        report.articles += 1
        if p_record is None:
            report.articles_without_prediction += 1
            p_record = {}

        for slot in SLOTS:
            g_items = _slot_list(g_record, slot)
            p_items = _slot_list(p_record, slot)
            pairs, missed, spurious = greedy_match(g_items, p_items, MATCHERS[slot], PREFERENCES.get(slot))
            counts = report.slots[slot]
            counts.tp += len(pairs)
            counts.fn += len(missed)
            counts.fp += len(spurious)
            report.misses[slot].extend(Miss(article_id, "missed", g_items[i]) for i in missed)
            report.misses[slot].extend(Miss(article_id, "spurious", p_items[i]) for i in spurious)
            if slot == "events":
                _count_events(report, g_items, p_items, pairs, missed, spurious)

        g_alert = _has_no_appointment(_slot_list(g_record, "events"))
        p_alert = _has_no_appointment(_slot_list(p_record, "events"))
        if g_alert and p_alert:
            report.alerts.tp += 1
        elif g_alert:
            report.alerts.fn += 1
            report.alert_misses.append(Miss(article_id, "missed", NO_APPOINTMENT))
        elif p_alert:
            report.alerts.fp += 1
            report.alert_misses.append(Miss(article_id, "spurious", NO_APPOINTMENT))

    report.predictions_without_gold = sum(1 for k in predicted if k not in gold_keys)
    return report


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def format_table(report: Report, title: str) -> str:
    """A compact aligned text table: P, R, F1 and tp/fp/fn per slot, macro F1, and alerts.

    Meant for a terminal or a CI log, where a quick glance should show which
    slot is weakest; figures to two decimals.
    """
    header = f"{'':<16}{'P':>6}{'R':>6}{'F1':>6}{'tp':>6}{'fp':>6}{'fn':>6}"
    rule = "-" * len(header)

    def row(label: str, c: SlotCounts) -> str:
        return (
            f"{label:<16}{c.precision:>6.2f}{c.recall:>6.2f}{c.f1:>6.2f}"
            f"{c.tp:>6d}{c.fp:>6d}{c.fn:>6d}"
        )

    lines = [f"{title} ({report.articles} articles)", header, rule]
    lines += [row(s, report.slots[s]) for s in SLOTS]
    lines.append(f"{'macro':<16}{'':>6}{'':>6}{report.macro_f1:>6.2f}")
    lines.append(rule)
    lines += [row(f"  {t.lower()}", c) for t, c in report.event_types.items()]
    lines.append(f"{'  organisation':<16}{'':>6}{'':>6}{report.event_org_share:>6.2f}"
                 f"{report.event_orgs_right:>6d} of {report.event_orgs_named} matched events whose gold names one")
    lines.append(rule)
    lines.append(row("alerts", report.alerts) + "  NO_APPOINTMENT, article level")
    return "\n".join(lines)


def format_misses(report: Report, limit_per_slot: int = 50) -> str:
    """Per-slot list of errors, one line each, e.g. ``  missed  dev-004  {'title': ...}``.

    Capped per slot so one badly broken slot does not bury the others; the
    number left out is stated.
    """
    lines: list[str] = []
    sections: list[tuple[str, list[Miss]]] = [(s, report.misses[s]) for s in SLOTS]
    sections.append(("alerts", report.alert_misses))
    for name, misses in sections:
        n_missed = sum(1 for m in misses if m.kind == "missed")
        n_spurious = len(misses) - n_missed
        lines.append(f"{name}: {n_missed} missed, {n_spurious} spurious")
        for m in misses[:limit_per_slot]:
            lines.append(f"  {m.kind}  {m.article_id}  {m.item!r}")
        if len(misses) > limit_per_slot:
            lines.append(f"  ... {len(misses) - limit_per_slot} more")
    return "\n".join(lines)
