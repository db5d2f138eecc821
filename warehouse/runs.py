"""The `runs` table: one row per flow run, written when it starts and when it ends, so a
run that died half-way still shows as RUNNING (or FAILED, with why) instead of vanishing."""

from __future__ import annotations

import json
from collections.abc import Mapping

import duckdb

from .rows import naive_utc

EVENT_COLUMNS = {"VACANCY": "vacancy_events", "APPOINTMENT": "appointment_events",
                 "NO_APPOINTMENT": "no_appointment_events", "DEPARTURE": "departure_events"}


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str) -> None:
    con.execute("""
        INSERT INTO runs (run_id, flow, started, status) VALUES ($id, $flow, $now, 'RUNNING')
        ON CONFLICT (run_id) DO UPDATE SET status = 'RUNNING', finished = NULL, message = NULL
    """, {"id": run_id, "flow": flow, "now": naive_utc()})


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, *, status: str, seen: int = 0, new: int = 0,
               changed: int = 0, unchanged: int = 0, events: Mapping[str, int] | None = None, errors: int = 0,
               message: str | None = None, skipped: Mapping[str, int] | None = None, quarantined: int = 0,
               budget_hit: bool | None = None) -> None:
    """*skipped* counts the inputs dropped before extraction by reason; *budget_hit* is
    for crawls (None for an ingest, which has no page budget)."""
    counts = {column: (events or {}).get(kind, 0) for kind, column in EVENT_COLUMNS.items()}
    skipped = {reason: n for reason, n in sorted((skipped or {}).items()) if n}
    con.execute(f"""
        UPDATE runs SET finished = $now, status = $status, articles_seen = $seen, articles_new = $new,
               articles_changed = $changed, articles_unchanged = $unchanged, errors = $errors, message = $message,
               articles_skipped = $skipped, skipped_reasons = $reasons, articles_quarantined = $quarantined,
               page_budget_hit = $budget_hit, {", ".join(f"{column} = ${column}" for column in counts)}
        WHERE run_id = $id
    """, {"id": run_id, "now": naive_utc(), "status": status, "seen": seen, "new": new, "changed": changed,
          "unchanged": unchanged, "errors": errors, "message": message, "skipped": sum(skipped.values()),
          "reasons": json.dumps(skipped), "quarantined": quarantined, "budget_hit": budget_hit, **counts})
