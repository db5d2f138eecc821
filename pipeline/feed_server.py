"""`postwatch serve`: the alert feed over HTTP, as feed readers expect it.

Two documents, the same entries: ``/alerts.atom`` (Atom) and ``/alerts.json`` (JSON
Feed 1.1), with ``?org=`` and ``?since=YYYY-MM-DD`` filters. Every answer carries an
``ETag`` (a hash of the body) and ``Last-Modified`` (the newest entry's update), and a
reader that sends them back gets 304 with no body, so polling every few minutes costs
next to nothing. The warehouse is opened read-only per request, so a crawl can write
between polls; while a crawl holds the file the server answers 503 with Retry-After.
The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from warehouse.db import WarehouseError, connect
from warehouse.feed import alerts, last_updated, render_atom, render_json

from . import web

ROUTES = {
    "/alerts.atom": (render_atom, "application/atom+xml; charset=utf-8"),
    "/alerts.json": (render_json, "application/feed+json; charset=utf-8"),
}
RETRY_AFTER_SECONDS = 30


class FeedServer:
    """``FeedServer(db, port).start()`` serves in a background thread until ``stop()``."""

    def __init__(self, db: Path, port: int = 8080, host: str = "127.0.0.1") -> None:
        handler = type("Handler", (_Handler,), {"db": db})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FeedServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="postwatch-feed", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    db: Path
    server_version = "postwatch"

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        if (page := web.answer(self.db, parts.path, parts.query, self._base_url())) is not None:
            return self._page(page, head)  # the page at / and the story feed: pipeline/web
        if parts.path in ("", "/"):
            return self._send(HTTPStatus.OK, b"postwatch alert feed: /alerts.atom or /alerts.json "
                                             b"(filters: ?org=NAME&since=YYYY-MM-DD)\n", "text/plain; charset=utf-8", head)
        if parts.path not in ROUTES:
            return self._send(HTTPStatus.NOT_FOUND, b"no such feed; try /alerts.atom or /alerts.json\n",
                              "text/plain; charset=utf-8", head)
        query = parse_qs(parts.query)
        org = (query.get("org") or [None])[0]
        try:
            since = date.fromisoformat(query["since"][0]) if query.get("since") else None
        except ValueError:
            return self._send(HTTPStatus.BAD_REQUEST, b"since must be a date like 2024-01-31\n",
                              "text/plain; charset=utf-8", head)
        try:
            con = connect(self.db, read_only=True)
        except WarehouseError as exc:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n".encode(), "text/plain; charset=utf-8", head,
                              {"Retry-After": str(RETRY_AFTER_SECONDS)})
        try:
            items = alerts(con, org=org, since=since)
        finally:
            con.close()
        render, content_type = ROUTES[parts.path]
        self_url = f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}"
        body = render(items, self_url=self_url)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = last_updated(items)
        validators = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True),
                      "Cache-Control": "no-cache"}
        if self._not_modified(etag, modified):
            return self._send(HTTPStatus.NOT_MODIFIED, b"", None, True, validators)
        self._send(HTTPStatus.OK, body, content_type, head, validators)

    def _page(self, page: web.Answer, head: bool) -> None:
        validators = {"ETag": page.etag, "Last-Modified": format_datetime(page.modified, usegmt=True),
                      "Cache-Control": "no-cache", **page.headers}
        if page.status == HTTPStatus.OK and self._not_modified(page.etag, page.modified):
            return self._send(HTTPStatus.NOT_MODIFIED, b"", None, True, validators)
        self._send(page.status, page.body, page.content_type, head, validators)

    def _base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        """RFC 9110: If-None-Match wins; If-Modified-Since counts only without it."""
        if (tags := self.headers.get("If-None-Match")) is not None:
            return tags.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in tags.split(",")]
        if (since := self.headers.get("If-Modified-Since")) is not None:
            try:
                return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: HTTPStatus, body: bytes, content_type: str | None, head: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)
