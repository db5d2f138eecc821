"""The command line: every command documented with an example, and every user mistake
answered with one line that names the fix, a non-zero exit, and nothing lost."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main

COMMANDS = ["crawl", "ingest", "feed", "evaluate", "demo", "sql", "serve", "schedule", "upgrade", "explain", "server"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: postwatch " + command in result.output


def test_ingest_of_a_missing_file(tmp_path):
    result = invoke("ingest", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "w.duckdb"))
    assert result.exit_code == 1
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_crawl_of_something_that_is_not_a_url(tmp_path):
    result = invoke("crawl", "news.example.org", "--db", str(tmp_path / "w.duckdb"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: 'news.example.org' is not a web address; give URLs that start with http:// or https://")


def test_feed_without_a_warehouse(tmp_path):
    result = invoke("feed", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1
    assert "no warehouse at" in result.output and "first, or pass --db" in result.output


def test_locked_warehouse_is_one_clear_line(tmp_path):
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(db)!r}); print("locked", flush=True); time.sleep(60)""")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = invoke("feed", "--db", str(db))
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "is in use by another program" in result.output
    assert "wait for it to finish, close it, or pass another --db" in result.output


@pytest.mark.slow
def test_malformed_line_loads_nothing_and_keeps_what_was_loaded(prefect, tmp_path):
    good = {"id": "x1", "url": "https://n.test/x1", "published": "2025-02-03", "title": "Board news",
            "text": " ".join(["Ravensholme Community NHS Trust has appointed Kwame Ashdown as chief executive."] * 12)}
    archive = tmp_path / "a.jsonl"
    archive.write_text(json.dumps(good) + "\n")
    db = tmp_path / "w.duckdb"
    assert invoke("ingest", str(archive), "--db", str(db)).exit_code == 0
    bad = tmp_path / "b.jsonl"
    bad.write_text(json.dumps({**good, "id": "x2", "url": "https://n.test/x2"}) + "\n{not json\n")
    result = invoke("ingest", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "b.jsonl line 2 is not valid JSON" in result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT url FROM articles").fetchall() == [("https://n.test/x1",)]
    con.close()


@pytest.mark.slow
def test_unreachable_site_is_one_clear_line(prefect, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/"
    result = invoke("crawl", url, "--db", str(tmp_path / "w.duckdb"))
    assert result.exit_code == 1
    assert f"Error: could not reach {url}; check the address and that the site is up, then run again" in result.output


def test_every_command_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert set(main.commands) == set(COMMANDS)
    for command in COMMANDS:
        assert f"`postwatch {command}" in readme, f"README does not document postwatch {command}"


def test_upgrade_brings_an_old_warehouse_up_to_date(tmp_path):
    from warehouse.db import LATEST_VERSION, MIGRATIONS

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(MIGRATIONS[1].read_text())
    con.close()
    result = invoke("upgrade", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.output == f"{db}: schema version {LATEST_VERSION}\n"
    assert invoke("sql", "SELECT count(*) FROM runs", "--db", str(db), "--csv").output == "count_star()\n0\n"


def test_serve_without_a_warehouse_is_one_line(tmp_path):
    result = invoke("serve", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1
    assert "no warehouse at" in result.output and "Traceback" not in result.output


@pytest.fixture
def archive_file(tmp_path, articles) -> Path:
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles[:2]), encoding="utf-8")
    return path


def test_dask_address_that_is_not_an_address(tmp_path, archive_file):
    result = invoke("ingest", str(archive_file), "--db", str(tmp_path / "w.duckdb"), "--dask-address", "localhost")
    assert result.exit_code == 1
    assert "is not a Dask scheduler address; give one like tcp://" in result.output


def test_dask_address_where_no_scheduler_answers(tmp_path, archive_file):
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke("ingest", str(archive_file), "--db", str(tmp_path / "w.duckdb"),
                    "--dask-address", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: no Dask scheduler answers at tcp://127.0.0.1:{port}; "
                                     "start one with `dask scheduler` or check the address")
    assert not (tmp_path / "w.duckdb").exists()  # nothing was started or written


def test_workers_and_dask_address_together(tmp_path, archive_file):
    result = invoke("ingest", str(archive_file), "--db", str(tmp_path / "w.duckdb"), "--workers", "2",
                    "--dask-address", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert "not both" in result.output
