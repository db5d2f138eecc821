"""Opening the warehouse: one writer at a time, as DuckDB requires, and a schema that
is brought up to date on every writable open.

The schema is versioned. ``sql/NNN_*.sql`` are migrations: migration NNN runs once, in
its own transaction, when the warehouse's ``schema_version`` is below NNN, so a
warehouse written by an older postwatch upgrades in place and keeps its rows.
``sql/views.sql`` holds only views and is re-applied after the migrations."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
VIEWS = SQL_DIR / "views.sql"
DEFAULT_DB = "postwatch.duckdb"
MIGRATIONS = {int(p.name[:3]): p for p in sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))}
LATEST_VERSION = max(MIGRATIONS)


class WarehouseError(RuntimeError):
    """A warehouse problem the user can fix; the message says how."""


def resolve_path(db: str | os.PathLike | None = None) -> Path:
    """--db beats POSTWATCH_DB, which beats postwatch.duckdb in the working directory."""
    return Path(db or os.environ.get("POSTWATCH_DB") or DEFAULT_DB)


def connect(db: str | os.PathLike | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = resolve_path(db)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `postwatch crawl URL` or `postwatch ingest PATH` first, or pass --db")
    if not read_only and path.parent and not path.parent.exists():
        raise WarehouseError(f"folder {path.parent} does not exist; create it or pass another --db")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            holder = re.search(r"PID (\d+)", message)
            who = f" (process {holder.group(1)})" if holder else ""
            raise WarehouseError(
                f"{path} is in use by another program{who}; wait for it to finish, close it, or pass another --db"
            ) from None
        raise WarehouseError(f"cannot open {path}: {message.splitlines()[0]}; check the path or pass another --db") from None
    except duckdb.Error as exc:
        raise WarehouseError(f"{path} is not a DuckDB warehouse ({str(exc).splitlines()[0]}); pass another --db") from None
    if not read_only:
        apply_schema(con)
    elif (version := schema_version(con)) < LATEST_VERSION:
        con.close()
        raise WarehouseError(
            f"{path} has schema version {version} and this postwatch needs {LATEST_VERSION}; "
            f"run `postwatch upgrade --db {path}` once, then try again"
        )
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest migration applied; 0 for an empty file."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        " AND table_schema = current_schema() AND table_catalog = current_database()"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Runs the migrations this warehouse has not had, each all-or-nothing, then the views."""
    current = schema_version(con)
    for version, script in sorted(MIGRATIONS.items()):
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(script.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version) VALUES ($v) ON CONFLICT DO NOTHING", {"v": version})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute(VIEWS.read_text(encoding="utf-8"))
