"""warehouse.runs: a run's row is written when it starts and when it ends, in naive UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from warehouse.db import connect
from warehouse.runs import finish_run, start_run


def row(con, run_id):
    return con.execute("""SELECT status, started, finished, articles_seen, appointment_events, departure_events,
                                 message FROM runs WHERE run_id = ?""", [run_id]).fetchone()


def test_a_started_run_shows_as_running_until_it_finishes(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    start_run(con, "r1", "postwatch-ingest")
    status, _, finished, *_ = row(con, "r1")
    assert (status, finished) == ("RUNNING", None)
    finish_run(con, "r1", status="COMPLETED", seen=5, events={"APPOINTMENT": 2, "DEPARTURE": 1})
    status, started, finished, seen, appointments, departures, _ = row(con, "r1")
    assert (status, seen, appointments, departures) == ("COMPLETED", 5, 2, 1)
    assert started <= finished


def test_times_are_naive_utc(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    start_run(con, "r1", "postwatch-crawl")
    started = row(con, "r1")[1]
    assert started.tzinfo is None
    assert abs(started - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(minutes=1)


def test_restarting_a_run_clears_how_it_ended_before(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    start_run(con, "r1", "postwatch-ingest")
    finish_run(con, "r1", status="FAILED", message="ValueError: bad")
    start_run(con, "r1", "postwatch-ingest")
    status, _, finished, *_, message = row(con, "r1")
    assert (status, finished, message) == ("RUNNING", None, None)
