"""Discovery from a home page that links to no article: the stories are reachable only
through the sitemap that robots.txt names, or the Atom feed the page announces with
``<link rel="alternate">``. A real crawl on 127.0.0.1 must find both ways."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from spiders.run import run_crawl

pytestmark = pytest.mark.slow


def story_page(title: str, subject: str) -> bytes:
    body = "".join(f"<p>{sentence}</p>" for sentence in [
        f"Governors at Hollinsmere NHS Foundation Trust have backed {subject}, after a long debate about how the "
        f"organisation should share senior posts with its neighbours over the next two years.",
        "Marisol Quennell-Ide, the lead governor, said members wanted to see the savings before agreeing to any "
        "further joint appointments, and asked for a report on how the arrangement had worked elsewhere.",
        "The trust expects the first shared director to start in the new year, with a review planned after six "
        "months; staff side representatives said they would watch the effect on local decision making.",
        "Managers told the meeting that recruitment to the remaining vacant roles had been slow, with one post "
        "advertised three times, and that interim cover had cost more than expected this quarter.",
    ])
    return (f'<html><head><title>{title}</title><meta property="og:type" content="article"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


ROUTES: dict[str, tuple[str, bytes]] = {
    "/": ("text/html", b'<html><head><title>Hollinsmere Herald</title><link rel="alternate" '
                       b'type="application/atom+xml" href="/updates.atom"></head><body><h1>Hollinsmere Herald</h1>'
                       b"<p>Welcome. Our stories are in the sitemap and the feed.</p></body></html>"),
    "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\nSitemap: {base}/maps/stories.xml\n"),
    "/maps/stories.xml": ("application/xml", b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                                             b'sitemap/0.9"><url><loc>{base}/stories/shared-directors</loc></url>'
                                             b"</urlset>"),
    "/updates.atom": ("application/atom+xml", b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org'
                                              b'/2005/Atom"><title>Herald</title><entry><title>t</title>'
                                              b'<link href="/stories/governors-vote"/></entry></feed>'),
    "/stories/shared-directors": ("text/html", story_page("Shared directors approved", "a plan to share directors")),
    "/stories/governors-vote": ("text/html", story_page("Governors vote on joint posts", "a vote on joint posts")),
}


class RouteHandler(BaseHTTPRequestHandler):
    base = ""
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.paths.append(self.path)
        content_type, body = ROUTES.get(self.path, ("text/html", b""))
        self.send_response(200 if self.path in ROUTES else 404)
        self.send_header("Content-Type", content_type)
        body = body.replace(b"{base}", self.base.encode())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature from http.server)
        pass


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, loopback):
    with loopback(RouteHandler) as base:
        RouteHandler.base = base
        output = run_crawl([base + "/"], tmp_path_factory.mktemp("discovery"), timeout=60)
    assert output.ok, output.stderr_tail
    return output, RouteHandler.base


def test_sitemap_named_in_robots_txt_is_followed(crawl):
    output, base = crawl
    assert base + "/stories/shared-directors" in {item["url"] for item in output.iter_articles()}


def test_feed_announced_by_link_rel_alternate_is_followed(crawl):
    output, base = crawl
    assert base + "/stories/governors-vote" in {item["url"] for item in output.iter_articles()}


def test_home_page_discovery_records_no_errors(crawl):
    output, _ = crawl
    assert list(output.iter_errors()) == []
