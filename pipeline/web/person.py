"""`/person/<person_id>`: one person's posts over time, each with its evidence."""

from __future__ import annotations

import duckdb

from warehouse.evidence import evidence_for

from .app import NotFound, Request, render


def page(con: duckdb.DuckDBPyConnection, request: Request, person_id: str) -> bytes:
    found = con.execute("SELECT name FROM people WHERE person_id = $id", {"id": person_id}).fetchall()
    if not found:
        raise NotFound("no person with that id; search for them by name")
    events = evidence_for(con, "e.person_id = $id", {"id": person_id},
                          order="happened NULLS LAST, e.event_type DESC, e.event_id")
    return render("person.html", request=request, name=found[0][0], events=events)
