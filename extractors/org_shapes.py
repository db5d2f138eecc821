"""What the organisation data files and the article itself say about organisation names:
the words of the shape patterns, the gazetteer's aliases, which ruler match beats a model
entity, and the article's own lower-case words (a capitalised word it also writes in lower
case, or spells out as an acronym, is no organisation's name)."""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .lexicon import read_csv
from .name_tokens import overlaps

FIRM = {"gazetteer", "honorific"}  # ruler ids that no model entity overrides
LOWER_WORDS_KEY = "postwatch_entities.lower_words"


def literal_words(patterns: list[dict]) -> set[str]:
    """The fixed words of the organisation shapes ("trust", "board", "partners")."""
    words = set()
    for p in patterns:
        for token in p.get("pattern", []) if isinstance(p.get("pattern"), list) else []:
            for attr in ("LOWER", "TEXT"):
                value = token.get(attr)
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict):
                    words.update(w.lower() for w in value.get("IN", []))
    return words


def last_words(patterns: list[dict]) -> set[str]:
    """The head nouns that end the organisation shapes ("trust", "board", "ICB")."""
    words = set()
    for p in patterns:
        tokens = p.get("pattern") if isinstance(p.get("pattern"), list) else []
        if tokens:
            for attr in ("LOWER", "TEXT"):
                value = tokens[-1].get(attr)
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict):
                    words.update(w.lower() for w in value.get("IN", []))
    return words


def cased_aliases(gazetteer: str) -> list[str]:
    rows = [r["alias"] for r in read_csv(gazetteer) if r["alias"].strip()]
    return rows + [r["alias"] for r in read_csv("organisation_aliases.csv")]


class LowerWords(NamedTuple):
    words: frozenset[str]  # every word the article writes in lower case
    initials: str  # first letters of runs of lower-case words, "|" between runs


def lower_words(doc: Doc) -> LowerWords:
    """Computed once per article (kept on the doc) because every one-word ORG asks."""
    cached = doc.user_data.get(LOWER_WORDS_KEY)
    if cached is None:
        initials = "".join(t.text[0] if t.is_lower and t.is_alpha and len(t) > 2 else "|" for t in doc)
        cached = LowerWords(frozenset(t.text for t in doc if t.is_lower), initials)
        doc.user_data[LOWER_WORDS_KEY] = cached
    return cached


def abbreviates(words: LowerWords, acronym: str) -> bool:
    """Whether the article spells the acronym out in ordinary lower-case words ("reinforced
    autoclaved aerated concrete" for RAAC): then it names a thing, not an organisation."""
    return len(acronym) >= 3 and acronym.lower() in words.initials


def longest_first(entities: list[Span], spans: list[Span]) -> list[Span]:
    """A gazetteer name or an honorific name beats any model entity it overlaps (the model
    runs "NHS Resolution and Health Education England" together, and takes "Ms Kay's" with
    its possessive); otherwise the longest span wins, the ruler on ties."""
    firm = filter_spans([s for s in spans if s.id_ in FIRM])
    rest = [s for s in [*spans, *entities] if s.id_ not in FIRM and not any(overlaps(s, f) for f in firm)]
    return filter_spans([*firm, *rest])
