"""Turn one saved or fetched HTML page into an article, or decide it is not one.

Every site is different and we will add sites without writing code for them, so
nothing here knows any site's markup. The body and headline come from trafilatura's
boilerplate removal; the published date from trafilatura's metadata pass, which uses
htmldate in "original date" mode (``datePublished``, ``article:published_time``,
``<time>``, never ``dateModified``). Whether a page *is* an article is decided from
signals every CMS emits -- ``og:type=article``, schema.org Article types in JSON-LD or
microdata -- and, when a page declares nothing, from its shape: a listing page is a
stack of teasers whose headings are links, an article is prose under one headline.

The headline is the article's own, chosen among the page's JSON-LD ``headline``,
``og:title``, ``<h1>`` and ``<title>`` by the rules in :mod:`spiders.headline`, with a
site name or byline around it cut off (``og:site_name``, the JSON-LD publisher and
author, or the host name). The published day likewise
comes first from the page's own article (JSON-LD, then microdata ``datePublished``; a
live blog's first published date, not its latest update), and only then from
htmldate, which may pick a date from anywhere in the page.

The body keeps its paragraphs, one blank line between them, because the extractors
downstream quote and split by paragraph.
"""

from __future__ import annotations

import hashlib
import html as html_entities
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from collections.abc import Sequence
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from spiders.headline import choose_headline, one_line, stated_headlines, strip_title_ends, title_ends
from spiders.urls import canonicalize

__all__ = ["MIN_ARTICLE_WORDS", "PageAnalysis", "analyse_page", "content_hash", "extract_article", "title_ends"]

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
# Elements of trafilatura's output tree that are blocks of their own (a paragraph break on each side).
BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "div", "code", "item", "row"})
# Use the JSON-LD articleBody when it has this many times the words extracted, and
# holds this share of them (see _fuller_declared_body).
DECLARED_BODY_RATIO = 1.5
DECLARED_BODY_COVERAGE = 0.9
PAYWALL_STUB_WORDS = 2 * MIN_ARTICLE_WORDS  # a paywalled page with less text shows only its teaser


@dataclass(frozen=True)
class PageAnalysis:
    """What a page turned out to be. ``kind`` is "article", "too_short", "listing",
    "paywalled" (declares paid content, ``isAccessibleForFree: false``, and shows fewer
    than ``PAYWALL_STUB_WORDS`` words: a teaser) or "malformed" (not parseable as HTML at all);
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


def analyse_page(html: bytes | str, url: str, site_names: Sequence[str] = ()) -> PageAnalysis:
    """Like :func:`extract_article`, but says why a page is not an article. *site_names*
    are names the caller has seen repeated in the site's page titles (see
    :func:`title_ends`), cut from the title like the page's own declared site name."""
    tree = load_html(html)
    if tree is None:
        return PageAnalysis("malformed", "page could not be parsed as HTML")
    signals = _page_signals(tree, url, site_names)  # before trafilatura, which prunes the tree it is given
    _space_empty_elements(tree)
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
        if signals["paywalled"]:
            return PageAnalysis("paywalled", "the page declares paid content and shows no text")
        return PageAnalysis("too_short", "no main text found")
    title = signals["headline"] or strip_title_ends(one_line(document.title), signals["site_names"], url) or None
    text = _fuller_declared_body(_paragraph_text(document.body, [title or "", *signals["stated_headlines"]]),
                                 signals["article_body"])
    words = len(text.split())
    if signals["paywalled"] and words < PAYWALL_STUB_WORDS:
        return PageAnalysis("paywalled", f"the page declares paid content (isAccessibleForFree false) and shows "
                                         f"only {words} words of it")
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
        "published": signals["published"] or document.date or None,
        "text": text,
        "canonical": canonicalize(url, signals["canonical_href"] or signals["og_url"]),
    }
    return PageAnalysis("article", f"article of {words} words", article)


def _space_empty_elements(tree: HtmlElement) -> None:
    """An empty element between two runs of text (a ``<span class="br">`` styled as a
    line break) separates them on screen; trafilatura drops it, so a space is put in its
    place, or the words on either side would run together."""
    for element in tree.iter():
        tail = element.tail or ""
        if not tail[:1].isspace() and not (element.text or "").strip() and len(element) == 0:
            element.tail = " " + tail


def _fuller_declared_body(text: str, declared: str | None) -> str:
    """The page's own JSON-LD ``articleBody`` instead of the extracted text when the
    extraction is evidently a part of it: the declared body is half as long again and
    holds (nearly) every word extracted -- boilerplate removal then dropped real text,
    as happens on long features split over many containers. Otherwise the extraction,
    which keeps its paragraphs and leaves out what JSON-LD bodies often carry extra."""
    if not declared:
        return text
    blocks = [_flat_text(html_entities.unescape(block)) for block in re.split(r"\n\s*\n", declared)]
    body = "\n\n".join(block for block in blocks if block)
    extracted, offered = text.lower().split(), Counter(body.lower().split())
    if len(offered) == 0 or sum(offered.values()) < DECLARED_BODY_RATIO * len(extracted):
        return text
    held = sum((Counter(extracted) & offered).values())
    return body if extracted and held >= DECLARED_BODY_COVERAGE * len(extracted) else text


