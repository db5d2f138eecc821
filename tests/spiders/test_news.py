"""NewsSpider's parsing, in-process and without a reactor: responses are built by hand
and the spider's callbacks are called directly (fast; the real crawls are in
test_run.py)."""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from spiders.items import ArticleItem, CrawlErrorItem, NotModifiedItem
from spiders.news import LISTED_BY, OPTIONAL, START, NewsSpider, sniff

SITE = "https://news.example.org"

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://news.example.org/a?utm_source=rss</link></item>
<item><title>b</title><guid isPermaLink="true">https://news.example.org/b</guid></item>
<item><title>c</title><link>https://elsewhere.example.com/c</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>a</title><link rel="alternate" href="/a"/><link rel="edit" href="/edit/a"/></entry>
<entry><title>b</title><link href="https://www.news.example.org/b"/></entry>
</feed>"""

URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.org/a</loc><news:news><news:title>a</news:title></news:news></url>
<url><loc>https://news.example.org/b</loc></url></urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.org/sitemap-1.xml</loc></sitemap>
<sitemap><loc>https://cdn.elsewhere.example.com/sitemap-2.xml</loc></sitemap></sitemapindex>"""


@pytest.fixture
def spider() -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"DOWNLOAD_MAXSIZE": 10 * 1024 * 1024})
    return NewsSpider.from_crawler(crawler, urls=[SITE + "/"])


def response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", meta: dict | None = None,
             cls: type[Response] = TextResponse, status: int = 200) -> Response:
    kwargs = {"encoding": "utf-8"} if issubclass(cls, TextResponse) else {}
    return cls(url=url, body=body, status=status, headers={"Content-Type": content_type},
               request=Request(url, meta=meta or {}), **kwargs)


def requested(outputs) -> list[str]:
    return [o.url for o in outputs if isinstance(o, Request)]


def errors(outputs) -> list[CrawlErrorItem]:
    return [o for o in outputs if isinstance(o, CrawlErrorItem)]


# -- recognising what a response is --------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "expected"),
    [(RSS, "rss"), (ATOM, "feed"), (URLSET, "urlset"), (INDEX, "sitemapindex"),
     (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
     (b"# robots\nUser-agent: *\nDisallow: /admin/\n", "robots")],
    ids=["rss", "atom", "urlset", "sitemapindex", "html", "robots"],
)
def test_sniff_goes_by_content_not_url_or_content_type(body, expected):
    # Every body is served at the same misleading URL with the same wrong type.
    assert sniff(response(SITE + "/page.html", body, "text/plain"), body) == expected


def test_sniff_reports_binary_content_type():
    body = b"%PDF-1.7 ..."
    assert sniff(response(SITE + "/report", body, "application/pdf", cls=Response), body) == "application/pdf"


# -- feeds and sitemaps -------------------------------------------------------------------
def test_rss_items_are_requested_on_site_only_and_canonical(spider):
    outputs = list(spider.parse(response(SITE + "/feed", RSS, "application/rss+xml")))
    assert requested(outputs) == [SITE + "/a", SITE + "/b"]


def test_atom_entries_use_alternate_links_resolved_against_the_feed(spider):
    outputs = list(spider.parse(response(SITE + "/atom.xml", ATOM, "application/atom+xml")))
    assert requested(outputs) == [SITE + "/a", "https://www.news.example.org/b"]


def test_feed_entries_are_marked_as_listed_articles_whose_depth_counts_on(spider):
    request = next(iter(spider.parse(response(SITE + "/feed", RSS, "application/rss+xml"))))
    assert request.meta[LISTED_BY] == f"feed {SITE}/feed"
    assert "depth_reset" not in request.meta  # DEPTH_LIMIT holds for feed and sitemap entries


def test_news_sitemap_pages_are_requested(spider):
    outputs = list(spider.parse(response(SITE + "/sitemap-news.xml", URLSET, "application/xml")))
    assert requested(outputs) == [SITE + "/a", SITE + "/b"]


def test_sitemap_index_children_are_requested_on_site_only(spider):
    outputs = list(spider.parse(response(SITE + "/sitemap.xml", INDEX, "application/xml")))
    assert requested(outputs) == [SITE + "/sitemap-1.xml"]


