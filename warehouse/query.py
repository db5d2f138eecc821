"""`postwatch sql`: a user's query, run in a sandbox, printed for people or for scripts.

The sandbox is what Datasette gives its users' SQL: the warehouse opened read-only
with DuckDB's external access switched off and the configuration locked
(``warehouse.db.SANDBOX``), so a query can neither change the warehouse nor read or
write any other file, attach another database or install an extension; a time limit
that interrupts the query (a timer thread calls ``con.interrupt()``); and a row cap,
so a query that returns a billion rows stops at the cap instead of filling memory.
Every refusal is one line that says what `postwatch sql` is for.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass
from typing import Any

import duckdb

from .db import damage

TABLE_CELL_WIDTH = 60  # the printed table cuts longer cells; --csv and --json never do
DEFAULT_TIMEOUT = 5.0  # seconds; --timeout or POSTWATCH_SQL_TIMEOUT
DEFAULT_MAX_ROWS = 10_000  # --max-rows or POSTWATCH_SQL_MAX_ROWS
FETCH_BATCH = 1_000
ONLY_READS = "`postwatch sql` only reads; change the warehouse with postwatch's own commands"
SANDBOXED = ("`postwatch sql` reads the warehouse and nothing else: no other files, no ATTACH, COPY, INSTALL or "
             "LOAD, no settings; query the warehouse's tables and views")
EXAMPLE = 'postwatch sql "SELECT count(*) FROM articles"'


class QueryError(ValueError):
    """The query could not run; the message is one line that says how to fix it."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False  # more rows than the cap; only the first max_rows are here


def run_query(con: duckdb.DuckDBPyConnection, query: str, *, timeout: float = DEFAULT_TIMEOUT,
              max_rows: int = DEFAULT_MAX_ROWS) -> Result:
    """Runs *query* (one statement or several; the last one's rows are returned) on a
    sandboxed connection (``warehouse.db.connect(..., sandbox=True)``), stopping it
    after *timeout* seconds or at Ctrl-C, and keeping at most *max_rows* rows.

    The query runs in a worker thread while this (main) thread waits: a signal reaches
    Python only in the main thread, and only between bytecodes, so a query running in
    the main thread would not notice Ctrl-C until it ended by itself. Either way the
    waiting thread stops the query with ``con.interrupt()``."""
    if not query.strip():
        raise QueryError(f"the query is empty; give one, e.g. {EXAMPLE}")
    outcome: dict[str, Any] = {}
    done = threading.Event()  # not Thread.join: a join cut short by Ctrl-C can report a live thread dead

    def work() -> None:
        try:
            outcome["result"] = _fetch(con, query, max_rows)
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="postwatch-sql", daemon=True).start()
    try:
        finished = done.wait(timeout)
    except KeyboardInterrupt:
        _stop(con, done)
        raise QueryError("stopped by Ctrl-C; nothing was changed") from None
    if not finished:
        _stop(con, done)
        raise QueryError(f"the query ran longer than {timeout:g} s and was stopped; narrow it (a WHERE or a "
                         f"LIMIT) or pass a longer --timeout")
    if isinstance(error := outcome.get("error"), duckdb.Error):
        if damage("", error) is not None:
            raise error  # the warehouse's fault, not the query's: warehouse.db.reading names it
        raise QueryError(_one_line(error)) from None
    if error is not None:
        raise error
    return outcome["result"]


def _fetch(con: duckdb.DuckDBPyConnection, query: str, max_rows: int) -> Result:
    cursor = con.execute(query)
    if cursor is None:  # nothing but comments
        raise QueryError(f"the query is empty (only comments); give one, e.g. {EXAMPLE}")
    if not cursor.description:  # a statement that returns nothing
        return Result([], [])
    columns = [d[0] for d in cursor.description]
    rows: list[tuple[Any, ...]] = []
    while len(rows) <= max_rows and (batch := cursor.fetchmany(min(FETCH_BATCH, max_rows + 1 - len(rows)))):
        rows.extend(batch)
    return Result(columns, rows[:max_rows], truncated=len(rows) > max_rows)


def _stop(con: duckdb.DuckDBPyConnection, done: threading.Event) -> None:
    """Interrupts the running query and waits for the worker to notice (DuckDB checks
    for an interrupt between small units of work, so this takes milliseconds)."""
    while not done.is_set():
        con.interrupt()
        done.wait(0.1)


def _one_line(exc: duckdb.Error) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if "read-only" in first:
        return f"{first}: {ONLY_READS}"
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in first \
            or "disabled through configuration" in first or "disabled by configuration" in first:
        return f"{first}; {SANDBOXED}"
    return f"{first}; see the tables and columns with `postwatch sql \"SHOW ALL TABLES\"`"


def to_table(result: Result) -> str:
    cells = [[_text(v, TABLE_CELL_WIDTH) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(result.columns), line(["-" * w for w in widths])] + [line(row) for row in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out)


def to_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([["" if v is None else _plain(v) for v in row] for row in result.rows])
    return buffer.getvalue()


def to_json(result: Result) -> str:
    return json.dumps([dict(zip(result.columns, row)) for row in result.rows], default=_plain, ensure_ascii=False,
                      indent=2)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _text(value: Any, width: int) -> str:
    text = "" if value is None else str(_plain(value)).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
