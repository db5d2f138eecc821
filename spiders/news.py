"""NewsSpider: one spider for every news site, whatever URL it is started from.

A start URL may be a home page, a listing page, an RSS/Atom feed, a sitemap (index,
plain or Google News) or robots.txt. Which one it is gets decided from the response
body (the XML root element, HTML, robots.txt lines), not from the URL, because sites
spell these URLs every way imaginable. From HTML pages the spider takes the article
if there is one and follows links on the same site -- feeds announced with
``<link rel="alternate">`` included, and the ``Sitemap:`` lines of the site's
robots.txt when a start URL is an HTML page -- so any entry point reaches the rest.

An incremental crawl has two halves. Whether a known article is fetched at all is
the revisit policy's call (spiders/revisit.py): entry points and new articles every
run, a known article only on a sitemap or feed signal, when it is due, or on
``--recheck all``. How it is fetched is the downloader's business
(spiders/middlewares.py sends conditional requests for known articles); the spider
only turns the resulting ``304 Not Modified`` into a ``NotModifiedItem`` so the caller
can mark it seen.

Link scope: links are followed from hub pages (home, sections, listings and their
pagination); feeds and sitemaps name articles; an article page is read, not wandered
from -- its own links are followed only when it sits fewer than
``POSTWATCH_ARTICLE_LINK_DEPTH`` hops from a start URL (by default only an article
given as a start URL). Depth counts from the start URLs through feeds and sitemaps
too, so ``DEPTH_LIMIT`` holds for their entries.

The spider only parses. Politeness and limits are settings (spiders/settings.py);
validation, de-duplication and storage are item pipelines (spiders/pipelines.py).
What goes wrong -- HTTP errors, unreachable hosts, timeouts, redirect loops, oversized
or empty or non-HTML responses, HTML that cannot be parsed or decoded, feeds and
sitemaps that are not valid XML, a page listed in a feed or sitemap that is not an
article -- becomes one ``CrawlErrorItem`` (and one log line) so a run reports its
failures instead of hiding them, and the crawl goes on.
"""

from __future__ import annotations

import struct
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from http import HTTPStatus
from typing import Any

from lxml import etree
from scrapy import Request, Spider
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import ConnectError, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from spiders.article_page import analyse_page, title_ends
from spiders.items import ArticleItem, CrawlErrorItem, LeftAloneItem, NotModifiedItem
from spiders.middlewares import KNOWN_URL, RETRY_AFTER, RETRY_AFTER_REFUSED, AddressRefused, RedirectLoop
from spiders.pipelines import utc_now
from spiders.response_kinds import (FEED_ROOTS, SITEMAP_ROOTS, decoded_body, mis_decoded, response_header, sniff,
                                    xml_parser, xml_problem)
from spiders.revisit import DEFAULT_SCHEDULE, RevisitPolicy, parse_schedule, parse_time, read_known_articles
from spiders.urls import canonicalize, site_host

# request.meta key: who named this URL as content -- START for start URLs, or
# "feed <url>" / "sitemap <url>". Links found on pages carry no such key.
LISTED_BY = "postwatch_listed_by"
START = "start URLs"
# request.meta key: a request made on the off chance (robots.txt of a home page);
# its failure is not worth a crawl error.
OPTIONAL = "postwatch_optional"
# request.meta key: why this URL is fetched this run (spiders/revisit.py's reasons).
FETCH_REASON = "postwatch_fetch_reason"
FEED_MIME_TYPES = ("application/rss+xml", "application/atom+xml")


