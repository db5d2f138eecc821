"""Real crawls: `python -m spiders.run` in a subprocess (via run_crawl) against the live
demo site on 127.0.0.1. Each crawl runs once per module; the tests read its results."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spiders import settings
from spiders.run import CrawlOutput, run_crawl

pytestmark = pytest.mark.slow
TIMEOUT = 120


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expected_urls(site, articles) -> list[str]:
    return sorted(site.url + urlsplit(a["url"]).path for a in articles)


def crawl(tmp_path_factory, site, start: str, **kwargs) -> CrawlOutput:
    workdir = tmp_path_factory.mktemp("crawl")
    site.requests.clear()
    output = run_crawl([site.url + start if start.startswith("/") else start], workdir, timeout=TIMEOUT, **kwargs)
    assert output.returncode == 0, output.stderr_tail
    return output


@pytest.fixture(scope="module")
def home_crawl(tmp_path_factory, demo_site):
    output = crawl(tmp_path_factory, demo_site, "/")
    return output, list(demo_site.requests)


@pytest.fixture(scope="module")
def listing_crawl(tmp_path_factory, demo_site):
    return crawl(tmp_path_factory, demo_site, "/news?page=1")


@pytest.fixture(scope="module")
def feed_crawl(tmp_path_factory, demo_site):
    output = crawl(tmp_path_factory, demo_site, "/feed.rss")
    return output, list(demo_site.requests)


@pytest.fixture(scope="module")
def sitemap_crawl(tmp_path_factory, demo_site):
    output = crawl(tmp_path_factory, demo_site, "/sitemap.xml")
    return output, list(demo_site.requests)


@pytest.fixture(scope="module")
def failing_crawl(tmp_path_factory, demo_site):
    workdir = tmp_path_factory.mktemp("crawl")
    dead = f"http://127.0.0.1:{closed_port()}/news"
    output = run_crawl([dead, demo_site.url + "/no-such-page"], workdir, timeout=TIMEOUT)
    return output, dead


# -- every entry point finds every article, once ------------------------------------------
def test_from_home_page_finds_every_article_once(home_crawl, demo_site, articles):
    output, _ = home_crawl
    assert sorted(item["url"] for item in output.iter_articles()) == expected_urls(demo_site, articles)


def test_from_listing_page_finds_every_article_once(listing_crawl, demo_site, articles):
    assert sorted(item["url"] for item in listing_crawl.iter_articles()) == expected_urls(demo_site, articles)


def test_from_feed_finds_every_article_once(feed_crawl, demo_site, articles):
    output, _ = feed_crawl
    assert sorted(item["url"] for item in output.iter_articles()) == expected_urls(demo_site, articles)


def test_from_sitemap_index_finds_every_article_once(sitemap_crawl, demo_site, articles):
    output, _ = sitemap_crawl
    assert sorted(item["url"] for item in output.iter_articles()) == expected_urls(demo_site, articles)


# -- ...and found them through the feed / sitemap, not by wandering the site --------------
def test_feed_entries_are_requested_from_the_feed(feed_crawl, demo_site, articles):
    _, hits = feed_crawl
    first_referer = {}
    for hit in hits:
        first_referer.setdefault(hit.path, hit.referer)
    assert {first_referer[urlsplit(a["url"]).path] for a in articles} == {demo_site.url + "/feed.rss"}


def test_sitemap_index_is_followed_to_the_news_sitemap(sitemap_crawl, demo_site, articles):
    _, hits = sitemap_crawl
    first_referer = {}
    for hit in hits:
        first_referer.setdefault(hit.path, hit.referer)
    assert first_referer["/sitemap-news-1.xml"] == demo_site.url + "/sitemap.xml"
    assert {first_referer[urlsplit(a["url"]).path] for a in articles} == {demo_site.url + "/sitemap-news-1.xml"}


# -- what the stored items look like --------------------------------------------------------
def test_stored_articles_match_the_source(home_crawl, demo_site, articles):
    output, _ = home_crawl
    by_url = {item["url"]: item for item in output.iter_articles()}
    for article in articles:
        item = by_url[demo_site.url + urlsplit(article["url"]).path]
        assert (item["title"], item["published"], item["text"]) == (article["title"], article["published"], article["text"])


def test_stored_articles_are_stamped(home_crawl):
    output, _ = home_crawl
    item = next(output.iter_articles())
    assert item["source"] == "127.0.0.1"
    assert len(item["content_hash"]) == 64
    assert item["fetched_at"].endswith("+00:00")
    assert item["etag"].startswith('"')


def test_a_clean_site_gives_no_crawl_errors(home_crawl):
    output, _ = home_crawl
    assert list(output.iter_errors()) == []


# -- politeness -------------------------------------------------------------------------------
def test_robots_txt_is_fetched_and_obeyed(home_crawl):
    _, hits = home_crawl
    paths = [hit.path for hit in hits]
    assert paths[0] == "/robots.txt"
    assert not any(path.startswith("/admin/") for path in paths)


def test_requests_identify_postwatch(home_crawl):
    _, hits = home_crawl
    assert {hit.user_agent for hit in hits} == {settings.USER_AGENT}
    assert settings.USER_AGENT.startswith("postwatch/0.1 (+http")


def test_crawl_log_has_no_deprecation_warnings(home_crawl):
    output, _ = home_crawl
    assert "Deprecat" not in output.log_path.read_text(encoding="utf-8")


def test_max_pages_limits_the_crawl(tmp_path_factory, demo_site, articles):
    output = crawl(tmp_path_factory, demo_site, "/", max_pages=5)
    assert 0 < len(list(output.iter_articles())) < len(articles)


# -- failures become error items ----------------------------------------------------------------
def test_unreachable_start_url_is_an_unreachable_error(failing_crawl):
    output, dead = failing_crawl
    errors = [e for e in output.iter_errors() if e["url"] == dead]
    assert [(e["kind"], e["status"]) for e in errors] == [("unreachable", None)]


def test_missing_page_is_an_http_404_error(failing_crawl, demo_site):
    output, _ = failing_crawl
    errors = [e for e in output.iter_errors() if e["url"] == demo_site.url + "/no-such-page"]
    assert [(e["kind"], e["status"], e["message"]) for e in errors] == [("http_404", 404, "HTTP 404 Not Found")]


def test_failed_pages_do_not_fail_the_run(failing_crawl):
    output, _ = failing_crawl
    assert output.ok
    assert list(output.iter_articles()) == []


# -- the command line -----------------------------------------------------------------------------
def test_run_crawl_rejects_non_web_urls(tmp_path):
    with pytest.raises(ValueError, match="not an http"):
        run_crawl(["ftp://example.org/"], tmp_path)


def test_cli_rejects_non_web_urls(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spiders.run", "--items", str(tmp_path / "i"), "--errors", str(tmp_path / "e"),
         "example.org"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=60,
    )
    assert result.returncode == 2
    assert "not an http(s) URL: 'example.org'" in result.stderr


def test_run_crawl_rejects_a_missing_known_file(tmp_path):
    with pytest.raises(ValueError, match="no known-articles file"):
        run_crawl(["http://127.0.0.1:9/"], tmp_path, known=tmp_path / "absent.jsonl")


@pytest.mark.parametrize(("extra", "message"), [
    (["--set", "DOWNLOAD_TIMEOUT=soon"], "--set 'DOWNLOAD_TIMEOUT=soon': the value after = must be JSON"),
    (["--known", "absent.jsonl"], "no known-articles file at absent.jsonl"),
])
def test_cli_names_bad_options_in_one_line(tmp_path, extra, message):
    result = subprocess.run(
        [sys.executable, "-m", "spiders.run", "--items", str(tmp_path / "i"), "--errors", str(tmp_path / "e"),
         *extra, "http://127.0.0.1:9/"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_stats_are_written_and_read_back(home_crawl):
    output, hits = home_crawl
    stats = output.stats
    assert stats["downloader/request_count"] == len(hits)
    assert stats["downloader/response_status_count/200"] >= 23
    assert stats["finish_reason"] == "finished"
    assert list(output.iter_not_modified()) == []
