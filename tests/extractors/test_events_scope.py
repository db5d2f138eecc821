"""Scope: appointments outside health and care stay in the events table, marked, and never
reach the alert feed. Invented articles only."""

from __future__ import annotations

import json

from .events_support import TRUST, found

from pipeline.process import process_items
from spiders.archive import iter_archive
from warehouse.db import connect
from warehouse.feed import alerts

TECH = ("Brightwater Robotics, the drone maker, said on Tuesday that it had failed to appoint a chief "
        "technology officer after two rounds of interviews, and that the board would advertise the "
        "role again in the spring. Its shares fell four per cent. Analysts at Carrow Securities said "
        "the delay would push back the launch of its delivery platform to next year.")
HEALTH = (f"{TRUST} has failed to appoint a chief executive after two rounds of interviews, and the "
          "board will advertise the role again in the spring. Patients' groups said the hospital needed "
          "stable clinical leadership. The trust's chair, Wendell Marsh, said the NHS regulator had been told.")

# the archive reader wants 80 words or more: padding that adds no event
TECH_MORE = ("The company builds small delivery aircraft at a plant outside the city and employs about four "
             "hundred people. It reported a loss for the third year running.")
HEALTH_MORE = ("The trust runs three hospitals and a network of community clinics across the county. Its latest "
               "inspection rated maternity services as requiring improvement, and its finance report shows a "
               "deficit for the second year running.")


def test_event_in_a_health_article_is_in_scope():
    assert all(e.in_scope for e in found(HEALTH))
    assert any(e.type == "NO_APPOINTMENT" for e in found(HEALTH))


def test_event_with_no_health_body_or_words_is_out_of_scope():
    events = found(TECH)
    assert any(e.type == "NO_APPOINTMENT" for e in events)
    assert not any(e.in_scope for e in events)


def test_out_of_scope_failed_recruitment_is_stored_but_never_alerted(tmp_path):
    archive = tmp_path / "news.jsonl"
    archive.write_text("".join(json.dumps({"id": k, "url": f"https://news.example/{k}", "title": k,
                                           "published": "2025-03-04", "text": text}) + "\n"
                               for k, text in (("tech", TECH + " " + TECH_MORE), ("health", HEALTH + " " + HEALTH_MORE))))
    con = connect(tmp_path / "w.duckdb")
    try:
        process_items(iter_archive(archive), con)
        stored = con.execute("SELECT a.url, e.in_scope FROM events e JOIN articles a USING (article_id) "
                             "WHERE e.event_type = 'NO_APPOINTMENT'").fetchall()
        published = {a.url for a in alerts(con)}
    finally:
        con.close()
    assert ("https://news.example/tech", False) in stored
    assert published == {"https://news.example/health"}