class NewsSpider(Spider):
    """Crawl news sites from *urls* (a list, or a comma-separated string for
    ``scrapy crawl news -a urls=...``), staying on the start URLs' sites."""

    name = "news"

    def __init__(self, urls: Iterable[str] | str = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(urls, str):
            urls = urls.split(",")
        self.start_urls = [url.strip() for url in urls if url.strip()]
        # Site hosts without "www.": www.example.org and example.org are one site.
        self.allowed_domains = sorted({site_host(url) for url in self.start_urls} - {""})
        self.link_extractor = LinkExtractor(unique=True)
        self._policy: RevisitPolicy | None = None
        self._left_alone: set[str] = set()
        # per site: how often each first or last part of a page <title> was seen; one
        # seen on two pages or more is the site's name (home and listings come first)
        self._title_ends: dict[str, Counter[str]] = defaultdict(Counter)

    @property
    def policy(self) -> RevisitPolicy:
        """The revisit policy, built from the settings on first use."""
        if self._policy is None:
            known_path = self.settings.get("POSTWATCH_KNOWN_PATH")
            self._policy = RevisitPolicy(
                read_known_articles(known_path) if known_path else {},
                parse_schedule(str(self.settings.get("POSTWATCH_REVISIT_AFTER") or DEFAULT_SCHEDULE)),
                recheck_all=self.settings.get("POSTWATCH_RECHECK") == "all",
            )
        return self._policy

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, errback=self.on_error, dont_filter=True,
                          meta={LISTED_BY: START, FETCH_REASON: "start"})

    # -- dispatch -----------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.status == 304:  # only known articles are asked conditionally
            url = response.meta.get(KNOWN_URL) or canonicalize(response.url)
            yield NotModifiedItem(url=url, time=utc_now(), fetch_reason=self._reason(response),
                                  next_due=self._next_due(url, None))
            return
        if not response.body.strip():
            yield self.error(response.url, "empty", response.status, "the response body is empty")
            return
        try:
            body = decoded_body(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except (OSError, EOFError, ValueError, struct.error) as error:  # corrupt or oversized .gz
            yield self.error(response.url, "bad_gzip", response.status, f"cannot gunzip the body: {error}")
            return
        kind = sniff(response, body)
        if kind in FEED_ROOTS:
            yield from self.parse_feed(response, body)
        elif kind in SITEMAP_ROOTS:
            yield from self.parse_sitemap(response, body)
        elif kind == "robots":
            yield from self.parse_robots(response, body)
        elif kind == "html":
            yield from self.parse_html(response)
        elif "xml" in kind:
            yield self.error(response.url, "invalid_xml", response.status,
                             f"response is {kind}, not a feed or sitemap; no links read from it")
        else:
            yield self.error(response.url, "not_html", response.status,
                             f"response is {kind}, not HTML, a feed or a sitemap")

    # -- page types ---------------------------------------------------------------
    def parse_html(self, response: Response) -> Iterator[Any]:
        # Scrapy decodes by the HTTP header, a BOM, then <meta charset>, so a page in
        # windows-1252 arrives as proper text; trafilatura's own guess is the fallback.
        html = response.text if isinstance(response, TextResponse) else response.body
        seen = self._title_ends[site_host(response.url)]
        analysis = analyse_page(html, response.url, [part for part, count in seen.items() if count >= 2])
        if isinstance(response, TextResponse):
            seen.update(set(title_ends(response.xpath("//title/text()").get())))
        if analysis.article is not None:
            article = analysis.article
            if mis_decoded(response, article):
                yield self.error(response.url, "bad_encoding", response.status,
                                 f"bytes that are not {response.encoding} although the page declares it; not stored")
            else:
                yield ArticleItem(
                    url=article["canonical"], title=article["title"], published=article["published"],
                    text=article["text"], etag=response_header(response, "ETag"),
                    last_modified=response_header(response, "Last-Modified"), fetch_reason=self._reason(response),
                    next_due=self._next_due(article["canonical"], article["published"]),
                )
        elif analysis.kind == "malformed":
            yield self.error(response.url, "malformed_html", response.status, analysis.reason)
        elif analysis.kind == "paywalled":  # recorded even unlisted: a login may have expired
            yield self.error(response.url, "paywalled", response.status,
                             f"{analysis.reason}; if you crawl with --cookies, log in again and export them anew")
        elif response.meta.get(LISTED_BY, START) != START:
            # A feed or sitemap promised an article here. (A start URL that is a home
            # or listing page is expected not to be one.)
            kind = "too_short" if analysis.kind == "too_short" else "not_article"
            yield self.error(response.url, kind, response.status,
                             f"listed in {response.meta[LISTED_BY]} but not an article: {analysis.reason}")
        if response.meta.get(LISTED_BY) == START:
            yield from self.robots_sitemaps(response)
        if self._is_hub(response, analysis.article is not None or analysis.kind == "paywalled"):
            yield from self.follow_links(response)

    def _is_hub(self, response: Response, is_article: bool) -> bool:
        """Whether a page's links are followed: a page that is neither an article nor
        named as one by a feed or sitemap, or one close enough to a start URL."""
        listed = response.meta.get(LISTED_BY, START) != START
        close = response.meta.get("depth", 0) < self.settings.getint("POSTWATCH_ARTICLE_LINK_DEPTH", 1)
        return close or not (is_article or listed)

    def _reason(self, response: Response) -> str:
        return response.meta.get(FETCH_REASON) or "start"

    def _next_due(self, url: str, published: str | None) -> str | None:
        due = self.policy.next_due(url, published)
        return due.replace(microsecond=0).isoformat() if due is not None else None

    def article_request(self, url: str, meta: dict[str, Any] | None = None, changed_at: str | None = None,
                        signal: str = "lastmod") -> Request | LeftAloneItem | None:
        """A request for a page that may be an article; for a known article the revisit
        policy leaves alone, a LeftAloneItem the first time it is named this run."""
        reason = self.policy.reason_to_fetch(url, parse_time(changed_at), signal)
        stats = self.crawler.stats if getattr(self, "crawler", None) is not None else None
        if stats is not None:
            stats.inc_value(f"postwatch/revisit/{reason or 'skipped'}")
        if reason is not None:
            return Request(url, callback=self.parse, errback=self.on_error, meta={**(meta or {}), FETCH_REASON: reason})
        if url in self._left_alone:
            return None
        self._left_alone.add(url)
        return LeftAloneItem(url=url, time=utc_now())

    def robots_sitemaps(self, response: Response) -> Iterator[Request]:
        """A start page's robots.txt, for its ``Sitemap:`` lines (parsed by parse_robots)."""
        robots = response.urljoin("/robots.txt")
        if self.on_site(robots) and robots != response.url:
            yield Request(robots, callback=self.parse, errback=self.on_error, meta={OPTIONAL: True})

    def follow_links(self, response: Response) -> Iterator[Request | LeftAloneItem]:
        if not isinstance(response, TextResponse):
            return
        for link in self.link_extractor.extract_links(response):
            if self.on_site(link.url):
                request = self.article_request(canonicalize(link.url))
                if request is not None:
                    yield request
        feeds = response.xpath("//link[@rel='alternate'][@type=$a or @type=$b]/@href",
                               a=FEED_MIME_TYPES[0], b=FEED_MIME_TYPES[1]).getall()
        for href in feeds:
            url = response.urljoin(href.strip())
            if self.on_site(url):
                yield Request(canonicalize(url), callback=self.parse, errback=self.on_error)

    def parse_feed(self, response: Response, body: bytes) -> Iterator[Any]:
        """Entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed. A feed that is not
        well-formed is recorded as ``invalid_xml``; the links that lxml's recovering
        parser can still read are followed all the same."""
        root = etree.fromstring(body, parser=xml_parser())
        entries: list[tuple[str, str | None]] = []
        for entry in [] if root is None else root.xpath("//*[local-name()='item' or local-name()='entry']"):
            updated = entry.xpath("string(*[local-name()='updated' or local-name()='modified'])").strip() or None
            entries += [(str(link), updated) for link in entry.xpath(
                "*[local-name()='link']/text()"
                " | *[local-name()='guid'][not(@isPermaLink='false')]/text()"
                " | *[local-name()='link'][not(@rel) or @rel='alternate']/@href") if str(link).strip()]
        yield from self._xml_check(response, body, "feed", len(entries))
        yield from self._listed_requests(response, entries, "feed", signal="updated")

    def parse_sitemap(self, response: Response, body: bytes) -> Iterator[Any]:
        """Child sitemaps of a sitemap index, or the pages of a (news) sitemap; like
        feeds, a broken one is recorded and what can be read of it is followed."""
        sitemap = Sitemap(body)
        entries = [(entry["loc"], entry.get("lastmod")) for entry in sitemap if entry.get("loc")]
        yield from self._xml_check(response, body, "sitemap", len(entries))
        if sitemap.type == "sitemapindex":
            for url, _lastmod in entries:
                url = response.urljoin(url)
                if self.on_site(url):
                    yield Request(url, callback=self.parse, errback=self.on_error)
        else:
            yield from self._listed_requests(response, entries, "sitemap", signal="lastmod")

    def parse_robots(self, response: Response, body: bytes) -> Iterator[Request]:
        """The ``Sitemap:`` lines of a robots.txt given as a start URL."""
        for url in sitemap_urls_from_robots(body, base_url=response.url):
            if self.on_site(url):
                yield Request(url, callback=self.parse, errback=self.on_error)

    def _xml_check(self, response: Response, body: bytes, what: str, readable: int) -> Iterator[CrawlErrorItem]:
        problem = xml_problem(body)
        if problem:
            yield self.error(response.url, "invalid_xml", response.status,
                             f"{what} is not valid XML ({problem}); following the {readable} links still readable")

    def _listed_requests(self, response: Response, entries: Iterable[tuple[str, str | None]], listed_by: str,
                         signal: str) -> Iterator[Request | LeftAloneItem]:
        # A page named by a feed or sitemap is an article: failing to find one there
        # is recorded, and its own links are not followed (see _is_hub). Its depth
        # counts on from the feed's, so DEPTH_LIMIT holds for it.
        seen: set[str] = set()
        for link, changed_at in entries:
            url = canonicalize(response.urljoin(link.strip()))
            if url not in seen and self.on_site(url):
                seen.add(url)
                request = self.article_request(url, {LISTED_BY: f"{listed_by} {response.url}"}, changed_at, signal)
                if request is not None:
                    yield request

    # -- failures -------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[CrawlErrorItem]:
        """Record why a request produced no response the spider could use."""
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errback failures
        error = failure.value
        status = None
        url = request.url
        asked_for = request.meta.get("redirect_urls", [url])[0]
        if request.meta.get(OPTIONAL):
            self.logger.debug("optional request %s failed: %s", request.url, error)
            return
        if failure.check(AddressRefused):  # spiders.middlewares.AddressPolicyMiddleware
            yield self.error(url, "address_refused", None, str(error))
            return
        if failure.check(HttpError):
            status = error.response.status
            kind, message = f"http_{status}", f"HTTP {status} {_status_phrase(status)}".strip()
            message += _retry_note(request)
        elif failure.check(RedirectLoop):  # recorded under the URL that was asked for
            url, kind, message = asked_for, "redirect_loop", str(error)
        elif failure.check(IgnoreRequest) and "max redirections" in str(error):
            hops = len(request.meta.get("redirect_urls", []))
            url, kind, message = asked_for, "too_many_redirects", f"{error} ({hops} hops, last {request.url})"
        elif failure.check(CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError, ConnectError):
            kind, message = "unreachable", f"could not connect: {error}"
        elif failure.check(DownloadTimeoutError, TxTimeoutError):
            kind, message = "timeout", (str(error).rstrip(".") or "download timed out") + _retry_note(request)
        elif failure.check(DownloadCancelledError) and "max size" in str(error):
            kind, message = "too_large", str(error)
        elif failure.check(IgnoreRequest):
            if LISTED_BY not in request.meta:  # e.g. a footer link to a disallowed /admin/
                self.logger.debug("ignored %s: %s", request.url, error)
                return
            kind = "robots_disallowed" if "robots.txt" in str(error) else "ignored"
            message = str(error)
        else:
            kind, message = "download_failed", f"{type(error).__name__}: {error}"
        yield self.error(url, kind, status, message)

    def error(self, url: str, kind: str, status: int | None, message: str) -> CrawlErrorItem:
        self.logger.info("crawl error %s %s: %s", kind, url, message)
        return CrawlErrorItem(url=url, kind=kind, status=status, message=message, time=utc_now())

    def on_site(self, url: str) -> bool:
        """Same site as a start URL: the host, or a subdomain of it (any port)."""
        host = site_host(url)
        return url.startswith(("http://", "https://")) and any(
            host == domain or host.endswith("." + domain) for domain in self.allowed_domains
        )


def _retry_note(request: Request) -> str:
    """The retry history for an error message: attempts made, and any Retry-After asked for."""
    attempts = request.meta.get("retry_times", 0) + 1
    note = f" after {attempts} attempts" if attempts > 1 else ""
    wait = request.meta.get(RETRY_AFTER)
    if wait is not None:
        refused = " exceeds the POSTWATCH_RETRY_AFTER_MAX cap; not retried" if request.meta.get(RETRY_AFTER_REFUSED) else ""
        note += f" (Retry-After {wait:g} s{refused})"
    return note


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a non-standard code such as 520
        return ""
