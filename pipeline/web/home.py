"""`/`: what a reader looks at first. Failed recruitments and open searches as stories,
newest first; open vacancies with their pay and pay by post as a chart; appointments and
departures; a search box; and the feeds, filtered as the page is."""

from __future__ import annotations

import duckdb

from . import data
from .app import Request, render

# Enough to read through, few enough to answer fast on a large warehouse; the counts say how many
# there are, and the organisation page and the feeds hold the rest.
STORIES_SHOWN = 30
EVENTS_SHOWN = 20


def page(con: duckdb.DuckDBPyConnection, request: Request, _rest: str) -> bytes:
    org, since = request.arg("org"), request.since()
    shown = data.stories(con, ["failed", "open"], org=org, since=since, limit=STORIES_SHOWN)
    (failed, failed_total), (searches, open_total) = shown["failed"], shown["open"]
    latest = data.events(con, ["APPOINTMENT", "DEPARTURE"], org=org, since=since, limit=EVENTS_SHOWN)
    return render(
        "home.html", request=request, org=org, since=since,
        failed=failed, failed_total=failed_total, searches=searches, open_total=open_total,
        vacancies=data.open_vacancies(con, org=org, since=since, limit=STORIES_SHOWN),
        pay=data.pay_by_post(con), appointments=latest["APPOINTMENT"], departures=latest["DEPARTURE"],
    )
