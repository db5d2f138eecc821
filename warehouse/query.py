"""`postwatch sql`: a user's query, run read-only, printed for people or for scripts."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import duckdb

TABLE_CELL_WIDTH = 60  # the printed table cuts longer cells; --csv and --json never do


class QueryError(ValueError):
    """The query could not run; the message is one line that says how to fix it."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> Result:
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        if "read-only" in first:
            raise QueryError(f"{first}: `postwatch sql` only reads; change the warehouse with postwatch's own commands") from None
        raise QueryError(f"{first}; see the tables and columns with `postwatch sql \"SHOW ALL TABLES\"`") from None
    return Result(columns, rows)


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
