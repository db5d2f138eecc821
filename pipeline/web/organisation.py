"""`/organisation/<org_id>`: one organisation's posts over time (who held each, from when
to when, interims marked), its recruitment stories, and every event about it."""

from __future__ import annotations

import duckdb

from warehouse.evidence import evidence_for

from . import data
from .app import NotFound, Request, render


def page(con: duckdb.DuckDBPyConnection, request: Request, org_id: str) -> bytes:
    found = con.execute("SELECT name FROM organisations WHERE org_id = $id", {"id": org_id}).fetchall()
    if not found:
        raise NotFound("no organisation with that id; search for it by name")
    history = evidence_for(con, "e.org_id = $id AND e.event_type IN ('APPOINTMENT', 'DEPARTURE') AND e.post IS NOT NULL",
                           {"id": org_id}, order="lower(e.post), happened NULLS LAST, e.event_type DESC, e.event_id")
    posts: dict[str, list] = {}
    for ev in history:
        posts.setdefault(ev.post.lower(), []).append(ev)
    statuses = ["failed", "open", "filled", "closed"]
    by_status = data.stories(con, statuses, org_id=org_id, limit=100)
    stories = sorted((s for status in statuses for s in by_status[status][0]),
                     key=lambda s: (s.last_event is not None, s.last_event), reverse=True)
    others = evidence_for(con, "e.org_id = $id AND e.event_type IN ('VACANCY', 'NO_APPOINTMENT')", {"id": org_id},
                          limit=100)
    return render("organisation.html", request=request, name=found[0][0], org_id=org_id, posts=posts,
                  stories=stories, others=others)
