"""`postwatch sql` is a sandbox: each escape an adversary tried on the landed main is
refused with one line, exit 1, and the warehouse and every other file left as they were."""

from __future__ import annotations

import hashlib
import signal
import threading
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from warehouse.db import connect
from warehouse.query import QueryError, run_query

SANDBOXED = ("`postwatch sql` reads the warehouse and nothing else: no other files, no ATTACH, COPY, INSTALL or "
             "LOAD, no settings; query the warehouse's tables and views")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def warehouse(path: Path, articles: int = 64) -> Path:
    con = connect(path)
    con.execute("INSERT INTO articles (article_id, url, title, text) SELECT 'a' || i, 'https://news.example.test/' || i,"
                " 'Story ' || i, 'Invented text ' || i FROM range($n) t(i)", {"n": articles})
    con.close()
    return path


@pytest.fixture()
def site(tmp_path, monkeypatch) -> dict[str, Path]:
    """Three warehouses side by side (the one queried, another, a victim file) in the working folder."""
    monkeypatch.chdir(tmp_path)
    return {"self": warehouse(tmp_path / "self.duckdb"), "other": warehouse(tmp_path / "other.duckdb", 3),
            "victim": warehouse(tmp_path / "victim.duckdb", 5)}


def count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()


def refused(site: dict[str, Path], query: str, *extra: str) -> str:
    """Runs *query*; asserts exit 1, one line, and nothing changed in the folder; returns the line."""
    folder = site["self"].parent
    before = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    result = invoke("sql", "--db", str(site["self"]), *extra, "--", query)
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output, result.output
    assert {p.name: digest(p) for p in folder.iterdir() if p.is_file()} == before
    assert count(site["self"]) == 64
    return result.output.strip()


def test_copy_to_a_file_writes_nothing(site):
    line = refused(site, "COPY (SELECT * FROM articles) TO 'out.csv'")
    assert line == f'Error: Permission Error: Cannot access file "out.csv" - file system operations are disabled ' \
                   f'by configuration; {SANDBOXED}'
    assert not (site["self"].parent / "out.csv").exists()


@pytest.mark.parametrize("query", ["SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/shadow')",
                                   "SELECT * FROM glob('/root/*')", "SELECT * FROM read_blob('/etc/hostname')",
                                   "SELECT * FROM 'other.duckdb'"])
def test_other_files_cannot_be_read(site, query):
    assert refused(site, query).endswith(f"file system operations are disabled by configuration; {SANDBOXED}")


def test_attach_another_warehouse_read_write_is_refused(site):
    line = refused(site, "ATTACH 'other.duckdb' AS o (READ_WRITE); DROP TABLE o.articles CASCADE")
    assert "Cannot access file" in line and line.endswith(SANDBOXED)
    assert count(site["other"]) == 3


def test_copy_over_a_third_file_is_refused(site):
    refused(site, "COPY (SELECT 1) TO 'victim.duckdb'")
    assert count(site["victim"]) == 5


def test_detach_self_and_reattach_read_write_is_refused(site):
    line = refused(site, "ATTACH 'victim.duckdb' AS s2 (READ_WRITE); USE s2; DETACH self; "
                         "ATTACH 'self.duckdb' AS s (READ_WRITE); DELETE FROM s.articles")
    assert line.endswith(SANDBOXED)


def test_detach_of_the_warehouse_itself_is_refused(site):
    assert "Cannot detach database \"self\"" in refused(site, "DETACH self")


@pytest.mark.parametrize("query", ["INSTALL httpfs", "LOAD httpfs", "SET enable_external_access = true",
                                   "SET lock_configuration = false"])
def test_extensions_and_settings_are_refused(site, query):
    assert refused(site, query).endswith(SANDBOXED)


def test_writes_are_refused(site):
    assert refused(site, "DELETE FROM articles").endswith(
        "`postwatch sql` only reads; change the warehouse with postwatch's own commands")


def test_a_query_past_its_time_limit_is_stopped(site):
    line = refused(site, "SELECT * FROM range(100000000000) ORDER BY 1 DESC", "--timeout", "0.5")
    assert line == ("Error: the query ran longer than 0.5 s and was stopped; narrow it (a WHERE or a LIMIT) "
                    "or pass a longer --timeout")


def test_the_time_limit_is_a_setting(site, monkeypatch):
    monkeypatch.setenv("POSTWATCH_SQL_TIMEOUT", "0.25")
    assert "longer than 0.25 s" in refused(site, "SELECT * FROM range(100000000000) ORDER BY 1 DESC")


@pytest.mark.parametrize("query", ["", "   \n"])
def test_an_empty_query_is_one_line(site, query):
    assert refused(site, query) == 'Error: the query is empty; give one, e.g. postwatch sql "SELECT count(*) FROM articles"'


@pytest.mark.parametrize("query", ["-- only a comment", "/* and another */"])
def test_a_query_of_comments_is_one_line(site, query):
    assert refused(site, query) == ('Error: the query is empty (only comments); give one, e.g. '
                                    'postwatch sql "SELECT count(*) FROM articles"')


def test_ctrl_c_stops_the_query_with_one_line(site):
    """Ctrl-C arrives as SIGINT in the main thread while the query runs."""
    con = connect(site["self"], sandbox=True)
    main_thread = threading.main_thread().ident
    sender = threading.Timer(0.5, signal.pthread_kill, (main_thread, signal.SIGINT))
    sender.start()
    try:
        with pytest.raises(QueryError, match=r"^stopped by Ctrl-C; nothing was changed$"):
            run_query(con, "SELECT * FROM range(100000000000) ORDER BY 1 DESC", timeout=60)
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(64,)]  # the connection is free again
    finally:
        sender.cancel()
        con.close()


def test_rows_past_the_cap_are_cut_with_a_note(site):
    result = invoke("sql", "SELECT * FROM range(50)", "--db", str(site["self"]), "--csv", "--max-rows", "10")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["range", *[str(i) for i in range(10)]]
    assert result.stderr == "only the first 10 rows are shown; pass --max-rows to see more\n"


def test_reads_still_work(site):
    result = invoke("sql", "SELECT count(*) AS n FROM articles", "--db", str(site["self"]), "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\n64\n" and result.stderr == ""
