"""Item pipelines: every article passes the same checks however it arrived.

Crawls run these inside Scrapy (see ``ITEM_PIPELINES`` in spiders/settings.py); local
archives call the same classes directly (spiders/archive.py), so a rule such as "too
short" or "duplicate" means the same thing for both. Order:

    ValidatePipeline  -> drop what cannot be an article (no url, no text, too short)
    StampPipeline     -> fill content_hash, fetched_at, source where missing
    DedupePipeline    -> drop a second copy (same canonical url or same content)
    JsonlStorePipeline-> crawl only: write articles, crawl errors and not-modified
                         articles as JSON lines

The spider yields ``CrawlErrorItem``s for pages that failed, ``NotModifiedItem``s
for known articles answered with 304 and ``LeftAloneItem``s for known articles the
revisit policy did not fetch; the checks let them pass untouched and the store writes
each kind to its own file. An article a check drops (too short, a
duplicate) is written as a crawl error too, so every page the crawl could not use
leaves a row, not just a log line.

Methods take no ``spider`` argument: Scrapy 2.19 deprecates it (it warns when a
pipeline method requires one).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from typing import IO, Any

from scrapy import Item, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.logformatter import LogFormatter, LogFormatterResult
from scrapy.statscollectors import StatsCollector

from spiders.article_page import MIN_ARTICLE_WORDS, content_hash
from spiders.items import ArticleItem, CrawlErrorItem, LeftAloneItem, NotModifiedItem

logger = logging.getLogger(__name__)


def utc_now() -> str:
    """ISO 8601 UTC timestamp, second precision, e.g. ``2024-05-13T08:00:00+00:00``."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Rejected(DropItem):
    """A dropped article, with the short machine name the crawl error row gets."""

    def __init__(self, kind: str, message: str, log_level: str | None = None) -> None:
        super().__init__(message, log_level=log_level)
        self.kind = kind


class ValidatePipeline:
    """Drop articles that cannot be used: no url, no text, or fewer than *min_words*."""

    def __init__(self, min_words: int = MIN_ARTICLE_WORDS) -> None:
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.settings.getint("POSTWATCH_MIN_WORDS", MIN_ARTICLE_WORDS))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        if not item.get("url"):
            raise Rejected("no_url", "no url")
        text = item.get("text") or ""
        if not text.strip():
            raise Rejected("empty", f"no text: {item['url']}")
        words = len(text.split())
        if words < self.min_words:
            raise Rejected("too_short", f"text too short ({words} words, need {self.min_words}): {item['url']}")
        return item


