"""Prefect flows: crawl → extract → load → alert.

Flows only compose tasks; the work lives in spiders/, extractors/ and warehouse/. The
crawl is the network step, so it retries with backoff. Extraction is a task per chunk
of articles: by default the chunks run one after another in this process; on local
worker processes (:func:`on_processes`) or a Dask cluster (:func:`on_dask`) they spread
over the workers while this process alone writes DuckDB, as DuckDB requires. Every run
leaves a row in `runs`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from prefect import Flow, flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.settings import get_current_settings

from spiders.archive import iter_archive
from spiders.run import CrawlOutput, run_crawl
from warehouse.crawl_state import export_known, mark_seen, record_revisits, refresh_validators
from warehouse.db import connect
from warehouse.feed import alerts_feed
from warehouse.load import record_crawl_errors
from warehouse.runs import finish_run, start_run

from . import progress
from .children import die_with_parent
from .pool import LocalProcesses, WorkerLost
from .process import LoadStats, balanced_chunk_size, load_extracted, process_items
from .worker import Extracted, extract_items
from .runtime import logs_dir


@dataclass
class RunSummary:
    run_id: str = ""
    articles: int = 0
    crawl_errors: int = 0
    unreachable: list[str] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    left_alone: int = 0
    load: LoadStats = field(default_factory=LoadStats)
    alerts: int = 0
    crawl_log: str | None = None  # Scrapy's log of this run, kept beside the warehouse
    skipped: Counter = field(default_factory=Counter)  # inputs dropped before extraction, by reason
    budget_hit: bool | None = None  # crawls: stopped at the page budget (None for an ingest)

    def skip(self, where: str, reason: str) -> None:
        """spiders.archive's on_skip: count the dropped input by its reason."""
        self.skipped[getattr(reason, "kind", "dropped")] += 1


@task(retries=2, retry_delay_seconds=[2, 10], name="crawl", cache_policy=NO_CACHE)
def crawl(urls: list[str], workdir: str, max_pages: int | None = None, known: str | None = None,
          recheck: str | None = None, cookies: str | None = None) -> CrawlOutput:
    """Runs Scrapy in a subprocess (its reactor starts once per process); results stay on disk.
    Articles in *known* are fetched again only with a reason (spiders/revisit.py), and
    conditionally, so unchanged ones cost nothing or a 304."""
    with _counting_articles(Path(workdir) / "items.jsonl"):
        output = run_crawl(urls, Path(workdir), max_pages=max_pages, known=Path(known) if known else None,
                           recheck=recheck, cookies=Path(cookies) if cookies else None,
                           preexec_fn=die_with_parent())
    if not output.ok:  # the crawler itself crashed or hung: worth another try
        raise RuntimeError(f"the crawler exited with status {output.returncode}: {output.stderr_tail[-300:]}")
    return output


@task(name="export-crawl-state", cache_policy=NO_CACHE)
def export_crawl_state(db: str, path: str) -> str:
    """The warehouse is the crawl state: stored articles and their HTTP validators."""
    with _writer(db) as con:
        export_known(con, path)
    return path


@task(name="record-crawl-results", cache_policy=NO_CACHE)
def record_crawl_results(output: CrawlOutput, db: str) -> int:
    """After the load: crawl errors into `crawl_errors`, articles answered 304 marked seen,
    and the current ETag/Last-Modified kept for articles whose text did not change."""
    errors = [dict(e) for e in output.iter_errors()]
    with _writer(db) as con:
        record_crawl_errors(con, errors)
        mark_seen(con, [*output.iter_not_modified(), *output.iter_left_alone()], datetime.now(timezone.utc))
        refresh_validators(con, output.iter_articles())
        record_revisits(con, output.iter_fetched())
    return len(errors)


@task(name="extract", cache_policy=NO_CACHE)
def extract(items: list[dict], model: str | None = None) -> Extracted:
    """Pure: articles in, rows out. Runs wherever the task runner puts it."""
    return extract_items(items, model)


