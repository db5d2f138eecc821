"""The whole path, every part real: the bundled demo site served on 127.0.0.1, a Scrapy
crawl in a subprocess, spaCy, a DuckDB file and Prefect flow runs under the test harness."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import duckdb
import feedparser
import pytest

from pipeline.demo.site import DemoSite, load_gold_articles
from pipeline.flows import crawl_flow

pytestmark = pytest.mark.slow
TABLES = ("articles", "people", "organisations", "mentions", "posts", "salaries", "events")


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load_gold_articles()


@pytest.fixture(scope="module")
def crawled(prefect, gold, tmp_path_factory) -> dict:
    """Crawls the demo site twice into one warehouse and keeps the counts after each run."""
    db = tmp_path_factory.mktemp("e2e") / "warehouse.duckdb"
    feed = db.with_name("alerts.xml")
    with DemoSite(gold) as site:
        first = crawl_flow([site.url + "/"], str(db), str(feed))
        counts_first = _counts(db)
        second = crawl_flow([site.url + "/"], str(db), str(feed))
        counts_second = _counts(db)
    return {"db": db, "feed": feed, "first": first, "second": second,
            "counts_first": counts_first, "counts_second": counts_second}


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_every_demo_article_lands_once(crawled, gold):
    con = duckdb.connect(str(crawled["db"]), read_only=True)
    paths = {urlparse(u).path for (u,) in con.execute("SELECT url FROM articles").fetchall()}
    con.close()
    assert paths == {urlparse(a["url"]).path for a in gold}
    assert crawled["counts_first"]["articles"] == len(gold)


def test_every_event_type_is_found(crawled):
    con = duckdb.connect(str(crawled["db"]), read_only=True)
    types = {t for (t,) in con.execute("SELECT DISTINCT event_type FROM events").fetchall()}
    orphans = con.execute("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT article_id FROM articles)").fetchone()[0]
    con.close()
    assert types == {"VACANCY", "APPOINTMENT", "NO_APPOINTMENT", "DEPARTURE"}
    assert orphans == 0


def test_rerun_changes_no_row_count(crawled):
    assert crawled["counts_second"] == crawled["counts_first"]
    assert crawled["second"].load.unchanged == crawled["first"].load.new


def test_feed_has_one_entry_per_failed_recruitment(crawled):
    con = duckdb.connect(str(crawled["db"]), read_only=True)
    events = con.execute("SELECT event_id, url FROM no_appointment_alerts").fetchall()
    con.close()
    parsed = feedparser.parse(str(crawled["feed"]))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert sorted(e.id for e in parsed.entries) == sorted(f"urn:postwatch:event:{eid}" for eid, _ in events)
    assert {e.link for e in parsed.entries} == {url for _, url in events}
    assert len(events) > 0


def test_second_crawl_leaves_unchanged_articles_alone_instead_of_downloading_them(crawled, gold):
    second = crawled["second"]
    assert second.left_alone == len(gold)  # listed, no sign of change, not due: not fetched at all
    assert (second.load.new, second.load.changed) == (0, 0)
    assert second.requests <= crawled["first"].requests


def test_each_crawl_leaves_a_completed_run_row(crawled, gold):
    con = duckdb.connect(str(crawled["db"]), read_only=True)
    runs = con.execute("SELECT flow, status, articles_seen, articles_new, articles_unchanged FROM runs "
                       "ORDER BY started").fetchall()
    con.close()
    assert runs == [("postwatch-crawl", "COMPLETED", len(gold), len(gold), 0),
                    ("postwatch-crawl", "COMPLETED", len(gold), 0, len(gold))]


def test_each_crawl_keeps_its_scrapy_log_beside_the_warehouse(crawled):
    logs = Path(f"{crawled['db']}.logs")
    for run in ("first", "second"):
        kept = Path(crawled[run].crawl_log)
        assert kept.parent == logs and kept.name == f"crawl-{crawled[run].run_id}.log"
        assert "postwatch crawl finished" in kept.read_text(encoding="utf-8")
