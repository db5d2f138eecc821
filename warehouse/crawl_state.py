"""The crawl state an incremental crawl needs, read from and written back to the warehouse.

The warehouse already knows every stored article, so it *is* the crawl state: no second
store to drift out of step, and a deleted warehouse only costs a full re-crawl. Before a
crawl, :func:`export_known` writes the stored web articles with their HTTP validators
(ETag, Last-Modified) as JSON lines for ``spiders.run.run_crawl(..., known=...)``; the
crawl asks for those pages conditionally. After it, :func:`mark_seen` records that the
articles the server answered ``304 Not Modified`` were still there, and
:func:`refresh_validators` keeps the validators of pages whose markup changed around
an unchanged article (new "related stories" links, say) -- otherwise such a page would
be fetched in full on every later crawl.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from .load import touch
from .rows import naive_utc


def export_known(con: duckdb.DuckDBPyConnection, path: Path | str) -> int:
    """Write ``{"url", "etag", "last_modified"}`` for every stored http(s) article to
    *path* (JSON lines, replaced) and return how many were written. Articles stored
    without validators are listed too; the crawl simply fetches those in full."""
    rows = con.execute(
        "SELECT url, etag, last_modified FROM articles "
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
    touch(con, list(urls), naive_utc(when))


def refresh_validators(con: duckdb.DuckDBPyConnection, items: Iterable[Mapping[str, Any]]) -> int:
    """Store the ETag / Last-Modified a crawl saw for articles (crawled items with url,
    content_hash, etag, last_modified) whose stored content hash is the same; return
    how many changed. A changed article is left alone: its validators must arrive with
    its new rows, or a failed reload would be hidden behind a 304 next time."""
    rows = [(i["url"], i.get("content_hash"), i.get("etag"), i.get("last_modified")) for i in items]
    if not rows:
        return 0
    urls, hashes, etags, modified = (list(column) for column in zip(*rows))
    result = con.execute("""
        UPDATE articles SET etag = seen.etag, last_modified = seen.last_modified
        FROM (SELECT unnest($urls) AS url, unnest($hashes) AS content_hash,
                     unnest($etags) AS etag, unnest($modified) AS last_modified) AS seen
        WHERE articles.url = seen.url AND articles.content_hash = seen.content_hash
          AND (articles.etag IS DISTINCT FROM seen.etag OR articles.last_modified IS DISTINCT FROM seen.last_modified)
    """, {"urls": urls, "hashes": hashes, "etags": etags, "modified": modified}).fetchall()
    return int(result[0][0]) if result else 0
