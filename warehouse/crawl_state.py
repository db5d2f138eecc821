"""The crawl state an incremental crawl needs, read from and written back to the warehouse.

The warehouse already knows every stored article, so it *is* the crawl state: no second
store to drift out of step, and a deleted warehouse only costs a full re-crawl. Before a
crawl, :func:`export_known` writes the stored web articles with their HTTP validators
(ETag, Last-Modified) as JSON lines for ``spiders.run.run_crawl(..., known=...)``; the
crawl asks for those pages conditionally. After it, :func:`mark_seen` records that the
articles the server answered ``304 Not Modified`` were still there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .load import touch

VALIDATORS = ("etag", "last_modified")


def export_known(con: duckdb.DuckDBPyConnection, path: Path | str) -> int:
    """Write ``{"url", "etag", "last_modified"}`` for every stored http(s) article to
    *path* (JSON lines, replaced) and return how many were written.

    Validators are null until the articles table has ``etag``/``last_modified``
    columns; the crawl then fetches those pages in full, and unchanged ones are still
    recognised by their content hash, so nothing is extracted twice either way.
    """
    present = _article_columns(con)
    columns = ", ".join(name if name in present else f"NULL AS {name}" for name in VALIDATORS)
    rows = con.execute(
        f"SELECT url, {columns} FROM articles "
        "WHERE url LIKE 'http://%' OR url LIKE 'https://%' ORDER BY url"
    ).fetchall()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for url, etag, last_modified in rows:
            handle.write(json.dumps({"url": url, "etag": etag, "last_modified": last_modified}) + "\n")
    return len(rows)


def mark_seen(con: duckdb.DuckDBPyConnection, urls: Iterable[str], when: datetime) -> None:
    """Set ``last_seen`` to *when* for the stored articles at *urls* (e.g. those a crawl
    found not modified); ``first_seen`` and everything extracted stay as they are.
    *when* is stored as naive UTC, as every warehouse timestamp is."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    touch(con, list(urls), when)


def _article_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'"
    ).fetchall()
    return {name for (name,) in rows}
