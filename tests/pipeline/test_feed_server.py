"""`postwatch serve` answers only what it should: a forged Host is not reflected, `org`
is literal text, other methods get 405 with Allow, errors are plain text, and the
server is built for a crowd (its backlog and worker pool; the crowd itself is measured
by `python -m tests.benchmarks.serve`, not timed here)."""

from __future__ import annotations

import http.client
import socket

import feedparser
import pytest

from pipeline.feed_server import ALLOWED_METHODS, LISTEN_BACKLOG, WORKERS, FeedServer
from tests.benchmarks.serve import ORGS, invented_warehouse


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = invented_warehouse(tmp_path_factory.mktemp("serve") / "w.duckdb", articles=6)
    running = FeedServer(db, port=0).start()
    yield running
    running.stop()


def request(server, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_forged_host_header_is_not_the_self_link(server):
    status, _, body = request(server, "GET", "/alerts.atom?org=Fenwold", {"Host": "evil.example"})
    assert status == 200
    parsed = feedparser.parse(body)
    assert [l["href"] for l in parsed.feed.links if l["rel"] == "self"] == [f"{server.url}/alerts.atom?org=Fenwold"]
    assert b"evil.example" not in body


def test_an_absolute_request_target_does_not_move_the_self_link(server):
    status, _, body = request(server, "GET", "http://evil.example/alerts.json")
    assert status == 200 and b"evil.example" not in body


@pytest.mark.parametrize("wildcard", ["%", "_", "%25", "Fen%", "F_nwold"])
def test_org_is_literal_text_not_a_pattern(server, wildcard):
    status, _, body = request(server, "GET", f"/alerts.atom?org={wildcard}")
    assert status == 200
    assert feedparser.parse(body).entries == []


def test_org_still_matches_part_of_a_name_in_any_case(server):
    status, _, body = request(server, "GET", "/alerts.atom?org=fenwold%20valley")
    assert {e.tags[1]["term"] for e in feedparser.parse(body).entries} == {ORGS[0]}


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"])
def test_other_methods_get_405_with_allow_in_plain_text(server, method):
    status, headers, body = request(server, method, "/alerts.atom")
    assert status == 405
    assert headers["allow"] == ALLOWED_METHODS == "GET, HEAD"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body == b"405 only GET, HEAD are answered here\n"


def test_a_malformed_request_line_is_a_plain_400(server):
    host, port = server.httpd.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"GET /alerts.atom HTTP/9\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 400")
    assert b"Content-Type: text/plain; charset=utf-8" in head
    assert body.startswith(b"400 ") and b"<html" not in body.lower()


def test_unknown_paths_are_plain_404(server):
    status, headers, body = request(server, "GET", "/etc/passwd")
    assert (status, headers["content-type"]) == (404, "text/plain; charset=utf-8")


def test_built_for_a_crowd(server):
    """The listen backlog and the bounded pool the 200-reader measurement relies on."""
    assert server.httpd.request_queue_size == LISTEN_BACKLOG >= 200
    assert server.httpd.pool._max_workers == WORKERS
    status, _, _ = request(server, "GET", "/alerts.json")
    assert status == 200
