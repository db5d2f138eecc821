"""The one shape an article has between fetching and the warehouse.

Web crawls and local archives both yield ``ArticleItem``s and send them through the
same item pipelines, so an article looks the same whichever way it arrived.
"""

from scrapy import Field, Item


class ArticleItem(Item):
    url = Field()  # canonical URL: the article's identity across runs
    title = Field()  # headline or None
    published = Field()  # ISO date "YYYY-MM-DD" or None
    text = Field()  # body as plain text, paragraphs separated by blank lines
    source = Field()  # where it came from: the site's host, or "archive:<file name>"
    content_hash = Field()  # sha256 hex of title and text; a change means re-extract
    fetched_at = Field()  # ISO 8601 UTC timestamp
    etag = Field()  # HTTP ETag, for conditional GETs next time (or None)
    last_modified = Field()  # HTTP Last-Modified (or None)
    fetch_reason = Field()  # why this run fetched it: new, start, lastmod, updated, scheduled, recheck (spiders/revisit.py)
    next_due = Field()  # ISO 8601 UTC time the revisit schedule fetches it again, or None


class CrawlErrorItem(Item):
    """A page that could not become an article; it is recorded, and the crawl goes on."""

    url = Field()
    kind = Field()  # short machine name: "http_404", "timeout", "not_html", "too_short", ...
    status = Field()  # HTTP status or None
    message = Field()  # one human line
    time = Field()  # ISO 8601 UTC


class NotModifiedItem(Item):
    """A known article the server answered with ``304 Not Modified``: it was seen, and
    nothing about it needs fetching or extracting again."""

    url = Field()  # the stored article's canonical URL
    time = Field()  # ISO 8601 UTC
    fetch_reason = Field()  # why it was asked for this run (spiders/revisit.py)
    next_due = Field()  # when the revisit schedule asks for it again, or None


class LeftAloneItem(Item):
    """A known article that a listing, feed or sitemap still names and that the revisit
    policy did not fetch this run (no sign of change, not due): seen, unchanged."""

    url = Field()  # the stored article's canonical URL
    time = Field()  # ISO 8601 UTC
