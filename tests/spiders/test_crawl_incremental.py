"""Incremental crawling, end to end: a 50-article demo site on 127.0.0.1 is crawled,
loaded into a real DuckDB file, then crawled again with the warehouse's knowledge.

The second crawl of the unchanged site is a full pass (``recheck="all"``; without it
the revisit policy would not ask for the articles at all, see test_revisit.py): it must
fetch only listing pages, feeds, sitemaps and the like in full; every article is asked
for conditionally, answers 304, is marked seen, and nothing is extracted again. Then
one story is edited on the site: the third crawl fetches that one in full and it alone
is re-extracted.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from pipeline.demo.site import DemoSite
from pipeline.process import process_items
from spiders.run import run_crawl
from warehouse.crawl_state import export_known, mark_seen, refresh_validators
from warehouse.db import connect

pytestmark = pytest.mark.slow
COUNT = 50
TIMEOUT = 120

GIVEN = ["Orla", "Benedikt", "Yusra", "Caspian", "Imelda", "Tobiah", "Saoirse", "Lucan", "Ottilie", "Ravi"]
FAMILY = ["Pennywhistle", "Carraway", "Oduya", "Strathearn", "Bellweather", "Monkhouse", "Adeyemi-Frost",
          "Quarrington", "Lockerbie-Hale", "Vantongeren"]
BODIES = ["Thornbury Vale NHS Foundation Trust", "Upper Ashdown Community Health Services",
          "Greyfriars Cross Integrated Care Board", "Millbeck and Orrin Hospitals NHS Trust",
          "Castlemere Partnership NHS Trust"]
POSTS = ["director of nursing", "chief people officer", "chief digital officer", "deputy chief executive",
         "director of estates"]


def story(i: int) -> dict:
    """An invented trade-press story; every one differs in headline and text."""
    who = f"{GIVEN[i % 10]} {FAMILY[(i * 3 + i // 10) % 10]}"
    body, post = BODIES[i % 5], POSTS[(i // 5) % 5]
    paragraphs = [
        f"{who} has been confirmed as {post} at {body} in story number {i}, ending a search that began "
        f"in the spring when the previous postholder left for a national role.",
        f"The board heard that {who.split()[0]} had led a turnaround of theatre productivity at a "
        f"neighbouring organisation and had chaired the regional workforce group for {2 + i % 6} years.",
        f"Papers for the meeting show the organisation expects an underlying deficit of {5 + i} million pounds "
        f"this year and is working with the regional team on a recovery plan for its planned care backlog.",
        f"A spokesperson said the appointment would give the executive team the stability it needed "
        f"before winter, and that interviews for two further director posts would follow shortly.",
    ]
    return {"id": f"inc-{i:03d}", "url": f"https://trade.example/people/story-{i}", "title":
            f"{body} confirms {who} as {post} (report {i})", "published": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "text": "\n\n".join(paragraphs)}


@pytest.fixture(scope="module")
def site():
    with DemoSite([story(i) for i in range(COUNT)]) as running:
        yield running


def article_paths(site: DemoSite) -> set[str]:
    return {urlsplit(a["url"]).path for a in (story(i) for i in range(COUNT))}


@pytest.fixture(scope="module")
def crawls(site, tmp_path_factory):
    """First crawl, load, second crawl with the warehouse's known articles, load again."""
    root = tmp_path_factory.mktemp("incremental")
    con = connect(root / "warehouse.duckdb")
    site.requests.clear()
    first = run_crawl([site.url + "/"], root / "first", timeout=TIMEOUT)
    first_hits = list(site.requests)
    first_load = process_items((dict(a) for a in first.iter_articles()), con)

    known = root / "known.jsonl"
    exported = export_known(con, known)  # the warehouse is the crawl state
    before = {url: rest for url, *rest in con.execute("SELECT url, first_seen, extracted_at FROM articles").fetchall()}
    site.requests.clear()
    second = run_crawl([site.url + "/"], root / "second", timeout=TIMEOUT, known=known, recheck="all")
    second_hits = list(site.requests)
    seen_at = datetime.now(timezone.utc)
    mark_seen(con, second.iter_not_modified(), seen_at)
    second_load = process_items((dict(a) for a in second.iter_articles()), con)
    print(f"\nincremental crawl of a {COUNT}-article site: first crawl {first.stats['downloader/request_count']} "
          f"requests, second crawl {second.stats['downloader/request_count']} requests "
          f"({second.stats.get('downloader/response_status_count/304', 0)} answered 304 Not Modified)")
    yield {"con": con, "first": first, "second": second, "first_hits": first_hits, "second_hits": second_hits,
           "first_load": first_load, "second_load": second_load, "known": known, "before": before,
           "seen_at": seen_at, "root": root, "exported": exported}
    con.close()


def test_first_crawl_stores_every_article(crawls):
    assert crawls["first"].ok
    assert crawls["first_load"].new == COUNT
    assert crawls["exported"] == COUNT


def test_second_crawl_fetches_no_article_in_full(crawls, site):
    paths = article_paths(site)
    full = [hit.path for hit in crawls["second_hits"] if hit.path in paths and hit.status == 200]
    assert full == []
    asked = {hit.path for hit in crawls["second_hits"] if hit.path in paths and hit.status == 304}
    assert asked == paths
    assert all(hit.if_none_match for hit in crawls["second_hits"] if hit.status == 304)


