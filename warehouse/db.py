"""Opening the warehouse: one writer at a time, as DuckDB requires, and a schema that
is brought up to date on every open."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
DEFAULT_DB = "postwatch.duckdb"


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
    return con


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Applies every sql/NNN_*.sql in order; each is written to be safe to re-run."""
    for script in sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        con.execute(script.read_text(encoding="utf-8"))
