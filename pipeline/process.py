"""The extract → load loop shared by every entry point: batches of articles stream
through spaCy and land in DuckDB one transaction per batch, so memory stays flat and a
crash loses at most the batch in flight (which the next run redoes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

import duckdb
from spacy.language import Language

from extractors.build import build_nlp
from warehouse.load import Batch, known_hashes, load_batch, stored_elsewhere, touch
from warehouse.rows import article_row, as_date, extraction_rows

BATCH_SIZE = 32


@dataclass
class LoadStats:
    seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    events: Counter = field(default_factory=Counter)

    def merge(self, other: "LoadStats") -> None:
        self.seen += other.seen
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.events.update(other.events)

    def to_dict(self) -> dict:
        return {"seen": self.seen, "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "events": dict(sorted(self.events.items()))}


@lru_cache(maxsize=2)
def pipeline_for(model: str | None = None) -> Language:
    """One spaCy pipeline per process: loading the model costs more than a batch."""
    return build_nlp(model)


def process_items(items: Iterable[dict], con: duckdb.DuckDBPyConnection, *, model: str | None = None,
                  batch_size: int = BATCH_SIZE) -> LoadStats:
    stats = LoadStats()
    nlp = None
    for chunk in _chunks(items, batch_size):
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        stored = known_hashes(con, [i["url"] for i in chunk])
        elsewhere = stored_elsewhere(con, {i["url"]: i["content_hash"] for i in chunk
                                           if i["url"] not in stored and i.get("content_hash")})
        fresh = [i for i in chunk if i["url"] not in elsewhere
                 and (i.get("content_hash") is None or stored.get(i["url"]) != i["content_hash"])]
        fresh_urls = {i["url"] for i in fresh}
        touch(con, [url for url in stored if url not in fresh_urls], now)
        stats.seen += len(chunk)
        stats.unchanged += len(chunk) - len(fresh)
        stats.changed += sum(1 for url in fresh_urls if url in stored)
        stats.new += len(fresh_urls) - sum(1 for url in fresh_urls if url in stored)
        if not fresh:
            continue
        nlp = nlp or pipeline_for(model)
        batch = extract_batch(fresh, nlp, now=now)
        load_batch(con, batch)
        stats.events.update(row["event_type"] for row in batch.rows["events"])
    return stats


def extract_batch(items: list[dict], nlp: Language, *, now: datetime | None = None) -> Batch:
    batch = Batch()
    docs = []
    for item in items:
        doc = nlp.make_doc(item["text"])
        doc._.published = as_date(item.get("published"))
        docs.append(doc)
    for item, doc in zip(items, nlp.pipe(docs)):
        batch.add(article_row(item, now=now), extraction_rows(item, doc))
    return batch


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        # the same url twice in one batch would be loaded twice: keep the last copy
        yield list({i["url"]: i for i in chunk}.values())
