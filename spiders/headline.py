"""Which of the headlines a page states is the article's own, and in which spelling.

A news page states its headline up to four times: the JSON-LD ``headline`` of its own
article, ``og:title`` (written for sharing), the ``<h1>`` inside the ``<article>``, and
the ``<title>`` (often with the site name, a section label or a byline around it, and
often an SEO wording of its own). Nothing here knows any site; the rules are about
the kinds of disagreement every CMS produces:

* site names, bylines and the like around a title are cut (:func:`strip_title_ends`);
* a headline that carries a live-coverage label ("Storm LIVE: ...") is the running
  banner of a live blog, so a source without the label names the story;
* otherwise the wording most of JSON-LD, og:title and the ``<h1>`` agree on wins,
  the JSON-LD one when no two agree;
* a source that says the winning headline with words left out (and nothing added or
  reworded) is the headline proper: the longer one is it with a strap or a qualifier
  added for display or search;
* the spelling of quotes follows most sources, the ``<title>`` included; on a tie the
  plain one wins, since "smart" quotes are what a CMS renders from what was typed.
"""

from __future__ import annotations

import html as html_entities
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# " | Site", " - Site", "Site: " ...: how a page title joins a headline and the site name.
TITLE_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014\u00b7:\u2022/]{1,2}\s+")
# A live blog's banner: "LIVE" as a word in capitals, or a "live" ("live updates", "live blog")
# label opening the headline ("Storm live: ...") or closing it ("... - live").
LIVE_LABEL = re.compile(r"\bLIVE\b|\b[Ll]ive(?: [Uu]pdates| [Bb]log)?\s*[:|\u2013\u2014]"
                        r"|\s[-|\u2013\u2014]\s*[Ll]ive(?: [Uu]pdates| [Bb]log)?$")
# Typographic quotes and the plain ones a CMS renders them from.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
                              "\u201e": '"'})
# A condensed headline keeps most of the longer one's words; fewer is a fragment (a kicker, a label).
MIN_CONDENSED_SHARE = 0.6
MIN_CONDENSED_WORDS = 4


def one_line(text: Any) -> str:
    """Entities decoded (JSON-LD often carries ``&#8217;``), whitespace collapsed."""
    return " ".join(html_entities.unescape(text).split()) if isinstance(text, str) else ""


def letters(text: str) -> str:
    """The letters and digits of *text*, case-folded: two spellings of one wording agree."""
    return re.sub(r"[\W_]+", "", text.casefold())


def title_ends(title: str | None) -> tuple[str, ...]:
    """The first and last parts of a page title joined by separators ("Home | Site"):
    a part repeated across a site's pages is its name, whatever the page declares."""
    parts = TITLE_SEPARATORS.split(one_line(title))
    return (parts[0], parts[-1]) if len(parts) >= 2 else ()


def choose_headline(tree: HtmlElement, own: dict[str, Any] | None, site_names: Sequence[str], url: str,
                    authors: Sequence[str] = ()) -> str | None:
    """The article's own headline; the ``<title>`` (ends cut) when no headline source
    names it, None when there is not even that (the caller then has to guess)."""
    candidates = [strip_title_ends(c, site_names, url, authors) or "" for c in stated_headlines(tree, own)]
    page_title = strip_title_ends(one_line(tree.findtext(".//title")), site_names, url, authors) or ""
    candidates = _without_live_banners(candidates)
    keys = [letters(c) for c in candidates]
    votes = [keys.count(key) if key else 0 for key in keys]
    if not any(votes):
        return page_title or None
    chosen = candidates[votes.index(max(votes))]
    chosen = next((c for c in candidates if c and _condenses(c, chosen)), chosen)
    return _usual_spelling(chosen, [*candidates, page_title])


def stated_headlines(tree: HtmlElement, own: dict[str, Any] | None) -> list[str]:
    """The JSON-LD headline, og:title and ``<h1>`` (inside the ``<article>``, or the
    page's only one) as stated, "" for each the page lacks."""
    inside = [text for text in (one_line(h.text_content()) for h in tree.xpath("//article//h1")) if text]
    anywhere = [text for text in (one_line(h.text_content()) for h in tree.xpath("//h1")) if text]
    og_title = tree.xpath('//meta[@property="og:title" or @name="og:title"]/@content')
    return [one_line(own.get("headline")) if own is not None else "",
            one_line(og_title[0]) if og_title else "",
            (inside or anywhere)[0] if inside or len(anywhere) == 1 else ""]


def _without_live_banners(candidates: list[str]) -> list[str]:
    """Sources with a live-coverage label blanked when another source has none: on a
    live blog the labelled headline is the page's running banner, not the story's."""
    plain = [c for c in candidates if c and not LIVE_LABEL.search(c)]
    if not plain or len(plain) == sum(1 for c in candidates if c):
        return candidates
    return [c if c in plain else "" for c in candidates]


def _words(text: str) -> list[str]:
    return text.translate(PLAIN_QUOTES).casefold().split()


def _condenses(short: str, long: str) -> bool:
    """*short* is *long* with words left out, nothing added or reworded, and keeps most of it."""
    small, large = _words(short), _words(long)
    if not MIN_CONDENSED_WORDS <= len(small) < len(large) or len(small) < MIN_CONDENSED_SHARE * len(large):
        return False
    remaining = iter(large)
    return all(word in remaining for word in small)  # in order: each search resumes where the last stopped


def _usual_spelling(chosen: str, sources: list[str]) -> str:
    """*chosen* in the quote spelling most *sources* use for the same words; on a tie the
    plain one (typographic quotes are rendered from plain ones, not the other way)."""
    plain = chosen.translate(PLAIN_QUOTES)
    spellings = Counter(s for s in sources if s and s.translate(PLAIN_QUOTES) == plain)
    if not spellings:
        return chosen
    return max(spellings, key=lambda s: (spellings[s], s == plain, s == chosen))


def strip_title_ends(title: str | None, site_names: Sequence[str], url: str,
                     authors: Sequence[str] = ()) -> str | None:
    """*title* without the site name or byline at either end ("Headline | Site | by Name",
    "Site - Headline"), recognised from the declared site names, the host name and the
    declared authors; a title that is only those is kept."""
    if not title:
        return title
    sites = {letters(name) for name in site_names} | {letters(label) for label in _host_labels(url)}
    sites.discard("")
    bylines = {letters(name) for name in authors} | {"by" + letters(name) for name in authors}
    bylines -= {"", "by"}
    while True:
        parts = TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            return title
        separators = TITLE_SEPARATORS.findall(title)
        if _names_site(parts[-1], sites) or letters(parts[-1]) in bylines:
            title = title[: len(title) - len(parts[-1]) - len(separators[-1])].strip()
        elif _names_site(parts[0], sites) or letters(parts[0]) in bylines:
            title = title[len(parts[0]) + len(separators[0]):].strip()
        else:
            return title


def _names_site(part: str, keys: set[str]) -> bool:
    text = letters(part)
    return bool(text) and any(text == key or (len(key) >= 4 and (text in key or key in text)) for key in keys)


def _host_labels(url: str) -> list[str]:
    """The distinctive labels of the page's host ("taipeitimes" of www.taipeitimes.com)."""
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp", "news")]
    return [label for label in labels[:-1] if len(label) >= 4]