def content_hash(title: str | None, text: str | None) -> str:
    """sha256 hex of headline and body with all whitespace runs collapsed, so a
    re-wrapped or re-indented page hashes the same and only a wording change differs."""
    normalised = " ".join((title or "").split()) + "\n" + " ".join((text or "").split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _paragraph_text(body: Any, headlines: Sequence[str]) -> str:
    """trafilatura's body tree as plain text: blocks separated by a blank line, line
    breaks inside a block (``<br>``) kept as single newlines, a list as one block of
    ``- item`` lines.

    trafilatura's own text output separates blocks with a single newline (or adds
    markdown when asked for formatting), so the blocks are joined here instead.
    """
    blocks = [block for block in _blocks(body) if block]
    if blocks and blocks[0].casefold() in {headline.casefold() for headline in headlines if headline}:
        blocks = blocks[1:]  # a headline the page states (the title or another), not the first paragraph
    return "\n\n".join(blocks)


def _blocks(element: Any) -> list[str]:
    """The text blocks of *element*. A block that holds other blocks (a quote or a
    wrapper with paragraphs in it, or text between paragraphs) is split at each of
    them, so words on either side of a block boundary never run together."""
    if element.tag == "list":
        return ["\n".join(f"- {_flat(item)}" for item in element.iter("item") if _flat(item))]
    if element.tag == "table":
        return [" | ".join(_flat(cell) for cell in row.iter("cell")) for row in element.iter("row")]
    if not any(child.tag in BLOCK_TAGS for child in element):
        return [_flat(element)]
    blocks: list[str] = []
    inline = [(element.text or "").replace("\n", " ")]
    for child in element:
        if child.tag in BLOCK_TAGS:
            blocks.append(_flat_text("".join(inline)))
            blocks += _blocks(child)
            inline = []
        else:
            inline.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        inline.append((child.tail or "").replace("\n", " "))
    blocks.append(_flat_text("".join(inline)))
    return [block for block in blocks if block]


def _flat(element: Any) -> str:
    """Text of one block: whitespace collapsed within lines, ``<lb/>`` as a newline."""
    return _flat_text(_text_with_breaks(element))


def _flat_text(text: str) -> str:
    return "\n".join(line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line)


def _text_with_breaks(element: Any) -> str:
    # Source newlines are layout, not content: only <lb/> makes a line break.
    parts = [(element.text or "").replace("\n", " ")]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append((child.tail or "").replace("\n", " "))
    return "".join(parts)


def _page_signals(tree: HtmlElement, url: str, learned_names: Sequence[str] = ()) -> dict[str, Any]:
    """Generic hints about what kind of page this is, read from the unmodified tree."""
    og_types = {v.strip().lower() for v in tree.xpath('//meta[@property="og:type" or @name="og:type"]/@content')}
    nodes = _json_ld_nodes(tree)
    schema_types = {t for node in nodes for t in _types(node)} | {
        t.rstrip("/").rsplit("/", 1)[-1].lower() for t in tree.xpath("//*[@itemtype]/@itemtype")
    }
    canonical = tree.xpath('//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", '
                           '"canonical")), " "), " canonical ")]/@href')
    og_url = tree.xpath('//meta[@property="og:url" or @name="og:url"]/@content')
    own = _own_article(nodes)
    site_names = [one_line(name) for name in (
        *learned_names, *tree.xpath('//meta[@property="og:site_name" or @name="application-name"]/@content'),
        *_names(own.get("publisher") if own else None)) if one_line(name)]
    authors = [one_line(name) for name in (*tree.xpath('//meta[@name="author"]/@content'),
                                           *_names(own.get("author") if own else None)) if one_line(name)]
    return {
        "headline": choose_headline(tree, own, site_names, url, authors),
        "stated_headlines": [text for text in stated_headlines(tree, own) if text],
        "site_names": site_names,
        "published": _own_published(tree, own),
        "og_url": og_url[0].strip() if og_url and og_url[0].strip() else None,
        "article_body": own.get("articleBody") if own and isinstance(own.get("articleBody"), str) else None,
        "paywalled": any(_not_free(node.get("isAccessibleForFree")) for node in nodes),
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


def _json_ld_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    """The page's JSON-LD objects in document order (top level, @graph, mainEntity);
    nested values such as the publisher do not describe the page."""
    nodes: list[dict[str, Any]] = []
    pending: list[Any] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            pending.append(json.loads(script, strict=False))
        except ValueError:
            logger.debug("ignoring JSON-LD that does not parse")
    pending.reverse()
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(reversed(node))
        elif isinstance(node, dict):
            nodes.append(node)
            pending.extend(reversed([node[key] for key in ("@graph", "mainEntity") if key in node]))
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("@type", [])
    return {str(t).lower() for t in (declared if isinstance(declared, list) else [declared])}


def _own_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The page's own article among its JSON-LD objects: the first of an article type
    with a headline (a live blog's posting, not the updates nested in it)."""
    articles = [node for node in nodes if _types(node) & ARTICLE_TYPES]
    return next((node for node in articles if isinstance(node.get("headline"), str)), articles[0] if articles else None)


def _names(declared: Any) -> list[str]:
    """The names in a JSON-LD person or organisation value: a name, an object with one, or a list of them."""
    values = declared if isinstance(declared, list) else [declared]
    return [v if isinstance(v, str) else v.get("name") for v in values
            if isinstance(v, str) or (isinstance(v, dict) and isinstance(v.get("name"), str))]


def _own_published(tree: HtmlElement, own: dict[str, Any] | None) -> str | None:
    """The published day the page's own article declares (JSON-LD, a live blog's start
    of coverage, then microdata), as ``YYYY-MM-DD`` in the page's own time zone."""
    candidates = [own.get(key) for key in ("datePublished", "coverageStartTime", "dateCreated")] if own else []
    candidates += tree.xpath('//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content')
    for value in candidates:
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value.strip()):
            day = value.strip()[:10]
            try:
                if date.fromisoformat(day) <= date.today() + timedelta(days=1):
                    return day
            except ValueError:
                continue
    return None


def _not_free(value: Any) -> bool:
    """schema.org ``isAccessibleForFree`` saying no (as true/false or a string)."""
    return value is False or (isinstance(value, str) and value.strip().lower() in ("false", "no", "0"))
