"""The revisit policy: which known articles a crawl fetches again, and why.

Unit tests of spiders/revisit.py, then real crawls of a demo site on 127.0.0.1 that
sends no validators (no ETag, no Last-Modified, never a 304), loaded into a real
DuckDB file between crawls: the second crawl of the unchanged site must fetch no
article, ``--recheck all`` every one, and an edit announced by the sitemap's
``<lastmod>`` only the edited one.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from pipeline.demo.site import DemoSite
from pipeline.process import process_items
from spiders.revisit import KnownArticle, RevisitPolicy, parse_schedule, parse_time
from spiders.run import run_crawl
from warehouse.crawl_state import export_known, record_revisits
from warehouse.db import connect

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)
URL = "https://news.example.org/story"
TIMEOUT = 120


def policy(stored: KnownArticle | None = None, **kwargs) -> RevisitPolicy:
    return RevisitPolicy({URL: stored} if stored else {}, parse_schedule("1h,1d,7d"), now=NOW, **kwargs)


def test_schedule_is_read_in_order():
    assert parse_schedule("7d, 1h,1d") == (timedelta(hours=1), timedelta(days=1), timedelta(days=7))
    assert parse_schedule("never") == ()


def test_bad_schedule_step_names_the_setting():
    with pytest.raises(ValueError, match="'soon' is not like 30m, 1h, 1d or 2w; set POSTWATCH_REVISIT_AFTER"):
        parse_schedule("1h,soon")


def test_times_from_sitemaps_feeds_and_the_warehouse_are_utc():
    assert parse_time("2030-06-01") == datetime(2030, 6, 1, tzinfo=timezone.utc)
    assert parse_time("2030-06-01T14:00:00+02:00") == datetime(2030, 6, 1, 12, tzinfo=timezone.utc)
    assert parse_time("Sat, 01 Jun 2030 12:00:00 GMT") == NOW
    assert parse_time("yesterday") is None


def test_new_article_is_fetched_as_new():
    assert policy().reason_to_fetch(URL) == "new"


def test_known_article_without_reason_is_left_alone():
    stored = KnownArticle(fetched_at=NOW - timedelta(minutes=5), first_seen=NOW - timedelta(minutes=5),
                          next_due=NOW + timedelta(minutes=55))
    assert policy(stored).reason_to_fetch(URL, parse_time("2030-05-01")) is None


def test_newer_lastmod_or_feed_update_is_a_reason():
    stored = KnownArticle(NOW - timedelta(hours=2), NOW - timedelta(days=3), None)
    assert policy(stored).reason_to_fetch(URL, NOW - timedelta(hours=1)) == "lastmod"
    assert policy(stored).reason_to_fetch(URL, NOW - timedelta(hours=1), "updated") == "updated"


def test_lastmod_in_the_future_is_no_signal():
    stored = KnownArticle(NOW - timedelta(hours=2), NOW - timedelta(days=3), None)
    assert policy(stored).reason_to_fetch(URL, NOW + timedelta(days=2)) is None


def test_due_article_is_fetched_on_schedule_and_recheck_fetches_all():
    stored = KnownArticle(NOW - timedelta(hours=2), NOW - timedelta(hours=2), NOW - timedelta(minutes=1))
    assert policy(stored).reason_to_fetch(URL) == "scheduled"
    quiet = KnownArticle(NOW, NOW, None)
    assert policy(quiet, recheck_all=True).reason_to_fetch(URL) == "recheck"


def test_next_due_decays_from_when_the_article_first_appeared():
    assert policy().next_due(URL, None) == NOW + timedelta(hours=1)
    seen = KnownArticle(NOW, NOW - timedelta(hours=3), None)
    assert policy(seen).next_due(URL, None) == NOW - timedelta(hours=3) + timedelta(days=1)
    assert policy().next_due(URL, "2030-05-31") == datetime(2030, 6, 1, tzinfo=timezone.utc) + timedelta(days=6)
    assert policy().next_due(URL, "2029-01-01") is None  # an archive story: only a signal brings it back
    answered_304 = KnownArticle(NOW, NOW - timedelta(days=2), None, published="2029-01-01")
    assert policy(answered_304).next_due(URL, None) is None  # the stored day counts when the page is not read


# -- real crawls of a site without validators ---------------------------------------------
@pytest.fixture(scope="module")
def bare_site(articles):
    with DemoSite(articles, validators=False) as running:
        yield running


def article_hits(site: DemoSite) -> list[str]:
    paths = {a["path"] for a in site.articles}
    return [hit.path for hit in site.requests if hit.path in paths and hit.status == 200]


def crawl_and_load(site, con, workdir, **options):
    known = workdir.parent / f"{workdir.name}-known.jsonl"
    export_known(con, known)
    site.requests.clear()
    output = run_crawl([site.url + "/"], workdir, timeout=TIMEOUT, known=known, **options)
    assert output.ok, output.stderr_tail
    process_items((dict(a) for a in output.iter_articles()), con)
    record_revisits(con, output.iter_fetched())
    return output, article_hits(site)


@pytest.fixture(scope="module")
def revisits(bare_site, tmp_path_factory):
    root = tmp_path_factory.mktemp("revisit")
    con = connect(root / "warehouse.duckdb")
    first, first_hits = crawl_and_load(bare_site, con, root / "first")
    second, second_hits = crawl_and_load(bare_site, con, root / "second")
    print(f"\nsite without validators, {len(bare_site.articles)} articles: first crawl fetched {len(first_hits)} "
          f"articles in {first.stats['downloader/request_count']} requests, the second {len(second_hits)} in "
          f"{second.stats['downloader/request_count']}")
    yield {"con": con, "root": root, "first": first, "second": second, "first_hits": first_hits,
           "second_hits": second_hits}
    con.close()


def test_first_crawl_fetches_every_article_as_new(revisits, bare_site):
    assert sorted(revisits["first_hits"]) == sorted(a["path"] for a in bare_site.articles)
    reasons = revisits["con"].execute("SELECT DISTINCT fetch_reason FROM articles").fetchall()
    assert reasons == [("new",)]


def test_site_sends_no_validators(revisits):
    assert all(a["etag"] is None and a["last_modified"] is None for a in revisits["first"].iter_articles())


def test_second_crawl_of_unchanged_site_fetches_no_article(revisits, bare_site):
    assert revisits["second_hits"] == []
    assert sorted(revisits["second"].iter_left_alone()) == sorted(bare_site.url + a["path"] for a in bare_site.articles)
    stats = revisits["second"].stats
    assert stats["postwatch/revisit/skipped"] >= len(revisits["first_hits"])
    assert stats["downloader/request_count"] < revisits["first"].stats["downloader/request_count"] / 2


def test_second_crawl_still_fetches_the_entry_points(revisits, bare_site):
    fetched = {hit.path for hit in bare_site.requests if hit.status == 200}
    assert {"/", "/news", "/feed.rss", "/sitemap.xml", "/sitemap-news-1.xml", "/robots.txt"} <= fetched


def test_articles_record_when_they_are_next_due(revisits):
    rows = revisits["con"].execute("SELECT published, first_seen, next_due FROM articles").fetchall()
    for published, first_seen, next_due in rows:
        if published is not None:  # fixture stories are from 2024: every revisit point has passed
            assert next_due is None
        else:  # first seen just now: due an hour after the crawl saw it (just before it was loaded)
            assert timedelta(minutes=50) < next_due - first_seen <= timedelta(hours=1)


def test_lastmod_newer_than_our_fetch_brings_back_only_that_article(revisits, bare_site):
    path = bare_site.articles[3]["path"]
    bare_site.edit(path, text=bare_site.articles[3]["text"] + "\n\nA correction was added to this report.")
    output, hits = crawl_and_load(bare_site, revisits["con"], revisits["root"] / "edited")
    assert hits == [path]
    reason = revisits["con"].execute("SELECT fetch_reason FROM articles WHERE url = ?", [bare_site.url + path])
    assert reason.fetchone() == ("lastmod",)


def test_recheck_all_fetches_every_known_article(revisits, bare_site):
    output, hits = crawl_and_load(bare_site, revisits["con"], revisits["root"] / "recheck", recheck="all")
    assert sorted(hits) == sorted(a["path"] for a in bare_site.articles)
    assert {r for (r,) in revisits["con"].execute("SELECT fetch_reason FROM articles").fetchall()} == {"recheck"}


def test_export_known_carries_revisit_times(revisits, tmp_path):
    out = tmp_path / "known.jsonl"
    export_known(revisits["con"], out)
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(record) == {"url", "etag", "last_modified", "fetched_at", "first_seen", "next_due", "published"}
    assert parse_time(record["fetched_at"]) <= datetime.now(timezone.utc)
    assert urlsplit(record["url"]).scheme == "http"
