"""Inputs checked at the door, and nothing lost without a word: each trial of the
adversarial review, re-run. Bad input is one line and exit 1 before any work, with a
warehouse that was there before left byte for byte as it was; what a run drops,
skips or quarantines is counted in its summary and in `runs`, with the reason."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb
import feedparser
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from spiders.archive import ArchiveError, iter_archive
from warehouse.db import connect
from warehouse.feed import alerts_feed
from warehouse.load import Batch, load_batch
from warehouse.rows import article_id, article_row, org_id, stable_id


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def existing(tmp_path) -> Path:
    """A warehouse that was there before the bad input arrived."""
    path = tmp_path / "before.duckdb"
    connect(path).close()
    return path


def one_line(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {expected}\n"


# -- article urls ---------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)//", "file:///etc/passwd", "http://", "http:///x",
                                 "ftp://files.example.test/a", "https://[::1/"])
def test_an_article_url_that_is_not_a_web_address_is_refused_with_its_line(tmp_path, articles, existing, url):
    archive = write_jsonl(tmp_path / "news.jsonl", [articles[0], {**articles[1], "url": url}])
    before = digest(existing)
    one_line(invoke("ingest", str(archive), "--db", str(existing)),
             f"news.jsonl line 2 has url {url!r}, not an http(s) address with a host; correct it, or set it to null "
             f"to store the article under its id, and run again")
    assert digest(existing) == before


def test_a_null_url_is_still_stored_under_the_id(tmp_path, articles):
    archive = write_jsonl(tmp_path / "news.jsonl", [{**articles[0], "url": None}])
    assert [i["url"] for i in iter_archive(archive)] == ["archive://news/fx-000"]


def test_the_feed_never_links_to_what_is_not_a_web_address(tmp_path):
    """Defence in depth: rows that reached the warehouse some other way still publish no such link."""
    bad = ["javascript:alert(document.cookie)//", "file:///etc/passwd", "archive://news/7"]
    batch = Batch()
    for n, url in enumerate([*bad, "https://news.example.test/fine"]):
        org = "Fenwold Valley NHS Trust"
        event = {"event_id": stable_id("event", url), "article_id": article_id(url), "event_type": "NO_APPOINTMENT",
                 "post": "chief nurse", "organisation": org, "org_id": org_id(org), "person": None, "person_id": None,
                 "interim": False, "event_date": None, "sentence": f"No chief nurse was appointed ({n}).",
                 "start_char": 0, "end_char": 5}
        batch.add(article_row({"url": url, "title": f"Story {n}", "published": f"2024-03-0{n + 1}", "text": "x",
                               "content_hash": f"h{n}"}),
                  {"people": [], "organisations": [{"org_id": org_id(org), "name": org}], "mentions": [], "posts": [],
                   "salaries": [], "events": [event]})
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, batch)
    atom, feed_json = alerts_feed(con), json.loads(alerts_feed(con, fmt="json"))
    con.close()
    parsed = feedparser.parse(atom)
    assert len(parsed.entries) == 4
    assert [link["href"] for e in parsed.entries for link in e.get("links", [])] == ["https://news.example.test/fine"]
    assert [item.get("url") for item in feed_json["items"]] == ["https://news.example.test/fine", None, None, None]
    for url in bad:
        assert url.encode() not in atom


# -- archive lines ---------------------------------------------------------------------------
def test_a_line_over_the_size_limit_is_refused_by_number_before_it_is_read(tmp_path, articles, existing, monkeypatch):
    monkeypatch.setenv("POSTWATCH_MAX_LINE_BYTES", "4000")
    archive = tmp_path / "big.jsonl"
    archive.write_text(json.dumps(articles[0]) + "\n" + json.dumps({**articles[1], "text": "word " * 5000}) + "\n")
    before = digest(existing)
    one_line(invoke("ingest", str(archive), "--db", str(existing)),
             "big.jsonl line 2 is longer than 4000 bytes (POSTWATCH_MAX_LINE_BYTES); an article is far shorter, so "
             "check that this is the right file, or split the line")
    assert digest(existing) == before


def test_an_endless_line_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    """A file of zeros with no newline, far bigger than the limit (sparse: it costs no disk)."""
    monkeypatch.setenv("POSTWATCH_MAX_LINE_BYTES", "65536")
    archive = tmp_path / "zeros.jsonl"
    with archive.open("wb") as handle:
        handle.truncate(8 * 1024 ** 3)
    with pytest.raises(ArchiveError, match=r"^zeros.jsonl line 1 is longer than 65536 bytes"):
        iter_archive(archive)


def test_a_symlink_to_dev_zero_is_one_line(tmp_path, existing):
    link = tmp_path / "zero.jsonl"
    os.symlink("/dev/zero", link)
    before = digest(existing)
    one_line(invoke("ingest", str(link), "--db", str(existing)),
             f"{link} is not a regular file (a device or a pipe); give a .jsonl file or a folder of .html pages")
    assert digest(existing) == before


def test_evaluate_on_malformed_jsonl_is_one_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "g1", "text": "Some words.", "gold": {}}\n{"id": "g2", "text": \n', encoding="utf-8")
    one_line(invoke("evaluate", str(gold)),
             "gold.jsonl line 2 is not valid JSON (Expecting value); fix or remove that line and run again")


# -- output paths and start urls ---------------------------------------------------------------
def test_a_feed_path_in_a_missing_folder_stops_ingest_before_any_work(tmp_path, articles, existing):
    archive = write_jsonl(tmp_path / "news.jsonl", articles[:2])
    before = digest(existing)
    one_line(invoke("ingest", str(archive), "--db", str(existing), "--feed", "/nonexistent/dir/x.xml"),
             "--feed /nonexistent/dir/x.xml: folder /nonexistent/dir does not exist; create it or give another path")
    assert digest(existing) == before


@pytest.mark.parametrize("command", [["feed", "--out"], ["crawl", "http://127.0.0.1:9/", "--feed"],
                                     ["evaluate", "GOLD", "--json"]])
def test_every_output_path_is_checked_first(tmp_path, existing, command):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "g1", "text": "Words.", "gold": {}}])
    args = [str(gold) if part == "GOLD" else part for part in command]
    if command[0] != "evaluate":
        args[1:1] = ["--db", str(existing)]
    target = tmp_path / "missing" / "out.file"
    one_line(invoke(*args, str(target)),
             f"{args[-1]} {target}: folder {target.parent} does not exist; create it or give another path")


def test_an_output_path_that_is_a_folder_is_refused(tmp_path, existing):
    result = invoke("feed", "--db", str(existing), "--out", str(tmp_path))
    assert result.exit_code == 2  # click's own usage error
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '--out': File '{tmp_path}' is a directory."


def test_a_db_in_a_missing_folder_is_refused(tmp_path, articles):
    archive = write_jsonl(tmp_path / "news.jsonl", articles[:1])
    db = tmp_path / "nope" / "w.duckdb"
    one_line(invoke("ingest", str(archive), "--db", str(db)),
             f"--db {db}: folder {db.parent} does not exist; create it or give another path")


@pytest.mark.parametrize("url", ["http://", "http:///nohost", "https://:80/"])
def test_a_start_url_without_a_host_is_one_line_before_prefect(tmp_path, url):
    db = tmp_path / "w.duckdb"
    one_line(invoke("crawl", url, "--db", str(db)),
             f"{url!r} has no host name; give a full address like https://news.example.org/")
    assert not db.exists()


# -- nothing lost without a word -------------------------------------------------------------------
@pytest.mark.slow
def test_skipped_and_quarantined_inputs_are_counted_with_reasons(prefect, tmp_path, articles):
    same_id = {**articles[0], "id": "twice", "url": None}
    records = [same_id, {**same_id, "title": "Another title"}, {**same_id, "text": same_id["text"] + " More."},
               {**articles[1], "text": None},
               {**articles[2], "url": "https://www.hsj.example/dump/1.article", "text": "Board papers. " * 80_000},
               articles[3]]
    archive = write_jsonl(tmp_path / "mixed.jsonl", records)
    db = tmp_path / "w.duckdb"
    result = invoke("ingest", str(archive), "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]  # the summary table, unpadded
    assert "articles 3 seen: 2 new, 0 changed, 0 unchanged" in lines  # the quarantined one is not "new"
    assert "skipped 3 inputs not loaded (2 duplicate, 1 empty; see runs.skipped_reasons)" in lines
    assert ("quarantined 1 articles could not be extracted or loaded (see the quarantine table; the next run "
            "tries them again)") in lines
    con = duckdb.connect(str(db), read_only=True)
    run = con.execute("SELECT articles_new, articles_skipped, skipped_reasons, articles_quarantined, page_budget_hit,"
                      " errors FROM runs").fetchall()
    stored = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    con.close()
    assert run == [(2, 3, '{"duplicate": 2, "empty": 1}', 1, None, 1)]
    assert stored == 2


@pytest.mark.slow
def test_a_page_budget_hit_is_reported(prefect, demo_site, tmp_path):
    db = tmp_path / "w.duckdb"
    result = invoke("crawl", demo_site.url + "/", "--db", str(db), "--max-pages", "3")
    assert result.exit_code == 0, result.output
    assert ("page budget reached: the crawl stopped at --max-pages (default POSTWATCH_MAX_PAGES) before it ran out "
            "of pages; run again with a larger --max-pages to go further") in [" ".join(line.split()) for line in
                                                                                result.output.splitlines()]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT page_budget_hit FROM runs").fetchall() == [(True,)]
    con.close()
