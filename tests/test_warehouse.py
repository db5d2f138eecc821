"""The warehouse: schema safe to re-apply, loads that replace an article's rows in one
transaction, and a failed load that leaves what was there before untouched."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.db import WarehouseError, connect
from warehouse.load import Batch, load_batch

ARTICLE = {"article_id": "a1", "url": "https://n.test/a1", "title": "T", "published": None, "source": "n.test",
           "text": "body", "content_hash": "h1", "fetched_at": None, "first_seen": None, "last_seen": None,
           "extracted_at": None}


def _event(event_type: str | None, event_id: str = "e1") -> dict:
    return {"event_id": event_id, "article_id": "a1", "event_type": event_type, "post": "chief executive",
            "organisation": None, "person": None, "interim": False, "event_date": None, "sentence": "s",
            "start_char": 0, "end_char": 1}


def _batch(*events: dict, content_hash: str = "h1") -> Batch:
    batch = Batch()
    batch.add({**ARTICLE, "content_hash": content_hash}, {"people": [], "organisations": [], "mentions": [],
                                                          "posts": [], "salaries": [], "events": list(events)})
    return batch


def test_schema_can_be_applied_twice(tmp_path):
    connect(tmp_path / "w.duckdb").close()
    con = connect(tmp_path / "w.duckdb")
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    con.close()


def test_reloading_an_article_replaces_its_rows(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, _batch(_event("VACANCY", "e1"), _event("NO_APPOINTMENT", "e2")))
    load_batch(con, _batch(_event("VACANCY", "e1"), content_hash="h2"))
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert con.execute("SELECT event_type FROM events").fetchall() == [("VACANCY",)]
    assert con.execute("SELECT content_hash FROM articles").fetchone()[0] == "h2"


def test_a_failed_load_keeps_what_was_there(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, _batch(_event("VACANCY")))
    with pytest.raises(duckdb.ConstraintException):
        load_batch(con, _batch(_event("VACANCY"), _event(None, "bad"), content_hash="h2"))  # NOT NULL breaks mid-load
    assert con.execute("SELECT content_hash FROM articles").fetchall() == [("h1",)]
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_read_only_open_of_a_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseError, match="no warehouse at .*; run `postwatch crawl URL` or `postwatch ingest PATH` first"):
        connect(tmp_path / "none.duckdb", read_only=True)
