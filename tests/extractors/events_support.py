"""Helpers shared by the tests/extractors/test_events_*.py files: one pipeline per test session, and an
article's events as (type, post, person) tuples."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from spacy.language import Language

from extractors.build import build_nlp
from extractors.extensions import Event

TRUST = "Ravensholme Community NHS Trust"


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The whole pipeline: events read the people, organisations and posts found before them."""
    return build_nlp()


def found(text: str, published: date = date(2025, 3, 10)) -> list[Event]:
    nlp = pipeline()
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.events


def events(text: str) -> set[tuple]:
    return {(e.type, e.post, e.person) for e in found(text)}


def types(text: str) -> set[str]:
    return {e.type for e in found(text)}
