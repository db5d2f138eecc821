"""An event's evidence: its sentence with the cue, person, post and organisation marked,
and how each part was found. Read from the offsets the load stored (migration 007), so
neither `postwatch explain` nor the page needs spaCy."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import duckdb

LABELS = ("CUE", "PERSON", "POST", "ORG")
EVENT_COLUMNS = """e.event_id, e.event_type, e.post, e.organisation, e.person, e.interim,
    coalesce(e.event_date, a.published) AS happened, e.sentence, e.start_char, e.end_char, e.cue, e.sentence_start,
    e.person_start, e.person_end, e.post_start, e.post_end, e.org_start, e.org_end, e.link_rule, e.story_id,
    e.person_id, e.org_id, a.url, a.title, a.published"""


@dataclass(frozen=True)
class Part:
    label: str  # CUE, PERSON, POST or ORG
    start: int  # offsets in the sentence
    end: int
    text: str
    slot: int = 1  # 1 + how many other parts hold this one: displaCy's render slot, the bar's row


@dataclass(frozen=True)
class Segment:
    """A run of the sentence and the parts that cover it (displaCy's span style draws one
    bar per part under each run, and the label where a part starts)."""

    text: str
    parts: tuple[Part, ...] = ()
    starts: tuple[Part, ...] = ()


@dataclass
class Evidence:
    event_id: str
    event_type: str
    post: str | None
    organisation: str | None
    person: str | None
    interim: bool | None
    happened: object
    sentence: str
    url: str
    article_title: str | None
    story_id: str | None
    person_id: str | None
    org_id: str | None
    parts: list[Part] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def linkable(self) -> bool:
        return self.url.startswith(("http://", "https://"))

    def segments(self) -> list[Segment]:
        cuts = sorted({0, len(self.sentence), *[p.start for p in self.parts], *[p.end for p in self.parts]})
        out = []
        for lo, hi in zip(cuts, cuts[1:]):
            covering = tuple(p for p in self.parts if p.start <= lo and hi <= p.end)
            out.append(Segment(self.sentence[lo:hi], covering, tuple(p for p in covering if p.start == lo)))
        return out

    def plain(self) -> str:
        """The sentence for a terminal: each part in brackets, its label after the bracket."""
        out = []
        for i in range(len(self.sentence) + 1):
            closing = sorted((p for p in self.parts if p.end == i), key=lambda p: -p.start)  # inner part first
            opening = sorted((p for p in self.parts if p.start == i), key=lambda p: -p.end)  # outer part first
            out += [f"]{p.label}" for p in closing] + ["[" for _ in opening]
            if i < len(self.sentence):
                out.append(self.sentence[i])
        return "".join(out)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["happened"] = str(self.happened) if self.happened is not None else None
        data["marked"] = self.plain()
        return data


def from_row(row: dict) -> Evidence:
    """An Evidence from a row of EVENT_COLUMNS (as a dict)."""
    sentence = row["sentence"] or ""
    base = row["sentence_start"]
    parts = []
    if base is not None:
        for label, lo, hi in (("CUE", row["start_char"], row["end_char"]), ("PERSON", row["person_start"], row["person_end"]),
                              ("POST", row["post_start"], row["post_end"]), ("ORG", row["org_start"], row["org_end"])):
            if lo is None or hi is None or not 0 <= lo - base < hi - base <= len(sentence):
                continue
            parts.append(Part(label, lo - base, hi - base, sentence[lo - base:hi - base]))
    parts = _without_crossing(parts)
    rules = {}
    for item in (row["link_rule"] or "").split("; "):
        name, _, rule = item.partition(": ")
        if rule:
            rules[name] = rule
    return Evidence(row["event_id"], row["event_type"], row["post"], row["organisation"], row["person"], row["interim"],
                    row["happened"], sentence, row["url"], row["title"], row["story_id"], row["person_id"],
                    row["org_id"], parts, rules)


def _without_crossing(parts: list[Part]) -> list[Part]:
    """Nested parts are fine ("chief executive of X": the post holds the organisation);
    a part that half-overlaps one already kept is dropped so the marks stay readable."""
    kept: list[Part] = []
    for part in sorted(parts, key=lambda p: (p.start, -p.end)):
        if all(part.end <= k.start or part.start >= k.end or (k.start <= part.start and part.end <= k.end)
               or (part.start <= k.start and k.end <= part.end) for k in kept):
            kept.append(part)
    return [Part(p.label, p.start, p.end, p.text,
                 1 + sum(1 for k in kept if k is not p and k.start <= p.start and p.end <= k.end)) for p in kept]


def evidence_for(con: duckdb.DuckDBPyConnection, where: str, params: dict | None = None,
                 order: str = "happened DESC NULLS LAST, e.event_id", limit: int | None = None) -> list[Evidence]:
    """Events matching the SQL condition *where* (over events ``e`` and articles ``a``)."""
    cursor = con.execute(f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a USING (article_id) WHERE {where} "
                         f"ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit else ""), params or {})
    names = [d[0] for d in cursor.description]
    return [from_row(dict(zip(names, row))) for row in cursor.fetchall()]


def explain(con: duckdb.DuckDBPyConnection, event_id: str) -> Evidence | None:
    found = evidence_for(con, "e.event_id = $id", {"id": event_id}, limit=1)
    return found[0] if found else None