@task(name="load", cache_policy=NO_CACHE)
def load(con: duckdb.DuckDBPyConnection, extracted: Extracted, run_id: str | None = None) -> tuple[Counter, int]:
    """One transaction per chunk, in the flow's process: the only writer."""
    return load_extracted(con, extracted, run_id)


@task(name="write-alerts", cache_policy=NO_CACHE)
def write_alerts(db: str, feed_path: str | None) -> int:
    con = connect(db, read_only=True)
    try:
        count = con.execute("SELECT count(*) FROM no_appointment_alerts").fetchall()[0][0]
        if feed_path:
            Path(feed_path).write_bytes(alerts_feed(con))
        return count
    finally:
        con.close()


@flow(name="postwatch-crawl")
def crawl_flow(urls: list[str], db: str, feed_path: str | None = None, model: str | None = None,
               max_pages: int | None = None, recheck: str | None = None, cookies: str | None = None) -> RunSummary:
    """Crawl sites from home, listing, feed or sitemap URLs; load what is new; refresh the feed."""
    with _recorded_run(db, "postwatch-crawl") as summary:
        with tempfile.TemporaryDirectory(prefix="postwatch-crawl-") as workdir:
            known = export_crawl_state(db, str(Path(workdir) / "known.jsonl"))
            try:
                output = crawl(urls, workdir, max_pages, known, recheck, cookies)
            finally:  # a failed crawl's log is the one most worth reading
                summary.crawl_log = _keep_log(Path(workdir) / "crawl.log", db, summary.run_id)
            progress.expect("extracted", _count_lines(output.items_path))
            progress.expect("loaded", _count_lines(output.items_path))
            summary.requests = output.stats.get("downloader/request_count", 0)
            summary.budget_hit = output.stats.get("finish_reason") == "closespider_pagecount"
            summary.not_modified = sum(1 for _ in output.iter_not_modified())
            summary.unreachable = [e["url"] for e in output.iter_errors()
                                   if e.get("kind") == "unreachable" and e.get("url") in urls]
            summary.load = _extract_and_load(output.iter_articles(), db, model, summary.run_id)
            summary.crawl_errors = record_crawl_results(output, db)
            summary.left_alone = sum(1 for _ in output.iter_left_alone())
            # a 304, or a known article still listed and left alone, is an article seen, unchanged
            summary.load.seen += summary.not_modified + summary.left_alone
            summary.load.unchanged += summary.not_modified + summary.left_alone
        summary.alerts = write_alerts(db, feed_path)
    return summary


@flow(name="postwatch-ingest")
def ingest_flow(path: str, db: str, feed_path: str | None = None, model: str | None = None,
                expected: int | None = None) -> RunSummary:
    """Load a local archive (JSONL or a folder of .html pages); refresh the feed. *expected*,
    the archive's size if known, lets a cluster's workers share it evenly."""
    with _recorded_run(db, "postwatch-ingest") as summary:
        summary.load = _extract_and_load(iter_archive(Path(path), on_skip=summary.skip), db, model, summary.run_id,
                                         expected)
        summary.alerts = write_alerts(db, feed_path)
    return summary


def on_processes(flow_: Flow, *, workers: int, model: str | None = None) -> Flow:
    """*flow_* with its extract tasks on *workers* local processes, each loading the model
    once as it starts; only the flow's process writes DuckDB."""
    from .worker import start_worker

    _share_prefect_api()
    return flow_.with_options(task_runner=LocalProcesses(
        max_workers=workers, initializer=start_worker, initargs=(os.getpid(), model)))


def on_dask(flow_: Flow, *, address: str) -> Flow:
    """*flow_* with its extract tasks on the Dask cluster at *address*; only the flow's
    process writes DuckDB."""
    from prefect_dask import DaskTaskRunner

    _share_prefect_api()
    return flow_.with_options(task_runner=DaskTaskRunner(address=address))


