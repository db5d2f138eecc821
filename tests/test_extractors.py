"""Each extraction component on invented sentences: one behaviour per test, negatives too."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.build import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def run(nlp, text: str, published: date = date(2025, 3, 10)):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


# Entity, post and salary tests live in tests/test_entities.py, test_posts.py and test_salaries.py.


def events(doc) -> list[tuple]:
    return [(e.type, e.post, e.person) for e in doc._.events]


def test_failed_to_appoint_is_no_appointment(nlp):
    doc = run(nlp, "Ravensholme Community NHS Trust failed to appoint a chief nursing officer after interviews.")
    assert ("NO_APPOINTMENT", "chief nursing officer", None) in events(doc)


def test_readvertised_post_is_no_appointment(nlp):
    doc = run(nlp, "The post of medical director at Ravensholme Community NHS Trust will be re-advertised.")
    assert "NO_APPOINTMENT" in {t for t, _, _ in events(doc)}


def test_patient_appointments_are_not_events(nlp):
    doc = run(nlp, "Outpatient appointments were cancelled and the backlog of patients waiting grew.")
    assert doc._.events == []


def test_hypothetical_is_not_an_event(nlp):
    doc = run(nlp, "If the board cannot appoint a chair, the regulator could step in.")
    assert doc._.events == []


def test_step_down_is_a_departure_of_the_named_person(nlp):
    doc = run(nlp, "Olwen Strickland, chief executive of Ravensholme Community NHS Trust, will step down in June.")
    assert ("DEPARTURE", "chief executive", "Olwen Strickland") in events(doc)


def test_interim_appointment_is_flagged(nlp):
    doc = run(nlp, "Ravensholme Community NHS Trust has appointed Kwame Ashdown as interim chief executive.")
    [event] = [e for e in doc._.events if e.type == "APPOINTMENT"]
    assert (event.person, event.post, event.interim) == ("Kwame Ashdown", "chief executive", True)


def test_event_date_is_resolved_against_published(nlp):
    doc = run(nlp, "Kwame Ashdown will take over as chief executive of Ravensholme Community NHS Trust from 1 April.",
              published=date(2025, 3, 10))
    [event] = [e for e in doc._.events if e.type == "APPOINTMENT"]
    assert event.date == date(2025, 4, 1)
