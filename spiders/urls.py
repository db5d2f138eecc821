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

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


# -- which addresses a crawl may reach ---------------------------------------------------
# A crawler follows links and redirects that strangers wrote, so where it connects is a
# policy, not an accident. Cloud metadata services (which hand out credentials) and
# link-local addresses are never fetched. Private and loopback addresses are fetched
# only for a start URL's own host that is itself private or loopback (a crawl of an
# intranet or of a test server the user named), so a public site cannot redirect or
# link the crawler into the network it runs in.
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                            "instance-data.ec2.internal"})
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"))
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: inside someone's network
FORBIDDEN, INTERNAL, PUBLIC = "forbidden", "internal", "public"
Resolver = Callable[[str], list[IPAddress]]


def address_class(address: IPAddress) -> str:
    """FORBIDDEN (metadata, link-local, multicast, unspecified, reserved), INTERNAL
    (loopback, private, shared) or PUBLIC. An IPv4 address written as IPv6 counts as itself."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES or address.is_link_local:
        return FORBIDDEN
    if address.is_loopback:
        return INTERNAL
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return FORBIDDEN
    if address.is_private or getattr(address, "is_site_local", False) or (
            address.version == 4 and address in SHARED_ADDRESS_SPACE):
        return INTERNAL
    return PUBLIC


def resolve_host(host: str) -> list[IPAddress]:
    """Every address *host* resolves to (an address literal, in any spelling, to itself)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}, key=str)


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class AddressPolicy:
    """Decides, per host, whether a crawl started at *start_urls* may connect there.
    *resolve* is :func:`resolve_host` (tests pass a table instead of using DNS)."""

    def __init__(self, start_urls: Iterable[str], resolve: Resolver = resolve_host) -> None:
        self.resolve = resolve
        self._verdicts: dict[str, str | None] = {}
        self.internal_hosts: set[str] = set()
        for url in start_urls:
            host = _host(url)
            try:
                classes = {address_class(a) for a in self.resolve(host)} if host else set()
            except (OSError, UnicodeError, ValueError):
                continue
            if classes == {INTERNAL}:
                self.internal_hosts.add(host)

    def refusal(self, url: str) -> str | None:
        """Why *url* must not be fetched, or None when it may be (or its host does not
        resolve: the download then fails and is reported as unreachable)."""
        host = _host(url)
        if host not in self._verdicts:
            self._verdicts[host] = self._judge(host)
        return self._verdicts[host]

    def _judge(self, host: str) -> str | None:
        if host in METADATA_HOSTS:
            return f"{host} is a cloud metadata service; never fetched"
        try:
            addresses = self.resolve(host)
        except (OSError, UnicodeError, ValueError):
            return None
        for address in addresses:
            kind = address_class(address)
            if kind == FORBIDDEN:
                return f"{_named(host, address)} is a link-local, metadata or reserved address; never fetched"
            if kind == INTERNAL and host not in self.internal_hosts:
                return (f"{_named(host, address)} is a private or loopback address and no start URL is there; "
                        f"only a start URL's own private host is fetched")
        return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def _named(host: str, address: IPAddress) -> str:
    return host if host.strip("[]") == str(address) else f"{host} ({address})"
