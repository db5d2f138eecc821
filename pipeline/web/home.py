"""`/`: what a reader looks at first. Failed recruitments and open searches as stories,
newest first; open vacancies with their pay and pay by post as a chart; appointments and
departures; a search box; and the feeds, filtered as the page is."""

from __future__ import annotations

import duckdb

from . import data
from .app import Request, render

STORIES_SHOWN = 50
EVENTS_SHOWN = 30


def page(con: duckdb.DuckDBPyConnection, request: Request, _rest: str) -> bytes:
    org, since = request.arg("org"), request.since()
    failed, failed_total = data.stories(con, ["failed"], org=org, since=since, limit=STORIES_SHOWN)
    searches, open_total = data.stories(con, ["open"], org=org, since=since, limit=STORIES_SHOWN)
    return render(
        "home.html", request=request, org=org, since=since,
        failed=failed, failed_total=failed_total, searches=searches, open_total=open_total,
        vacancies=data.open_vacancies(con, org=org, since=since),
        pay=data.pay_by_post(con),
        appointments=data.events(con, "APPOINTMENT", org=org, since=since, limit=EVENTS_SHOWN),
        departures=data.events(con, "DEPARTURE", org=org, since=since, limit=EVENTS_SHOWN),
    )
