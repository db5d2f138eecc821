"""Finding event cues (data: event_cues.jsonl): token patterns, plus parse conditions checked
only where a pattern matched.

One small Matcher per word a cue can start with, run only from the tokens holding that word:
a single Matcher of every cue over every sentence spent most of its time starting states that
fail on the next token."""

from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..clauses import overlaps
from ..lexicon import read_jsonl

Cue = tuple[Span, dict]

# One cue, one type: the more specific reading wins ("no appointment" is not an appointment,
# "re-advertised" is a failed round before it is an advert).
OUTRANKS = {"NO_APPOINTMENT": {"APPOINTMENT", "VACANCY"}, "DEPARTURE": {"VACANCY", "APPOINTMENT"}}


class CueFinder:
    def __init__(self, nlp: Language, cues: str) -> None:
        self.cues: dict[str, dict] = {}
        self.by_first: dict[int, Matcher] = {}
        self.reach: dict[int, int | None] = {}  # longest match from a first word; None: to the sentence end
        for n, row in enumerate(read_jsonl(cues)):
            key = f"{row['label']}#{n}"
            self.cues[key] = row
            length = None if any(t.get("OP") in {"*", "+"} for t in row["pattern"]) else len(row["pattern"])
            for pattern in _exact_first(row["pattern"]):
                for word in _first_words(pattern):
                    first = nlp.vocab.strings.add(word)
                    self.by_first.setdefault(first, Matcher(nlp.vocab)).add(key, [pattern])
                    known = self.reach.get(first, 0)
                    self.reach[first] = None if known is None or length is None else max(known, length)
        self.triggers = numpy.array(sorted(self.by_first), dtype="uint64")

    def __call__(self, doc: Doc) -> list[Cue]:
        found: list[Cue] = []
        for i, first in self._trigger_tokens(doc):
            sent_end = doc[i].sent.end
            reach = self.reach[first]
            window = doc[i:sent_end if reach is None else min(sent_end, i + reach)]
            for key, start, end in self.by_first[first](window):
                if start:
                    continue  # starts at another trigger, which has its own window
                meta = self.cues[doc.vocab.strings[key]]
                if _fits(doc[i], meta):
                    found.append((doc[i:i + end], meta))
        kept = [(c, m) for c, m in found
                if not any(m["label"] in OUTRANKS.get(om["label"], ()) and overlaps(c, oc) for oc, om in found)]
        kept.sort(key=lambda cm: (cm[0].start, -len(cm[0])))
        out: list[Cue] = []
        for cue, meta in kept:  # one event per cue span and type: drop contained repeats
            if not any(m["label"] == meta["label"] and o.start <= cue.start and cue.end <= o.end for o, m in out):
                out.append((cue, meta))
        return out

    def _trigger_tokens(self, doc: Doc) -> list[tuple[int, int]]:
        """(token index, first word) for each token whose lower form or lemma starts a cue."""
        if not len(doc):
            return []
        values = doc.to_array([LOWER, LEMMA])
        hits = numpy.isin(values, self.triggers)
        out = []
        for i, column in zip(*numpy.nonzero(hits)):
            first = int(values[i, column])
            if column == 1 and hits[i, 0] and int(values[i, 0]) == first:
                continue  # lower form and lemma are the same word: one window
            out.append((int(i), first))
        return out


def _first_words(pattern: list[dict]) -> set[str]:
    """The words a token pattern can start with (its first token's LOWER/LEMMA/ORTH values)."""
    first = pattern[0]
    if first.get("OP") in {"?", "*"} or not ({"LOWER", "LEMMA", "ORTH"} & set(first)):
        raise ValueError(f"an event cue must start with a fixed word: {pattern}")
    words: set[str] = set()
    for key in ("LOWER", "LEMMA", "ORTH"):
        value = first.get(key)
        if isinstance(value, str):
            words.add(value)
        elif isinstance(value, dict):
            if set(value) - {"IN"}:
                raise ValueError(f"an event cue must start with a word list, not {value}")
            words |= set(value["IN"])
    return words


def _exact_first(pattern: list[dict]) -> list[list[dict]]:
    """One pattern per first word, so that each goes to the Matcher of its own first word (and an
    exact attribute is matched natively, where an "IN" set would be a Python predicate)."""
    first, rest = pattern[0], pattern[1:]
    key = next((k for k in ("LOWER", "LEMMA", "ORTH") if isinstance(first.get(k), dict)), None)
    if key is None:
        return [pattern]
    return [[{**first, key: word}, *rest] for word in first[key]["IN"]]


def _has(token: Token, spec: dict) -> bool:
    """Whether a token has the attributes a cue row asks of a neighbour: {"dep": [...], "lemma": [...]}."""
    values = {"dep": token.dep_, "lemma": token.lemma_.lower(), "lower": token.lower_, "pos": token.pos_}
    return all(values[key] in allowed for key, allowed in spec.items())


def _fits(token: Token, meta: dict) -> bool:
    """The parse conditions of a cue row, checked only where the token pattern matched (cheaper than
    a DependencyMatcher over every sentence): "child" of the cue, its "head", and the head's child."""
    if "child" in meta and not any(_has(c, meta["child"]) for c in token.children):
        return False
    if meta.get("neg") and not any(c.dep_ == "neg" for t in (token, token.head) for c in t.children):
        return False  # "did not attract", "was not appointable"
    if "head" in meta:
        head = token.head
        if head is token or not _has(head, meta["head"]):
            return False
        if "head_child" in meta and not any(_has(c, meta["head_child"]) for c in head.children):
            return False
    return True
