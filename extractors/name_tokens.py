"""What a person's name looks like written down, token by token: capitalised name words,
particles ("de", "van"), hyphens inside double-barrelled names, and organisation names
joined by "and" or "of". Shared by entity cleaning and the context rules."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

# A capitalised name word: "Kaur", "McAteer", "MacAskill", "O'Neill", "Łukasz" (not "NHS", "iPad").
NAME_RE = r"^(?:[A-Z]['’])?[A-ZÀ-ÖØ-ÞŁŚŻŹ][a-zß-öø-ÿłśżźćńę]+(?:[A-Z][a-zß-öø-ÿ]+)*$"
NAME = re.compile(NAME_RE)
HYPHENS = {"-", "‐", "‑"}
POSSESSIVES = {"'s", "’s", "'", "’"}
# Lower-case words inside a person's name: "Ursula de Vries", "Rafael van der Berg".
PARTICLES = ["de", "da", "di", "del", "della", "der", "den", "du", "le", "la", "van", "von", "bin", "ibn", "al", "el"]


def span_words(span: Span) -> tuple[str, ...]:
    return tuple(t.lower_ for t in span if t.lower_ not in {"'s", "’s"})


def part_of(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    n = len(words)
    return n < len(name) and (name[:n] == words or name[-n:] == words)


def joins_name(doc: Doc, i: int) -> bool:
    """A hyphen inside a double-barrelled name: no space either side, a name word after."""
    return (doc[i].text in HYPHENS and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_
            and i + 1 < len(doc) and bool(NAME.match(doc[i + 1].text)))


def particle(doc: Doc, i: int) -> bool:
    """"de" in "Ursula de Vries": a lower-case particle between two name words."""
    return (doc[i].text in PARTICLES and i > 0 and bool(NAME.match(doc[i - 1].text))
            and i + 1 < len(doc) and bool(NAME.match(doc[i + 1].text)))


def extend_hyphenated(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """"Cecilia Ward" + "-Osei": the model often stops at the hyphen."""
    while end + 1 < len(doc) and joins_name(doc, end):
        end += 2
    while start >= 2 and joins_name(doc, start - 1) and NAME.match(doc[start - 2].text):
        start -= 2
    return start, end


def extend_conjoined(span: Span, org_words: frozenset[str] | set[str], most: int = 3) -> Span:
    """"Ouse and Derwent Integrated Care Board", "University Hospitals of Derby and Burton
    NHS Foundation Trust": the shape patterns start at the last capitalised run, so take in
    "<Name> and" (or "<University Hospitals> of") before it, unless that name is already
    another ruled entity ("NHS England and Kennet Vale NHS Trust")."""
    doc = span.doc
    start = span.start
    while start >= 2 and doc[start - 1].lower_ in {"and", "&", "of"}:
        i = start - 1
        while i > span.sent.start and start - 1 - i < most and not doc[i - 1].ent_id_ and (
                doc[i - 1].is_title and not doc[i - 1].is_stop or doc[i - 1].lower_ in POSSESSIVES):
            i -= 1  # "Guy's and St Thomas' NHS Foundation Trust"
        if i == start - 1 or not doc[i].is_title or (i > 0 and doc[i - 1].is_title and not doc[i - 1].is_sent_start):
            break
        if doc[start - 1].lower_ == "of" and not {t.lower_ for t in doc[i:start - 1]} & org_words:
            break  # "Director of Kennet Trust" is a job and a trust
        start = i
    return Span(doc, start, span.end, label=span.label_) if start != span.start else span


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
