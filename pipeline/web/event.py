"""`/event/<event_id>`: one event explained, as `postwatch explain` prints it."""

from __future__ import annotations

import duckdb

from warehouse.evidence import explain

from .app import NotFound, Request, render


def page(con: duckdb.DuckDBPyConnection, request: Request, event_id: str) -> bytes:
    evidence = explain(con, event_id)
    if evidence is None:
        raise NotFound("no event with that id")
    return render("event.html", request=request, ev=evidence)
