"""One spelling per article URL.

The warehouse keys articles by URL, so the same story reached through a newsletter
link (``?utm_source=...``), a feed (``#comments``) or with a different host case must
collapse to one string, or it would be stored and alerted on twice. Publishers state
the preferred address with ``<link rel="canonical">``; we trust it only when it points
at the same host, because a canonical link to another site is either syndication
(the article is still *this* site's copy) or a mistake, and following it would let a
page claim any identity it likes.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

# Query parameters that identify a click, not a page. Exact names, then prefixes.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "rb_clickid", "s_cid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = ("http", "https")


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only record where a click came from."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def site_host(url: str) -> str:
    """The host name that stands for a site: lower case, no port, no leading ``www.``.

    ``www.example.org`` and ``example.org`` are the same publisher almost everywhere,
    so both the spider's same-site rule and the canonical-link rule compare these.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def canonicalize(url: str, canonical_href: str | None = None) -> str:
    """Return the one spelling of *url* that identifies the page across runs.

    *canonical_href* is the page's ``<link rel="canonical">`` (absolute or relative);
    it replaces *url* when it is an http(s) address on the same site, or when *url*
    itself is not a web address (a saved ``file://`` page, whose canonical link is
    the best identity it has). Then: scheme and host lower case, default port
    dropped, fragment dropped, tracking parameters dropped, the remaining query
    parameters sorted, and an empty path written as ``/``.
    """
    chosen = url.strip()
    if canonical_href and canonical_href.strip():
        candidate = urljoin(chosen, canonical_href.strip())
        if urlsplit(candidate).scheme.lower() in WEB_SCHEMES and (
            urlsplit(chosen).scheme.lower() not in WEB_SCHEMES
            or site_host(candidate) == site_host(chosen)
        ):
            chosen = candidate

    parts = urlsplit(chosen)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))

    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"

    # Pairs are kept as written (not decoded and re-encoded), so the server still
    # receives exactly the bytes it linked to; only their order changes.
    pairs = [pair for pair in parts.query.split("&") if pair]
    kept = [p for p in pairs if not is_tracking_param(unquote_plus(p.split("=", 1)[0]))]
    query = "&".join(sorted(kept))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
