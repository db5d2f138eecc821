"""A small news site on 127.0.0.1 that serves the gold articles as real web pages.

The demo and the crawl tests need a site to crawl that is not the internet: nothing
else is reachable from CI, and a live publisher would change under the tests. So this
module renders articles the way a trade-press site such as HSJ does -- navigation,
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

    python -m pipeline.demo_site --port 8000      # browse http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

GOLD_FIELDS = ("id", "url", "published", "title", "text")
GOLD_DIR = Path(__file__).resolve().parent / "gold"
PAGE_SIZE = 10
SITEMAP_CHUNK = 500
SITE_NAME = "Health Service Journal (demo)"
PUBLISHER = "Demo Health Media Ltd"
# Bylines are invented; which reporter "wrote" an article is derived from its id.
REPORTERS = ("Alys Penhallow", "Tomasz Varga", "Priya Eastwood", "Callum Ferrier", "Nadia Oyelaran")
INFO_PAGES = {
    "/about": ("About us", "The demo edition of a trade journal for health service leaders."),
    "/contact": ("Contact", "Write to the newsdesk at newsdesk@example.invalid with tips and corrections."),
    "/privacy": ("Privacy policy", "We keep the minimum of personal data needed to run this site."),
    "/cookies": ("Cookie policy", "We use strictly necessary cookies and, with consent, analytics cookies."),
    "/terms": ("Terms and conditions", "Articles are for personal use; republication needs permission."),
}

PAGE = Template("""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>$title | $site_name</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
$head
<link rel="alternate" type="application/rss+xml" title="$site_name: latest news" href="/feed.rss">
</head>
<body>
<div class="cookie-banner" role="dialog" aria-label="Cookie consent">
  <p>We use cookies to make this site work and, if you agree, to understand how it is used.
  <a href="/cookies">Read our cookie policy</a>.</p>
  <button type="button">Accept all cookies</button> <button type="button">Reject optional cookies</button>
</div>
<header class="site-header">
  <a class="logo" href="/">$site_name</a>
  <nav aria-label="Main">
    <ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About</a></li><li><a href="/contact">Contact</a></li></ul>
  </nav>
  <form class="search" action="/search" method="get"><input name="q" placeholder="Search"></form>
</header>
<main>
$main
</main>
<footer class="site-footer">
  <section class="newsletter"><h2>Daily briefing</h2>
    <p>Sign up for the daily briefing to get the top stories in your inbox every weekday morning.</p></section>
  <ul class="footer-links">
    <li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
    <li><a href="/privacy">Privacy policy</a></li><li><a href="/cookies">Cookie policy</a></li>
    <li><a href="/terms">Terms and conditions</a></li><li><a href="/feed.rss">RSS</a></li>
    <li><a href="/admin/login">Staff login</a></li>
    <li><a href="https://www.england.nhs.uk/">NHS England</a></li>
  </ul>
  <p class="copyright">&copy; $year $publisher. All rights reserved.</p>
</footer>
</body>
</html>
""")

ARTICLE_MAIN = Template("""<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/news">News</a></nav>
<article class="story">
  <h1 class="headline">$title</h1>
  <div class="meta"><span class="byline">By <a href="/contact" rel="author">$author</a></span>$dateline</div>
  <div class="story-body">
$paragraphs
  </div>
  <div class="share">Share this article: <a href="/contact">Email</a></div>
</article>
<aside class="related">
  <h2>Related articles</h2>
  <ul>
$related
  </ul>
