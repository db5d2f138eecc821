"""Subscriber sites: the user's own cookies.txt, sent to its own sites only.

Unit tests of spiders/cookies.py, then real crawls of two paywalled sites on
127.0.0.1 and ``localhost`` (two hosts, as two publishers would be) whose servers
record the Cookie header they receive: the full story for a valid session, a teaser
with ``isAccessibleForFree: false`` otherwise. The stub is recorded as ``paywalled``,
and no cookie value reaches the crawl's log or output files, or the warehouse.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main as cli
from spiders.cookies import CookiesFileError, cookie_header, read_cookies
from spiders.run import run_crawl

SESSION = "s3ss10n-for-wren-kettleborough"
FUTURE = int(time.time()) + 86400
PARAGRAPH = ("The quarterly board papers of the invented Fellbrook Valley trust describe a winter plan in "
             "which the chief operating officer, Ottoline Marsh-Peverell, asks for forty extra beds, a new "
             "discharge lounge and weekend cover from two community teams before the first cold snap arrives.")
TEASER = "Subscribers can read how the invented Fellbrook Valley trust plans to get through the winter."


def cookies_file(folder: Path, *lines: str) -> Path:
    path = folder / "cookies.txt"
    path.write_text("# Netscape HTTP Cookie File\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def page(full: bool) -> str:
    body = "\n".join(f"<p>{PARAGRAPH} Part {i}.</p>" for i in range(8)) if full else f"<p>{TEASER}</p>"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Winter plan | Fellbrook Post</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Fellbrook Valley sets out its winter plan", "datePublished": "2030-01-15T09:00:00Z",
 "isAccessibleForFree": false, "hasPart": {{"@type": "WebPageElement", "isAccessibleForFree": false,
 "cssSelector": ".story"}}}}</script></head>
<body><article><h1>Fellbrook Valley sets out its winter plan</h1><div class="story">{body}</div></article></body></html>"""


class PaywalledSite:
    """A one-story site that shows the story to a valid session and a teaser to anyone else."""

    def __init__(self, host: str) -> None:
        self.host, self.cookies_seen = host, []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                cookie = self.headers.get("Cookie")
                site.cookies_seen.append((self.path, cookie))
                if self.path != "/story":
                    self.send_response(404)
                    self.end_headers()
                    return
                body = page(full=f"session={SESSION}" in (cookie or "")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}/story"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites():
    ours, theirs = PaywalledSite("127.0.0.1"), PaywalledSite("localhost")
    yield ours, theirs
    ours.close()
    theirs.close()


# -- the cookies file ---------------------------------------------------------------------
def test_netscape_file_is_read_with_http_only_lines_and_without_expired_cookies(tmp_path):
    path = cookies_file(tmp_path, f"127.0.0.1\tFALSE\t/\tFALSE\t{FUTURE}\tsession\t{SESSION}",
                        f"#HttpOnly_.example.org\tTRUE\t/\tTRUE\t{FUTURE}\tsid\tabc",
                        "127.0.0.1\tFALSE\t/\tFALSE\t1000\told\tgone")
    assert sorted(c.name for c in read_cookies(path)) == ["session", "sid"]


def test_cookies_go_to_their_own_site_only(tmp_path):
    cookies = read_cookies(cookies_file(
        tmp_path, f"news.example.org\tFALSE\t/\tFALSE\t{FUTURE}\thost\t1",
        f".example.org\tTRUE\t/\tFALSE\t{FUTURE}\tdomain\t2",
        f".example.org\tTRUE\t/members\tFALSE\t{FUTURE}\tpath\t3",
        f".example.org\tTRUE\t/\tTRUE\t{FUTURE}\tsecure\t4"))
    assert cookie_header("http://news.example.org/a", cookies) == "host=1; domain=2"
    assert cookie_header("https://shop.example.org/members/x", cookies) == "path=3; domain=2; secure=4"
    assert cookie_header("http://example.org.evil.test/", cookies) is None
    assert cookie_header("http://notexample.org/", cookies) is None


def test_a_file_that_is_not_netscape_cookies_says_how_to_get_one(tmp_path):
    path = tmp_path / "cookies.json"
    path.write_text('[{"name": "session"}]', encoding="utf-8")
    with pytest.raises(CookiesFileError, match="is not a Netscape cookies.txt .*; export your cookies from the browser"):
        read_cookies(path)


def test_cli_refuses_a_bad_cookies_file_in_one_line(tmp_path):
    path = tmp_path / "cookies.json"
    path.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--cookies", str(path),
                                      "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path} is not a Netscape cookies.txt (")
    assert "export your cookies from the browser in Netscape format and pass that file" in result.output
    assert "Traceback" not in result.output


# -- real crawls ----------------------------------------------------------------------------
def test_session_cookie_reaches_its_site_and_no_other(sites, tmp_path):
    ours, theirs = sites
    path = cookies_file(tmp_path, f"127.0.0.1\tFALSE\t/\tFALSE\t{FUTURE}\tsession\t{SESSION}",
                        f".elsewhere.example\tTRUE\t/\tFALSE\t{FUTURE}\tother\tnot-for-you")
    output = run_crawl([ours.url, theirs.url], tmp_path / "crawl", timeout=120, cookies=path)
    assert output.ok, output.stderr_tail
    assert {cookie for _, cookie in ours.cookies_seen} == {f"session={SESSION}"}
    assert {cookie for _, cookie in theirs.cookies_seen} == {None}
    [article] = list(output.iter_articles())
    assert article["url"] == ours.url and article["text"].count("Ottoline Marsh-Peverell") == 8
    [error] = list(output.iter_errors())
    assert (error["url"], error["kind"]) == (theirs.url, "paywalled")
    for written in tmp_path.joinpath("crawl").iterdir():
        assert SESSION not in written.read_text(encoding="utf-8", errors="replace"), written.name


def test_expired_login_is_recorded_as_paywalled_in_the_warehouse(prefect, sites, tmp_path):
    ours, _ = sites
    expired = "session=" + SESSION[::-1]
    path = cookies_file(tmp_path, f"127.0.0.1\tFALSE\t/\tFALSE\t{FUTURE}\tsession\t{SESSION[::-1]}")
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(cli, ["crawl", ours.url, "--cookies", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert {cookie for _, cookie in ours.cookies_seen} == {expired}
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT url, kind, message FROM crawl_errors").fetchall()
    con.close()
    assert [(url, kind) for url, kind, _ in rows] == [(ours.url, "paywalled")]
    assert "log in again" in rows[0][2]
    assert SESSION[::-1].encode() not in db.read_bytes()
    assert SESSION[::-1] not in result.output
