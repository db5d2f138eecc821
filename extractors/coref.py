"""In-article coreference of people and organisations.

An article names someone in full once ("Dame Priya Kaur") and then briefly ("Ms Kaur",
"Dame Priya"); it names a trust in full and then as "Kennet Vale", "the trust" or "the
ICB". Gold lists each real entity once, in the fullest form the article uses, so every
short mention is folded into the nearest fuller one it can stand for, and a short form
that stands for nothing named in the article is dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from .extensions import Entity

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
FUNCTION_WORDS = frozenset({"of", "and", "for", "the", "&", "in", "on", "at"})


def name_text(span: Span) -> str:
    return _POSSESSIVE.sub("", span.text).strip()


# -- people ------------------------------------------------------------------------


def resolve_people(spans: list[Span], titled: set[int]) -> list[Entity]:
    """A one-word mention ("Kaur", "Priya") is the nearest earlier full name that begins or
    ends with it (else the first later one). One that matches no full name is kept only if
    an honorific vouches that it is a person ("Ms Kaur"); ``titled`` holds those spans'
    start tokens. Returns the people; spans left out are not people."""
    names = [name_text(s) for s in spans]
    full = [(s, n) for s, n in zip(spans, names) if len(n.split()) > 1]
    entities: dict[str, Entity] = {}
    for span, name in zip(spans, names):
        if len(name.split()) == 1:
            fuller = [(s, n) for s, n in full if n.endswith(" " + name) or n.startswith(name + " ")]
            earlier = [n for s, n in fuller if s.start < span.start]
            if earlier or fuller:
                name = (earlier or [n for _, n in fuller])[-1]
            elif span.start not in titled:
                continue
        entity = entities.setdefault(name.lower(), Entity(name=name))
        entity.mentions.append(span)
    return _fold_contained(list(entities.values()))


def _fold_contained(entities: list[Entity]) -> list[Entity]:
    """Fold a name into a longer one with the same first and last word ("Jo Kay" -> "Jo Anne Kay")."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: -len(e.name)):
        words = entity.name.split()
        host = next(
            (k for k in kept if len(words) >= 2 and k.name.split()[-1] == words[-1] and k.name.split()[0] == words[0]),
            None,
        ) or next((k for k in kept if entity.name[:1].islower() and k.name.endswith(" " + entity.name)), None)
        # "de Vries" after "Dr" is "Ursula de Vries"
        if host is None:
            kept.append(entity)
        else:
            host.mentions.extend(entity.mentions)
    for entity in kept:
        entity.mentions.sort(key=lambda s: s.start)
        for span in entity.mentions:
            span._.canonical = entity.name
    kept.sort(key=lambda e: e.mentions[0].start)
    return kept


# -- organisations -------------------------------------------------------------------


@dataclass
class _OrgMention:
    span: Span
    name: str  # as written
    official: str | None  # the official name when the text is a known name or alias
    key: tuple[str, ...]  # lower-case words with type acronyms expanded
    listed: bool  # a gazetteer name or alias: folds only into itself


@dataclass
class _OrgGroup:
    name: str
    key: tuple[str, ...]
    mentions: list[_OrgMention] = field(default_factory=list)


class OrgResolver:
    """Groups ORG mentions so each organisation is listed once, under its fullest name."""

    def __init__(self, *, aliases: dict[str, str], type_acronyms: dict[str, str],
                 heads: set[str] | None = None) -> None:
        self.aliases = aliases
        self.heads = heads or set()
        self.types = {a: tuple(e.split()) for a, e in type_acronyms.items()}

    def key(self, text: str) -> tuple[str, ...]:
        words: list[str] = []
        for w in re.findall(r"[\w']+|&", text.lower().replace("’", "'")):
            words.extend(self.types.get(w, (w,)))
        if words and words[0] == "the":
            words = words[1:]
        return tuple(w[:-2] if w.endswith("'s") else w for w in words)

    def resolve(self, spans: list[Span]) -> list[Entity]:
        mentions = []
        for span in spans:
            text = name_text(span)
            official = self.aliases.get(text.lower())
            mentions.append(_OrgMention(span, text, official, self.key(official or text), official is not None))
        groups: list[_OrgGroup] = []
        for m in sorted(mentions, key=lambda m: (-len(m.key), m.span.start)):
            candidates = [g for g in groups if self._same(m, g)]
            if candidates:
                min(candidates, key=lambda g: _distance(m, g)).mentions.append(m)
            elif not self._bare_type(m.key):
                groups.append(_OrgGroup(m.name, m.key, [m]))
        entities = []
        for group in groups:
            name = _fullest(group.mentions)
            spans_ = sorted((m.span for m in group.mentions), key=lambda s: s.start)
            for span in spans_:
                span._.canonical = name
            entities.append(Entity(name=name, mentions=spans_))
        entities.sort(key=lambda e: e.mentions[0].start)
        return entities

    def _bare_type(self, key: tuple[str, ...]) -> bool:
        """"ICB", "the CCG": a kind of organisation, not one; it stands for an organisation
        of that kind named in the article, or for nothing."""
        return key in self.types.values()

    def _same(self, m: _OrgMention, g: _OrgGroup) -> bool:
        if m.key == g.key:
            return True
        if m.listed or not m.key:
            return False
        n = len(m.key)
        if self._bare_type(m.key):
            return any(g.key[i:i + n] == m.key for i in range(len(g.key) - n + 1))
        inside = [i for i in range(len(g.key) - n + 1) if g.key[i:i + n] == m.key]
        if m.key[-1] in self.heads and n > 1:
            inside = [i for i in inside if i + n == len(g.key)]  # "Tarn University" is no "Tarn University Hospitals"
        if m.key[0] not in FUNCTION_WORDS and inside:
            return True  # "Kennet Vale", "Wharfe" or "Derwent ICB" for "Aireborough and Wharfe NHS Trust"
        if n == 2 and len(g.key) > 3 and m.key == (g.key[0], g.key[-1]):
            return True  # "Western Trust" for "Western Health and Social Care Trust"
        text = m.span.text
        if text.isupper() and 2 <= len(text) <= 6:
            initials = "".join(w[0] for w in g.key if w not in FUNCTION_WORDS)
            return initials == text.lower() or (len(text) >= 3 and initials.startswith(text.lower()))
        return False


def _fullest(mentions: list[_OrgMention]) -> str:
    """The fullest form the article uses: the official name where the article writes it
    ("HSJ" over "Health Service Journal"), else the longest mention ("CQC" alone stays "CQC")."""
    written = {m.name.lower() for m in mentions}
    official = next((m.official for m in mentions if m.official and m.official.lower() in written), None)
    return official or max((m.name for m in mentions), key=len)


def _distance(m: _OrgMention, g: _OrgGroup) -> tuple[int, int]:
    """Prefer the group mentioned nearest before the short mention, then the nearest after."""
    before = [m.span.start - o.span.start for o in g.mentions if o.span.start < m.span.start]
    if before:
        return (0, min(before))
    return (1, min(o.span.start - m.span.start for o in g.mentions))