</aside>""")

LISTING_MAIN = Template("""<h1>$heading</h1>
<ul class="story-list">
$teasers
</ul>
<nav class="pagination" aria-label="Pages">
$pagination
</nav>""")

TEASER = Template("""  <li class="teaser">
    <h2><a href="$path">$title</a></h2>
    $dateline<p class="summary">$summary</p>
  </li>""")


def load_gold_articles(paths: Iterable[Path | str] | None = None) -> list[dict[str, Any]]:
    """Read gold articles (one JSON object a line) from *paths*, or from
    ``pipeline/gold/*.jsonl`` in name order when *paths* is None.

    Missing files and a missing folder give an empty list, because the gold files
    are written separately and the demo must still start without them. Only the
    ``GOLD_FIELDS`` are kept; an id seen twice keeps its first occurrence.
    """
    files = sorted(GOLD_DIR.glob("*.jsonl")) if paths is None else [Path(p) for p in paths]
    articles: dict[str, dict[str, Any]] = {}
    for path in files:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
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


class DemoSite:
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

    # -- HTML pages -------------------------------------------------------------------
    def _page(self, title: str, main: str, head: str = "") -> str:
        return PAGE.substitute(title=escape(title), site_name=escape(SITE_NAME), head=head, main=main,
                               year=date.today().year, publisher=escape(PUBLISHER))

    def render_article(self, article: Mapping[str, Any]) -> str:
        title = article["title"] or "Untitled"
        # Blank lines separate paragraphs; a single newline (e.g. between bullet lines) is a <br>.
        paragraphs = ["<br>\n".join(escape(" ".join(line.split())) for line in block.split("\n") if line.strip())
                      for block in (article["text"] or "").split("\n\n") if block.strip()]
        published = article["published"]
        author = REPORTERS[int(hashlib.sha256(str(article["id"]).encode()).hexdigest(), 16) % len(REPORTERS)]
        canonical = self.url + article["path"]
        summary = _summary(article["text"] or "", 30)
        json_ld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": PUBLISHER}, "mainEntityOfPage": canonical,
        }
        head = [
            f'<meta name="description" content="{escape(summary)}">',
            f'<link rel="canonical" href="{escape(canonical)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{escape(title)}">',
            f'<meta property="og:url" content="{escape(canonical)}">',
            f'<meta property="og:site_name" content="{escape(SITE_NAME)}">',
        ]
        dateline = ""
        if published:
            # A later "updated" date, as real sites have, so extraction must pick the original.
            modified = (date.fromisoformat(published) + timedelta(days=3)).isoformat()
            json_ld.update(datePublished=f"{published}T08:00:00+00:00", dateModified=f"{modified}T16:30:00+00:00")
            head += [f'<meta property="article:published_time" content="{published}T08:00:00+00:00">',
                     f'<meta property="article:modified_time" content="{modified}T16:30:00+00:00">']
            dateline = f' <time class="published" datetime="{published}">{_human_date(published)}</time>'
        head.append(f'<script type="application/ld+json">{_json_for_html(json_ld)}</script>')
        # The next three stories in publication order, so related links chain through the archive.
        position = next(i for i, a in enumerate(self.articles) if a is article)
        others = self.articles[position + 1:] + self.articles[:position]
        related = others[:3]
        main = ARTICLE_MAIN.substitute(
            title=escape(title), author=escape(author), dateline=dateline,
            paragraphs="\n".join(f"    <p>{p}</p>" for p in paragraphs),
            related="\n".join(f'    <li><a href="{escape(a["path"])}">{escape(a["title"] or "Untitled")}</a></li>'
                              for a in related),
        )
        return self._page(title, main, "\n".join(head))

    def render_home(self) -> str:
        main = LISTING_MAIN.substitute(heading="Latest news", teasers=self._teasers(self.articles[:PAGE_SIZE]),
                                       pagination='<a href="/news" rel="next">More news</a>')
        head = '<meta property="og:type" content="website">\n' + f'<link rel="canonical" href="{self.url}/">'
        return self._page("Latest news", main, head)

    def render_listing(self, page: int) -> str | None:
        """Page *page* (1-based) of all articles, or None when there is no such page."""
        last = max(1, math.ceil(len(self.articles) / PAGE_SIZE))
        if not 1 <= page <= last:
            return None
        links = []
        if page > 1:
            links.append(f'<a href="/news?page={page - 1}" rel="prev">&laquo; Previous</a>')
        for number in range(1, last + 1):
            links.append(f"<span aria-current=\"page\">{number}</span>" if number == page
                         else f'<a href="/news?page={number}">{number}</a>')
        if page < last:
            links.append(f'<a href="/news?page={page + 1}" rel="next">Next &raquo;</a>')
        chunk = self.articles[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        main = LISTING_MAIN.substitute(heading=f"News: page {page} of {last}", teasers=self._teasers(chunk),
                                       pagination="\n".join(links))
        head = ('<meta property="og:type" content="website">\n'
                f'<link rel="canonical" href="{self.url}/news?page={page}">')
        return self._page(f"News, page {page}", main, head)

    def _teasers(self, articles: Sequence[Mapping[str, Any]]) -> str:
        return "\n".join(
            TEASER.substitute(path=escape(a["path"]), title=escape(a["title"] or "Untitled"),
                              summary=escape(_summary(a["text"] or "", 25)),
                              dateline=(f'<time datetime="{a["published"]}">{_human_date(a["published"])}</time>\n    '
                                        if a["published"] else ""))
            for a in articles
        )

    def render_info(self, path: str) -> str:
        title, sentence = INFO_PAGES[path]
        return self._page(title, f"<h1>{escape(title)}</h1>\n<p>{escape(sentence)}</p>")

    def render_not_found(self) -> str:
        return self._page("Page not found", '<h1>Page not found</h1>\n<p>Try the <a href="/news">news</a> page.</p>')

    # -- feeds, sitemaps, robots -----------------------------------------------------
    def render_rss(self) -> str:
        items = []
        for a in self.articles:
            link = escape(self.url + a["path"])
            pub = ""
            if a["published"]:
                when = datetime.fromisoformat(a["published"]).replace(hour=8, tzinfo=timezone.utc)
                pub = f"\n      <pubDate>{format_datetime(when)}</pubDate>"
            items.append(f"""    <item>
      <title>{escape(a["title"] or "Untitled")}</title>
      <link>{link}</link>
      <guid isPermaLink="true">{link}</guid>{pub}
      <description>{escape(_summary(a["text"] or "", 40))}</description>
    </item>""")
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(SITE_NAME)}</title>
    <link>{escape(self.url)}/</link>
    <description>Latest news for health service leaders</description>
    <language>en-gb</language>
{chr(10).join(items)}
  </channel>
</rss>
"""

    def render_sitemap_index(self) -> str:
        count = max(1, math.ceil(len(self.articles) / SITEMAP_CHUNK))
        entries = "\n".join(f"  <sitemap><loc>{escape(self.url)}/sitemap-news-{n}.xml</loc></sitemap>"
                            for n in range(1, count + 1))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</sitemapindex>\n')

    def render_news_sitemap(self, number: int) -> str | None:
        """Google-News-style sitemap *number* (1-based) of the articles, or None."""
        chunk = self.articles[(number - 1) * SITEMAP_CHUNK: number * SITEMAP_CHUNK]
        if number < 1 or (not chunk and number != 1):
            return None
        urls = []
        for a in chunk:
            news = (f"<news:news><news:publication><news:name>{escape(SITE_NAME)}</news:name>"
                    f"<news:language>en</news:language></news:publication>"
                    + (f"<news:publication_date>{a['published']}</news:publication_date>" if a["published"] else "")
                    + f"<news:title>{escape(a['title'] or 'Untitled')}</news:title></news:news>")
            # when the story last changed, so an edit is a signal a crawler can see
            lastmod = f"<lastmod>{a['modified'].isoformat()}</lastmod>"
            urls.append(f"  <url><loc>{escape(self.url + a['path'])}</loc>{lastmod}{news}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                + "\n".join(urls) + "\n</urlset>\n")

    def render_robots(self) -> str:
        return f"User-agent: *\nDisallow: /admin/\nAllow: /\n\nSitemap: {self.url}/sitemap.xml\n"


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
        if status == 200 and self.site.validators and _not_modified(if_none_match, if_modified_since, etag, modified):
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


def _not_modified(if_none_match: str, if_modified_since: str, etag: str, modified: datetime) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparseable date is ignored, as the RFC says
        return since.tzinfo is not None and modified <= since
    return False


def _modified_time(published: str | None) -> datetime | None:
    """A dated story was last updated three days after publication (as its dateModified says)."""
    if not published:
        return None
    return datetime.fromisoformat(published).replace(hour=16, minute=30, tzinfo=timezone.utc) + timedelta(days=3)


def _article_path(article: Mapping[str, Any]) -> str:
    path = urlsplit(article["url"]).path if article.get("url") else ""
    return path if path and path != "/" else f"/news/{article['id']}"


def _summary(text: str, words: int) -> str:
    tokens = text.split()
    return " ".join(tokens[:words]) + (" ..." if len(tokens) > words else "")


def _human_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _json_for_html(data: Any) -> str:
    # "</script>" inside a string would end the script element early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo news site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (0 = any free port)")
    parser.add_argument("--articles", nargs="*", type=Path,
                        help="JSONL files of articles (default: pipeline/gold/*.jsonl)")
    args = parser.parse_args(argv)
    articles = load_gold_articles(args.articles)
    if not articles:
        print("warning: no articles found; the site will have no stories "
              "(add pipeline/gold/*.jsonl or pass --articles FILE.jsonl)")
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
