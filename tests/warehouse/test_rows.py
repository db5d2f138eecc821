"""warehouse.rows: timestamps the warehouse writes are naive UTC, whatever zone they came in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from warehouse.rows import as_timestamp, naive_utc


def test_an_aware_time_becomes_naive_utc():
    paris_noon = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert naive_utc(paris_noon) == datetime(2025, 6, 1, 10, 0)


def test_a_naive_time_is_taken_as_utc_already():
    assert naive_utc(datetime(2025, 6, 1, 12, 0)) == datetime(2025, 6, 1, 12, 0)


def test_now_is_naive_and_current():
    now = naive_utc()
    assert now.tzinfo is None
    assert abs(now - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(minutes=1)


def test_an_iso_timestamp_with_an_offset_is_stored_in_utc():
    assert as_timestamp("2025-06-01T12:00:00+02:00") == datetime(2025, 6, 1, 10, 0)
    assert as_timestamp("not a time") is None
