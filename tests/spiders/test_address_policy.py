"""The crawler's address policy: metadata and link-local addresses are never fetched,
private and loopback ones only for a start URL's own private host.

The rules are tested on resolved addresses given as a table (no DNS, no traffic); the
crawl test runs against a server on 127.0.0.1 whose pages redirect to a metadata and
a private address, with every other destination routed to a tripwire proxy on
127.0.0.1, so even a broken policy could not send a packet anywhere else."""

from __future__ import annotations

import ipaddress
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from spiders.run import run_crawl
from spiders.urls import FORBIDDEN, INTERNAL, PUBLIC, AddressPolicy, address_class

TABLE = {
    "news.example.org": ["203.0.113.10"],  # documentation range, standing in for a public site here
    "intranet.example": ["10.1.2.3"],
    "router.example": ["192.168.0.1"],
    "metadata.example": ["169.254.169.254"],
    "sneaky.example": ["203.0.113.11", "127.0.0.1"],
}


def resolve(host: str) -> list:
    if host in TABLE:
        return [ipaddress.ip_address(a) for a in TABLE[host]]
    return [ipaddress.ip_address(host.strip("[]"))]  # literals only; anything else would be DNS


def public_everywhere(address) -> str:
    """address_class, but the documentation range counts as public (it stands in for the internet)."""
    return PUBLIC if address in ipaddress.ip_network("203.0.113.0/24") else address_class(address)


@pytest.fixture()
def policy_of(monkeypatch):
    monkeypatch.setattr("spiders.urls.address_class", public_everywhere)
    return lambda *starts: AddressPolicy(starts, resolve=resolve)


@pytest.mark.parametrize("address, kind", [
    ("169.254.169.254", FORBIDDEN), ("169.254.0.1", FORBIDDEN), ("fe80::1", FORBIDDEN), ("fd00:ec2::254", FORBIDDEN),
    ("100.100.100.200", FORBIDDEN), ("::ffff:169.254.169.254", FORBIDDEN), ("0.0.0.0", FORBIDDEN),
    ("224.0.0.1", FORBIDDEN), ("240.0.0.1", FORBIDDEN),
    ("127.0.0.1", INTERNAL), ("::1", INTERNAL), ("10.0.0.5", INTERNAL), ("172.16.3.4", INTERNAL),
    ("192.168.1.1", INTERNAL), ("100.64.0.9", INTERNAL), ("fd12:3456::1", INTERNAL), ("fec0::1", INTERNAL), ("::ffff:10.0.0.1", INTERNAL),
    ("8.8.8.8", PUBLIC), ("2606:4700::1111", PUBLIC),
])
def test_address_classes(address, kind):
    assert address_class(ipaddress.ip_address(address)) == kind


def test_metadata_is_refused_even_from_a_private_start(policy_of):
    policy = policy_of("http://10.1.2.3/", "http://169.254.169.254/")
    assert policy.refusal("http://169.254.169.254/latest/meta-data/") == \
        "169.254.169.254 is a link-local, metadata or reserved address; never fetched"
    assert policy.refusal("http://metadata.example/x") == \
        "metadata.example (169.254.169.254) is a link-local, metadata or reserved address; never fetched"
    assert policy.refusal("http://metadata.google.internal/computeMetadata/v1/") == \
        "metadata.google.internal is a cloud metadata service; never fetched"


def test_a_public_start_cannot_reach_the_private_network(policy_of):
    policy = policy_of("https://news.example.org/")
    assert policy.refusal("https://news.example.org/story") is None
    for url, where in [("http://intranet.example/", "intranet.example (10.1.2.3)"),
                       ("http://127.0.0.1:8080/admin", "127.0.0.1"), ("http://[::1]/", "::1"),
                       ("http://router.example/", "router.example (192.168.0.1)")]:
        assert policy.refusal(url) == (f"{where} is a private or loopback address and no start URL is there; "
                                       f"only a start URL's own private host is fetched")


def test_a_name_with_any_private_address_is_refused(policy_of):
    assert "sneaky.example (127.0.0.1) is a private or loopback address" in \
        policy_of("https://news.example.org/").refusal("http://sneaky.example/")


