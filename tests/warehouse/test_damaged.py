"""A damaged warehouse -- cut off half-way, or with bytes that fail DuckDB's block
checksums -- is named as damaged by every command, in one line that says how to
recover, and is left exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.feed_server import FeedServer
from warehouse.db import connect

RECOVER = "restore it from a backup copy, or move it aside and rebuild it with `postwatch ingest` / `postwatch crawl`"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    """A warehouse of several blocks: text that does not compress, and alerts to serve."""
    path = tmp_path_factory.mktemp("damage") / "healthy.duckdb"
    con = connect(path)
    con.execute("""INSERT INTO articles (article_id, url, title, first_seen, text)
                   SELECT 'a' || i, 'https://news.example.test/' || i, 'Story ' || i, TIMESTAMP '2024-05-01 09:00',
                          (SELECT string_agg(md5(i::VARCHAR || '-' || j::VARCHAR), ' ') FROM range(40) t(j))
                   FROM range(3000) s(i)""")
    con.execute("""INSERT INTO events (event_id, article_id, event_type, organisation, sentence)
                   SELECT 'e' || i, 'a' || i, 'NO_APPOINTMENT', 'Fenwold Valley NHS Trust', md5(i::VARCHAR)
                   FROM range(3000) s(i)""")
    con.close()
    return path


def damaged_copy(healthy: Path, path: Path, *, cut_at: float | None = None, scribble_at: float | None = None) -> Path:
    """A copy of *healthy* cut off at a fraction of its length, or with 5000 bytes overwritten there."""
    shutil.copy(healthy, path)
    with path.open("r+b") as handle:
        if cut_at is not None:
            handle.truncate(int(healthy.stat().st_size * cut_at))
        if scribble_at is not None:
            handle.seek(int(healthy.stat().st_size * scribble_at))
            handle.write(b"\xff" * 5000)
    return path


@pytest.fixture()
def truncated(healthy, tmp_path) -> Path:
    return damaged_copy(healthy, tmp_path / "cut.duckdb", cut_at=0.5)


@pytest.fixture()
def scribbled(healthy, tmp_path) -> Path:
    """Bytes overwritten in the middle: the file's length is right, one block's checksum is not."""
    return damaged_copy(healthy, tmp_path / "scribbled.duckdb", scribble_at=0.5)


@pytest.fixture()
def scribbled_alerts(healthy, tmp_path) -> Path:
    """Bytes overwritten where the alerts' rows are: tried along the file until the feed's query trips."""
    path = tmp_path / "scribbled-alerts.duckdb"
    for tenth in range(1, 10):
        damaged_copy(healthy, path, scribble_at=tenth / 10)
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("SELECT * FROM no_appointment_alerts").fetchall()
        except duckdb.Error:
            return path
        finally:
            con.close()
    pytest.fail("no place in the file held the alerts' rows")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_damaged_line(result, path: Path) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line, = result.output.strip().splitlines()
    assert line.startswith(f"Error: {path} is damaged (") and line.endswith(f"); {RECOVER}"), line
    return line


@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["feed"], ["upgrade"], ["serve", "--port", "65500"]])
def test_a_cut_off_warehouse_is_named_by_every_reading_command(truncated, command):
    before = digest(truncated)
    line = one_damaged_line(invoke(*command, "--db", str(truncated)), truncated)
    assert "it was cut off" in line
    assert digest(truncated) == before


def test_ingest_into_a_cut_off_warehouse_stops_before_any_work(truncated, tmp_path, articles):
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(f'{{"id": "{a["id"]}", "url": "{a["url"]}", "text": "words"}}\n' for a in articles[:2]))
    before = digest(truncated)
    one_damaged_line(invoke("ingest", str(archive), "--db", str(truncated)), truncated)
    assert digest(truncated) == before


def test_scribbled_bytes_are_found_by_a_query_that_reaches_them(scribbled):
    before = digest(scribbled)
    line = one_damaged_line(invoke("sql", "SELECT sum(length(text)) FROM articles", "--db", str(scribbled)), scribbled)
    assert "Corrupt database file" in line
    assert digest(scribbled) == before


def test_upgrade_reads_everything_before_it_writes(scribbled):
    """The old upgrade opened the file, read the schema version and said all was well."""
    before = digest(scribbled)
    assert "Corrupt database file" in one_damaged_line(invoke("upgrade", "--db", str(scribbled)), scribbled)
    assert digest(scribbled) == before


def test_upgrade_of_a_healthy_warehouse_still_works(healthy):
    result = invoke("upgrade", "--db", str(healthy))
    assert result.exit_code == 0, result.output


def test_feed_names_damage_it_reads_into(scribbled_alerts):
    before = digest(scribbled_alerts)
    assert "Corrupt database file" in one_damaged_line(invoke("feed", "--db", str(scribbled_alerts)), scribbled_alerts)
    assert digest(scribbled_alerts) == before


@pytest.mark.parametrize("damaged", ["truncated", "scribbled_alerts"])
def test_the_server_answers_500_in_plain_text(damaged, request):
    path = request.getfixturevalue(damaged)
    server = FeedServer(path, port=0).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{server.url}/alerts.atom", timeout=10)
    finally:
        server.stop()
    assert caught.value.code == 500
    assert caught.value.headers["Content-Type"] == "text/plain; charset=utf-8"
    body = caught.value.read().decode()
    assert body.startswith(f"{path} is damaged (") and body.endswith(f"; {RECOVER}\n")
