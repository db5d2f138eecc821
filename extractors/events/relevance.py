"""The relevance gate: a vacancy or a failed round is news only when a real post is being
filled. Checked once the post is linked, on the cue's own clause, so that a "failed to"
anywhere near a title is not a failed recruitment:

- a NO_APPOINTMENT needs a recruitment word (a post, an advert, a shortlist, interviews,
  candidates, headhunters, a panel) or a title in its own clause;
- "successor"/"replacement" is a vacancy only while someone looks for one ("a search for a
  successor", "will recruit a replacement"), not "his successor has done the same";
- "vacant" must describe a post ("the vacant chair", "the post is vacant"), not shops;
- a count of vacancies ("1,200 nursing vacancies") is a statistic, not a post;
- a verb whose object is a named person ("recruited Jo Kay") found someone: nothing is open;
- a word on a line of its own ("Advertisement" between paragraphs) is page furniture;
- a departure leaves a post, and an appointment fills one or moves someone to a named
  organisation ("left to join X").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..clauses import SUBJECTS, clause_of, governed_by
from .state import DocState
from .words import EventWords

QUANTITY_DEPS = {"nummod", "quantmod"}


class Relevance:
    def __init__(self, words: EventWords) -> None:
        self.words = words

    def __call__(self, state: DocState, cue: Span, meta: dict) -> bool:
        root = cue.root
        if len(cue) == 1 and root.i == root.sent.start and root.i + 1 < len(root.doc) and root.doc[root.i + 1].is_space:
            return False  # a word on a line of its own ("Advertisement" between paragraphs) is page furniture
        if meta.get("open_post"):  # "without a chair, despite an advert": only a post still open failed to fill
            return any(state.is_cue(t, "VACANCY") for t in clause_of(root.head))
        if meta["label"] == "NO_APPOINTMENT":
            if root.pos_ == "VERB" and any(c.dep_ == "dobj" and not self.recruitment_context(state, [c])
                                           for c in root.children):
                return False  # "the appointment would not stop the talks": something else is stopped
            arguments = [c for t in cue for c in t.children if c not in cue]
            if any(a.dep_ in {"dobj", "nsubjpass"} and any(d.dep_ in {"det", "predet"} and d.lower_ in self.words.every
                                                           for d in a.children) for a in arguments):
                return False  # "re-advertised all director posts" in a restructure: nothing failed to fill
            return self.recruitment_context(state, [*cue, *arguments, *clause_of(root)])
        if root.pos_ == "VERB" and any(c.dep_ == "dobj" and state.person_at(c) for c in root.children):
            return False  # "had recruited Jo Kay": someone was found, nothing is open
        lemma = root.lemma_.lower()
        if lemma in self.words.role_links:
            return self.sought(root)
        if root.lower_ in {"vacant", "unfilled"}:
            return self.describes_post(state, root)
        if lemma == "vacancy" and root.tag_ == "NNS" and any(c.dep_ in QUANTITY_DEPS for c in root.children):
            return False
        return True

    def joins_organisation(self, state: DocState, cue: Span, kind: str, *, named_only: bool = False) -> bool:
        """An appointment with no title is news only as a move to a named organisation ("left
        to join X", "seconded to X") or as taking over a role the text does not title ("took
        over the reins"); a departure always leaves a post."""
        if kind != "APPOINTMENT":
            return False
        args = [c for t in cue for c in t.children if c.dep_ in {"dobj", "attr"}]
        preps = [t for t in cue if t.dep_ == "prep"] + [c for t in cue for c in t.children if c.dep_ == "prep"]
        args += [g for p in preps if p.lower_ in {"to", "at", "into"} for g in p.children if g.dep_ == "pobj"]
        args += [a for t in args for a in t.children if a.dep_ == "appos"]  # "to head a new watchdog, X"
        # a named body, or a role the text does not title ("took over the reins", "the running of X")
        return any(state.org_at(t) is not None or not named_only and (
            t.lemma_.lower() in self.words.role_nouns or t.lower_ in self.words.role_nouns) for t in args)

    def is_title(self, state: DocState, token: Token) -> bool:
        return state.post_at(token) is not None or (
            token.lower_ in self.words.heads and token.pos_ in {"NOUN", "PROPN"})

    def recruitment_context(self, state: DocState, tokens: list[Token]) -> bool:
        """A recruitment word, or a title that is not the one acting ("the minister has failed to
        make any investment" is about the minister, not about filling a post)."""
        w = self.words
        return any(t.lemma_.lower() in w.recruitment or t.lower_ in w.recruitment
                   or self.is_title(state, t) and t.dep_ != "nsubj" and t.head.dep_ != "nsubj" for t in tokens)

    def sought(self, noun: Token) -> bool:
        """"a search for a successor", "recruit a replacement", "a successor will be sought"."""
        return governed_by(noun, self.words.seek, through={"dobj", "pobj", "prep", "nsubjpass", "attr"}, steps=3)

    def describes_post(self, state: DocState, adjective: Token) -> bool:
        """"the vacant chair", "the post is vacant", "left the role unfilled"."""
        w = self.words

        def post_like(t: Token) -> bool:
            return self.is_title(state, t) or t.lemma_.lower() in w.role_nouns or t.lower_ in w.pronouns | {"it"}

        if adjective.dep_ in {"amod", "compound"}:
            return post_like(adjective.head)
        head = adjective.head
        return any(c.dep_ in SUBJECTS | {"dobj"} and post_like(c) for c in head.children)
