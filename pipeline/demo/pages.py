"""The demo site's pages: HTML in the shape a trade-press site uses (navigation, cookie
notice, byline, ``<time>``, Open Graph and JSON-LD, related links, a boilerplate footer),
listings, an RSS feed, a sitemap and robots.txt. Kept apart from the serving in
``site.py``: what a page says changes for different reasons than how it is served."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from string import Template
from typing import Any

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



class Pages:
    """Renders the pages of the site whose ``articles`` (newest first) and ``url`` it is mixed into."""

    articles: list[dict[str, Any]]
    url: str

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


def _summary(text: str, words: int) -> str:
    tokens = text.split()
    return " ".join(tokens[:words]) + (" ..." if len(tokens) > words else "")


def _human_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _json_for_html(data: Any) -> str:
    # "</script>" inside a string would end the script element early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
