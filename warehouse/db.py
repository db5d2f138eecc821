"""Opening the warehouse: one writer at a time, as DuckDB requires, and a schema that
is brought up to date on every writable open.

The schema is versioned. ``sql/NNN_*.sql`` are migrations: migration NNN runs once, in
its own transaction, when the warehouse's ``schema_version`` is below NNN, so a
warehouse written by an older postwatch upgrades in place and keeps its rows.
``sql/views.sql`` holds only views and is re-applied after the migrations.

A damaged file (truncated by a full disk or a half-finished copy, or with bytes that
fail DuckDB's block checksums) is named as damaged, with how to recover, by every
command: a truncated file is caught when it is opened, from the size its own header
promises; other damage when a read trips over it (:func:`damage` turns DuckDB's error
into :class:`DamagedWarehouse`), and ``postwatch upgrade`` reads every stored value
(:func:`check_readable`)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
VIEWS = SQL_DIR / "views.sql"
DEFAULT_DB = "postwatch.duckdb"
MIGRATIONS = {int(p.name[:3]): p for p in sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))}
LATEST_VERSION = max(MIGRATIONS)
# What `postwatch sql` runs under: nothing outside the warehouse file is read or written
# (no COPY, read_csv, glob, ATTACH, INSTALL/LOAD), and the query cannot SET it back.
SANDBOX = {"enable_external_access": False, "autoinstall_known_extensions": False,
           "autoload_known_extensions": False, "allow_community_extensions": False, "lock_configuration": True}
DAMAGE_MARKS = ("could not read enough bytes", "corrupt database file", "checksum", "truncated")
RECOVER = "restore it from a backup copy, or move it aside and rebuild it with `postwatch ingest` / `postwatch crawl`"


class WarehouseError(RuntimeError):
    """A warehouse problem the user can fix; the message says how."""


class DamagedWarehouse(WarehouseError):
    """The file is a DuckDB warehouse, but part of it cannot be read back."""

    def __init__(self, path: os.PathLike | str, detail: str) -> None:
        super().__init__(f"{path} is damaged ({detail}); {RECOVER}")


def damage(path: os.PathLike | str, exc: BaseException) -> DamagedWarehouse | None:
    """The DamagedWarehouse that DuckDB's *exc* means, or None when it means something else."""
    if not isinstance(exc, duckdb.Error):
        return None
    first = (str(exc).strip().splitlines() or [""])[0]
    if not any(mark in first.lower() for mark in DAMAGE_MARKS):
        return None
    detail = re.sub(r'^[A-Za-z ]*Error: | from file "[^"]*"', "", first)  # the path is named already
    return DamagedWarehouse(path, detail)


@contextmanager
def reading(path: os.PathLike | str) -> Iterator[None]:
    """Wraps reads of the warehouse at *path*, so damage found half-way is one clear error."""
    try:
        yield
    except duckdb.Error as exc:
        if (damaged := damage(path, exc)) is not None:
            raise damaged from None
        raise


def resolve_path(db: str | os.PathLike | None = None) -> Path:
    """--db beats POSTWATCH_DB, which beats postwatch.duckdb in the working directory."""
    return Path(db or os.environ.get("POSTWATCH_DB") or DEFAULT_DB)


def connect(db: str | os.PathLike | None = None, *, read_only: bool = False,
            sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    """Opens the warehouse; *sandbox* (read-only) is for queries written by the user."""
    path = resolve_path(db)
    read_only = read_only or sandbox
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `postwatch crawl URL` or `postwatch ingest PATH` first, or pass --db")
    if not read_only and path.parent and not path.parent.exists():
        raise WarehouseError(f"folder {path.parent} does not exist; create it or pass another --db")
    con = _open(path, read_only=read_only, config=SANDBOX if sandbox else {})
    try:
        with reading(path):
            _check_length(con, path)
            if not read_only:
                apply_schema(con)
            version = schema_version(con)
    except BaseException:
        con.close()
        raise
    if read_only and version < LATEST_VERSION:
        con.close()
        raise WarehouseError(
            f"{path} has schema version {version} and this postwatch needs {LATEST_VERSION}; "
            f"run `postwatch upgrade --db {path}` once, then try again"
        )
    return con


def _open(path: Path, *, read_only: bool, config: dict) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        if (damaged := damage(path, exc)) is not None:
            raise damaged from None
        if not isinstance(exc, duckdb.IOException):
            raise WarehouseError(f"{path} is not a DuckDB warehouse ({str(exc).splitlines()[0]}); pass another --db") from None
        message = str(exc)
        if "lock" in message.lower():
            holder = re.search(r"PID (\d+)", message)
            who = f" (process {holder.group(1)})" if holder else ""
            raise WarehouseError(
                f"{path} is in use by another program{who}; wait for it to finish, close it, or pass another --db"
            ) from None
        raise WarehouseError(f"cannot open {path}: {message.splitlines()[0]}; check the path or pass another --db") from None


def verify(db: str | os.PathLike | None = None) -> int:
    """Opens the warehouse read-only and reads every stored value back (see
    :func:`check_readable`), before anything is written to it; returns the tables read."""
    path = resolve_path(db)
    con = _open(path, read_only=True, config={})
    try:
        with reading(path):
            _check_length(con, path)
        return check_readable(con, path)
    finally:
        con.close()


def _check_length(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A file shorter than the blocks its header lists was cut off (a full disk, a copy
    stopped half-way); DuckDB itself would only notice when a query reaches the gap.
    Skipped while a write-ahead log is pending, whose blocks are not in the file yet."""
    if Path(f"{path}.wal").exists() or not path.is_file():
        return
    total, free, block_size = con.execute(
        "SELECT total_blocks, free_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchall()[0]
    blocks = total - free  # free blocks at the end are cut off by DuckDB itself when it checkpoints
    if (size := path.stat().st_size) < blocks * block_size:
        raise DamagedWarehouse(path, f"the file is {size} bytes but holds {blocks} blocks in use of {block_size}: it was cut off")


def check_readable(con: duckdb.DuckDBPyConnection, path: os.PathLike | str) -> int:
    """Reads every value of every table (so DuckDB checks each block's checksum) and
    returns how many tables were read; DamagedWarehouse at the first unreadable one."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1").fetchall()]
    with reading(path):
        for name in tables:
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{name}"').fetchall()
    return len(tables)


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
