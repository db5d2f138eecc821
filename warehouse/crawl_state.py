"""The crawl state an incremental crawl needs, read from and written back to the warehouse.

The warehouse already knows every stored article, so it *is* the crawl state: no second
store to drift out of step, and a deleted warehouse only costs a full re-crawl. Before a
crawl, :func:`export_known` writes the stored web articles with their HTTP validators
(ETag, Last-Modified) as JSON lines for ``spiders.run.run_crawl(..., known=...)``; the
crawl asks for those pages conditionally. After it, :func:`mark_seen` records that the
articles the server answered ``304 Not Modified`` were still there, and
:func:`refresh_validators` keeps the validators of pages whose markup changed around
an unchanged article (new "related stories" links, say) -- otherwise such a page would
be fetched in full on every later crawl. :func:`record_revisits` stores, for every
article the crawl fetched (in full or answered 304), when it was fetched, why, and
when the revisit schedule asks for it next (``fetched_at``, ``fetch_reason``,
``next_due``), which the next export hands back to the crawl's revisit policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from .load import touch
from .rows import naive_utc


KNOWN_FIELDS = ("url", "etag", "last_modified", "fetched_at", "first_seen", "next_due", "published")


def export_known(con: duckdb.DuckDBPyConnection, path: Path | str) -> int:
    """Write ``{"url", "etag", "last_modified", "fetched_at", "first_seen", "next_due",
    "published"}`` for every stored http(s) article to *path* (JSON lines, replaced; times
    ISO 8601 UTC) and return how many were written. Articles stored without validators
    are listed too: the revisit policy decides whether they are fetched at all."""
    rows = con.execute(
        "SELECT url, etag, last_modified, fetched_at, first_seen, next_due, published FROM articles "
        "WHERE url LIKE 'http://%' OR url LIKE 'https://%' ORDER BY url"
    ).fetchall()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            record = dict(zip(KNOWN_FIELDS, row))
            for name in ("fetched_at", "first_seen", "next_due"):
                when = record[name]
                record[name] = when.replace(tzinfo=timezone.utc).isoformat() if when is not None else None
            record["published"] = record["published"].isoformat() if record["published"] is not None else None
            handle.write(json.dumps(record) + "\n")
    return len(rows)


def record_revisits(con: duckdb.DuckDBPyConnection, fetched: Iterable[Mapping[str, Any]]) -> int:
    """Store when each fetched article was fetched, why, and when it is next due, from
    the crawl's articles and not-modified records (``url``, ``fetch_reason``, ``next_due``,
    and ``fetched_at`` or ``time``); return how many stored articles were updated. Run
    after the load, so new articles have their rows; one that was not stored is skipped."""
    rows = [(f["url"], f.get("fetch_reason"), _naive_utc(f.get("next_due")),
             _naive_utc(f.get("fetched_at") or f.get("time"))) for f in fetched]
    if not rows:
        return 0
    urls, reasons, due, when = (list(column) for column in zip(*rows))
    result = con.execute("""
        UPDATE articles SET fetch_reason = seen.fetch_reason, next_due = seen.next_due,
                            fetched_at = coalesce(seen.fetched_at, articles.fetched_at)
        FROM (SELECT unnest($urls) AS url, unnest($reasons) AS fetch_reason,
                     unnest($due)::TIMESTAMP AS next_due, unnest($when)::TIMESTAMP AS fetched_at) AS seen
        WHERE articles.url = seen.url
    """, {"urls": urls, "reasons": reasons, "due": due, "when": when}).fetchall()
    return int(result[0][0]) if result else 0


def _naive_utc(value: Any) -> datetime | None:
    """An ISO 8601 string or datetime as naive UTC (None stays None), as every warehouse timestamp is."""
    if value is None or value == "":
        return None
    return naive_utc(value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00")))


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
