"""The warehouse: schema safe to re-apply, loads that replace an article's rows in one
transaction, and a failed load that leaves what was there before untouched."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.db import LATEST_VERSION, MIGRATIONS, WarehouseError, connect, schema_version
from warehouse.load import Batch, load_batch
from warehouse.rows import org_id, person_id

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
    assert con.execute("SELECT list(version ORDER BY version) FROM schema_version").fetchall()[0][0] == sorted(MIGRATIONS)
    con.close()


def _version_1_warehouse(path) -> None:
    """A warehouse as the first release wrote it: migration 001 only, with rows in it."""
    con = duckdb.connect(str(path))
    con.execute(MIGRATIONS[1].read_text())
    con.execute("INSERT INTO articles (article_id, url, text) VALUES ('a1', 'https://n.test/a1', 'body')")
    con.execute("INSERT INTO people VALUES ('p1', 'Ada Quillon'), ('p2', 'Bo Renn')")
    con.execute("INSERT INTO events (event_id, article_id, event_type, post, person) VALUES "
                "('e1', 'a1', 'APPOINTMENT', 'chief nurse', 'Ada Quillon'), ('e2', 'a1', 'DEPARTURE', 'chair', 'Bo Renn')")
    con.close()


def test_an_older_warehouse_upgrades_on_open_and_keeps_its_rows(tmp_path):
    _version_1_warehouse(tmp_path / "old.duckdb")
    con = connect(tmp_path / "old.duckdb")
    assert schema_version(con) == LATEST_VERSION
    assert con.execute("SELECT event_id, person_id FROM events ORDER BY event_id").fetchall() == [("e1", "p1"), ("e2", "p2")]
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
    assert con.execute("SELECT person, change FROM post_history ORDER BY person").fetchall() == [
        ("Ada Quillon", "arrived"), ("Bo Renn", "left")]


def test_read_only_open_of_an_older_warehouse_names_the_upgrade(tmp_path):
    _version_1_warehouse(tmp_path / "old.duckdb")
    with pytest.raises(WarehouseError, match=r"has schema version 1 .* run `postwatch upgrade --db .*old.duckdb` once"):
        connect(tmp_path / "old.duckdb", read_only=True)


def test_a_person_or_organisation_has_one_id_under_any_name():
    assert person_id("Dr Ada Quillon") == person_id("ada quillon") == person_id("Professor Dame Ada Quillon")
    assert person_id("Ada Quillon") != person_id("Ada Quillon-Marsh")
    assert org_id("CQC") == org_id("the Care Quality Commission")
    assert org_id(None) is None


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
