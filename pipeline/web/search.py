"""`/search?q=`: organisations and people whose name holds the words typed (any case)."""

from __future__ import annotations

import duckdb

from .app import Request, render

SHOWN = 50


def page(con: duckdb.DuckDBPyConnection, request: Request, _rest: str) -> bytes:
    q = request.arg("q") or ""
    organisations = people = []
    if q:
        organisations = con.execute(f"""
            SELECT o.org_id, o.name, count(e.event_id) AS events FROM organisations o
            LEFT JOIN events e ON e.org_id = o.org_id
            WHERE contains(lower(o.name), lower($q)) GROUP BY ALL ORDER BY events DESC, o.name LIMIT {SHOWN}
        """, {"q": q}).fetchall()
        people = con.execute(f"""
            SELECT p.person_id, p.name, count(e.event_id) AS events FROM people p
            LEFT JOIN events e ON e.person_id = p.person_id
            WHERE contains(lower(p.name), lower($q)) GROUP BY ALL ORDER BY events DESC, p.name LIMIT {SHOWN}
        """, {"q": q}).fetchall()
    return render("search.html", request=request, q=q, organisations=organisations, people=people)
