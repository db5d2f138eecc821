"""`postwatch evaluate`: load a gold file into a throwaway warehouse through the normal
path, read the predictions back out of DuckDB, and score them as GOLD_FORMAT.md says.

A folder of saved pages that report no recruitment (general news) has no gold to score
against: there every NO_APPOINTMENT alert is a false one, and `false_alarms` counts them."""

from __future__ import annotations

import gzip
import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from spiders.archive import archive_url, iter_archive
from spiders.jsonl import read_jsonl
from warehouse.db import connect
from warehouse.identity import article_id

from ..process import process_items
from .scoring import Report, article_key, score


def evaluate(gold_path: Path, *, model: str | None = None) -> Report:
    gold = list(read_jsonl(gold_path))
    with tempfile.TemporaryDirectory(prefix="postwatch-eval-") as tmp:
        con = connect(Path(tmp) / "eval.duckdb")
        try:
            process_items(iter_archive(gold_path), con, model=model)
            predicted = predictions(con)
        finally:
            con.close()
    keyed = {article_key(a): predicted.get(article_id(archive_url(gold_path, a)), {}) for a in gold}
    return score(gold, keyed)


def predictions(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Everything the warehouse says about each article, in the gold file's shapes."""
    out: dict[str, dict] = defaultdict(lambda: {s: [] for s in ("people", "organisations", "posts", "salaries", "events")})
    for aid, kind, name in con.execute("""
        SELECT DISTINCT m.article_id, m.entity_type, coalesce(p.name, o.name)
        FROM mentions m LEFT JOIN people p ON m.entity_type = 'PERSON' AND p.person_id = m.entity_id
                        LEFT JOIN organisations o ON m.entity_type = 'ORG' AND o.org_id = m.entity_id
        ORDER BY 1, 3""").fetchall():
        out[aid]["people" if kind == "PERSON" else "organisations"].append(name)
    for aid, title, org, person in con.execute(
            "SELECT article_id, title, organisation, person FROM posts "
            "ORDER BY article_id, start_char, title, organisation, person").fetchall():
        out[aid]["posts"].append({"title": title, "organisation": org, "person": person})
    for aid, post, low, high in con.execute(
            "SELECT article_id, post, amount_gbp, amount_gbp_max FROM salaries ORDER BY article_id, start_char").fetchall():
        out[aid]["salaries"].append({"amount_gbp": low, "amount_gbp_max": high, "post": post})
    for aid, kind, post, org, person, interim, when in con.execute("""
            SELECT article_id, event_type, post, organisation, person, interim, event_date
            FROM events  -- ties (two events from one cue) in a fixed order, so a figure never flips between runs
            ORDER BY article_id, start_char, event_type, post, organisation, person""").fetchall():
        out[aid]["events"].append({"type": kind, "post": post, "organisation": org, "person": person,
                                   "interim": interim, "date": when.isoformat() if when else None})
    return dict(out)


@dataclass
class PagesReport:
    """What extraction made of pages that hold no failed recruitment."""

    pages: int = 0
    articles: int = 0
    events: list[dict] = field(default_factory=list)
    alerts: int = 0  # rows of the no_appointment_alerts view: what the feed would publish

    def by_type(self) -> Counter:
        return Counter(e["type"] for e in self.events)


def false_alarms(folder: Path, *, model: str | None = None) -> PagesReport:
    """Reads *folder*'s pages (.html, or .html.gz as saved by a crawler) through the same path
    as `postwatch ingest` of a folder, and lists every event and alert they gave."""
    with tempfile.TemporaryDirectory(prefix="postwatch-pages-") as tmp:
        pages = _plain_pages(folder, Path(tmp) / folder.name)
        count = sum(1 for _ in pages.iterdir())
        con = connect(Path(tmp) / "pages.duckdb")
        try:
            stats = process_items(iter_archive(pages), con, model=model)
            rows = con.execute("""
                SELECT e.event_type, e.post, e.organisation, e.person, e.in_scope, e.sentence, a.url
                FROM events e JOIN articles a USING (article_id) ORDER BY a.url, e.start_char""").fetchall()
            alerts = con.execute("SELECT count(*) FROM no_appointment_alerts").fetchone()[0]
        finally:
            con.close()
    events = [dict(zip(("type", "post", "organisation", "person", "in_scope", "sentence", "url"), r)) for r in rows]
    return PagesReport(pages=count, articles=stats.seen, events=events, alerts=alerts)


def _plain_pages(folder: Path, out: Path) -> Path:
    """The folder's pages as plain .html files (gzip ones unpacked), so the archive reader
    sees them exactly as it sees a folder a user saved."""
    out.mkdir(parents=True)
    for page in sorted(folder.rglob("*")):
        if page.name.endswith(".html.gz"):
            (out / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
        elif page.suffix.lower() in {".html", ".htm"}:
            (out / page.name).write_bytes(page.read_bytes())
    return out


def format_pages(report: PagesReport, title: str, *, listing: bool = False) -> str:
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.by_type().items())) or "none"
    outside = sum(1 for e in report.events if not e["in_scope"])
    lines = [f"{title} ({report.pages} pages, {report.articles} read as articles)",
             f"events          {len(report.events):>6d}  ({kinds}; {outside} marked outside health and care)",
             f"alerts          {report.alerts:>6d}  NO_APPOINTMENT alerts the feed would publish (all false here)"]
    if listing:
        lines += [f"  {e['type']:<15}{'' if e['in_scope'] else '(out) '}{e['post'] or '-'} | {e['organisation'] or '-'} | "
                  f"{e['person'] or '-'} | "
                  f"{' '.join(e['sentence'].split())[:140]}" for e in report.events]
    return "\n".join(lines)
