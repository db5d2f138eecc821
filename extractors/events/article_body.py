"""The organisation an article is about, for an event whose sentence names none ("the trust
began re-advertising the post"). News names the body it is about often, and refers back to
it with a definite noun ("the trust", "the surgery", "the CCG"); a regulator, a past employer
or a place named first in passing is not it. So each organisation scores its mentions plus
the definite nouns in the text that fit its name, and the earliest named wins a tie.

A publication the news comes from ("HSJ has learned") is no candidate, and a mention of
where someone comes from or works besides ("on secondment from X", "currently director at
X") does not count.

A noun fits a name when the name has the word ("the trust": "Kennet Vale NHS Trust"), an
acronym for it ("the trust": "Kennet FT"; "the system": "Kennet ICS"), is the acronym's
expansion ("the CCG": "Kennet Clinical Commissioning Group"), or when the word is written
just after a mention (the entity finder stops a name at "Kennet Vale trust")."""

from __future__ import annotations

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from ..extensions import Entity
from ..lexicon import read_csv, title_terms, words_of_kind

_DEFINITE = {"the", "its", "our", "their"}


class ArticleBody:
    def __init__(self, references: str = "org_references.csv") -> None:
        self.nouns = words_of_kind(references, "reference")
        self.reporting = words_of_kind(references, "reporting")  # "HSJ has learned"
        self.told = words_of_kind(references, "told")  # "told HSJ", "seen by HSJ"
        self.away = words_of_kind(references, "elsewhere")  # "currently at X", "previously at X"
        self.posts = title_terms("head") | words_of_kind("event_guards.csv", "role_noun")
        types = {r["acronym"].lower(): r["expansion"].lower() for r in read_csv("org_types.csv")}
        self.expansions = types  # "ics" -> "integrated care system"
        self._last: tuple[Doc, Entity | None] | None = None
        self._kinds: tuple[Doc | None, dict[int, frozenset[str]]] = (None, {})

    def __call__(self, doc: Doc) -> Entity | None:
        """Computed once per article: every event without a body of its own asks."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        orgs = doc._.organisations or []
        best = None
        if orgs:
            # a bare "ICB" is a definite reference too, whichever ICB the resolver gave it to
            bare = [m.text.lower() for e in orgs for m in e.mentions if m.text.lower() in self.expansions]
            # a name in front of a thing, or where someone comes from, does not say what the
            # article is about; a bare "ICB" counts below, as a reference
            score = {id(e): sum(m.text.lower() not in self.expansions and not self.modifier(m)
                                and not self.elsewhere(m) for m in e.mentions) for e in orgs}
            for noun in [doc[i].lower_ for i in self.candidates(doc) if self.reference(doc[i])] + bare:
                for entity in orgs:
                    score[id(entity)] += self.fits(noun, entity)
            first = {id(e): min(m.start for m in e.mentions) for e in orgs}
            subjects = [e for e in orgs if not all(self.source(m) for m in e.mentions)] or orgs
            best = max(subjects, key=lambda e: (score[id(e)], -first[id(e)]))
        self._last = (doc, best)
        return best

    def candidates(self, doc: Doc) -> list[int]:
        """Where the reference nouns are, found on the doc's array: asked of every article, so
        not one token object at a time."""
        ids = numpy.array([doc.vocab.strings.add(n) for n in self.nouns], dtype="uint64")
        return numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), ids)).tolist()

    def modifier(self, mention: Span) -> bool:
        """"a Care Quality Commission report", "an Oxfordshire doctor": a name in front of a
        thing or a person is no sign the article is about that body ("the Kennet trust", "the
        Kennet post" are: the noun stands for the body, or for its post)."""
        root = mention.root
        head = root.head
        return (root.dep_ in {"compound", "nmod", "amod"} and head.i >= mention.end and head.is_lower
                and head.lemma_.lower() not in self.nouns | self.posts)

    def elsewhere(self, mention: Span) -> bool:
        """"on secondment from X", "currently director at X", "previously at X": where someone
        comes from or works besides; "subject to approval by X": who approves. Neither is the
        body the news is about."""
        root = mention.root
        if root.dep_ == "pobj" and root.head.lower_ in {"from", "by"}:
            return True  # "joins from X"; "approved by X", "appointed by X": who decides, not whose post
        return any(c.lower_ in self.away and c.i < mention.start for a in [root, *root.ancestors] for c in a.children)

    def source(self, mention: Span) -> bool:
        """"HSJ has learned", "told the Gazette", "seen by HSJ": a publication or spokesman
        the news comes from, not the body it is about."""
        root = mention.root
        head = root.head.head if root.dep_ == "pobj" and root.head.dep_ == "agent" else root.head
        if root.dep_ == "nsubj":
            return head.lemma_.lower() in self.reporting
        return root.dep_ in {"dobj", "dative", "pobj"} and head.lemma_.lower() in self.told

    def reference(self, token: Token) -> bool:
        """"the trust", "its board": a definite noun that is no part of a name."""
        return token.lower_ in self.nouns and not token.ent_type_ and any(
            c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in token.children)

    def fits(self, noun: str, entity: Entity) -> bool:
        return noun in self.kinds(entity)

    def kinds(self, entity: Entity) -> frozenset[str]:
        """Every noun that fits the entity's name: its words, acronyms for them and the words of
        its acronyms' expansions (kept for the article: every reference asks of every body)."""
        cache = self._kinds if self._kinds[0] is entity.mentions[0].doc else self._new_kinds(entity)
        found = cache[1].get(id(entity))
        if found is None:
            words = self.words(entity)
            text = " ".join(words)
            found = frozenset(words) | {a for a, expansion in self.expansions.items() if expansion in text} | {
                part for w in words for part in self.expansions.get(w, "").split()}
            cache[1][id(entity)] = found
        return found

    def _new_kinds(self, entity: Entity) -> tuple[Doc, dict[int, frozenset[str]]]:
        self._kinds = (entity.mentions[0].doc, {})
        return self._kinds

    @staticmethod
    def words(entity: Entity) -> list[str]:
        """The name's words, singular, and the lower-case noun written after any mention."""
        out = [w.lower().rstrip("s") if len(w) > 3 else w.lower() for w in entity.name.split()]
        for mention in entity.mentions:
            doc = mention.doc
            if mention.end < len(doc) and doc[mention.end].is_lower and doc[mention.end].is_alpha:
                out.append(doc[mention.end].lower_)
        return out
