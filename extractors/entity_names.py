"""The name an entity found in the text goes by in a post: its canonical (fullest) form
when the article names it more than once."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def canonical_name(ent: Span) -> str:
    """An entity's fullest name in the article (``span._.canonical``, set by postwatch_entities),
    or its text when it has none."""
    return ent._.canonical or ent.text


def entity_name(doc: Doc, i: int) -> str:
    for ent in doc.ents:
        if ent.start <= i < ent.end:
            return canonical_name(ent)
    return doc[i].text


def recent_org(doc: Doc, before: int, noun: str) -> str | None:
    """"the trust's chief executive": the nearest organisation earlier on whose name fits the noun."""
    candidates = [e for e in doc.ents if e.label_ == "ORG" and e.end <= before]
    for ent in reversed(candidates):
        name = canonical_name(ent)
        if noun == "its" or noun in name.lower() or noun.upper() in name:
            return name
    return None
