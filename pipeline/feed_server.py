"""`postwatch serve`: the alert feed over HTTP, as feed readers expect it.

Two documents, the same entries: ``/alerts.atom`` (Atom) and ``/alerts.json`` (JSON
Feed 1.1), with ``?org=`` and ``?since=YYYY-MM-DD`` filters. Every answer carries an
``ETag`` (a hash of the body) and ``Last-Modified`` (the newest entry's update), and a
reader that sends them back gets 304 with no body, so polling every few minutes costs
next to nothing. The warehouse is opened read-only per request, so a crawl can write
between polls; while a crawl holds the file the server answers 503 with Retry-After.
The server listens on 127.0.0.1 only.

Sized for a crowd of feed readers: the listen backlog holds ``LISTEN_BACKLOG``
connections (the standard library's default of 5 overflowed at 200 concurrent
readers, and each overflow cost a reader a 1-3 s SYN retry or a timeout), and requests
are answered by a bounded pool of ``WORKERS`` threads instead of a thread per
connection. Answers are plain text when they are not feeds, other methods get 405
with ``Allow``, and the feed's self link is built from the address the server was
configured with, never from the request's ``Host`` header (which a client can forge).
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from warehouse.db import DamagedWarehouse, WarehouseError, connect, damage
from warehouse.feed import alerts, last_updated, render_atom, render_json

from . import web
from .conditional import not_modified

ROUTES = {
    "/alerts.atom": (render_atom, "application/atom+xml; charset=utf-8"),
    "/alerts.json": (render_json, "application/feed+json; charset=utf-8"),
}
RETRY_AFTER_SECONDS = 30
LISTEN_BACKLOG = 1024  # connections the kernel queues before accept (the kernel may cap it at somaxconn)
WORKERS = 32  # threads answering requests; a feed answer takes milliseconds, so this serves hundreds
ALLOWED_METHODS = "GET, HEAD"
TEXT = "text/plain; charset=utf-8"


class PooledHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a deep listen backlog and a bounded pool of workers:
    a burst of readers waits its turn in the queue instead of being refused, and
    never starts more threads than ``WORKERS``."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], workers: int = WORKERS) -> None:
        super().__init__(address, handler)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="postwatch-feed")

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 (socketserver's signature)
        self.pool.submit(self.process_request_thread, request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


class FeedServer:
    """``FeedServer(db, port).start()`` serves in a background thread until ``stop()``."""

    def __init__(self, db: Path, port: int = 8080, host: str = "127.0.0.1") -> None:
        handler = type("Handler", (_Handler,), {"db": db})
        self.httpd = PooledHTTPServer((host, port), handler)
        handler.base_url = self.url  # the self link's origin: the configured address, not a request's Host
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
    base_url: str = "http://127.0.0.1"
    server_version = "postwatch"
    protocol_version = "HTTP/1.0"  # one request per connection: a slow reader cannot hold a worker

    def do_HEAD(self) -> None:
        self._guarded(head=True)

    def do_GET(self) -> None:
        self._guarded(head=False)

    def _guarded(self, *, head: bool) -> None:
        """A fault of ours is a plain 500 and one log line, not a dropped connection."""
        try:
            self._answer(head=head)
        except Exception as exc:  # noqa: BLE001 (the server must keep serving)
            self.log_error("error answering %s: %s: %s", self.path, type(exc).__name__, str(exc).splitlines()[:1])
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"500 the feed could not be made; see the server's log\n",
                       TEXT, head)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error as one line of plain text (not the standard library's HTML page);
        a method other than GET or HEAD (501 there) is 405 with ``Allow``."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code, message = HTTPStatus.METHOD_NOT_ALLOWED, f"only {ALLOWED_METHODS} are answered here"
        status = HTTPStatus(code)
        body = f"{status.value} {message or status.phrase}\n".encode("utf-8", "replace")
        self.close_connection = True
        self.request_version = self.protocol_version  # an unparsable request line left HTTP/0.9: no status line
        self._send(status, body, TEXT, head=self.command == "HEAD",
                   headers={"Allow": ALLOWED_METHODS} if status == HTTPStatus.METHOD_NOT_ALLOWED else None)

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
        except DamagedWarehouse as exc:  # waiting will not mend it
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n".encode(), TEXT, head)
        except WarehouseError as exc:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n".encode(), "text/plain; charset=utf-8", head,
                              {"Retry-After": str(RETRY_AFTER_SECONDS)})
        try:
            items = alerts(con, org=org, since=since)
        except Exception as exc:
            if (damaged := damage(self.db, exc)) is None:
                raise
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{damaged}\n".encode(), TEXT, head)
        finally:
            con.close()
        render, content_type = ROUTES[parts.path]
        self_url = f"{self.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")
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
        return not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified)

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