def test_gzipped_sitemap_file_is_read(spider):
    body = gzip.compress(URLSET)
    outputs = list(spider.parse(response(SITE + "/sitemap.xml.gz", body, "application/gzip", cls=Response)))
    assert requested(outputs) == [SITE + "/a", SITE + "/b"]


def test_robots_txt_start_url_leads_to_its_sitemaps(spider):
    body = b"User-agent: *\nDisallow: /admin/\nSitemap: https://news.example.org/sitemap.xml\n"
    outputs = list(spider.parse(response(SITE + "/robots.txt", body, "text/plain")))
    assert requested(outputs) == [SITE + "/sitemap.xml"]


# -- HTML pages ------------------------------------------------------------------------------
def demo_page(demo_site, path: str, meta: dict | None = None) -> HtmlResponse:
    status, content_type, text = demo_site.respond(*(path.split("?", 1) + [""])[:2])
    return response(demo_site.url + path, text.encode(), content_type, meta, HtmlResponse)


@pytest.fixture
def demo_spider(demo_site) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"DOWNLOAD_MAXSIZE": 10 * 1024 * 1024})
    return NewsSpider.from_crawler(crawler, urls=[demo_site.url + "/"])


def test_article_page_yields_one_article_item(demo_spider, demo_site, articles):
    path = urlsplit(articles[0]["url"]).path
    items = [o for o in demo_spider.parse(demo_page(demo_site, path)) if isinstance(o, ArticleItem)]
    assert [(i["url"], i["title"]) for i in items] == [(demo_site.url + path, articles[0]["title"])]


def test_links_are_followed_on_site_only(demo_spider, demo_site, articles):
    path = urlsplit(articles[0]["url"]).path
    urls = requested(demo_spider.parse(demo_page(demo_site, path)))
    assert demo_site.url + "/news" in urls
    assert all(u.startswith(demo_site.url) for u in urls)  # the footer's NHS England link is not followed


def test_feed_announced_in_head_is_followed(demo_spider, demo_site):
    assert demo_site.url + "/feed.rss" in requested(demo_spider.parse(demo_page(demo_site, "/about")))


def test_start_listing_page_is_not_an_error(demo_spider, demo_site):
    outputs = list(demo_spider.parse(demo_page(demo_site, "/news?page=1", {LISTED_BY: START})))
    assert errors(outputs) == []
    assert len(requested(outputs)) > 10


def test_listing_page_named_by_a_feed_is_a_not_article_error(demo_spider, demo_site):
    outputs = list(demo_spider.parse(demo_page(demo_site, "/news?page=1", {LISTED_BY: "feed X"})))
    assert [(e["kind"], e["status"]) for e in errors(outputs)] == [("not_article", 200)]
    assert errors(outputs)[0]["message"].startswith("listed in feed X but not an article: looks like a listing")


def test_short_page_named_by_a_sitemap_is_a_too_short_error(demo_spider, demo_site):
    outputs = list(demo_spider.parse(demo_page(demo_site, "/about", {LISTED_BY: "sitemap Y"})))
    assert [e["kind"] for e in errors(outputs)] == ["too_short"]


def test_binary_response_is_a_not_html_error(spider):
    outputs = list(spider.parse(response(SITE + "/report", b"%PDF-1.7", "application/pdf", cls=Response)))
    assert [(e["kind"], e["url"]) for e in errors(outputs)] == [("not_html", SITE + "/report")]


# -- errbacks -----------------------------------------------------------------------------------
def failure(error: Exception, url: str = SITE + "/x", meta: dict | None = None) -> Failure:
    fail = Failure(error)
    fail.request = Request(url, meta=meta or {})
    return fail


def test_http_error_becomes_http_status_error(spider):
    bad = response(SITE + "/x", b"", status=503)
    [error] = spider.on_error(failure(HttpError(bad, "Ignoring non-200 response")))
    assert (error["kind"], error["status"], error["message"]) == ("http_503", 503, "HTTP 503 Service Unavailable")


