"""The extract → load loop shared by every entry point.

Articles stream through in chunks, so memory stays flat however large the archive.
For each chunk the single writer (the caller's DuckDB connection) first drops what
is already stored unchanged, then hands the rest to *extract* -- a plain call, or a
Prefect task submitted to worker processes or a Dask cluster -- and loads each result in
one transaction per chunk. A crash therefore loses at most the chunks in flight, which
the next run redoes. One bad article never sinks its chunk: the chunk is retried article by
article and the one that fails goes to the ``quarantine`` table.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol, Union

import duckdb

from warehouse.load import known_hashes, load_batch, record_quarantine, stored_elsewhere, touch
from warehouse.rows import article_id, naive_utc
from warehouse.stories import refresh_stories, stories_missing

from . import progress
from .worker import Extracted, extract_items, one_line

CHUNK_SIZE = 128  # articles per extract call and per load transaction; POSTWATCH_CHUNK_SIZE overrides
MIN_CHUNK_SIZE = 32  # below this, two task runs of Prefect bookkeeping per chunk start to show


@dataclass
class LoadStats:
    seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    quarantined: int = 0
    events: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"seen": self.seen, "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "quarantined": self.quarantined, "events": dict(sorted(self.events.items()))}


class _Future(Protocol):
    def result(self) -> Extracted: ...


def process_items(
    items: Iterable[dict],
    con: duckdb.DuckDBPyConnection,
    *,
    model: str | None = None,
    submit: Callable[[list[dict]], Union[Extracted, _Future]] | None = None,
    load: Callable[..., tuple[Counter, int]] | None = None,
    in_flight: int = 1,
    run_id: str | None = None,
    chunk_size: int | None = None,
) -> LoadStats:
    """Extract and load *items* into the warehouse behind *con* (the only writer).

    *submit* extracts a chunk, or starts extracting it and returns a future (by default
    it extracts right here); up to *in_flight* chunks are extracted at once and loaded
    in the order they were read. *load* is :func:`load_extracted` or a
    Prefect task wrapping it.
    """
    submit = submit or (lambda chunk: extract_items(chunk, model))
    load = load or load_extracted
    stats = LoadStats()
    pending: deque[tuple[Extracted | _Future, int, list[str]]] = deque()  # with how many articles it brings, and which are new

    def load_oldest() -> None:
        done, count, new_urls = pending.popleft()
        extracted = done if isinstance(done, Extracted) else done.result()
        if extracted is not done:
            progress.advance("extracted", count)
        events, quarantined = load(con, extracted, run_id)  # counts its articles as "loaded" itself
        stats.events.update(events)
        stats.quarantined += quarantined
        if quarantined and new_urls:  # a new article that went to quarantine was not stored: not "new"
            stats.new -= len(new_urls) - len(known_hashes(con, new_urls))

    for chunk in _chunks(items, chunk_size or int(os.environ.get("POSTWATCH_CHUNK_SIZE") or CHUNK_SIZE)):
        fresh, new_urls = _triage(con, chunk, stats)
        for stage in ("extracted", "loaded"):  # stored unchanged: nothing left to do for these
            progress.advance(stage, len(chunk) - len(fresh))
        if fresh:
            job = submit(fresh)
            if isinstance(job, Extracted):  # extracted right here, not on a cluster
                progress.advance("extracted", len(fresh))
            pending.append((job, len(fresh), new_urls))
        while len(pending) >= max(in_flight, 1):
            load_oldest()
    while pending:
        load_oldest()
    if stats.new or stats.changed or stories_missing(con):  # once per run: a story spans many chunks
        refresh_stories(con)
    return stats


def balanced_chunk_size(articles: int, workers: int) -> int:
    """Chunks for *workers* sharing *articles*: about four each, so they finish close together
    (400 articles in 128-article chunks would leave one worker doing two and the other one
    and a scrap); never above CHUNK_SIZE, nor below MIN_CHUNK_SIZE. POSTWATCH_CHUNK_SIZE wins."""
    configured = os.environ.get("POSTWATCH_CHUNK_SIZE")
    if configured:
        return int(configured)
    return max(MIN_CHUNK_SIZE, min(CHUNK_SIZE, -(-articles // (4 * workers))))


def load_extracted(con: duckdb.DuckDBPyConnection, extracted: Extracted, run_id: str | None = None) -> tuple[Counter, int]:
    """Loads a chunk in one transaction; if that fails, article by article, quarantining
    the ones that still fail. Returns the events loaded by type and how many were quarantined."""
    now = naive_utc()
    failed = [(url, "extract", error) for url, error in extracted.failed.items()]
    loaded = [extracted.batch]
    try:
        load_batch(con, extracted.batch)
        progress.advance("loaded", len(extracted.batch.articles))  # at the commit: a Ctrl-C now keeps them
    except Exception:
        loaded = []
        for single in extracted.batch.split():
            try:
                load_batch(con, single)
            except Exception as exc:
                failed.append((single.articles[0]["url"], "load", one_line(exc)))
            else:
                loaded.append(single)
                progress.advance("loaded")
    record_quarantine(con, [{"url": url, "article_id": article_id(url), "stage": stage, "error": error,
                             "time": now, "run_id": run_id} for url, stage, error in failed])
    return Counter(row["event_type"] for batch in loaded for row in batch.rows["events"]), len(failed)


def _triage(con: duckdb.DuckDBPyConnection, chunk: list[dict], stats: LoadStats) -> tuple[list[dict], list[str]]:
    """Counts the chunk, touches what is stored unchanged, and returns what needs
    extracting and which of those urls are new."""
    stored = known_hashes(con, [i["url"] for i in chunk])
    elsewhere = stored_elsewhere(con, {i["url"]: i["content_hash"] for i in chunk
                                       if i["url"] not in stored and i.get("content_hash")})
    fresh = [i for i in chunk if i["url"] not in elsewhere
             and (i.get("content_hash") is None or stored.get(i["url"]) != i["content_hash"])]
    fresh_urls = {i["url"] for i in fresh}
    touch(con, [url for url in stored if url not in fresh_urls], naive_utc())
    changed = sum(1 for url in fresh_urls if url in stored)
    stats.seen += len(chunk)
    stats.unchanged += len(chunk) - len(fresh)
    stats.changed += changed
    stats.new += len(fresh) - changed
    return fresh, [url for url in fresh_urls if url not in stored]


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        # the same url twice in one chunk would be loaded twice: keep the last copy
        yield list({i["url"]: i for i in chunk}.values())

