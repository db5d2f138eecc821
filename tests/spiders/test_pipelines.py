"""The item pipelines, called directly (the crawl and archive tests use them end to end)."""

from __future__ import annotations

import json

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from spiders.article_page import content_hash
from spiders.items import ArticleItem, CrawlErrorItem
from spiders.pipelines import DedupePipeline, JsonlStorePipeline, StampPipeline, ValidatePipeline

WORDS_90 = " ".join(["word"] * 90)


def article(url: str = "https://news.example.org/a", text: str = WORDS_90, title: str = "T") -> ArticleItem:
    return ArticleItem(url=url, title=title, published=None, text=text)


def stamped(item: ArticleItem) -> ArticleItem:
    return StampPipeline().process_item(item)


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (ArticleItem(title="T", text=WORDS_90), "no url"),
        (article(text="  \n "), "no text: https://news.example.org/a"),
        (article(text="just five words in here"), "text too short (5 words, need 80): https://news.example.org/a"),
    ],
    ids=["no-url", "no-text", "too-short"],
)
def test_validate_drops_with_a_reason(item, reason):
    with pytest.raises(DropItem, match=f"^{reason.replace('(', '[(]').replace(')', '[)]')}$"):
        ValidatePipeline().process_item(item)


def test_validate_passes_a_good_article_and_error_items():
    good, error = article(), CrawlErrorItem(url="u", kind="http_404")
    assert ValidatePipeline().process_item(good) is good
    assert ValidatePipeline().process_item(error) is error


def test_validate_threshold_comes_from_settings():
    crawler = get_crawler(settings_dict={"POSTWATCH_MIN_WORDS": 100})
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(crawler).process_item(article())


def test_stamp_fills_hash_time_source_and_keeps_given_source():
    item = stamped(article())
    assert item["content_hash"] == content_hash("T", WORDS_90)
    assert item["source"] == "news.example.org"
    assert item["fetched_at"].endswith("+00:00")
    assert stamped(ArticleItem(url="archive://x/1", text="t", source="archive:x.jsonl"))["source"] == "archive:x.jsonl"


def test_dedupe_drops_same_url():
    dedupe = DedupePipeline()
    dedupe.process_item(stamped(article()))
    with pytest.raises(DropItem, match="^duplicate of https://news.example.org/a$"):
        dedupe.process_item(stamped(article(text=WORDS_90 + " changed")))


def test_dedupe_drops_same_content_under_another_url():
    dedupe = DedupePipeline()
    dedupe.process_item(stamped(article()))
    with pytest.raises(DropItem, match="^duplicate of https://news.example.org/a$"):
        dedupe.process_item(stamped(article(url="https://news.example.org/amp/a")))


def test_dedupe_keeps_different_articles():
    dedupe = DedupePipeline()
    dedupe.process_item(stamped(article()))
    other = stamped(article(url="https://news.example.org/b", title="Other"))
    assert dedupe.process_item(other) is other


def test_store_writes_articles_and_errors_to_their_own_files(tmp_path):
    store = JsonlStorePipeline(tmp_path / "out" / "items.jsonl", tmp_path / "out" / "errors.jsonl")
    store.open_spider()
    store.process_item(stamped(article()))
    store.process_item(CrawlErrorItem(url="https://news.example.org/x", kind="http_404", status=404))
    # flushed per line: readable before the spider closes
    assert json.loads((tmp_path / "out" / "items.jsonl").read_text())["url"] == "https://news.example.org/a"
    store.close_spider()
    assert json.loads((tmp_path / "out" / "errors.jsonl").read_text())["kind"] == "http_404"


def test_store_is_disabled_without_paths():
    with pytest.raises(NotConfigured):
        JsonlStorePipeline.from_crawler(get_crawler())