def test_refused_connection_becomes_unreachable(spider):
    [error] = spider.on_error(failure(DownloadConnectionRefusedError("Connection was refused")))
    assert error["kind"] == "unreachable"


def test_download_timeout_becomes_timeout(spider):
    [error] = spider.on_error(failure(DownloadTimeoutError("took longer than 30 seconds")))
    assert error["kind"] == "timeout"


def test_robots_block_on_a_listed_url_is_recorded(spider):
    [error] = spider.on_error(failure(IgnoreRequest("Forbidden by robots.txt"), meta={LISTED_BY: START}))
    assert error["kind"] == "robots_disallowed"


def test_robots_block_on_a_discovered_link_is_not_an_error(spider):
    assert list(spider.on_error(failure(IgnoreRequest("Forbidden by robots.txt")))) == []


# -- incremental, discovery and broken input ------------------------------------------------------
def test_not_modified_known_article_is_reported_not_parsed(spider):
    body_less = response(SITE + "/a", b"", status=304, meta={"postwatch_known_url": SITE + "/a"})
    [item] = list(spider.parse(body_less))
    assert isinstance(item, NotModifiedItem) and item["url"] == SITE + "/a"


def test_empty_body_is_an_empty_error(spider):
    assert [e["kind"] for e in errors(spider.parse(response(SITE + "/blank", b"  \n")))] == ["empty"]


def test_start_html_page_asks_for_robots_txt_optionally(demo_spider, demo_site):
    outputs = list(demo_spider.parse(demo_page(demo_site, "/", {LISTED_BY: START})))
    [robots] = [o for o in outputs if isinstance(o, Request) and o.url.endswith("/robots.txt")]
    assert robots.meta[OPTIONAL] is True
    assert list(demo_spider.on_error(failure(HttpError(response(robots.url, b"", status=404), "x"),
                                             robots.url, robots.meta))) == []


def test_robots_txt_is_not_asked_for_from_discovered_pages(demo_spider, demo_site):
    assert not [u for u in requested(demo_spider.parse(demo_page(demo_site, "/about"))) if u.endswith("robots.txt")]


def test_broken_feed_is_an_error_and_its_readable_links_are_followed(spider):
    broken = RSS.replace(b"</channel></rss>", b"<item><title>x &")
    outputs = list(spider.parse(response(SITE + "/feed", broken, "application/rss+xml")))
    assert [e["kind"] for e in errors(outputs)] == ["invalid_xml"]
    assert requested(outputs) == [SITE + "/a", SITE + "/b"]


def test_well_formed_feed_is_not_an_error(spider):
    assert errors(spider.parse(response(SITE + "/feed", RSS, "application/rss+xml"))) == []


def test_xml_content_type_that_is_not_xml_is_invalid_xml(spider):
    outputs = list(spider.parse(response(SITE + "/feed", b"Service temporarily moved", "application/rss+xml")))
    assert [e["kind"] for e in errors(outputs)] == ["invalid_xml"]


def titled_page(title: str, article: bool) -> bytes:
    paragraphs = "".join(f"<p>Paragraph {i} of an invented story about the Fellbrook ferry timetable, which the "
                         f"harbour board changed again this week after complaints from early commuters.</p>"
                         for i in range(6))
    kind = "<meta property='og:type' content='article'>" if article else ""
    return f"<html><head><title>{title}</title>{kind}</head><body><main>{paragraphs}</main></body></html>".encode()


def test_site_name_repeated_across_page_titles_is_cut_from_later_titles(spider):
    first = [o for o in spider.parse(response(SITE + "/a", titled_page("Ferry timetable changes | Fellbrook Post", True)))
             if isinstance(o, ArticleItem)]
    assert first[0]["title"] == "Ferry timetable changes | Fellbrook Post"  # one page: nothing says which part is the site
    list(spider.parse(response(SITE + "/", titled_page("Latest news | Fellbrook Post", False))))
    later = [o for o in spider.parse(response(SITE + "/b", titled_page("Harbour board meets | Fellbrook Post", True)))
             if isinstance(o, ArticleItem)]
    assert later[0]["title"] == "Harbour board meets"
