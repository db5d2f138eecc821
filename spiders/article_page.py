"""Turn one saved or fetched HTML page into an article, or decide it is not one.

Every site is different and we will add sites without writing code for them, so
nothing here knows any site's markup. The body and headline come from trafilatura's
boilerplate removal; the published date from trafilatura's metadata pass, which uses
htmldate in "original date" mode (``datePublished``, ``article:published_time``,
``<time>``, never ``dateModified``). Whether a page *is* an article is decided from
signals every CMS emits -- ``og:type=article``, schema.org Article types in JSON-LD or
microdata -- and, when a page declares nothing, from its shape: a listing page is a
stack of teasers whose headings are links, an article is prose under one headline.

The body keeps its paragraphs, one blank line between them, because the extractors
downstream quote and split by paragraph.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from spiders.urls import canonicalize

logger = logging.getLogger(__name__)

MIN_ARTICLE_WORDS = 80
# Headings that are (almost) all link text: a listing's teasers. An article has one
# headline that links nowhere; three or more linked headings is a list of stories.
MIN_TEASER_HEADINGS = 3
MIN_ARTICLE_ELEMENTS = 3  # several <article> elements on one page: cards in a list
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
        "askpublicnewsarticle", "blogposting", "liveblogposting", "report",
    }
)
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})


@dataclass(frozen=True)
class PageAnalysis:
    """What a page turned out to be. ``kind`` is "article", "too_short", "listing" or
    "malformed" (not parseable as HTML at all);
    ``article`` is set only for articles; ``reason`` is one human line."""

    kind: str
    reason: str
    article: dict[str, Any] | None = None


def extract_article(html: bytes | str, url: str) -> dict[str, Any] | None:
    """The article on the page, or None when the page is not an article.

    Returns ``{"title", "published" ("YYYY-MM-DD" or None), "text" (paragraphs
    separated by a blank line), "canonical"}``. *url* is where the page was fetched
    from (or a ``file://`` URL); it resolves relative links and is the fallback
    identity when the page has no usable canonical link.
    """
    return analyse_page(html, url).article


def analyse_page(html: bytes | str, url: str) -> PageAnalysis:
    """Like :func:`extract_article`, but says why a page is not an article."""
    tree = load_html(html)
    if tree is None:
        return PageAnalysis("malformed", "page could not be parsed as HTML")
    signals = _page_signals(tree)  # before trafilatura, which prunes the tree it is given
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        date_extraction_params={
            "original_date": True,  # datePublished, not dateModified or Last-Modified
            "extensive_search": False,  # no guessing from stray dates in the text or the footer
            "max_date": (date.today() + timedelta(days=1)).isoformat(),
        },
    )
    if document is None or document.body is None:
        return PageAnalysis("too_short", "no main text found")
    title = " ".join((document.title or "").split()) or None
    text = _paragraph_text(document.body, title)
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        return PageAnalysis("too_short", f"main text has {words} words (fewer than {MIN_ARTICLE_WORDS})")
    if not signals["article_markup"]:
        if signals["listing_markup"]:
            return PageAnalysis("listing", "page declares itself a collection of items (schema.org)")
        if signals["teaser_headings"] >= MIN_TEASER_HEADINGS or signals["article_elements"] >= MIN_ARTICLE_ELEMENTS:
            return PageAnalysis(
                "listing",
                f"looks like a listing ({signals['teaser_headings']} linked headings, "
                f"{signals['article_elements']} <article> elements) and declares no article",
            )
    article = {
        "title": title,
        "published": document.date or None,
        "text": text,
        "canonical": canonicalize(url, signals["canonical_href"]),
    }
    return PageAnalysis("article", f"article of {words} words", article)


def content_hash(title: str | None, text: str | None) -> str:
    """sha256 hex of headline and body with all whitespace runs collapsed, so a
    re-wrapped or re-indented page hashes the same and only a wording change differs."""
    normalised = " ".join((title or "").split()) + "\n" + " ".join((text or "").split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _paragraph_text(body: Any, title: str | None) -> str:
    """trafilatura's body tree as plain text: blocks separated by a blank line, line
    breaks inside a block (``<br>``) kept as single newlines, a list as one block of
    ``- item`` lines.

    trafilatura's own text output separates blocks with a single newline (or adds
    markdown when asked for formatting), so the blocks are joined here instead.
    """
    blocks: list[str] = []
    for element in body:
        if element.tag == "list":
            blocks.append("\n".join(f"- {_flat(item)}" for item in element.iter("item") if _flat(item)))
        elif element.tag == "table":
            blocks += [" | ".join(_flat(cell) for cell in row.iter("cell")) for row in element.iter("row")]
        else:
            blocks.append(_flat(element))
    blocks = [block for block in blocks if block]
    if blocks and title and blocks[0].casefold() == title.casefold():
        blocks = blocks[1:]  # the headline is the title, not the first paragraph
    return "\n\n".join(blocks)


def _flat(element: Any) -> str:
    """Text of one block: whitespace collapsed within lines, ``<lb/>`` as a newline."""
    lines = _text_with_breaks(element).split("\n")
    return "\n".join(line for line in (" ".join(raw.split()) for raw in lines) if line)


def _text_with_breaks(element: Any) -> str:
    # Source newlines are layout, not content: only <lb/> makes a line break.
    parts = [(element.text or "").replace("\n", " ")]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append((child.tail or "").replace("\n", " "))
    return "".join(parts)


def _page_signals(tree: HtmlElement) -> dict[str, Any]:
    """Generic hints about what kind of page this is, read from the unmodified tree."""
    og_types = {v.strip().lower() for v in tree.xpath('//meta[@property="og:type" or @name="og:type"]/@content')}
    schema_types = _json_ld_types(tree) | {
        t.rstrip("/").rsplit("/", 1)[-1].lower() for t in tree.xpath("//*[@itemtype]/@itemtype")
    }
    canonical = tree.xpath('//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", '
                           '"canonical")), " "), " canonical ")]/@href')
    return {
        "article_markup": "article" in og_types or bool(schema_types & ARTICLE_TYPES),
        "listing_markup": bool(schema_types & LISTING_TYPES),
        "teaser_headings": sum(1 for h in tree.xpath("//h1|//h2|//h3|//h4") if _is_link_heading(h)),
        "article_elements": len(tree.xpath("//article")),
        "canonical_href": canonical[0].strip() if canonical else None,
    }


def _is_link_heading(heading: HtmlElement) -> bool:
    text = " ".join(heading.text_content().split())
    linked = " ".join(" ".join(a.text_content().split()) for a in heading.xpath(".//a[@href]"))
    return bool(text) and len(linked) >= 0.8 * len(text)


def _json_ld_types(tree: HtmlElement) -> set[str]:
    """Lower-cased schema.org @type values of the page's JSON-LD (top level, @graph,
    mainEntity); nested values such as the publisher's type do not describe the page."""
    types: set[str] = set()
    pending: list[Any] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            pending.append(json.loads(script, strict=False))
        except ValueError:
            logger.debug("ignoring JSON-LD that does not parse")
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            declared = node.get("@type", [])
            types.update(str(t).lower() for t in (declared if isinstance(declared, list) else [declared]))
            pending.extend(node[key] for key in ("@graph", "mainEntity") if key in node)
    return types