def test_second_crawl_fetches_listing_pages_feeds_and_sitemaps(crawls):
    fetched = {hit.path for hit in crawls["second_hits"] if hit.status == 200}
    assert {"/", "/news", "/feed.rss", "/sitemap.xml", "/sitemap-news-1.xml", "/robots.txt"} <= fetched


def test_second_crawl_reports_every_article_not_modified(crawls, site):
    second = crawls["second"]
    assert sorted(second.iter_not_modified()) == sorted(site.url + p for p in article_paths(site))
    assert list(second.iter_articles()) == []
    assert second.stats["downloader/response_status_count/304"] == COUNT
    assert second.stats["postwatch/not_modified"] == COUNT


def test_second_crawl_downloads_every_article_body_fewer(crawls):
    first, second = crawls["first"].stats, crawls["second"].stats
    assert second["downloader/request_count"] == first["downloader/request_count"]
    assert second["downloader/response_status_count/200"] == first["downloader/response_status_count/200"] - COUNT
    assert second["downloader/response_bytes"] < first["downloader/response_bytes"] / 2


def test_nothing_is_extracted_again(crawls):
    load = crawls["second_load"]
    assert (load.new, load.changed) == (0, 0)
    after = dict(crawls["con"].execute("SELECT url, extracted_at FROM articles").fetchall())
    assert after == {url: extracted_at for url, (_, extracted_at) in crawls["before"].items()}


def test_not_modified_articles_are_marked_seen(crawls):
    rows = crawls["con"].execute("SELECT url, first_seen, last_seen FROM articles").fetchall()
    seen_at = crawls["seen_at"].astimezone(timezone.utc).replace(tzinfo=None)
    assert len(rows) == COUNT
    for url, first_seen, last_seen in rows:
        assert last_seen == seen_at
        assert first_seen == crawls["before"][url][0] < last_seen


def test_edited_article_is_fetched_and_extracted_again(crawls, site):
    path = urlsplit(story(7)["url"]).path
    site.edit(path, text=story(7)["text"].replace("stability it needed", "steadiness it wanted"))
    site.requests.clear()
    third = run_crawl([site.url + "/"], crawls["root"] / "third", timeout=TIMEOUT, known=crawls["known"],
                      recheck="all")
    paths = article_paths(site)
    full = [hit.path for hit in site.requests if hit.path in paths and hit.status == 200]
    assert full == [path]
    assert [item["url"] for item in third.iter_articles()] == [site.url + path]
    assert len(list(third.iter_not_modified())) == COUNT - 1
    load = process_items((dict(a) for a in third.iter_articles()), crawls["con"])
    assert (load.new, load.changed, load.unchanged) == (0, 1, 0)
    text = crawls["con"].execute("SELECT text FROM articles WHERE url = ?", [site.url + path]).fetchone()[0]
    assert "steadiness it wanted" in text


def test_export_known_lists_every_stored_web_article(crawls, tmp_path):
    out = tmp_path / "known.jsonl"
    assert export_known(crawls["con"], out) == COUNT
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["url"] for r in records) == sorted(a["url"] for a in crawls["first"].iter_articles())
    assert all({"url", "etag", "last_modified"} <= set(r) for r in records)


def test_export_known_carries_the_validators_the_crawl_saw(crawls, tmp_path):
    out = tmp_path / "known.jsonl"
    export_known(crawls["con"], out)
    exported = {r["url"]: (r["etag"], r["last_modified"])
                for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    crawled = {a["url"]: (a["etag"], a["last_modified"]) for a in crawls["first"].iter_articles()}
    unedited = [url for url in crawled if not url.endswith("/story-7")]  # story 7 was edited since
    assert {url: exported[url] for url in unedited} == {url: crawled[url] for url in unedited}


def test_mark_seen_touches_only_the_given_urls(crawls):
    con = crawls["con"]
    [url] = [u for (u,) in con.execute("SELECT url FROM articles ORDER BY url LIMIT 1").fetchall()]
    later = datetime(2031, 5, 4, 12, 0, tzinfo=timezone.utc)
    mark_seen(con, [url, "https://nowhere.example/x"], later)
    assert con.execute("SELECT count(*) FROM articles WHERE last_seen = ?", [later.replace(tzinfo=None)]).fetchone()[0] == 1


def test_refresh_validators_updates_unchanged_articles_only(crawls):
    con = crawls["con"]
    items = sorted((dict(a) for a in crawls["first"].iter_articles()), key=lambda a: a["url"])[:2]
    unchanged, changed = items
    unchanged["etag"] = '"markup-around-it-changed"'
    changed["etag"], changed["content_hash"] = '"text-changed"', "0" * 64
    assert refresh_validators(con, [unchanged, changed]) == 1
    stored = dict(con.execute("SELECT url, etag FROM articles WHERE url IN (?, ?)",
                              [unchanged["url"], changed["url"]]).fetchall())
    assert stored[unchanged["url"]] == '"markup-around-it-changed"'
    assert stored[changed["url"]] != '"text-changed"'
    assert refresh_validators(con, [unchanged]) == 0  # already current