def test_a_private_start_is_fetched_but_not_its_neighbours(policy_of):
    policy = policy_of("http://intranet.example/news/")
    assert policy.refusal("http://intranet.example/news/1") is None
    assert policy.refusal("http://router.example/") is not None
    assert policy.refusal("http://10.1.2.4/") is not None


def test_a_start_url_on_a_metadata_address_is_refused_at_the_door(tmp_path):
    db = tmp_path / "w.duckdb"
    for url in ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0.0.0.0/"]:
        result = CliRunner().invoke(main, ["crawl", url, "--db", str(db)], catch_exceptions=False)
        assert result.exit_code == 1
        assert result.output == (f"Error: {url!r} is a link-local, metadata or reserved address, which postwatch "
                                 f"never crawls; give a news site's address\n")
    assert not db.exists()


# -- a real crawl ----------------------------------------------------------------------------
class Tripwire(BaseHTTPRequestHandler):
    """A proxy that forwards nothing: it records what reached it and answers 502."""

    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(502)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class Site(BaseHTTPRequestHandler):
    ROUTES = {"/": (200, '<html><body><a href="/to-metadata">m</a> <a href="/to-private">p</a> '
                         '<a href="/to-decimal">d</a></body></html>'),
              "/to-metadata": (302, "http://169.254.169.254/latest/meta-data/"),
              "/to-private": (301, "http://10.20.30.40/admin"),
              "/to-decimal": (302, "http://2852039166/latest/")}  # 169.254.169.254 spelt as a number

    def do_GET(self) -> None:
        status, value = self.ROUTES.get(self.path, (404, "gone"))
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", value)
            value = ""
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(value.encode())

    def log_message(self, *args) -> None:
        pass


def serve(handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.slow
def test_redirects_into_metadata_or_another_private_host_are_refused_before_connecting(tmp_path, monkeypatch):
    tripwire, site = serve(Tripwire), serve(Site)
    try:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{tripwire.server_address[1]}")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        monkeypatch.setattr(urllib.request, "_opener", None)  # urlopen caches its proxies: drop them with the test
        start = f"http://127.0.0.1:{site.server_address[1]}/"
        output = run_crawl([start], tmp_path, timeout=60, overrides={"ROBOTSTXT_OBEY": False, "RETRY_TIMES": 0})
        errors = {e["url"]: (e["kind"], e["message"]) for e in output.iter_errors()}
    finally:
        tripwire.shutdown()
        site.shutdown()
    assert output.ok, output.stderr_tail
    assert Tripwire.seen == []
    refused = "is a link-local, metadata or reserved address; never fetched"
    assert errors == {
        start + "to-metadata": ("address_refused", "redirect to http://169.254.169.254/latest/meta-data/ refused: "
                                                   f"169.254.169.254 {refused}"),
        start + "to-private": ("address_refused", "redirect to http://10.20.30.40/admin refused: 10.20.30.40 is a "
                                                  "private or loopback address and no start URL is there; only a "
                                                  "start URL's own private host is fetched"),
        start + "to-decimal": ("address_refused", "redirect to http://2852039166/latest/ refused: "
                                                  f"2852039166 (169.254.169.254) {refused}"),
    }


@pytest.mark.slow
def test_a_refused_address_is_a_crawl_errors_row_with_its_reason(prefect, tmp_path, monkeypatch):
    tripwire, site = serve(Tripwire), serve(Site)
    db = tmp_path / "w.duckdb"
    try:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{tripwire.server_address[1]}")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        monkeypatch.setattr(urllib.request, "_opener", None)  # urlopen caches its proxies: drop them with the test
        start = f"http://127.0.0.1:{site.server_address[1]}/"
        result = CliRunner().invoke(main, ["crawl", start, "--db", str(db)], catch_exceptions=False)
    finally:
        tripwire.shutdown()
        site.shutdown()
    assert result.exit_code == 0, result.output
    assert "crawl errors 3 (see the crawl_errors table, and the crawl log)" in [" ".join(line.split()) for line in result.output.splitlines()]
    assert Tripwire.seen == []
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT url, kind, message FROM crawl_errors ORDER BY url").fetchall()
    con.close()
    assert [(url.removeprefix(start), kind) for url, kind, _ in rows] == [
        ("to-decimal", "address_refused"), ("to-metadata", "address_refused"), ("to-private", "address_refused")]
    assert all(message.startswith("redirect to http://") and " refused: " in message for _, _, message in rows)
