"""What a response is, judged from its body rather than its URL (a feed, a sitemap, HTML,
robots.txt), and the body read safely: gunzipped when it is a .gz file, parsed as XML
without entity expansion or network access, checked for bytes that do not match its
declared encoding."""

from __future__ import annotations

import io
from typing import Any

from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip

FEED_ROOTS = {"rss", "feed", "rdf"}
SITEMAP_ROOTS = {"urlset", "sitemapindex"}
ROBOTS_FIELDS = (b"user-agent:", b"disallow:", b"allow:", b"sitemap:", b"crawl-delay:")


def sniff(response: Response, body: bytes) -> str:
    """What a response is, judged from its content: a feed or sitemap root element
    ("rss", "feed", "rdf", "urlset", "sitemapindex"), "html", "robots", or else a
    description such as "XML <foo>" or the Content-Type ("application/pdf")."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
    if head.startswith(b"<"):
        root = _xml_root_name(body)
        if root in FEED_ROOTS or root in SITEMAP_ROOTS:
            return root
        lowered = head.lower()
        if root == "html" or "html" in content_type or lowered.startswith((b"<!doctype html", b"<html")):
            return "html"
        if root:
            return f"XML <{root}>"
    if "html" in content_type:
        return "html"  # not markup at all, yet declared HTML: parse_html says it is malformed
    lines = [line.strip().lower() for line in head.splitlines()]
    meaningful = [line for line in lines if line and not line.startswith(b"#")]
    if meaningful and meaningful[0].startswith(ROBOTS_FIELDS):
        return "robots"
    return content_type or "binary"


def _xml_root_name(body: bytes) -> str | None:
    try:
        for _event, element in etree.iterparse(io.BytesIO(body), events=("start",), resolve_entities=False,
                                               no_network=True, recover=True, huge_tree=False):
            return etree.QName(element).localname.lower()
    except (etree.XMLSyntaxError, ValueError):
        return None
    return None


def decoded_body(response: Response, max_size: int) -> bytes:
    """The body, gunzipped when it is a gzip file (sitemap.xml.gz) rather than a
    gzip-encoded transfer, which Scrapy already undoes."""
    if response.body[:2] == b"\x1f\x8b":
        return gunzip(response.body, max_size=max_size)
    return response.body


def xml_problem(body: bytes) -> str | None:
    """Why *body* is not well-formed XML (lxml's first complaint), or None when it is."""
    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        etree.fromstring(body, parser=strict)
    except etree.XMLSyntaxError as error:
        return str(error)
    return None


def mis_decoded(response: Response, article: dict[str, Any]) -> bool:
    """True when the article's text has U+FFFD replacement characters that are not in
    the page itself: its bytes are not in the encoding it was decoded with."""
    text = (article.get("title") or "") + (article.get("text") or "")
    return "\ufffd" in text and "\ufffd".encode("utf-8") not in response.body


def xml_parser() -> etree.XMLParser:
    # No entity expansion, no network access: feeds are untrusted input.
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


def response_header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
