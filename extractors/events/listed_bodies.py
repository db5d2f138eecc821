"""A failed or open post at several bodies, named in a list after the sentence that counts
them: "... failed to appoint chairs at four trusts. The four are A, B, C and D." The news is
one vacancy (or failure) per listed body, so each gets its own event.

The list is read from the text, not from the entity finder, which cuts such run-together
names short ("Telford" of "Telford and Wrekin"). Names with "and" inside them make the
commas ambiguous; the count the text gives settles it, the shortest item joining the next
until the number of items is the number said ("A, B, C, and D" with "three": "B, C" is one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ..extensions import Event
from ..lexicon import count_value, words_of_kind

if TYPE_CHECKING:
    from .state import DocState

_KINDS = {"VACANCY", "NO_APPOINTMENT"}
_LIST_SUBJECTS = {"they", "these", "those"}


class ListedBodies:
    def __init__(self, references: str = "org_references.csv", window: int = 2) -> None:
        self.nouns = words_of_kind(references, "reference") | words_of_kind(references, "listed")
        self.window = window

    def __call__(self, state: DocState) -> None:
        seen: set[tuple[int, int]] = set()
        for sent_start, _, event in list(state.mentions):
            if event.type not in _KINDS or event.person or (id(event), sent_start) in seen:
                continue
            seen.add((id(event), sent_start))
            k = state.sent_index(state.doc[sent_start])
            count = self.counted_bodies(state.sents[k])
            if count is None:
                continue
            for sent in state.sents[k + 1:k + 1 + self.window]:
                names = self.enumeration(sent, count)
                if names:
                    for name in names:
                        state.add(Event(event.type, event.cue, event.post, self.fullest(state, name), None,
                                        event.interim, event.date))
                    break

    @staticmethod
    def fullest(state: DocState, name: str) -> str:
        """A listed name the article also gives in full ("Kennet and Tarn" and "Kennet and Tarn
        ICS") is that body, so its events are the ones already found there."""
        lowered = name.lower()
        return next((e.name for e in state.doc._.organisations or [] if lowered in e.name.lower()), name)

    def body_noun(self, token: Token) -> bool:
        word = token.lower_
        return token.tag_ in {"NNS", "NNPS"} and (word[:-1] in self.nouns or word[:-2] in self.nouns)

    @staticmethod
    def number(token: Token) -> int | None:
        for child in token.children:
            if child.dep_ == "nummod":
                return count_value(child.text) or None
        return None

    def counted_bodies(self, sent: Span) -> int | None:
        """"five systems", "chairs at four trusts": how many bodies, or None when none are counted."""
        for token in sent:
            if self.body_noun(token) and (n := self.number(token)) is not None and n > 1:
                return n
        return None

    def enumeration(self, sent: Span, count: int) -> list[str]:
        """"The other four systems are: A, B and C", "They are A and B": the names listed."""
        root = sent.root
        if root.lemma_ != "be":
            return []
        subjects = [c for c in root.children if c.dep_ == "nsubj"]
        if not subjects:
            return []
        subject = subjects[0]
        if not (self.body_noun(subject) or subject.lower_ in _LIST_SUBJECTS or subject.like_num):
            return []
        count = self.number(subject) or (count_value(subject.text) if subject.like_num else None) or count
        start = root.i + 1
        while start < sent.end and (sent.doc[start].is_punct or sent.doc[start].is_space):
            start += 1
        end = sent.end
        while end > start and (sent.doc[end - 1].is_punct or sent.doc[end - 1].is_space):
            end -= 1
        if any(t.ent_type_ == "PERSON" for t in sent.doc[start:end]):
            return []
        items = [i.strip() for i in sent.doc[start:end].text.split(",")]
        items = [i[4:].strip() if i.startswith("and ") else i for i in items]
        items = [i[4:] if i.lower().startswith("the ") else i for i in items if i]
        if len(items) == count - 1 and " and " in items[-1]:
            items[-1:] = items[-1].split(" and ", 1)  # "A, B and C"
        while len(items) > count:
            n = min(range(len(items) - 1), key=lambda j: len(items[j]))
            items[n:n + 2] = [f"{items[n]}, {items[n + 1]}"]
        if len(items) < 2 or not all(i[:1].isupper() for i in items):
            return []
        return items
