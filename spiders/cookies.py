"""The user's own session cookies for subscriber sites, sent to those sites only.

Leadership news that matters is often behind a paywall its readers pay for. A user
exports their browser's cookies as a Netscape ``cookies.txt`` and passes it with
``postwatch crawl --cookies FILE``; :class:`SiteCookiesMiddleware` adds to each request
the cookies whose domain, path and ``secure`` flag match it (RFC 6265 domain matching,
as a browser would), and no others -- so a session cookie of one publisher never
reaches another site, and a redirect to another host loses the header. Scrapy's own
cookie middleware stays off (its jar would also keep cookies sites set on us).

Cookie values are secrets: they are never logged (only how many cookies for how many
sites), never written to the crawl's output files, never stored in the warehouse.
"""

from __future__ import annotations

import logging
import time
from http.cookiejar import Cookie, LoadError, MozillaCookieJar
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

logger = logging.getLogger(__name__)


class CookiesFileError(ValueError):
    """The cookies file cannot be read; the message says how to get a good one."""


def read_cookies(path: Path | str) -> list[Cookie]:
    """The unexpired cookies of a Netscape cookies.txt (``#HttpOnly_`` lines included)."""
    jar = MozillaCookieJar()
    try:
        jar.load(str(path), ignore_discard=True, ignore_expires=False)
    except (LoadError, OSError, ValueError, IndexError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CookiesFileError(f"{path} is not a Netscape cookies.txt ({reason[:120]}); "
                               "export your cookies from the browser in Netscape format and pass that file") from None
    now = time.time()
    return [cookie for cookie in jar if not cookie.is_expired(now)]


def domain_matches(host: str, cookie: Cookie) -> bool:
    """RFC 6265 5.1.3: the host is the cookie's domain, or (for a domain cookie, written
    with a leading dot) a subdomain of it."""
    host = host.lower().rstrip(".")
    domain = cookie.domain.lower().lstrip(".")
    if host == domain:
        return True
    return cookie.domain.startswith(".") and host.endswith("." + domain)


def cookie_header(url: str, cookies: list[Cookie]) -> str | None:
    """The ``Cookie`` header a browser would send to *url* from *cookies*, or None."""
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path or "/"
    chosen = [c for c in cookies if domain_matches(host, c)
              and (path == c.path or path.startswith(c.path.rstrip("/") + "/") or c.path in ("", "/"))
              and (not c.secure or parts.scheme == "https")]
    chosen.sort(key=lambda c: len(c.path or ""), reverse=True)  # longer paths first, as RFC 6265 5.4 asks
    return "; ".join(f"{c.name}={c.value}" for c in chosen) or None


class SiteCookiesMiddleware:
    """Send the user's cookies (``POSTWATCH_COOKIES_PATH``) to the sites they belong to."""

    def __init__(self, cookies: list[Cookie]) -> None:
        self.cookies = cookies

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteCookiesMiddleware:
        path = crawler.settings.get("POSTWATCH_COOKIES_PATH")
        if not path:
            raise NotConfigured("no cookies file given")
        cookies = read_cookies(path)
        logger.info("sending %d cookies for %d sites from a cookies file", len(cookies),
                    len({c.domain.lstrip(".") for c in cookies}))
        return cls(cookies)

    def process_request(self, request: Request) -> None:
        request.headers.pop(b"Cookie", None)  # e.g. copied onto a redirect to another host
        header = cookie_header(request.url, self.cookies)
        if header:
            request.headers[b"Cookie"] = header