def _share_prefect_api() -> None:
    """Extraction workers are other processes: hand them this process's Prefect API, or each
    one would start a temporary API server of its own and report its task runs there.
    (Workers of an existing Dask cluster need PREFECT_API_URL set where they run.)"""
    url = os.environ.get("PREFECT_API_URL") or get_current_settings().api.url
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the one this process would start anyway
        server.start()
        url = server.api_url
    os.environ["PREFECT_API_URL"] = url


def _extract_and_load(items: Iterable[dict], db: str, model: str | None, run_id: str,
                      expected: int | None = None) -> LoadStats:
    logger = get_run_logger()
    slots = _parallel_slots()
    with _writer(db) as con:
        if slots > 1:  # keep every worker busy, and one chunk queued behind each
            try:
                stats = process_items(items, con, submit=lambda chunk: extract.submit(chunk, model), load=load,
                                      in_flight=2 * slots, run_id=run_id,
                                      chunk_size=balanced_chunk_size(expected, slots) if expected else None)
            except BrokenProcessPool:
                raise WorkerLost(f"a worker process died (killed, or out of memory?); the {progress.loaded()} articles "
                                 "loaded stay: run the same command again to resume, with --workers 1 if memory "
                                 "is short") from None
        else:
            stats = process_items(items, con, submit=lambda chunk: extract(chunk, model), load=load, run_id=run_id)
    logger.info("articles: %d seen, %d new, %d changed, %d unchanged, %d quarantined",
                stats.seen, stats.new, stats.changed, stats.unchanged, stats.quarantined)
    return stats


def _parallel_slots() -> int:
    """How many extract tasks can run at once: the local processes, the Dask cluster's threads, else 1."""
    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    if isinstance(runner, LocalProcesses):
        return runner.workers
    client = getattr(runner, "client", None)
    return sum(client.nthreads().values()) if client is not None else 1


@contextmanager
def _writer(db: str) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(db)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def _recorded_run(db: str, flow_name: str) -> Iterator[RunSummary]:
    """Brackets a flow run with its `runs` row: RUNNING at the start, then COMPLETED or
    FAILED with the counts. The warehouse is opened only briefly, so readers get in."""
    summary = RunSummary(run_id=str(runtime.flow_run.id))
    with _writer(db) as con:
        start_run(con, summary.run_id, flow_name)
    try:
        yield summary
    except BaseException as exc:
        with _writer(db) as con:
            finish_run(con, summary.run_id, status="FAILED", message=f"{type(exc).__name__}: {exc}"[:1000],
                       **_counts(summary))
        raise
    summary.articles = summary.load.seen
    with _writer(db) as con:
        finish_run(con, summary.run_id, status="COMPLETED", **_counts(summary))
    get_run_logger().info("run %s completed", summary.run_id)


def _counts(summary: RunSummary) -> dict:
    stats = summary.load
    return {"seen": stats.seen, "new": stats.new, "changed": stats.changed, "unchanged": stats.unchanged,
            "events": dict(stats.events), "errors": summary.crawl_errors + stats.quarantined,
            "skipped": dict(summary.skipped), "quarantined": stats.quarantined, "budget_hit": summary.budget_hit}


def _keep_log(log: Path, db: str, run_id: str) -> str | None:
    """Scrapy's log outlives the crawl's temporary folder: after a failure it is what there is to read."""
    if not log.exists():
        return None
    kept = logs_dir(db) / f"crawl-{run_id}.log"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(log, kept)
    return str(kept)


@contextmanager
def _counting_articles(items: Path, every: float = 0.5) -> Iterator[None]:
    """Reports articles as the crawl subprocess writes them (one JSON line each)."""
    done = threading.Event()

    def watch() -> None:
        offset = 0
        while True:
            finished = done.wait(every)
            try:
                if items.stat().st_size < offset:  # a retried crawl starts its file again
                    offset = 0
                with items.open("rb") as handle:
                    handle.seek(offset)
                    written = handle.read()
            except OSError:
                written = b""
            complete = written[:written.rfind(b"\n") + 1]
            offset += len(complete)
            progress.advance("fetched", complete.count(b"\n"))
            if finished:
                return

    watcher = threading.Thread(target=watch, name="postwatch-crawl-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join(timeout=5)


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())
