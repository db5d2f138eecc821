"""One measurement per process: ``python -m tests.benchmarks.measure KIND ...`` prints one
JSON line with its figures and its own peak memory.

Running each measurement in a fresh interpreter keeps one measurement's model, arrays
and allocator high-water mark out of the next one's figures, and lets the start-up
(interpreter, imports, model load, worker processes) be timed apart from the rate.

Extraction has four variants on the same texts, chunks and spaCy batch size as
``pipeline.process`` and ``pipeline.worker`` use: postwatch's ``extract_batch`` or plain ``nlp.pipe`` of
the same model, in one process or two. Two-process postwatch uses a multiprocessing
pool whose workers each build the pipeline once and turn chunks into row dicts: plain
``nlp.pipe(n_process=2)`` cannot carry postwatch's results, because it sends Docs back
through msgpack and our Doc extensions hold Python objects (Entity, Post, Event).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
import sys
import time
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from .memory import self_peak_mib

_worker_model: str | None = None  # a pool worker's model; pipeline_for builds its pipeline once


def archive_items(archive: Path, limit: int) -> list[dict]:
    """The first *limit* articles of *archive*, validated and stamped as `postwatch ingest` does."""
    from spiders.archive import iter_archive

    return [dict(item) for item in islice(iter_archive(archive), limit)]


def chunks(items: list[dict]) -> Iterator[list[dict]]:
    """The chunks `postwatch ingest` hands to one extract call."""
    from pipeline.process import _chunks

    return _chunks(items, sizes()[0])


def sizes() -> tuple[int, int]:
    """(articles per extract call, spaCy batch size inside it), as pipeline.process and
    pipeline.worker set them."""
    from pipeline import process, worker

    return process.CHUNK_SIZE, worker.PIPE_BATCH_SIZE


def extract(archive: Path, limit: int, impl: str, processes: int, model: str | None,
            save_batches: Path | None = None) -> dict[str, Any]:
    """Articles/s and words/s of one extraction variant, start-up timed apart."""
    items = archive_items(archive, limit)
    words = sum(len(item["text"].split()) for item in items)
    cpu = None  # CPU seconds, one process only: a ratio that other work on the machine does not skew
    started = time.perf_counter()
    if processes == 1:
        nlp = _build(impl, model)
        _run_one(impl, nlp, items[:1], model)  # warm-up: first-call costs are start-up, not rate
        startup = time.perf_counter() - started
        begun, cpu_begun = time.perf_counter(), time.process_time()
        batches = [_run_one(impl, nlp, chunk, model) for chunk in chunks(items)]
        seconds, cpu = time.perf_counter() - begun, time.process_time() - cpu_begun
    elif impl == "postwatch":
        startup, seconds, batches = _postwatch_pool(items, processes, model)
    else:
        nlp = _build(impl, model)
        startup = time.perf_counter() - started
        begun = time.perf_counter()
        for _doc in nlp.pipe((i["text"] for i in items), n_process=processes, batch_size=sizes()[1]):
            pass
        seconds = time.perf_counter() - begun
        batches = []
    if save_batches is not None:
        with save_batches.open("wb") as handle:
            pickle.dump([b for b in batches if b is not None], handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"articles": len(items), "words": words, "seconds": seconds, "startup": startup,
            "articles_per_s": len(items) / seconds, "words_per_s": words / seconds, "cpu_seconds": cpu,
            "peak_mib": self_peak_mib()}


def _build(impl: str, model: str | None):
    if impl == "postwatch":
        from pipeline.worker import pipeline_for

        return pipeline_for(model)
    import spacy

    from extractors.build import model_name

    return spacy.load(model or model_name())


def _run_one(impl: str, nlp, chunk: list[dict], model: str | None):
    if impl == "postwatch":  # what an ingest or a Dask worker runs per chunk, clean-up included
        from pipeline.worker import extract_items

        return extract_items(chunk, model).batch  # on pipeline_for(model): the nlp built above
    for _doc in nlp.pipe((i["text"] for i in chunk), batch_size=sizes()[1]):
        pass
    return None


def _postwatch_pool(items: list[dict], processes: int, model: str | None):
    """(start-up s, extraction s, batches) with *processes* workers that each build the pipeline once."""
    context = multiprocessing.get_context("spawn")  # workers import only what they use, like a Dask worker
    started = time.perf_counter()
    ready = context.Barrier(processes)
    with context.Pool(processes, initializer=_init_worker, initargs=(model, ready)) as pool:
        # workers wait at the barrier until all have built the pipeline, so any answer means all are ready
        pool.apply(_ping)
        startup = time.perf_counter() - started
        begun = time.perf_counter()
        batches = list(pool.imap(_extract_chunk, chunks(items), chunksize=1))
        seconds = time.perf_counter() - begun
    return startup, seconds, batches


def _init_worker(model: str | None, ready) -> None:
    global _worker_model
    from pipeline.worker import extract_items

    _worker_model = model
    extract_items([{"url": "warm-up", "text": "The trust appointed a chief executive."}], model)
    ready.wait()


def _ping() -> bool:
    return True


def _extract_chunk(chunk: list[dict]):
    from pipeline.worker import extract_items

    return extract_items(chunk, _worker_model).batch


def load(batches_path: Path, articles: int, db: Path) -> dict[str, Any]:
    """Rows/s of warehouse.load.load_batch into a new warehouse, on batches extracted before.

    The saved batches cover the extraction slice; to load *articles* articles they are
    repeated under new urls (new article and event ids), which is what a longer archive of
    similar news would produce."""
    from warehouse.db import connect
    from warehouse.load import load_batch

    with batches_path.open("rb") as handle:
        saved = pickle.load(handle)
    batches = list(_repeated(saved, articles))
    rows = sum(len(b.articles) + sum(len(r) for r in b.rows.values()) for b in batches)
    con = connect(db)
    try:
        begun = time.perf_counter()
        for batch in batches:
            load_batch(con, batch)
        seconds = time.perf_counter() - begun
    finally:
        con.close()
    loaded = sum(len(b.articles) for b in batches)
    return {"articles": loaded, "rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "articles_per_s": loaded / seconds, "peak_mib": self_peak_mib()}


def _repeated(saved: list, articles: int):
    """The saved batches again and again, each copy under new urls, until *articles* articles."""
    copy, count = 0, 0
    while count < articles and saved:
        for batch in saved:
            if count >= articles:
                return
            take = min(len(batch.parts), articles - count)
            yield batch if copy == 0 and take == len(batch.parts) else _renamed(batch, take, copy)
            count += take
        copy += 1


def _renamed(batch, take: int, copy: int):
    """The first *take* articles of *batch* under new urls, so new article and event ids."""
    from warehouse.load import Batch
    from warehouse.identity import article_id, stable_id

    renamed = Batch()
    for article, rows in batch.parts[:take]:
        url = f"{article['url']}#copy{copy}"
        new_id = article_id(url)
        moved = {table: table_rows if table in ("people", "organisations") else
                 [{**row, "article_id": new_id,
                   **({"event_id": stable_id(row["event_id"], copy)} if "event_id" in row else {})}
                  for row in table_rows]
                 for table, table_rows in rows.items()}
        renamed.add({**article, "article_id": new_id, "url": url}, moved)
    return renamed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.measure", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="kind", required=True)
    ex = sub.add_parser("extract", help="articles/s of one extraction variant")
    ex.add_argument("archive", type=Path)
    ex.add_argument("--limit", type=int, required=True)
    ex.add_argument("--impl", choices=("postwatch", "plain"), required=True)
    ex.add_argument("--processes", type=int, choices=(1, 2), default=1)
    ex.add_argument("--model", default=None)
    ex.add_argument("--save-batches", type=Path, default=None)
    ld = sub.add_parser("load", help="rows/s of load_batch on saved batches")
    ld.add_argument("batches", type=Path)
    ld.add_argument("--articles", type=int, required=True)
    ld.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.kind == "extract":
        result = extract(args.archive, args.limit, args.impl, args.processes, args.model, args.save_batches)
    else:
        result = load(args.batches, args.articles, args.db)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
