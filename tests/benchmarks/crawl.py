"""Crawl benchmark: how well and how fast postwatch reads a news site it has never seen.

    python -m tests.benchmarks.crawl [--articles FILE.jsonl ...] [--max-pages N] [--no-real-pages]

Serves the gold articles (pipeline/demo/gold/*.jsonl by default) as the local demo site on
127.0.0.1, crawls it from the home page with the normal settings (robots.txt,
AutoThrottle and all), and prints

* body extraction quality: token-level precision, recall and F1 over the words of each
  crawled article against the text the page was rendered from (macro: the mean over
  articles, a missed article counting 0; micro: over all words pooled), plus the
  worst article, and how many headlines and published dates came back exactly;
* crawl speed: pages fetched per second, over Scrapy's own crawl time and over the
  wall-clock time including starting the crawl process;
* the re-crawl: the same site crawled again, unchanged, handing the crawl what the
  first one found (as the warehouse would): requests sent, and how many articles were
  fetched again (the revisit policy's business, spiders/revisit.py);
* on the real publisher pages of the shared folder (tests/benchmarks/real_pages.py), when it is
  there: titles exact, published day right and body word F1, and the requests a crawl
  of them from their sitemap sends.

It is a measurement, not a test: nothing here passes or fails on a threshold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.demo.site import DemoSite, load_gold_articles
from spiders.run import run_crawl

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Overlap:
    """Word counts for one article: in the extraction, in the source, and in both."""

    predicted: int
    gold: int
    common: int

    @property
    def f1(self) -> float:
        return _f1(self.common, self.predicted, self.gold)


def words(text: str | None) -> list[str]:
    """Lower-cased word tokens; punctuation and layout do not count."""
    return WORD.findall((text or "").lower())


def overlap(predicted: str | None, gold: str | None) -> Overlap:
    """Multiset overlap of the words of two texts (each word counted as often as it occurs in both)."""
    got, want = Counter(words(predicted)), Counter(words(gold))
    return Overlap(sum(got.values()), sum(want.values()), sum((got & want).values()))


def _f1(common: int, predicted: int, gold: int) -> float:
    if not predicted or not gold or not common:
        return 0.0
    precision, recall = common / predicted, common / gold
    return 2 * precision * recall / (precision + recall)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", nargs="+", type=Path, help="gold JSONL files (default: pipeline/demo/gold/*.jsonl)")
    parser.add_argument("--max-pages", type=int, help="page budget for the crawl (default: the settings')")
    parser.add_argument("--no-real-pages", action="store_true", help="skip the figures on the shared real pages")
    args = parser.parse_args(argv)
    for path in args.articles or []:
        if not path.is_file():
            print(f"error: no such file {path}; pass gold JSONL files to --articles", file=sys.stderr)
            return 2
    articles = load_gold_articles(args.articles)
    if not articles:
        print("error: no gold articles found; add pipeline/demo/gold/*.jsonl or pass --articles FILE.jsonl", file=sys.stderr)
        return 2

    with DemoSite(articles) as site, tempfile.TemporaryDirectory(prefix="postwatch-bench-") as workdir:
        started = time.perf_counter()
        output = run_crawl([site.url + "/"], Path(workdir), max_pages=args.max_pages)
        wall = time.perf_counter() - started
        if not output.ok:
            print(f"error: the crawl failed (exit {output.returncode}); its log ends:\n{output.stderr_tail}",
                  file=sys.stderr)
            return 1
        crawled = {item["url"]: dict(item) for item in output.iter_articles()}
        stats = output.stats
        by_url = {site.url + article["path"]: article for article in site.articles}
        report(by_url, crawled, stats, wall)
        known = Path(workdir) / "known.jsonl"
        write_known(crawled.values(), known)
        site.requests.clear()
        again = run_crawl([site.url + "/"], Path(workdir) / "again", max_pages=args.max_pages, known=known)
        paths = {article["path"] for article in site.articles}
        fetched = sum(1 for hit in site.requests if hit.path in paths and hit.status == 200)
        print(f"re-crawl of the unchanged site: {again.stats.get('downloader/request_count', 0)} requests "
              f"(first crawl {stats.get('downloader/request_count', 0)}); articles fetched again: "
              f"{fetched}/{len(crawled)}")
    if not args.no_real_pages:
        real_pages_report()
    return 0


def write_known(items: Any, path: Path) -> None:
    """What the warehouse would export after loading *items* (warehouse.crawl_state.export_known)."""
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps({"url": item["url"], "etag": item.get("etag"),
                                     "last_modified": item.get("last_modified"), "fetched_at": item.get("fetched_at"),
                                     "first_seen": item.get("fetched_at"), "next_due": item.get("next_due"),
                                     "published": item.get("published")}) + "\n")


def real_pages_report() -> None:
    """Extraction figures on the shared real pages, and the requests of a sitemap crawl of them."""
    from tests.benchmarks.real_pages import PagesSite, load_pages, pages_dir, score_pages, summary_line

    pages = load_pages()
    if not pages:
        print(f"real pages: none at {pages_dir()} (set POSTWATCH_PAGES_DIR); skipped")
        return
    print(summary_line(score_pages(pages)))
    with PagesSite(pages) as site, tempfile.TemporaryDirectory(prefix="postwatch-bench-pages-") as workdir:
        output = run_crawl([site.url + "/sitemap.xml"], Path(workdir))
        print(f"real pages crawl from their sitemap: {output.stats.get('downloader/request_count', 0)} requests "
              f"for {len(pages)} pages, {sum(1 for _ in output.iter_articles())} articles stored")


def report(gold: dict[str, dict[str, Any]], crawled: dict[str, dict[str, Any]], stats: dict[str, Any],
           wall: float) -> None:
    """Print the figures for *gold* articles (by URL) against the *crawled* ones."""
    scores = {url: overlap((crawled.get(url) or {}).get("text"), article["text"]) for url, article in gold.items()}
    found = sum(1 for url in gold if url in crawled)
    macro = sum(s.f1 for s in scores.values()) / len(scores)
    common, predicted, total = (sum(getattr(s, f) for s in scores.values()) for f in ("common", "predicted", "gold"))
    worst_url = min(scores, key=lambda url: scores[url].f1)
    titles = sum(1 for url, a in gold.items() if url in crawled and crawled[url].get("title") == a["title"])
    dated = [url for url, a in gold.items() if a.get("published")]
    dates = sum(1 for url in dated if url in crawled and crawled[url].get("published") == gold[url]["published"])
    responses = stats.get("response_received_count", 0)
    elapsed = stats.get("elapsed_time_seconds") or wall

    print(f"gold articles: {len(gold)}; crawled as articles: {found}; other articles stored: {len(crawled) - found}")
    print(f"body extraction, token F1 over words: macro {macro:.4f}, micro {_f1(common, predicted, total):.4f} "
          f"(precision {common / predicted if predicted else 0:.4f}, recall {common / total if total else 0:.4f})")
    print(f"worst article: F1 {scores[worst_url].f1:.4f} at {urlsplit(worst_url).path}")
    print(f"headlines exact: {titles}/{found}; published dates exact: {dates}/{len(dated)} dated articles")
    print(f"crawl: {responses} pages in {elapsed:.2f} s = {responses / elapsed:.1f} pages/s "
          f"(Scrapy's crawl time); {responses / wall:.1f} pages/s over {wall:.2f} s wall clock incl. process start")


if __name__ == "__main__":
    sys.exit(main())
