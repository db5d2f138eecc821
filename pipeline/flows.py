"""Prefect flows: crawl → extract → load → alert. Flows only compose tasks; the work
lives in spiders/, extractors/ and warehouse/. The crawl is a network step, so it
retries with backoff; extraction and loading stream in batches inside one task."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task

from spiders.archive import iter_archive
from spiders.run import CrawlOutput, run_crawl
from warehouse.db import connect
from warehouse.feed import alerts_feed
from warehouse.load import record_crawl_errors

from .process import LoadStats, process_items


@dataclass
class RunSummary:
    articles: int = 0
    crawl_errors: int = 0
    unreachable: list[str] = field(default_factory=list)
    load: LoadStats = field(default_factory=LoadStats)
    alerts: int = 0


@task(retries=2, retry_delay_seconds=[2, 10], name="crawl")
def crawl(urls: list[str], workdir: str, max_pages: int | None = None) -> CrawlOutput:
    """Runs Scrapy in a subprocess (its reactor starts once per process); results stay on disk."""
    output = run_crawl(urls, Path(workdir), max_pages=max_pages)
    if not output.ok:  # the crawler itself crashed or hung: worth another try
        raise RuntimeError(f"the crawler exited with status {output.returncode}: {output.stderr_tail[-300:]}")
    return output


@task(name="extract-and-load")
def extract_and_load(source: CrawlOutput | str, db: str, model: str | None = None) -> LoadStats:
    """Streams articles from a finished crawl, or from a local archive, into the warehouse."""
    articles = source.iter_articles() if isinstance(source, CrawlOutput) else iter_archive(Path(source))
    con = connect(db)
    try:
        return process_items(articles, con, model=model)
    finally:
        con.close()


@task(name="record-crawl-errors")
def store_crawl_errors(output: CrawlOutput, db: str) -> int:
    errors = [dict(e) for e in output.iter_errors()]
    con = connect(db)
    try:
        record_crawl_errors(con, errors)
    finally:
        con.close()
    return len(errors)


@task(name="write-alerts")
def write_alerts(db: str, feed_path: str | None) -> int:
    con = connect(db, read_only=True)
    try:
        count = con.execute("SELECT count(*) FROM no_appointment_alerts").fetchone()[0]
        if feed_path:
            Path(feed_path).write_bytes(alerts_feed(con))
        return count
    finally:
        con.close()


@flow(name="postwatch-crawl")
def crawl_flow(urls: list[str], db: str, feed_path: str | None = None, model: str | None = None,
               max_pages: int | None = None) -> RunSummary:
    logger = get_run_logger()
    with tempfile.TemporaryDirectory(prefix="postwatch-crawl-") as workdir:
        output = crawl(urls, workdir, max_pages)
        errors = store_crawl_errors(output, db)
        unreachable = [e["url"] for e in output.iter_errors() if e.get("kind") == "unreachable" and e.get("url") in urls]
        stats = extract_and_load(output, db, model)
    logger.info("crawled %d articles with %d crawl errors; loaded %s", stats.seen, errors, stats.to_dict())
    alerts = write_alerts(db, feed_path)
    return RunSummary(stats.seen, errors, unreachable, stats, alerts)


@flow(name="postwatch-ingest")
def ingest_flow(path: str, db: str, feed_path: str | None = None, model: str | None = None) -> RunSummary:
    logger = get_run_logger()
    stats = extract_and_load(path, db, model)
    logger.info("loaded %s", stats.to_dict())
    alerts = write_alerts(db, feed_path)
    return RunSummary(stats.seen, 0, [], stats, alerts)
