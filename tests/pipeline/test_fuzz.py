"""Fuzzing the doors: the archive reader and the command line's arguments, fed
arbitrary bytes, JSON of the wrong shapes, huge and empty values and odd Unicode.

The property, for every input: exit 0, or one line and exit 1 -- never a traceback --
and a warehouse that was there before is byte for byte unchanged after a failure.
Runs are bounded (a moderate number of examples, no deadline per example, no
shrinking database written) so the suite stays fast; no input here starts a flow,
since an archive the reader accepts is only read, not ingested."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from spiders.archive import ArchiveError, iter_archive
from warehouse.db import connect

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\u0000", "\ufeff", "\u202e", "\U0001f600", "e\u0301", "\r\n", "%", "_", "'", '"',
                     "\\", "ℌ𝔢𝔩𝔩𝔬", "ÿ" * 3, "x" * 5000, "2024-02-30", "9999-99-99", "javascript:x", "file:///"]),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)
FIELDS = ("id", "url", "published", "title", "text")
record = st.one_of(
    json_value,  # the wrong shape altogether
    st.fixed_dictionaries({}, optional={key: json_value for key in FIELDS}),  # right keys, any values
    st.fixed_dictionaries({"id": st.integers() | odd_text, "text": odd_text},
                          optional={"url": st.none() | odd_text | st.just("https://news.example.test/a"),
                                    "published": st.none() | odd_text, "title": st.none() | odd_text}),
)
archive_bytes = st.one_of(
    st.binary(max_size=300),
    st.lists(record, max_size=4).map(lambda rs: "".join(json.dumps(r) + "\n" for r in rs).encode("utf-8")),
    st.lists(record, min_size=1, max_size=3).map(lambda rs: "\n".join(json.dumps(r) for r in rs).encode("utf-8")
                                                 + b"\xff\xfe"),
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(result) -> None:
    """CliRunner catches what escapes the command; an escape is the traceback a user would see."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, result.output


def one_line_failure(result, before: str, db: Path, *, usage_errors: bool = False) -> None:
    no_traceback(result)
    assert result.exit_code in ((0, 1, 2) if usage_errors else (0, 1)), result.output
    if result.exit_code == 1:
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("Error: "), result.output
        assert digest(db) == before


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "before.duckdb"
    con = connect(path)
    con.execute("INSERT INTO articles (article_id, url, title, text) VALUES ('a1', 'https://news.example.test/1', "
                "'Fenwold Valley NHS Trust appoints a chief nurse', 'Invented text.')")
    con.close()
    return path


@FUZZ
@given(content=archive_bytes)
def test_the_archive_reader_accepts_or_names_the_problem(tmp_path_factory, warehouse, content):
    archive = tmp_path_factory.mktemp("archive") / "input.jsonl"
    archive.write_bytes(content)
    try:
        list(iter_archive(archive))
    except ArchiveError as error:
        assert "\n" not in str(error)
        before = digest(warehouse)
        result = CliRunner().invoke(main, ["ingest", str(archive), "--db", str(warehouse)])
        one_line_failure(result, before, warehouse)
        assert result.exit_code == 1


@FUZZ
@given(query=st.one_of(odd_text, st.lists(st.sampled_from(
    ["SELECT", "*", "FROM", "articles", "events", "WHERE", "(", ")", ";", "ATTACH", "'x.duckdb'", "COPY", "TO",
     "'out.csv'", "read_text('/etc/hostname')", "DETACH", "before", "INSTALL", "httpfs", "SET", "=", "1", "--",
     "PRAGMA", "CALL", "DROP", "TABLE", "USE", "temp", "range(10)", "LIMIT", "NULL", "'%'"]), max_size=8).map(" ".join)))
def test_sql_runs_or_refuses_in_one_line(warehouse, query):
    before = digest(warehouse)
    result = CliRunner().invoke(main, ["sql", "--db", str(warehouse), "--timeout", "2", "--", query])
    one_line_failure(result, before, warehouse)
    assert digest(warehouse) == before  # read-only whatever happened


@FUZZ
@given(org=st.none() | odd_text, since=st.none() | odd_text, fmt=st.sampled_from(["atom", "json", "rss", ""]))
def test_feed_arguments_run_or_refuse_in_one_line(warehouse, org, since, fmt):
    args = ["feed", "--db", str(warehouse), "--format", fmt]
    args += ["--org", org] if org is not None else []
    args += ["--since", since] if since is not None else []
    before = digest(warehouse)
    result = CliRunner().invoke(main, args)
    one_line_failure(result, before, warehouse, usage_errors=True)  # 2: click's usage error (--format, --since)
    assert digest(warehouse) == before


@FUZZ
@given(urls=st.lists(st.one_of(odd_text, odd_text.map(lambda t: "http://" + t), odd_text.map(lambda t: "https://[" + t)),
                     min_size=1, max_size=3))
def test_start_urls_are_checked_in_one_line(tmp_path_factory, urls):
    """Only inputs the door refuses are run through the command: an accepted one would start a crawl."""
    import click

    from pipeline.checks import check_urls

    try:
        check_urls(tuple(urls))
    except click.ClickException as refused:
        assert "\n" not in refused.message or any("\n" in u for u in urls)
        db = tmp_path_factory.mktemp("crawl") / "w.duckdb"
        result = CliRunner().invoke(main, ["crawl", *urls, "--db", str(db)])
        no_traceback(result)
        assert result.exit_code in (1, 2)
        assert not db.exists()


@FUZZ
@given(content=st.binary(max_size=2000))
def test_a_file_that_is_not_a_warehouse_is_one_line(tmp_path_factory, content):
    db = tmp_path_factory.mktemp("notdb") / "w.duckdb"
    db.write_bytes(content)
    for command in (["upgrade"], ["sql", "SELECT 1"], ["feed"]):
        result = CliRunner().invoke(main, [*command, "--db", str(db)])
        no_traceback(result)
        assert result.exit_code == 1, result.output
        assert len(result.output.strip().splitlines()) == 1
        assert db.read_bytes() == content
