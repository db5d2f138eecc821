"""`postwatch evaluate`: load a gold file into a throwaway warehouse through the normal
path, read the predictions back out of DuckDB, and score them as GOLD_FORMAT.md says."""

from __future__ import annotations

import tempfile
from collections import defaultdict
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
            "SELECT article_id, title, organisation, person FROM posts ORDER BY article_id, start_char").fetchall():
        out[aid]["posts"].append({"title": title, "organisation": org, "person": person})
    for aid, post, low, high in con.execute(
            "SELECT article_id, post, amount_gbp, amount_gbp_max FROM salaries ORDER BY article_id, start_char").fetchall():
        out[aid]["salaries"].append({"amount_gbp": low, "amount_gbp_max": high, "post": post})
    for aid, kind, post, org, person, interim, when in con.execute("""
            SELECT article_id, event_type, post, organisation, person, interim, event_date
            FROM events ORDER BY article_id, start_char""").fetchall():
        out[aid]["events"].append({"type": kind, "post": post, "organisation": org, "person": person,
                                   "interim": interim, "date": when.isoformat() if when else None})
    return dict(out)
