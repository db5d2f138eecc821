"""The relevance gate and the guards on general news: invented sentences, negatives first.
Every person, body and sentence is invented for the test."""

from __future__ import annotations

import pytest
from .events_support import TRUST, events, types


@pytest.mark.parametrize("text", [
    # a failure with no recruitment in its clause
    "Residents say the minister has failed to make any real investment in the valley.",
    "The two party leaders had failed to find common ground by Friday.",
    # studies
    "The authors said the results were not conclusive and that more research was needed.",
    # sport
    "United failed to find a winner and the second round of fixtures starts next week.",
    # politics: a campaign for office is not a recruitment
    "Senator Orla Brannock said she was suspending her campaign for president after the nomination slipped away.",
    # something else is stopped
    "The general said the leader's appointment would not stop the army from pursuing him.",
])
def test_no_failed_recruitment_without_a_recruitment_context(text):
    assert "NO_APPOINTMENT" not in types(text)


@pytest.mark.parametrize("text", [
    "Vacant shops line the high street, where the old bank stood empty for a decade.",
    "Regional figures show 1,200 nursing vacancies across the county's hospitals.",
    "His successor as party treasurer has now done the same.",
    "Advertisement\n\nThe festival returns to the park next summer with three stages.",
])
def test_no_vacancy_without_a_post_being_filled(text):
    assert "VACANCY" not in types(text)


@pytest.mark.parametrize("text", [
    "Patients can now book GP appointments online, and missed appointments fell by a fifth.",
    "Halvard Quist departed to Canada the day before the summit.",
    "The prime minister is considering replacing Ottilie Vance as defence secretary.",
    "Brennan Loy quit his bid for the party's nomination on Wednesday.",
    "When a constable first called, the officer left without a word.",
])
def test_no_appointment_or_departure_that_fills_or_leaves_no_post(text):
    assert not types(text) & {"APPOINTMENT", "DEPARTURE"}


def test_failed_round_with_candidates_in_its_clause_still_counts():
    text = f"{TRUST} interviewed four candidates for chief executive but was unable to appoint any of them."
    assert "NO_APPOINTMENT" in types(text)


def test_search_for_a_successor_is_a_vacancy():
    text = f"Rhona Feltham has stepped down as chair of {TRUST}, prompting a search for a successor."
    assert ("VACANCY", "chair", None) in events(text)


def test_vacant_post_is_a_vacancy():
    assert "VACANCY" in types(f"The post of finance director at {TRUST} has been vacant since June.")
