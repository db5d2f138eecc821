"""Guards: a cue that does not report a real, current recruitment event is dropped before any
linking (hypotheticals, modals, negations, patients' appointments, career history)."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Span, Token

from ..clauses import clause_heads, governed_by
from .words import EventWords


class Guards:
    def __init__(self, words: EventWords) -> None:
        self.words = words

    def __call__(self, cue: Span, meta: dict, published: date | None) -> bool:
        """True when the cue does not report a real, current recruitment event."""
        w = self.words
        sent, root = cue.sent, cue.root
        clause = [root, *clause_heads(root)]
        if any(c.dep_ == "mark" and c.lower_ in w.hypothetical for t in clause for c in t.children):
            return True
        if any(t.lower_ in w.condition for t in cue.doc[sent.start:cue.start]):
            return True
        if any(c.dep_ == "aux" and c.lower_ in w.modals for t in clause[:2] for c in t.children):
            return True
        if meta["label"] != "NO_APPOINTMENT" and any(c.dep_ == "neg" for t in cue for c in t.children):
            return True
        if any(t.lemma_ == "appointment" for t in sent) and any(t.lower_ in w.not_a_post for t in sent):
            return True  # patients' appointments, bookings and backlogs
        if meta.get("not_compound") and root.dep_ == "compound" and root.head.lower_ not in w.org_nouns:
            return True  # "vacancy rates", "vacancy control panel"
        if meta["label"] == "DEPARTURE" and self._past_history(root, published):
            return True
        if any(t.lower_ in w.election for t in sent):
            return True  # "suspending my campaign for president", "replacing X as nominee": an election
        if self._deliberated(root):
            return True
        if meta["label"] == "DEPARTURE" and self._travel(root):
            return True
        return False

    def _deliberated(self, root: Token) -> bool:
        """"is considering replacing X", "urged him to resign": nothing has happened yet."""
        return governed_by(root, self.words.deliberation, through={"xcomp", "ccomp", "pcomp", "pobj", "prep"}, steps=2)

    def _travel(self, verb: Token) -> bool:
        """"departed to the US", "left for Paris": a journey, not a job."""
        return any(c.dep_ == "prep" and c.lower_ in {"to", "for"} and any(
            g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC", "FAC"} for g in c.children) for c in verb.children)

    def _past_history(self, verb: Token, published: date | None) -> bool:
        """Career history, not news: "she previously ran", "he had left", "appointed in 2009"."""
        heads = [verb, verb.head] if verb.dep_ in {"xcomp", "conj"} else [verb]
        for head in heads:
            for child in head.children:
                if child.dep_ == "advmod" and child.lower_ in self.words.past:
                    return True
        if published is not None:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"in", "during"}:
                    years = [t for t in child.subtree if t.like_num and len(t.text) == 4 and t.text.isdigit()]
                    if years and all(int(t.text) < published.year - 1 for t in years):
                        return True
        return False
