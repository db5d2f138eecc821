"""The fault catalogue, end to end: one real crawl (the `spiders.run` subprocess) of a
misbehaving news site on 127.0.0.1, whose sitemap and feed list every kind of bad page
a publisher can serve next to good articles.

Each fault must end as exactly one ``crawl error <kind> <url>: <why>`` log line and one
row in the errors file, and land as one row of ``crawl_errors`` in a real DuckDB file
(through ``warehouse.load.record_crawl_errors``); the crawl goes on and stores the good
articles. Timeouts, size limit and Retry-After cap are made small with settings
overrides so the whole module runs in a few seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from spiders.run import run_crawl
from warehouse.db import connect
from warehouse.load import record_crawl_errors

pytestmark = pytest.mark.slow

SETTINGS = {
    "DOWNLOAD_TIMEOUT": 1,
    "DOWNLOAD_MAXSIZE": 100_000,
    "DOWNLOAD_WARNSIZE": 0,
    "POSTWATCH_RETRY_AFTER_MAX": 2,
    "RETRY_TIMES": 2,
    "REDIRECT_MAX_TIMES": 3,
}
SLOW_SECONDS = 2.5


def paragraphs(topic: str, marks: str = "") -> str:
    """Five invented paragraphs (about 150 words) on *topic*; *marks* is put in the first."""
    return "".join(f"<p>{text}</p>\n" for text in [
        f"The board of Wyndmoor Hospitals NHS Trust met on Tuesday to discuss {topic}{marks}, and "
        f"directors agreed that a decision could not wait until the next financial year.",
        "Evelina Strachan-Pike, the interim chief operating officer, told the meeting that the trust had "
        "struggled to fill senior posts in surgery and that agency spending had risen for a third quarter.",
        "Non-executive directors asked for a clearer plan, noting that two previous rounds of recruitment "
        "had attracted few applicants and that the shortlist had twice been abandoned before interview.",
        "The trust said it would work with the regional team on a joint approach to leadership "
        "development, including a shared pool of deputies who could step up when a post fell vacant.",
        "A further update is due at the public board meeting in the autumn, when members expect to hear "
        "whether the new arrangements have reduced the number of unfilled roles across the organisation.",
    ])


def article(title: str, topic: str, *, head: str = "", marks: str = "", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta property="og:type" content="article">{head}</head><body><header><a href="/">Wyndmoor News'
            f'</a></header><article><h1>{title}</h1>\n{paragraphs(topic, marks)}</article>'
            f'<footer>Copyright Wyndmoor News</footer></body></html>')


LEGACY_MARKS = " \u2013 a \u00a3240,000 question the chair called \u2018urgent\u2019"
# Unclosed <p>, <head>, <b>, <i>, <body> and <html>; stray closing tags: lxml repairs it.
TAG_SOUP = ('<html><head><meta property="og:type" content="article"><title>Tag soup survives</title>'
            "<body><div><article><h1>Tag soup survives</h1>"
            + paragraphs("tag soup").replace("</p>", "") + "</span></div></td><b><i>unclosed")
STORY = article("Wyndmoor names new chief nurse", "the chief nurse appointment",
                head='<link rel="canonical" href="/story">')
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
    "/good": (200, {"Content-Type": "text/html; charset=utf-8"},
              article("Wyndmoor agrees leadership plan", "the leadership plan").encode()),
    "/missing": (404, {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>"),
    "/server-error": (500, {"Content-Type": "text/html"}, b"<html><body>Internal error</body></html>"),
    "/busy": (503, {"Content-Type": "text/html", "Retry-After": "1"}, b"<html><body>Busy</body></html>"),
    "/busy-for-an-hour": (503, {"Content-Type": "text/html", "Retry-After": "3600"}, b"<html>Busy</html>"),
    "/loop-a": (302, {"Location": "/loop-b"}, b""),
    "/loop-b": (302, {"Location": "/loop-a"}, b""),
    **{f"/hop-{n}": (301, {"Location": f"/hop-{n + 1}"}, b"") for n in range(1, 7)},
    "/huge": (200, {"Content-Type": "text/html; charset=utf-8"},
              article("Huge page", "a page far too big", marks=" padding" * 30_000).encode()),
    "/annual-report": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    "/photo": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
    "/garbled": (200, {"Content-Type": "text/html"}, bytes(range(0, 9)) * 40),
    "/tag-soup": (200, {"Content-Type": "text/html; charset=utf-8"}, TAG_SOUP.encode()),
    "/legacy-by-header": (200, {"Content-Type": "text/html; charset=windows-1252"},
                          article("Legacy encoding by header", "the legacy header", marks=LEGACY_MARKS,
                                  charset="windows-1252").encode("cp1252")),
    "/legacy-by-meta": (200, {"Content-Type": "text/html"},
                        article("Legacy encoding by meta tag", "the legacy meta", marks=LEGACY_MARKS,
                                charset="windows-1252").encode("cp1252")),
    "/mislabelled": (200, {"Content-Type": "text/html; charset=utf-8"},
                     article("Mislabelled encoding", "the mislabelled page", marks=LEGACY_MARKS).encode("cp1252")),
    "/empty": (200, {"Content-Type": "text/html; charset=utf-8"}, b""),
    "/paywall": (200, {"Content-Type": "text/html; charset=utf-8"},
                 (b'<html><head><meta property="og:type" content="article"><title>Exclusive</title></head><body>'
                  b"<article><h1>Exclusive: trust chair quits</h1><p>This article is for subscribers only. "
                  b"Sign in or subscribe to read on.</p></article></body></html>")),
    "/story": (200, {"Content-Type": "text/html; charset=utf-8"}, STORY.encode()),
    "/amp/story": (200, {"Content-Type": "text/html; charset=utf-8"}, STORY.encode()),
    "/print/story": (200, {"Content-Type": "text/html; charset=utf-8"},
                     STORY.replace('<link rel="canonical" href="/story">', "").encode()),
    "/feed-story": (200, {"Content-Type": "text/html; charset=utf-8"},
                    article("Story found in a broken feed", "a story from the broken feed").encode()),
    "/sitemap-story": (200, {"Content-Type": "text/html; charset=utf-8"},
                       article("Story found in a broken sitemap", "a story from the broken sitemap").encode()),
    "/broken-feed.rss": (200, {"Content-Type": "application/rss+xml"},
                         b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
                         b"<item><title>A & B</title><link>/feed-story</link></item><item><title>cut off"),
    "/broken-sitemap.xml": (200, {"Content-Type": "application/xml"},
                            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            b"<url><loc>/sitemap-story</loc></url><url><loc>/sitem"),
}
LISTED = [path for path in PAGES if path not in ("/robots.txt", "/loop-b", "/broken-feed.rss", "/broken-sitemap.xml",
                                                 "/feed-story", "/sitemap-story") and not path.startswith("/hop-")]
LISTED += ["/hop-1"]
LISTED += ["/slow", "/busy-then-fine"]


class FaultHandler(BaseHTTPRequestHandler):
    hits: dict[str, list[float]]
    base: str

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?")[0]
        self.hits[path].append(time.monotonic())
        if path == "/sitemap.xml":
            locs = "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in LISTED)
            self.reply(200, {"Content-Type": "application/xml"},
                       f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}'
                       f"</urlset>".encode())
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.reply(200, {"Content-Type": "text/html"}, b"<html><body>too late</body></html>")
        elif path == "/busy-then-fine":
            if len(self.hits[path]) == 1:
                self.reply(503, {"Retry-After": "1", "Content-Type": "text/html"}, b"<html>Busy</html>")
            else:
                self.reply(200, {"Content-Type": "text/html; charset=utf-8"},
                           article("Back after a short wait", "the page that was busy").encode())
        elif path in PAGES:
            self.reply(*PAGES[path])
        else:
            self.reply(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")

    def reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, self.base + value if name == "Location" else value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a slow page: that is the point of it

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature from http.server)
        pass


@pytest.fixture(scope="module")
def faulty_site(loopback):
    FaultHandler.hits = defaultdict(list)
    with loopback(FaultHandler) as base:
        FaultHandler.base = base
        yield base


@pytest.fixture(scope="module")
def crawl(faulty_site, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    starts = [faulty_site + path for path in ("/sitemap.xml", "/broken-feed.rss", "/broken-sitemap.xml")]
    output = run_crawl(starts, workdir, timeout=120, overrides=SETTINGS)
    assert output.ok, output.stderr_tail
    con = connect(workdir / "warehouse.duckdb")
    record_crawl_errors(con, [dict(error) for error in output.iter_errors()])
    rows = con.execute("SELECT url, kind, status, message, time FROM crawl_errors").fetchall()
    con.close()
    log = output.log_path.read_text(encoding="utf-8")
    return {"output": output, "rows": rows, "log": log, "base": faulty_site,
            "articles": {item["url"]: item for item in output.iter_articles()},
            "errors": [dict(error) for error in output.iter_errors()]}


# (fault, path, kind, status)
FAULTS = [
    ("404", "/missing", "http_404", 404),
    ("500", "/server-error", "http_500", 500),
    ("503 with Retry-After", "/busy", "http_503", 503),
    ("503 asking too long a wait", "/busy-for-an-hour", "http_503", 503),
    ("timeout", "/slow", "timeout", None),
    ("redirect loop", "/loop-a", "redirect_loop", None),
    ("too many redirects", "/hop-1", "too_many_redirects", None),
    ("over the size limit", "/huge", "too_large", None),
    ("PDF", "/annual-report", "not_html", 200),
    ("image", "/photo", "not_html", 200),
    ("malformed HTML that cannot be parsed", "/garbled", "malformed_html", 200),
    ("bytes not in the declared encoding", "/mislabelled", "bad_encoding", 200),
    ("empty body", "/empty", "empty", 200),
    ("paywall stub", "/paywall", "too_short", 200),
    ("feed that is not valid XML", "/broken-feed.rss", "invalid_xml", 200),
    ("sitemap that is not valid XML", "/broken-sitemap.xml", "invalid_xml", 200),
]


@pytest.mark.parametrize(("path", "kind", "status"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_fault_is_one_error_row_and_one_log_line(crawl, path, kind, status):
    url = crawl["base"] + path
    assert [(e["kind"], e["status"]) for e in crawl["errors"] if e["url"] == url] == [(kind, status)]
    rows = [row for row in crawl["rows"] if row[0] == url]
    assert [(row[1], row[2]) for row in rows] == [(kind, status)]
    assert rows[0][3] and rows[0][4] is not None  # a message and a time
    lines = [line for line in crawl["log"].splitlines() if f"crawl error {kind} {url}:" in line]
    assert len(lines) == 1, lines
    assert url not in crawl["articles"]


def test_the_same_article_under_three_urls_is_stored_once(crawl):
    base = crawl["base"]
    urls = {base + "/story", base + "/amp/story", base + "/print/story"}
    stored = [url for url in crawl["articles"] if url in urls]
    duplicates = [e["url"] for e in crawl["errors"] if e["kind"] == "duplicate"]
    # Which copy arrives first depends on timing; the other two are the duplicates.
    assert len(stored) == 1
    assert len(duplicates) == 2 and set(duplicates) < urls
    assert sorted(row[0] for row in crawl["rows"] if row[1] == "duplicate") == sorted(duplicates)
    for url in duplicates:
        assert sum(f"crawl error duplicate {url}:" in line for line in crawl["log"].splitlines()) == 1


def test_the_crawl_goes_on_past_every_fault(crawl):
    base = crawl["base"]
    for path in ("/good", "/tag-soup", "/feed-story", "/sitemap-story", "/busy-then-fine"):
        assert base + path in crawl["articles"], path
    assert crawl["output"].stats["finish_reason"] == "finished"
    assert "Traceback" not in crawl["log"]
    assert "log_count/ERROR" not in crawl["output"].stats  # each fault was reported once, as above


@pytest.mark.parametrize("path", ["/legacy-by-header", "/legacy-by-meta"])
def test_windows_1252_page_is_decoded_into_an_article(crawl, path):
    item = crawl["articles"][crawl["base"] + path]
    assert "\u2013 a \u00a3240,000 question the chair called \u2018urgent\u2019" in item["text"]
    assert not [e for e in crawl["errors"] if e["url"] == crawl["base"] + path]


def test_retry_after_is_honoured_between_attempts(crawl):
    hits = FaultHandler.hits["/busy"]
    assert len(hits) == 1 + SETTINGS["RETRY_TIMES"]
    assert all(later - earlier >= 0.95 for earlier, later in zip(hits, hits[1:]))
    [error] = [e for e in crawl["errors"] if e["url"] == crawl["base"] + "/busy"]
    assert error["message"] == "HTTP 503 Service Unavailable after 3 attempts (Retry-After 1 s)"


def test_retry_after_beyond_the_cap_is_not_waited_for(crawl):
    assert len(FaultHandler.hits["/busy-for-an-hour"]) == 1
    [error] = [e for e in crawl["errors"] if e["url"] == crawl["base"] + "/busy-for-an-hour"]
    assert "Retry-After 3600 s exceeds the POSTWATCH_RETRY_AFTER_MAX cap; not retried" in error["message"]


def test_a_503_that_recovers_is_an_article_not_an_error(crawl):
    url = crawl["base"] + "/busy-then-fine"
    assert len(FaultHandler.hits["/busy-then-fine"]) == 2
    assert not [e for e in crawl["errors"] if e["url"] == url]


def test_500_is_retried_before_it_is_recorded(crawl):
    assert len(FaultHandler.hits["/server-error"]) == 1 + SETTINGS["RETRY_TIMES"]


def test_redirect_loop_names_its_hops(crawl):
    base = crawl["base"]
    [error] = [e for e in crawl["errors"] if e["kind"] == "redirect_loop"]
    assert error["message"] == f"redirect loop: {base}/loop-a -> {base}/loop-b -> {base}/loop-a"
