"""People and organisations: the model's NER, corrected by data-driven rulers, then
resolved within the article so each real entity is listed once, in its fullest form."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import extensions  # noqa: F401  (registers the extensions)
from .extensions import Entity
from .lexicon import column, honorifics, read_csv, read_jsonl, title_terms

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_FUNCTION_WORDS = {"of", "and", "for", "the", "&", "in", "on", "at"}


@Language.factory(
    "postwatch_entities",
    default_config={"patterns": "entities.jsonl", "gazetteer": "organisations.csv"},
    assigns=["doc.ents", "doc._.people", "doc._.organisations", "span._.canonical"],
    requires=["doc.ents"],
)
def make_entities(nlp: Language, name: str, *, patterns: str, gazetteer: str) -> "EntityResolver":
    return EntityResolver(nlp, name, patterns=patterns, gazetteer=gazetteer)


class EntityResolver:
    def __init__(self, nlp: Language, name: str, *, patterns: str, gazetteer: str) -> None:
        self.ruler = SpanRuler(
            nlp,
            name=f"{name}_ruler",
            annotate_ents=True,
            spans_key=None,
            ents_filter=_longest_first,
            overwrite=False,
        )
        rows = read_csv(gazetteer)
        self.aliases = {r["alias"].strip().lower(): r["name"] for r in rows if r["alias"].strip()}
        self.ruler.add_patterns(
            read_jsonl(patterns)
            + [{"label": "ORG", "pattern": r["name"], "id": "gazetteer"} for r in rows]
            + [{"label": "ORG", "pattern": r["alias"], "id": "gazetteer"} for r in rows if r["alias"].strip()]
            + [{"label": "PERSON", "pattern": _honorific_pattern(), "id": "honorific"}]
        )
        self.honorifics = honorifics()
        self.not_orgs = column("not_organisations.csv", "text")
        self.type_acronyms = {r["acronym"].lower(): r["expansion"] for r in read_csv("org_types.csv")}
        self.title_heads = title_terms("head")

    def __call__(self, doc: Doc) -> Doc:
        doc = self.ruler(doc)
        kept = []
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                ent = self._clean_person(ent)
            elif ent.label_ == "ORG":
                ent = self._clean_org(ent)
            if ent is not None:
                kept.append(ent)
        doc.ents = filter_spans(kept)
        doc._.people = self._resolve_people([e for e in doc.ents if e.label_ == "PERSON"])
        doc._.organisations = self._resolve_orgs([e for e in doc.ents if e.label_ == "ORG"])
        return doc

    # -- cleaning single mentions -------------------------------------------------
    def _clean_person(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and (doc[start].lower_.rstrip(".") in self.honorifics or doc[start].text == "."):
            start += 1
        # A name is a run of capitalised tokens; "Smith chief executive" keeps "Smith".
        stop = start
        while stop < end and (doc[stop].is_title or doc[stop].text in {"-", "’", "'"} or doc[stop].is_upper):
            stop += 1
        end = stop
        if end - start == 0:
            return None
        words = [t.lower_ for t in doc[start:end]]
        if any(w in self.title_heads or w in {"nhs", "trust", "board", "icb", "hospital"} for w in words):
            return None
        if any(ch.isdigit() for ch in doc[start:end].text):
            return None
        return Span(doc, start, end, label="PERSON")

    def _clean_org(self, ent: Span) -> Span | None:
        doc = ent.doc
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
            end -= 1
        if end - start == 0:
            return None
        span = Span(doc, start, end, label="ORG")
        lower = span.text.lower()
        if lower in self.not_orgs or not any(c.isupper() for c in span.text):
            return None
        last = doc[end - 1]
        if last.tag_ in {"NNS", "NNPS"} and last.text.islower():
            return None  # "acute trusts": a generic plural, not an organisation
        if all(t.lower_ in self.title_heads or t.lower_ in _FUNCTION_WORDS for t in span):
            return None  # "Chief Executive" tagged as ORG
        return span

    # -- resolving mentions to entities -----------------------------------------
    def _resolve_people(self, spans: list[Span]) -> list[Entity]:
        """A short mention ("Kaur", "Dame Priya" once cleaned to "Priya") is the nearest earlier
        full name that begins or ends with it."""
        names = [_name_text(s) for s in spans]
        entities: dict[str, Entity] = {}
        for span, name in zip(spans, names):
            if len(name.split()) == 1:
                fuller = [(s, n) for s, n in zip(spans, names)
                          if len(n.split()) > 1 and (n.endswith(" " + name) or n.startswith(name + " "))]
                earlier = [n for s, n in fuller if s.start < span.start]
                if earlier or fuller:
                    name = (earlier or [n for _, n in fuller])[-1]
            entity = entities.setdefault(name.lower(), Entity(name=name, label="PERSON"))
            entity.mentions.append(span)
            span._.canonical = entity.name
        # Fold a two-word name into a longer one that ends the same way ("Jo Kay" -> "Jo Anne Kay").
        return _fold_contained(list(entities.values()))

    def _resolve_orgs(self, spans: list[Span]) -> list[Entity]:
        keyed: list[tuple[str, Span]] = [(self._org_key(s.text), s) for s in spans]
        groups: list[list[tuple[str, Span]]] = []
        for key, span in sorted(keyed, key=lambda ks: -len(ks[0])):
            for group in groups:
                fullest = group[0][0]
                if self._same_org(key, span.text, fullest, group[0][1].text):
                    group.append((key, span))
                    break
            else:
                groups.append([(key, span)])
        entities = []
        for group in groups:
            name = _POSSESSIVE.sub("", max((s.text for _, s in group), key=len))
            entity = Entity(name=name, label="ORG", mentions=sorted((s for _, s in group), key=lambda s: s.start))
            for span in entity.mentions:
                span._.canonical = name
            entities.append(entity)
        entities.sort(key=lambda e: e.mentions[0].start)
        return entities

    def _org_key(self, text: str) -> str:
        words = [self.type_acronyms.get(w, w) for w in re.findall(r"[\w']+", text.lower())]
        return " ".join(words)

    def _same_org(self, key: str, text: str, full_key: str, full_text: str) -> bool:
        if key == full_key or (len(key) > 6 and full_key.startswith(key)):
            return True
        if text.isupper() and 2 <= len(text) <= 6:
            if self.aliases.get(text.lower(), "").lower() == full_text.lower():
                return True
            initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w']*", full_text) if w.lower() not in _FUNCTION_WORDS)
            return initials.upper() == text
        return False


def _honorific_pattern() -> list[dict]:
    return [
        {"LOWER": {"IN": sorted(honorifics())}},
        {"ORTH": ".", "OP": "?"},
        {"IS_TITLE": True, "POS": {"IN": ["PROPN", "NOUN", "ADJ", "VERB"]}, "OP": "+"},
    ]


def _name_text(span: Span) -> str:
    return _POSSESSIVE.sub("", span.text).strip()


def _fold_contained(entities: list[Entity]) -> list[Entity]:
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: -len(e.name)):
        words = entity.name.split()
        host = next(
            (k for k in kept if len(words) >= 2 and k.name.split()[-1] == words[-1] and k.name.split()[0] == words[0]),
            None,
        )
        if host is None:
            kept.append(entity)
        else:
            host.mentions.extend(entity.mentions)
            for span in entity.mentions:
                span._.canonical = host.name
    kept.sort(key=lambda e: min(m.start for m in e.mentions))
    return kept


def _longest_first(entities: list[Span], spans: list[Span]) -> list[Span]:
    """Ruler spans and model entities compete; the longest wins, the ruler on ties."""
    return filter_spans([*spans, *entities])
