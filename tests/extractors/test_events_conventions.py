"""GOLD_FORMAT.md's event conventions on invented sentences: past appointments told with a
clear verb, interim titles kept as written, a body left without a post-holder."""

from __future__ import annotations

from .events_support import TRUST, events, found


def test_past_appointment_with_a_clear_verb_is_an_appointment():
    text = f"Odile Marchetti, chief nurse at {TRUST}, will retire in June. She was appointed chief nurse in 2014."
    assert ("APPOINTMENT", "chief nurse", "Odile Marchetti") in events(text)


def test_past_departure_is_still_history_not_news():
    text = f"Bram Okafor joined {TRUST} as finance director last year. He had previously resigned from a charity."
    assert not any(e.type == "DEPARTURE" for e in found(text))


def test_body_without_a_post_holder_has_a_vacancy():
    assert ("VACANCY", "chair", None) in events(f"For eight months {TRUST} has been without a chair.")


def test_without_a_thing_that_is_no_post_is_no_vacancy():
    assert events(f"It was without a doubt a hard year for the chief executive of {TRUST}.") == set()


def test_departure_without_a_title_leaves_the_post_the_article_is_filling():
    text = (f"Three rounds of recruitment later, {TRUST} has failed to appoint a chairman. "
            "The search began when Ansel Rooke stepped down in the spring.")
    assert ("DEPARTURE", "chairman", "Ansel Rooke") in events(text)


def test_departure_without_any_post_in_the_article_is_no_event():
    assert not any(e.type == "DEPARTURE" for e in found("Ansel Rooke stepped down in the spring, friends said."))


def test_role_filled_on_an_interim_basis_by_someone_is_an_interim_appointment():
    text = f"{TRUST} needs a new chair. Since March the role has been held on an interim basis, filled by Gideon Marsh."
    [event] = [e for e in found(text) if e.type == "APPOINTMENT"]
    assert (event.post, event.person, event.interim) == ("chair", "Gideon Marsh", True)


def test_asked_to_step_in_appoints_the_one_asked():
    text = f"The {TRUST} board has asked medical director Dr Ilse Varga to step in as acting chief executive."
    assert ("APPOINTMENT", "acting chief executive", "Ilse Varga") in events(text)


def test_arrival_as_a_title_is_an_appointment():
    text = f"Board changes at {TRUST} come weeks after the arrival of Sir Oren Blaise as chief executive."
    assert ("APPOINTMENT", "chief executive", "Oren Blaise") in events(text)


def test_arrival_of_something_else_is_no_appointment():
    assert events(f"The arrival of winter brought long waits to {TRUST}'s emergency department.") == set()


def test_departure_takes_the_post_named_nearest_it():
    text = (f"Lena Orsk was chief nurse at {TRUST} until 2019. Lena Orsk was the chief executive during "
            "the audit, and she left the post in October.")
    assert ("DEPARTURE", "chief executive", "Lena Orsk") in events(text)


def test_regulator_vetoing_the_chosen_candidate_is_a_failed_appointment():
    text = f"The regulator decided to veto the trust's choice for a new chair of {TRUST}."
    assert {("NO_APPOINTMENT", "chair", None), ("VACANCY", "chair", None)} <= events(text)


def test_failure_to_recruit_plural_posts_is_a_failed_round():
    assert ("NO_APPOINTMENT", "partner", None) in events(
        "Practice leaders blamed a failure to recruit enough GP partners.")


def test_recruiting_a_group_of_staff_is_no_vacancy():
    assert events("Several acute trusts have slowed recruitment of newly qualified nurses this year.") == set()


def test_taking_over_an_untitled_role_is_an_appointment_without_a_post():
    text = (f"{TRUST} has a new taskforce. Odile Brack, regional director of commissioning, is to take over "
            "the running of the new diagnostics taskforce.")
    assert any(e.type == "APPOINTMENT" and e.person == "Odile Brack" for e in found(text))


def test_taking_over_something_that_is_no_role_is_no_appointment():
    assert not any(e.type == "APPOINTMENT" for e in found("Odile Brack will take over the cooking on Sunday."))


def test_untitled_departure_takes_the_open_post_of_its_own_sentence():
    text = (f"{TRUST} is still looking for a new leader. Its board has been unable to find a chairman "
            "since David Penrose stepped down last spring.")
    assert ("DEPARTURE", "chairman", "David Penrose") in events(text)


def test_two_posts_recruited_together_are_two_vacancies():
    found_posts = events(f"The recruitment process for a permanent medical director and a chief nurse at {TRUST} is ongoing.")
    assert {("VACANCY", "medical director", None), ("VACANCY", "chief nurse", None)} <= found_posts
