"""Flow runs against a real DuckDB file: a `runs` row per run, bad articles quarantined
while the rest load, re-runs and crashes that leave the warehouse exactly as one clean
run would, and extraction spread over a Dask cluster with the same result."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipeline import process
from pipeline.flows import ingest_flow, on_dask, on_processes
from pipeline.process import load_extracted, process_items
from pipeline.worker import Extracted
from warehouse.db import connect
from warehouse.load import Batch

# Columns that say *when* rather than *what*: they differ between any two runs.
VOLATILE = {"fetched_at", "first_seen", "last_seen", "extracted_at", "time", "run_id", "applied_at", "updated"}
RUN_LOGS = {"runs"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (but the run log), without the timing columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        out = {}
        for table in tables:
            if table in RUN_LOGS:
                continue
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position",
                {"t": table}).fetchall() if c not in VOLATILE]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory, articles) -> Path:
    path = tmp_path_factory.mktemp("archive") / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def once(prefect, archive, tmp_path_factory) -> dict[str, list[tuple]]:
    """The reference: the archive ingested once into a fresh warehouse."""
    db = tmp_path_factory.mktemp("once") / "w.duckdb"
    ingest_flow(str(archive), str(db))
    return snapshot(db)


@pytest.fixture(scope="module")
def twice(prefect, archive, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("twice") / "w.duckdb"
    ingest_flow(str(archive), str(db))
    ingest_flow(str(archive), str(db))
    return db


def test_the_reference_run_loaded_every_table(once, articles):
    assert len(once["articles"]) == len(articles)
    assert all(once[t] for t in ("people", "organisations", "mentions", "posts", "events"))


def test_running_twice_leaves_the_warehouse_as_running_once(twice, once):
    assert snapshot(twice) == once


def test_every_run_leaves_a_row_in_runs(twice, articles):
    con = duckdb.connect(str(twice), read_only=True)
    runs = con.execute("""
        SELECT flow, status, articles_seen, articles_new, articles_unchanged, errors,
               vacancy_events + appointment_events + no_appointment_events + departure_events, finished >= started
        FROM runs ORDER BY started""").fetchall()
    events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    con.close()
    n = len(articles)
    assert runs == [("postwatch-ingest", "COMPLETED", n, n, 0, 0, events, True),
                    ("postwatch-ingest", "COMPLETED", n, 0, n, 0, 0, True)]


def test_an_article_that_cannot_be_extracted_is_quarantined_and_the_rest_load(prefect, articles, tmp_path):
    # A page dump far past spaCy's max_length: the tokenizer refuses it (E088).
    huge = {**articles[0], "url": "https://www.hsj.example/dump/1.article", "text": "Board papers. " * 80_000}
    archive = tmp_path / "with-bad.jsonl"
    archive.write_text("".join(json.dumps(a) + "\n" for a in [*articles[:3], huge, *articles[3:6]]), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = ingest_flow(str(archive), str(db))
    con = duckdb.connect(str(db), read_only=True)
    quarantined = con.execute("SELECT url, stage, error FROM quarantine").fetchall()
    loaded = {url for (url,) in con.execute("SELECT url FROM articles").fetchall()}
    status = con.execute("SELECT status, errors FROM runs").fetchall()
    con.close()
    assert summary.load.quarantined == 1
    assert [(url, stage) for url, stage, _ in quarantined] == [(huge["url"], "extract")]
    assert "E088" in quarantined[0][2]
    assert loaded == {a["url"] for a in articles[:6]}
    assert status == [("COMPLETED", 1)]


def test_an_article_whose_rows_will_not_load_is_quarantined_and_the_rest_load(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    batch = Batch()
    for n, event_type in ((1, "VACANCY"), (2, None)):  # None breaks events.event_type NOT NULL
        url = f"https://n.test/{n}"
        article = {"article_id": f"a{n}", "url": url, "text": "body", "content_hash": f"h{n}"}
        event = {"event_id": f"e{n}", "article_id": f"a{n}", "event_type": event_type}
        batch.add(article, {"people": [], "organisations": [], "mentions": [], "posts": [], "salaries": [],
                            "events": [event]})
    events, quarantined = load_extracted(con, Extracted(batch), run_id="r1")
    assert (dict(events), quarantined) == ({"VACANCY": 1}, 1)
    assert con.execute("SELECT url FROM articles").fetchall() == [("https://n.test/1",)]
    assert con.execute("SELECT url, stage, run_id FROM quarantine").fetchall() == [("https://n.test/2", "load", "r1")]
    con.close()


class Injected(BaseException):
    """A failure no handler expects, like the process being interrupted."""


def test_an_exception_in_the_middle_of_a_load_then_a_rerun_leaves_no_half_loaded_article(
        prefect, archive, once, articles, tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    real_load = process.load_batch
    calls = []

    def load_then_fail_half_way(con, batch):
        calls.append(batch)
        if len(calls) < 2:
            return real_load(con, batch)
        con.execute("BEGIN TRANSACTION")  # the second chunk gets as far as its articles rows
        con.register("half", pa.Table.from_pylist([{"article_id": a["article_id"], "url": a["url"], "text": a["text"]}
                                                   for a in batch.articles]))
        con.execute("INSERT INTO articles BY NAME SELECT * FROM half")
        raise Injected()

    monkeypatch.setattr(process, "load_batch", load_then_fail_half_way)
    con = connect(db)
    with pytest.raises(Injected):
        process_items(iter(articles), con, chunk_size=8)
    con.close()
    monkeypatch.undo()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(8,)]  # the first chunk, whole; not the second
    con.close()
    ingest_flow(str(archive), str(db))
    assert snapshot(db) == once


@pytest.mark.slow
def test_a_killed_ingest_then_a_rerun_leaves_the_warehouse_as_one_clean_run(prefect, archive, once, tmp_path):
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "POSTWATCH_CHUNK_SIZE": "4", "PYTHONUNBUFFERED": "1"}
    # Its own process group, so the kill takes the Prefect API server it started with it.
    ingest = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(archive), "--db", str(db),
                               "--verbose"],  # Prefect's task lines on the terminal, to kill at the right one
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              start_new_session=True)
    try:
        for line in ingest.stdout:  # kill it as soon as the first chunk has been loaded
            if "Task run 'load-" in line and "Completed" in line:
                break
        os.killpg(ingest.pid, signal.SIGKILL)
    finally:
        ingest.wait(timeout=60)
        ingest.stdout.close()
    assert ingest.returncode == -signal.SIGKILL
    con = duckdb.connect(str(db), read_only=True)
    partial, status = (con.execute("SELECT count(*) FROM articles").fetchall()[0][0],
                       con.execute("SELECT status FROM runs").fetchall())
    con.close()
    assert 4 <= partial < len(once["articles"]) and status == [("RUNNING",)]  # killed mid-run, and it shows
    ingest_flow(str(archive), str(db))
    assert snapshot(db) == once


@pytest.mark.slow
def test_extraction_on_two_local_processes_loads_the_same_warehouse(prefect, archive, once, tmp_path, monkeypatch):
    monkeypatch.setenv("POSTWATCH_CHUNK_SIZE", "6")  # several chunks, so both workers get some
    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # on_processes sets it for the workers; undone after
    db = tmp_path / "w.duckdb"
    summary = on_processes(ingest_flow, workers=2)(str(archive), str(db))
    assert summary.load.new == len(once["articles"])
    assert snapshot(db) == once


@pytest.mark.slow
def test_extraction_on_a_dask_cluster_loads_the_same_warehouse(prefect, archive, once, tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setenv("POSTWATCH_CHUNK_SIZE", "6")  # several chunks, so both workers get some
    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # on_dask sets it for the workers; undone after
    db = tmp_path / "w.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        summary = on_dask(ingest_flow, address=cluster.scheduler_address)(str(archive), str(db))
    assert summary.load.new == len(once["articles"])
    assert snapshot(db) == once
