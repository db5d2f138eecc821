"""Real publisher pages, for measuring extraction and link scope on sites nobody here has seen.

The pages are third-party: they are read from the shared folder (``../shared/pages``
beside the project, or ``POSTWATCH_PAGES_DIR``) and never copied into the project.
Each ``html/<id>.html.gz`` has an ``expected.jsonl`` line with the publisher's
headline, first published time and body text. :func:`score_pages` runs the extractor
on every page and says, page by page, whether the title is exact (after whitespace
normalisation), whether the published day is right, the body's word F1, and which
words of the body are two expected words run together (a lost paragraph break).
:class:`PagesSite` serves the pages on 127.0.0.1 under their own paths, with a
``sitemap.xml`` naming them all, so a crawl of real markup can be counted request by
request.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from tests.benchmarks.crawl import overlap, words
from spiders.article_page import analyse_page

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CAMEL_JOIN = re.compile(r"(?<![@#\w])[^\W\d_]*[a-z][A-Z][^\W\d_]*\b")


def pages_dir() -> Path:
    """Where the real pages are: ``POSTWATCH_PAGES_DIR``, else ``../shared/pages``."""
    return Path(os.environ.get("POSTWATCH_PAGES_DIR") or PROJECT_ROOT.parent / "shared" / "pages")


@dataclass(frozen=True)
class RealPage:
    id: str
    html: bytes
    expected: dict[str, Any]

    @property
    def path(self) -> str:
        return urlsplit(self.expected["url"]).path or "/"


@dataclass(frozen=True)
class PageScore:
    id: str
    title_exact: bool
    day_right: bool
    f1: float
    run_together: tuple[str, ...]
    title: str | None
    published: str | None


def load_pages(folder: Path | None = None) -> list[RealPage]:
    """Every page with its expected fields, in ``expected.jsonl`` order; [] without the folder."""
    folder = folder or pages_dir()
    listing = folder / "expected.jsonl"
    if not listing.is_file():
        return []
    pages = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip():
            expected = json.loads(line)
            pages.append(RealPage(expected["id"], gzip.decompress((folder / "html" / f"{expected['id']}.html.gz")
                                                                  .read_bytes()), expected))
    return pages


def score_page(page: RealPage) -> PageScore:
    article = analyse_page(page.html, page.expected["url"]).article or {}
    title = " ".join((article.get("title") or "").split())
    expected_day = (page.expected.get("publishing_date") or "")[:10]
    return PageScore(
        page.id, title == " ".join(page.expected["title"].split()),
        bool(expected_day) and article.get("published") == expected_day,
        overlap(article.get("text"), page.expected["body_text"]).f1,
        run_together(article.get("text"), page.expected["body_text"]), article.get("title"),
        article.get("published"))


def run_together(text: str | None, expected: str) -> tuple[str, ...]:
    """Words of *text* that are two words of *expected* written as one across a case
    change ("mediaIn" for "media" + "In"), and not a word of *expected* themselves
    ("iPhone"): the end of one block glued to the start of the next."""
    known = set(words(expected))
    found = set()
    for token in CAMEL_JOIN.findall(text or ""):
        boundary = next(i for i in range(1, len(token)) if token[i - 1].islower() and token[i].isupper())
        head, tail = token[:boundary].lower(), token[boundary:].lower()
        if token.lower() not in known and head in known and tail in known:
            found.add(token)
    return tuple(sorted(found))


def score_pages(pages: list[RealPage]) -> list[PageScore]:
    return [score_page(page) for page in pages]


def summary_line(scores: list[PageScore]) -> str:
    """The three figures on one line, as the crawl bench prints them."""
    count = len(scores)
    titles = sum(s.title_exact for s in scores)
    days = sum(s.day_right for s in scores)
    macro = sum(s.f1 for s in scores) / count if count else 0.0
    joined = sum(1 for s in scores if s.run_together)
    return (f"real pages: {count}; titles exact {titles}/{count}; published day right {days}/{count}; "
            f"body word F1 macro {macro:.4f}; pages with words run together: {joined}")


class PagesSite:
    """The real pages served on 127.0.0.1 under their own paths, a ``sitemap.xml``
    naming them all (and a ``sitemap-index.xml`` naming that), and 404 for everything
    else; ``requests`` lists the paths asked for, with the status sent."""

    def __init__(self, pages: list[RealPage]) -> None:
        self.by_path: dict[str, RealPage] = {}
        for page in pages:
            path = page.path
            while path in self.by_path:
                path = f"{path.rstrip('/')}-{page.id}"
            self.by_path[path] = page
        self.requests: list[tuple[str, int]] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("PagesSite is not running; use `with PagesSite(pages) as site:`")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def sitemap(self) -> str:
        entries = "\n".join(f"  <url><loc>{escape(self.url + path)}</loc></url>" for path in self.by_path)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</urlset>\n')

    def sitemap_index(self) -> str:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f'  <sitemap><loc>{escape(self.url)}/sitemap.xml</loc></sitemap>\n</sitemapindex>\n')

    def __enter__(self) -> PagesSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = urlsplit(self.path).path
                status, kind, body = 404, "text/html; charset=utf-8", b"<html><body><h1>Not found</h1></body></html>"
                if path == "/sitemap.xml":
                    status, kind, body = 200, "application/xml; charset=utf-8", site.sitemap().encode()
                elif path == "/sitemap-index.xml":
                    status, kind, body = 200, "application/xml; charset=utf-8", site.sitemap_index().encode()
                elif path in site.by_path:
                    status, kind, body = 200, "text/html", site.by_path[path].html
                site.requests.append((path, status))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="pages-site", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_path)


def main() -> int:
    """Print the extraction line alone, without the crawl of ``make bench-crawl``."""
    pages = load_pages()
    if not pages:
        print(f"real pages: none at {pages_dir()} (set POSTWATCH_PAGES_DIR)")
        return 1
    print(summary_line(score_pages(pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
