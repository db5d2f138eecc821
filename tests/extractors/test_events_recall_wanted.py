"""Open posts written in ways the cue reading once missed: a wanted holder who should then do
something, and a few clinical posts that failed to fill; counts large enough to be statistics
stay no event (invented sentences)."""

from __future__ import annotations

from .events_support import TRUST, events, found, types


def test_wanting_a_new_holder_to_do_something_is_a_vacancy():
    text = f"{TRUST} wants a new chief executive to turn its finances round."
    assert ("VACANCY", "chief executive", None) in events(text)


def test_wanting_a_named_person_to_stay_is_no_vacancy():
    assert "VACANCY" not in types(f"{TRUST} wants Jo Kay to stay on as chair.")


def test_a_few_consultant_posts_that_failed_to_fill_are_a_failed_round():
    text = f"{TRUST} has failed to fill two consultant posts in its stroke unit."
    assert {("VACANCY", "consultant", None), ("NO_APPOINTMENT", "consultant", None)} <= events(text)


def test_salaried_gp_vacancies_advertised_again_are_a_failed_round():
    text = "Two salaried GP vacancies at Ashby Health Centre have been re-advertised five times since May."
    assert {("VACANCY", "salaried gp", None), ("NO_APPOINTMENT", "salaried gp", None)} <= events(text)


def test_a_large_count_of_posts_is_a_statistic():
    assert found("Figures show that 40 consultant posts were re-advertised across the region in 2019.") == []


def test_a_large_count_in_words_is_a_statistic_too():
    assert found("Figures show that forty consultant posts were re-advertised across the region in 2019.") == []


def test_a_count_of_nurse_vacancies_is_no_event():
    assert found(f"{TRUST} reported 1,200 nurse vacancies in its annual report.") == []


def test_a_post_included_among_counted_ones_advertised_is_open_too():
    text = "Kennet Vale NHS Trust advertised in June for two lay governors – including the chair of its patients panel."
    assert ("VACANCY", "chair", None) in events(text)


def test_including_something_that_is_not_a_post_opens_nothing_more():
    assert events("The trust is recruiting a chair, including a search of local candidates.") == {
        ("VACANCY", "chair", None)}
