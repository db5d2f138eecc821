"""Who is who across articles: name normalisation and the stable ids built on it.

"Dr Jane Roe" in one article and "Jane Roe" in another must get the same ``person_id``,
and "CQC" the same ``org_id`` as "Care Quality Commission", or the warehouse would count
one person or organisation twice. The scorer compares gold and predicted names by the
same :func:`normalise`, so a name the evaluation calls a match is one row here.

Standard library only: ids must not move when the spaCy model or an extractor changes.
The honorifics and organisation aliases are the data files recognition reads too
(``extractors/patterns/``), read here as plain CSV so the warehouse imports no extractor
code; one list means a title recognition strips is a title identity strips.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "extractors" / "patterns"

_CURLY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)
_PAREN = re.compile(r"\([^()]*\)")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")


def _read_csv(name: str) -> list[dict[str, str]]:
    with (PATTERNS_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


#: Titles that may precede a name (honorifics.csv). Gold lists people without them
#: ("Dame X" is annotated as "X"), and an id must not depend on whether one was written.
HONORIFICS: frozenset[str] = frozenset(
    row["honorific"].strip().lower() for row in _read_csv("honorifics.csv") if row["honorific"].strip()
)


def normalise(text: str | None, *, person: bool = False) -> str:
    """Reduce a name or title to the form in which names are compared and ids are made.

    Surface variation that annotators and extractors disagree on (typography,
    case, "NHS England's", "(HEE)", a leading "the") should not count as a
    difference, so it is removed. Steps, in order: Unicode NFKC; lower case;
    curly quotes made straight; parentheticals removed (innermost first, so
    nested ones go too); possessive 's removed; punctuation to spaces;
    whitespace collapsed; one leading "the " dropped.

    With ``person=True`` honorifics (see :data:`HONORIFICS`) are also removed
    from the front of the name, repeatedly, because gold names never carry
    them ("Professor Sir A B" -> "a b").  If stripping would leave nothing
    (the "name" was only a title) the unstripped form is kept, so that such a
    name cannot match an empty one.

    ``None`` normalises to the empty string, which matches nothing.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower().translate(_CURLY)
    while True:  # strip innermost parentheticals until none are left
        stripped = _PAREN.sub(" ", s)
        if stripped == s:
            break
        s = stripped
    s = _POSSESSIVE.sub("", s)
    s = _PUNCT.sub(" ", s)
    s = _SPACE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    if person:
        words = s.split(" ")
        i = 0
        while i < len(words) and words[i] in HONORIFICS:
            i += 1
        if 0 < i < len(words):
            s = " ".join(words[i:])
    return s


def stable_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def article_id(url: str) -> str:
    return stable_id("article", url)


def person_id(name: str | None) -> str | None:
    """The same id for "Dr Jane Roe" in one article and "Jane Roe" in another."""
    return stable_id("person", normalise(name, person=True)) if name else None


def org_id(name: str | None) -> str | None:
    """The same id for an organisation under any alias in the gazetteer (organisations.csv)."""
    return stable_id("org", _org_aliases().get(normalise(name), normalise(name))) if name else None


@lru_cache(maxsize=1)
def _org_aliases() -> dict[str, str]:
    return {normalise(row["alias"]): normalise(row["name"])
            for row in _read_csv("organisations.csv") if row["alias"].strip()}
