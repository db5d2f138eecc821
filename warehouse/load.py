"""Bulk loads through Arrow, one transaction per batch: an article and all its rows land
together or not at all, and re-loading an article replaces its rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from .rows import COLUMNS, TABLES, as_timestamp

_CHILD_TABLES = ("mentions", "posts", "salaries", "events")


@dataclass
class Batch:
    """Rows for a batch of articles, table by table (and article by article, so a batch
    that will not load can be retried one article at a time)."""

    articles: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    parts: list[tuple[dict, dict[str, list[dict]]]] = field(default_factory=list)

    def add(self, article: dict, rows: dict[str, list[dict]]) -> None:
        self.parts.append((article, rows))
        self.articles.append(article)
        for table, table_rows in rows.items():
            self.rows[table].extend(table_rows)

    def merge(self, other: "Batch") -> None:
        for article, rows in other.parts:
            self.add(article, rows)

    def split(self) -> list["Batch"]:
        singles = []
        for article, rows in self.parts:
            single = Batch()
            single.add(article, rows)
            singles.append(single)
        return singles


def known_hashes(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, str]:
    """The content hash already stored for each url: an unchanged article needs no re-extraction."""
    if not urls:
        return {}
    found = con.execute(
        "SELECT url, content_hash FROM articles WHERE url IN (SELECT unnest($urls))", {"urls": urls}
    ).fetchall()
    return dict(found)


def stored_elsewhere(con: duckdb.DuckDBPyConnection, hashes: dict[str, str]) -> set[str]:
    """Urls (of url -> content hash) whose exact text is already stored under another url:
    the same article reached another way is stored once."""
    if not hashes:
        return set()
    rows = con.execute("""
        SELECT b.url FROM (SELECT unnest($urls) AS url, unnest($hashes) AS content_hash) b
        JOIN articles a ON a.content_hash = b.content_hash AND a.url <> b.url
    """, {"urls": list(hashes), "hashes": list(hashes.values())}).fetchall()
    return {url for (url,) in rows}


def touch(con: duckdb.DuckDBPyConnection, urls: list[str], when) -> None:
    """Unchanged articles were still seen: keep last_seen honest without re-loading them."""
    if urls:
        con.execute("UPDATE articles SET last_seen = $when WHERE url IN (SELECT unnest($urls))", {"when": when, "urls": urls})


def load_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    if not batch.articles:
        return
    tables = {name: pa.Table.from_pylist(rows, schema=_schema(con, name)) for name, rows in batch.rows.items()}
    articles = pa.Table.from_pylist(batch.articles, schema=_schema(con, "articles"))
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("batch_articles", articles)
        if _any_stored(con):  # a backfill's batches are all new articles: nothing to replace, 4 statements saved
            for table in _CHILD_TABLES:
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM batch_articles)")
        con.execute("""
            INSERT INTO articles BY NAME SELECT * FROM batch_articles
            ON CONFLICT (article_id) DO UPDATE SET
                url = excluded.url, title = excluded.title, published = excluded.published, source = excluded.source,
                text = excluded.text, content_hash = excluded.content_hash, fetched_at = excluded.fetched_at,
                last_seen = excluded.last_seen, extracted_at = excluded.extracted_at, etag = excluded.etag,
                last_modified = excluded.last_modified
        """)
        for table in ("people", "organisations"):
            con.register(f"batch_{table}", tables[table])
            key = "person_id" if table == "people" else "org_id"
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT DISTINCT ON ({key}) * FROM batch_{table} ON CONFLICT DO NOTHING"
            )
        for table in _CHILD_TABLES:
            con.register(f"batch_{table}", tables[table])
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_{table}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in ("articles", *TABLES):
            con.unregister(f"batch_{name}")


def _any_stored(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any article of the registered batch is stored already (its rows then get replaced).
    Child rows only ever exist beside their article row, so checking articles is enough."""
    return con.execute(
        "SELECT EXISTS (SELECT 1 FROM articles WHERE article_id IN (SELECT article_id FROM batch_articles))"
    ).fetchall()[0][0]


def record_crawl_errors(con: duckdb.DuckDBPyConnection, errors: list[dict]) -> None:
    _append(con, "crawl_errors",
            [{**e, "time": as_timestamp(e.get("time")), "status": _int(e.get("status"))} for e in errors])


def record_quarantine(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Articles that could not be extracted or loaded, and why; they are not stored, so
    the next run tries them again."""
    _append(con, "quarantine", rows)


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if rows:
        con.register(f"batch_{table}", pa.Table.from_pylist(rows, schema=_schema(con, table)))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_{table}")
        con.unregister(f"batch_{table}")


def _schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    """The Arrow types of the columns a load writes (warehouse.rows.COLUMNS), read from the
    table itself, so the SQL in warehouse/sql/ is the one place a column's type is given."""
    types = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    return pa.schema([types.field(column) for column in COLUMNS[table]])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
