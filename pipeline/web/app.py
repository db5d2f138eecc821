"""Routing for the page `postwatch serve` shows at `/`, and the story feed beside it.

Every answer is built from a read-only connection opened for that request (so a crawl
can write between requests), rendered server-side from the Jinja2 templates in
``templates/`` with autoescaping on (article text is untrusted), and carries an ETag so
the feed server's 304 handling covers pages too. While a crawl holds the warehouse the
answer is 503 with Retry-After, as for the feeds.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from warehouse.db import WarehouseError, connect
from warehouse.feed import EPOCH, feed_time

RETRY_AFTER_SECONDS = 30
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass
class Answer:
    status: HTTPStatus
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    modified: datetime = EPOCH
    tag: str | None = None  # an ETag known without hashing the body (a static file's size and time)

    @property
    def etag(self) -> str:
        return f'"{self.tag}"' if self.tag else '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class BadRequest(ValueError):
    """A query parameter the page cannot use; the message says what to send instead."""


class NotFound(LookupError):
    """No such organisation, person or page."""


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    base_url: str  # the server's own address, never the request's Host header

    def arg(self, name: str) -> str | None:
        value = (self.query.get(name) or [""])[0].strip()
        return value or None

    def since(self) -> date | None:
        value = self.arg("since")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise BadRequest("since must be a date like 2024-01-31") from None

    def filters(self) -> str:
        """The ?org= and ?since= of this request, for links that should keep them (the feeds)."""
        kept = {k: v for k in ("org", "since") if (v := self.arg(k))}
        return "?" + urlencode(kept) if kept else ""


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["COLORS"] = {"CUE": "#ff8197", "PERSON": "#aa9cfc", "POST": "#feca74", "ORG": "#7aecec"}
    return env


def render(template: str, **context) -> bytes:
    return templates().get_template(template).render(**context).encode("utf-8")


Handler = Callable[[duckdb.DuckDBPyConnection, Request, str], bytes]


def answer(db: Path, path: str, query: str, base_url: str) -> Answer | None:
    """The answer for *path*, or None when the path is not the page's (the feed server's own
    routes then apply)."""
    from . import event, feeds, home, organisation, person, search, static

    if path.startswith("/static/"):
        return static.answer(path.removeprefix("/static/"))
    routes: dict[str, tuple[Handler, str]] = {
        "/": (home.page, HTML), "/search": (search.page, HTML),
        "/stories.atom": (feeds.atom, feeds.ATOM), "/stories.json": (feeds.json, feeds.JSON),
    }
    handler, content_type, rest = None, HTML, ""
    if path in routes:
        handler, content_type = routes[path]
    else:
        for prefix, page in (("/organisation/", organisation.page), ("/person/", person.page),
                             ("/event/", event.page)):
            if path.startswith(prefix) and path != prefix:
                handler, rest = page, unquote(path.removeprefix(prefix))
        if handler is None:
            return None
    request = Request(path, parse_qs(query), base_url)
    try:
        con = connect(db, read_only=True)  # also how a crawl that holds the file is noticed: 503
    except WarehouseError as exc:
        return Answer(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n".encode(), TEXT,
                      {"Retry-After": str(RETRY_AFTER_SECONDS)})
    con.execute("SET threads = 1")  # a page's queries are small: threads only contend with the writer and each other
    key = (path, query, base_url, _signature(db))
    try:
        if (cached := _rendered.get(key)) is not None:
            return cached
        body = handler(con, request, rest)
        done = Answer(HTTPStatus.OK, body, content_type, modified=last_change(con))
    except BadRequest as exc:
        return Answer(HTTPStatus.BAD_REQUEST, f"{exc}\n".encode(), TEXT)
    except NotFound as exc:
        return Answer(HTTPStatus.NOT_FOUND, render("missing.html", message=str(exc), request=request), HTML)
    except Exception as exc:  # a bug must not drop the connection without a word
        return Answer(HTTPStatus.INTERNAL_SERVER_ERROR, f"the page failed ({type(exc).__name__}); "
                      f"see the server's log\n".encode(), TEXT)
    finally:
        con.close()
    _rendered.put(key, done)
    return done


class _Rendered:
    """Pages already rendered, keyed by the request and the warehouse file's state: any write
    (a commit to the WAL, a checkpoint) changes the file, so a key never outlives its data.
    A reader polling an unchanged warehouse then costs a stat and a lookup, not the queries."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._pages: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
            return self._pages.get(key)

    def put(self, key: tuple, answer: Answer) -> None:
        with self._lock:
            self._pages[key] = answer
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


_rendered = _Rendered()


def forget_rendered() -> None:
    """Drop every rendered page (the page benchmark times cold requests so)."""
    _rendered.clear()


def _signature(db: Path) -> tuple:
    state = []
    for path in (Path(db), Path(f"{db}.wal")):
        try:
            stat = path.stat()
        except OSError:
            state.append(None)
        else:
            state.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(state)


def last_change(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the warehouse last changed, for Last-Modified: its newest load."""
    ((moment,),) = con.execute("SELECT max(extracted_at) FROM articles").fetchall()
    return feed_time(moment)
