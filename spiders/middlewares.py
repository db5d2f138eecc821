"""Downloader middlewares: how requests are made and retried, never what a page means.

* :class:`ConditionalGetMiddleware` makes an incremental crawl cheap. The caller hands
  the crawl a file of articles it already holds (``POSTWATCH_KNOWN_PATH``: JSON lines
  of ``{url, etag, last_modified}``); requests for those URLs carry ``If-None-Match`` /
  ``If-Modified-Since``, and a ``304 Not Modified`` reaches the spider (which reports
  the article as seen) instead of being dropped as an HTTP error.
* :class:`RetryAfterMiddleware` is Scrapy's retry with manners: a 503 or 429 that says
  ``Retry-After`` is retried no sooner than asked, and not at all when the server asks
  for longer than ``POSTWATCH_RETRY_AFTER_MAX`` seconds -- hammering it sooner would be
  rude, and waiting an hour would stall the run.
* :class:`RedirectLoopMiddleware` notices a redirect that comes back to a URL already
  visited. Scrapy's own guard only counts hops, and its duplicate filter silently drops
  the looping request, so without this a loop would vanish from the crawl's record.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from w3lib.url import safe_url_string

from spiders.jsonl import read_jsonl
from spiders.urls import AddressPolicy, canonicalize

logger = logging.getLogger(__name__)

# request.meta keys set here and read by the spider
KNOWN_URL = "postwatch_known_url"  # the stored article's URL this conditional request revalidates
RETRY_AFTER = "postwatch_retry_after"  # seconds the server asked us to wait (last 503/429)
RETRY_AFTER_REFUSED = "postwatch_retry_after_refused"  # True: that wait was over the cap, not retried
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class RedirectLoop(IgnoreRequest):
    """A redirect led back to a URL this request had already been redirected from."""


def read_known(path: Path | str) -> dict[str, tuple[str | None, str | None]]:
    """``{canonical url: (etag, last_modified)}`` from a known-articles JSONL file;
    entries with neither validator are left out (there is nothing to send)."""
    known: dict[str, tuple[str | None, str | None]] = {}
    for record in read_jsonl(path):
        etag, modified = record.get("etag") or None, record.get("last_modified") or None
        if record.get("url") and (etag or modified):
            known[canonicalize(record["url"])] = (etag, modified)
    return known


class ConditionalGetMiddleware:
    """Send validators for articles the caller already holds; let their 304s through."""

    def __init__(self, known: dict[str, tuple[str | None, str | None]]) -> None:
        self.known = known

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        path = crawler.settings.get("POSTWATCH_KNOWN_PATH")
        known = read_known(path) if path else {}
        if path:
            logger.info("conditional requests for %d known articles from %s", len(known), path)
        return cls(known)

    def process_request(self, request: Request) -> None:
        if not self.known or b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        url = canonicalize(request.url)
        validators = self.known.get(url)
        if validators is None:
            return
        etag, modified = validators
        if etag:
            request.headers["If-None-Match"] = etag
        if modified:
            request.headers["If-Modified-Since"] = modified
        request.meta[KNOWN_URL] = url
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", []), 304]


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours ``Retry-After`` up to ``POSTWATCH_RETRY_AFTER_MAX`` seconds."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("POSTWATCH_RETRY_AFTER_MAX", 60.0)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response)
        if wait is not None:
            request.meta[RETRY_AFTER] = wait
            if wait > self.max_wait:
                request.meta[RETRY_AFTER_REFUSED] = True
                return response  # becomes an HTTP error; the spider records it
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait:
            await sleep(wait)
        return retry


def retry_after_seconds(response: Response, now: float | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for (delay-seconds or an HTTP date), or None."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    value = raw.decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RedirectLoopMiddleware:
    """Fail a request whose redirect points back along its own chain (A -> B -> A).

    Sits outside RedirectMiddleware (a higher order number), so it sees the 3xx first."""

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_STATUSES or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = safe_url_string(response.urljoin(location))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            hops = " -> ".join([*chain[chain.index(target):], target])
            raise RedirectLoop(f"redirect loop: {hops}")
        return response


class AddressRefused(IgnoreRequest):
    """The request's host is an address the crawl must not connect to."""


class AddressPolicyMiddleware:
    """Applies :class:`spiders.urls.AddressPolicy` to every request before it is sent.

    Host names are resolved in a thread (the reactor must not wait on DNS), once per
    host per crawl. The policy is made at the first request, from the spider's start URLs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressPolicyMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if reason := await self._refusal(request.url, request):
            logger.info("address refused %s: %s", request.url, reason)
            raise AddressRefused(reason)

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_STATUSES or b"Location" not in response.headers:
            return response
        target = safe_url_string(response.urljoin(response.headers[b"Location"].decode("latin-1")))
        if reason := await self._refusal(target, request):
            logger.info("address refused %s -> %s: %s", request.url, target, reason)
            raise AddressRefused(f"redirect to {target} refused: {reason}")
        return response

    async def _refusal(self, url: str, request: Request) -> str | None:
        from twisted.internet.threads import deferToThread

        if self.policy is None:
            starts = getattr(self.crawler.spider, "start_urls", None) or [request.url]
            self.policy = await maybe_deferred_to_future(deferToThread(AddressPolicy, starts))
        return await maybe_deferred_to_future(deferToThread(self.policy.refusal, url))