class StampPipeline:
    """Fill the bookkeeping fields in one place, for crawls and archives alike:
    content_hash (always recomputed, so it cannot disagree with the text), fetched_at
    and source (kept when the producer set them, e.g. ``archive:news.jsonl``)."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        item["content_hash"] = content_hash(item.get("title"), item.get("text"))
        item.setdefault("fetched_at", utc_now())
        item.setdefault("source", urlsplit(item["url"]).hostname or item["url"].split(":", 1)[0])
        for field in ("title", "published", "etag", "last_modified"):
            item.setdefault(field, None)
        return item


class DedupePipeline:
    """Within one run, keep the first of several items with the same canonical url or
    the same content hash; later ones are dropped as ``duplicate of <first url>``.
    A syndicated story under two URLs, or one URL reached twice, is stored once."""

    def __init__(self) -> None:
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        url = item["url"]
        digest = item.get("content_hash") or content_hash(item.get("title"), item.get("text"))
        first = self._by_url.get(url) or self._by_hash.get(digest)
        if first is not None:
            raise Rejected("duplicate", f"duplicate of {first}", log_level="INFO")
        self._by_url[url] = url
        self._by_hash[digest] = url
        return item


class JsonlStorePipeline:
    """Write ArticleItems to ``POSTWATCH_ITEMS_PATH``, CrawlErrorItems (and articles
    dropped by the checks) to ``POSTWATCH_ERRORS_PATH``, NotModifiedItems to
    ``POSTWATCH_NOT_MODIFIED_PATH`` and LeftAloneItems to ``POSTWATCH_LEFT_ALONE_PATH``
    (both optional), one JSON object a line, flushed after
    each line so a crawl that is killed (timeout, Ctrl-C) still leaves everything it
    found on disk. Files are truncated when the spider opens: one set per run."""

    def __init__(self, items_path: Path, errors_path: Path, stats: StatsCollector | None = None,
                 not_modified_path: Path | None = None, left_alone_path: Path | None = None) -> None:
        self.items_path, self.errors_path, self.stats = items_path, errors_path, stats
        self.not_modified_path, self.left_alone_path = not_modified_path, left_alone_path
        self._items: IO[str] | None = None
        self._errors: IO[str] | None = None
        self._not_modified: IO[str] | None = None
        self._left_alone: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlStorePipeline:
        items, errors = crawler.settings.get("POSTWATCH_ITEMS_PATH"), crawler.settings.get("POSTWATCH_ERRORS_PATH")
        if not items or not errors:
            raise NotConfigured("set POSTWATCH_ITEMS_PATH and POSTWATCH_ERRORS_PATH to store items")
        not_modified = crawler.settings.get("POSTWATCH_NOT_MODIFIED_PATH")
        left_alone = crawler.settings.get("POSTWATCH_LEFT_ALONE_PATH")
        store = cls(Path(items), Path(errors), crawler.stats, Path(not_modified) if not_modified else None,
                    Path(left_alone) if left_alone else None)
        crawler.signals.connect(store.item_dropped, signal=signals.item_dropped)
        return store

    def open_spider(self) -> None:
        paths = [p for p in (self.items_path, self.errors_path, self.not_modified_path, self.left_alone_path)
                 if p is not None]
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._items = self.items_path.open("w", encoding="utf-8")
        self._errors = self.errors_path.open("w", encoding="utf-8")
        if self.not_modified_path is not None:
            self._not_modified = self.not_modified_path.open("w", encoding="utf-8")
        if self.left_alone_path is not None:
            self._left_alone = self.left_alone_path.open("w", encoding="utf-8")

    def close_spider(self) -> None:
        for handle in (self._items, self._errors, self._not_modified, self._left_alone):
            if handle is not None:
                handle.close()
        self._items = self._errors = self._not_modified = self._left_alone = None

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self._write(self._items, item)
            self._count("postwatch/articles_stored")
        elif isinstance(item, CrawlErrorItem):
            self._write(self._errors, item)
            self._count(f"postwatch/errors_stored/{item.get('kind')}")
        elif isinstance(item, NotModifiedItem):
            if self._not_modified is not None:
                self._write(self._not_modified, item)
            self._count("postwatch/not_modified")
        elif isinstance(item, LeftAloneItem):
            if self._left_alone is not None:
                self._write(self._left_alone, item)
            self._count("postwatch/left_alone")
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        """An article a check refused becomes a crawl error row, under the URL it was
        fetched from (a duplicate's canonical URL is the first copy's)."""
        if not isinstance(item, ArticleItem):
            return
        url = getattr(response, "url", None) or item.get("url") or "?"
        self.process_item(CrawlErrorItem(url=url, kind=getattr(exception, "kind", "dropped"),
                                         status=getattr(response, "status", None), message=str(exception),
                                         time=utc_now()))

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    @staticmethod
    def _write(handle: IO[str] | None, item: Item) -> None:
        if handle is None:
            raise RuntimeError("JsonlStorePipeline used before open_spider()")
        handle.write(json.dumps(dict(item), ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()


class UrlOnlyLogFormatter(LogFormatter):
    """Log a dropped article by the url it was fetched from, not its whole text
    (Scrapy's default prints the item, a screenful per duplicate), in the same
    ``crawl error <kind> <url>: <why>`` shape as the spider's own error lines, since
    the store records it as a crawl error too."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        url = getattr(response, "url", None) or (item.get("url") if isinstance(item, Item) else None)
        result["msg"] = "crawl error %(kind)s %(url)s: %(exception)s"
        result["args"] = {"kind": getattr(exception, "kind", "dropped"), "url": url, "exception": exception}
        return result

