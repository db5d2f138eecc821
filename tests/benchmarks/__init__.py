"""Throughput benchmark (`make bench`, `python -m tests.benchmarks`).

A backfill is tens of thousands of articles, and its cost should be set by the spaCy
model, not by what postwatch does around it. This package measures that claim with
figures printed in one table, never with timed unit tests:

* ``generate``: a deterministic generator of HSJ-length articles made from our own
  gold articles, streamed to a JSONL archive;
* ``measure``: one measurement per subprocess (extraction, load, ingest, crawl), so
  each peak-memory figure belongs to that measurement alone;
* ``memory``: peak resident memory of a process and of the processes it starts;
* ``report``: the table and its footnotes;
* ``__main__``: runs the measurements for each size and prints the table.
"""
