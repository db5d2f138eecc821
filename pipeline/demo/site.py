"""A small news site on 127.0.0.1 that serves the gold articles as real web pages.

The demo and the crawl tests need a site to crawl that is not the internet: nothing
else is reachable from CI, and a live publisher would change under the tests. So the demo
package renders articles (``pages.py``) the way a trade-press site such as HSJ does -- navigation,
cookie notice, byline, ``<time>``, Open Graph and JSON-LD metadata, related links,
a boilerplate footer, a paginated listing, an RSS feed, a sitemap and robots.txt --
and serves them with the standard library's threading HTTP server. Like a real
publisher's server it sends ``ETag`` and ``Last-Modified`` and answers conditional
GETs (``If-None-Match``, ``If-Modified-Since``) with 304, so incremental crawls can be
tested; :meth:`DemoSite.edit` changes a story between crawls. The spider and
the extractor only ever see generic HTML, so whatever works here has to work for the
generic reasons, not because of selectors written for this site.

    with DemoSite(articles) as site:
        run_crawl([site.url + "/"], workdir)

    python -m pipeline.demo.site --port 8000      # browse http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import hashlib
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from spiders.jsonl import read_jsonl

from ..conditional import not_modified
from .pages import INFO_PAGES, Pages

GOLD_FIELDS = ("id", "url", "published", "title", "text")
GOLD_DIR = Path(__file__).resolve().parent / "gold"


def load_gold_articles(paths: Iterable[Path | str] | None = None) -> list[dict[str, Any]]:
    """Read gold articles (one JSON object a line) from *paths*, or from
    ``pipeline/demo/gold/*.jsonl`` in name order when *paths* is None.

    Missing files and a missing folder give an empty list, because the gold files
    are written separately and the demo must still start without them. Only the
    ``GOLD_FIELDS`` are kept; an id seen twice keeps its first occurrence.
    """
    files = sorted(GOLD_DIR.glob("*.jsonl")) if paths is None else [Path(p) for p in paths]
    articles: dict[str, dict[str, Any]] = {}
    for path in files:
        if not path.is_file():
            continue
        for record in read_jsonl(path):
            article = {field: record.get(field) for field in GOLD_FIELDS}
            articles.setdefault(str(article["id"]), article)
    return list(articles.values())


class Hit(NamedTuple):
    """One request the demo site served: what was asked (with the conditional
    headers, "" when absent) and the status it got."""

    path: str
    query: str
    user_agent: str
    referer: str
    status: int = 0
    if_none_match: str = ""
    if_modified_since: str = ""


class DemoSite(Pages):
    """A running demo news site; use as a context manager or call start()/stop().

    ``url`` is the site root without a trailing slash, e.g. ``http://127.0.0.1:41234``.
    ``requests`` lists a :class:`Hit` for every request served, so tests can check
    what a crawler fetched, how it found it (Referer), and what robots.txt kept it from.
    """

    def __init__(self, articles: Sequence[Mapping[str, Any]], *, host: str = "127.0.0.1", port: int = 0,
                 verbose: bool = False, validators: bool = True) -> None:
        # validators=False: no ETag / Last-Modified and never a 304, as many CMS pages behind a CDN
        self.host, self.port, self.verbose, self.validators = host, port, verbose, validators
        self.requests: list[Hit] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._by_path: dict[str, dict[str, Any]] = {}
        self._started = datetime.now(timezone.utc).replace(microsecond=0)
        for raw in articles:
            article = {field: raw.get(field) for field in GOLD_FIELDS}
            article["published"] = (article["published"] or "")[:10] or None  # a date, even if given a timestamp
            path = _article_path(article)
            while path in self._by_path:  # two gold urls with the same path: keep both
                path = f"{path.rstrip('/')}-{article['id']}"
            article["path"] = path
            article["modified"] = _modified_time(article["published"]) or self._started
            self._by_path[path] = article
        # Newest first, undated last: the order a news site lists its stories in.
        self.articles = sorted(self._by_path.values(), reverse=True,
                               key=lambda a: (a["published"] is not None, a["published"] or "", str(a["id"])))

    # -- lifecycle ------------------------------------------------------------------
    def edit(self, path: str, *, title: str | None = None, text: str | None = None) -> None:
        """Change the story at *path* as a newsroom would (a correction, an update):
        its page, ETag and Last-Modified change; its place in the listings does not."""
        article = self._by_path[path]
        if title is not None:
            article["title"] = title
        if text is not None:
            article["text"] = text
        article["modified"] = max(datetime.now(timezone.utc).replace(microsecond=0),
                                  article["modified"] + timedelta(seconds=1))

    def last_modified(self, path: str) -> datetime:
        """When the page at *path* last changed: a story's update time, else when the site started."""
        article = self._by_path.get(path)
        return article["modified"] if article is not None else self._started

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("DemoSite is not running; use `with DemoSite(...) as site:` or call start()")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> DemoSite:
        handler = type("DemoHandler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- routing ----------------------------------------------------------------------
    def respond(self, path: str, query: str) -> tuple[int, str, str]:
        """(status, content type, body) for one GET; kept apart from the HTTP
        plumbing so tests can render a page directly. The site must be started,
        because pages carry absolute URLs (canonical links, feed and sitemap entries)."""
        html = "text/html; charset=utf-8"
        if path in ("/", "/index.html"):
            return 200, html, self.render_home()
        if path == "/news":
            pages = parse_qs(query).get("page", ["1"])
            page = int(pages[0]) if pages[0].isdigit() else 0
            body = self.render_listing(page)
            return (200, html, body) if body else (404, html, self.render_not_found())
        if path in self._by_path:
            return 200, html, self.render_article(self._by_path[path])
        if path in INFO_PAGES:
            return 200, html, self.render_info(path)
        if path == "/feed.rss":
            return 200, "application/rss+xml; charset=utf-8", self.render_rss()
        if path == "/sitemap.xml":
            return 200, "application/xml; charset=utf-8", self.render_sitemap_index()
        if path.startswith("/sitemap-news-") and path.endswith(".xml"):
            number = path.removeprefix("/sitemap-news-").removesuffix(".xml")
            body = self.render_news_sitemap(int(number)) if number.isdigit() else None
            if body:
                return 200, "application/xml; charset=utf-8", body
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self.render_robots()
        return 404, html, self.render_not_found()

class _Handler(BaseHTTPRequestHandler):
    site: DemoSite
    server_version = "DemoNews/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        status, content_type, text = self.site.respond(parts.path, parts.query)
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = self.site.last_modified(parts.path)
        if_none_match = self.headers.get("If-None-Match", "")
        if_modified_since = self.headers.get("If-Modified-Since", "")
        if status == 200 and self.site.validators and not_modified(if_none_match, if_modified_since, etag, modified):
            status = HTTPStatus.NOT_MODIFIED
        self.site.requests.append(Hit(parts.path, parts.query, self.headers.get("User-Agent", ""),
                                      self.headers.get("Referer", ""), int(status), if_none_match, if_modified_since))
        self.send_response(status)
        if status in (200, 304) and self.site.validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        if status == 304:  # no body, no Content-Type (RFC 9110, 15.4.5)
            self.end_headers()
            return
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature from http.server)
        if self.site.verbose:
            super().log_message(format, *args)


def _modified_time(published: str | None) -> datetime | None:
    """A dated story was last updated three days after publication (as its dateModified says)."""
    if not published:
        return None
    return datetime.fromisoformat(published).replace(hour=16, minute=30, tzinfo=timezone.utc) + timedelta(days=3)


def _article_path(article: Mapping[str, Any]) -> str:
    path = urlsplit(article["url"]).path if article.get("url") else ""
    return path if path and path != "/" else f"/news/{article['id']}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo news site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (0 = any free port)")
    parser.add_argument("--articles", nargs="*", type=Path,
                        help="JSONL files of articles (default: pipeline/demo/gold/*.jsonl)")
    args = parser.parse_args(argv)
    articles = load_gold_articles(args.articles)
    if not articles:
        print("warning: no articles found; the site will have no stories "
              "(add pipeline/demo/gold/*.jsonl or pass --articles FILE.jsonl)")
    site = DemoSite(articles, port=args.port, verbose=True).start()
    print(f"Serving {len(articles)} articles at {site.url}/  (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
