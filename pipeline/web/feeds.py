"""/stories.atom and /stories.json: the story feed (warehouse/story_feed.py) over HTTP,
with the same ?org= and ?since= filters as /alerts.atom."""

from __future__ import annotations

import duckdb

from warehouse.story_feed import stories_feed

from .app import Request

ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/feed+json; charset=utf-8"


def atom(con: duckdb.DuckDBPyConnection, request: Request, _rest: str) -> bytes:
    return _feed(con, request, "atom")


def json(con: duckdb.DuckDBPyConnection, request: Request, _rest: str) -> bytes:
    return _feed(con, request, "json")


def _feed(con: duckdb.DuckDBPyConnection, request: Request, fmt: str) -> bytes:
    self_url = f"{request.base_url}{request.path}{request.filters()}"
    return stories_feed(con, self_url=self_url, org=request.arg("org"), since=request.since(), fmt=fmt)
