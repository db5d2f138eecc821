"""The events component on invented sentences: one behaviour per test, negatives included.

Every person, trust and sentence here is invented for the test."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.build import COMPONENTS

TRUST = "Ravensholme Community NHS Trust"


@pytest.fixture(scope="module")
def nlp(nlp_with):
    """The whole pipeline: events read the people, organisations and posts found before them."""
    return nlp_with(*COMPONENTS)


def found_events(nlp, text: str, published: date = date(2025, 3, 10)) -> list:
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.events


def events(nlp, text: str, **kwargs) -> set[tuple]:
    return {(e.type, e.post, e.person) for e in found_events(nlp, text, **kwargs)}


def types(nlp, text: str) -> set[str]:
    return {t for t, _, _ in events(nlp, text)}


# -- failed recruitment -----------------------------------------------------------------------
def test_failed_to_appoint_is_no_appointment_to_its_object(nlp):
    found = events(nlp, f"{TRUST} failed to appoint a chief nursing officer after interviews.")
    assert ("NO_APPOINTMENT", "chief nursing officer", None) in found


def test_failed_round_also_means_the_post_is_open(nlp):
    found = events(nlp, f"{TRUST} failed to appoint a chief nursing officer after interviews.")
    assert ("VACANCY", "chief nursing officer", None) in found


def test_readvertised_post_is_no_appointment(nlp):
    assert "NO_APPOINTMENT" in types(nlp, f"The post of medical director at {TRUST} will be re-advertised.")


def test_bare_title_is_the_post_of_a_paused_search(nlp):
    found = events(nlp, f"{TRUST} has paused its search for a permanent chair after too few applicants came forward.")
    assert ("NO_APPOINTMENT", "chair", None) in found


def test_later_sentence_without_a_post_refers_to_the_open_post(nlp):
    found = events(nlp, f"{TRUST} is recruiting a director of estates. No suitable candidate was found in the first round.")
    assert ("NO_APPOINTMENT", "director of estates", None) in found


def test_failed_round_named_before_its_post_takes_the_post_named_after(nlp):
    text = ("The board will start again after the first round drew too few applicants. "
            f"{TRUST} wants a director of estates in post by the autumn.")
    assert "NO_APPOINTMENT" in types(nlp, text)


# -- vacancies --------------------------------------------------------------------------------
def test_advertising_for_a_post_is_a_vacancy(nlp):
    found = events(nlp, f"{TRUST} is advertising for a director of finance on a salary of £150,000.")
    assert ("VACANCY", "director of finance", None) in found


def test_bulleted_list_after_a_vacancy_cue_gives_one_vacancy_per_post(nlp):
    text = (f"{TRUST} is recruiting to three board posts. The roles advertised are:\n\n"
            "• Director of estates - £110,000\n• Chief digital officer - £125,000\n• Director of research - £98,000")
    found = {p for t, p, _ in events(nlp, text) if t == "VACANCY"}
    assert {"director of estates", "chief digital officer", "director of research"} <= found


def test_vacancy_rates_are_not_a_vacancy(nlp):
    assert events(nlp, "Nursing vacancy rates in the region rose to 11 per cent last year.") == set()


def test_generic_post_falling_vacant_is_not_a_vacancy(nlp):
    text = "Boards should plan ahead, so that when a post does fall vacant there is a deputy ready."
    assert events(nlp, text) == set()


def test_vacancy_for_a_post_filled_in_the_same_article_is_dropped(nlp):
    text = (f"{TRUST} has appointed Tobias Wrenfield as its chief executive. "
            "The role became vacant when Ilse Marchmont retired in January.")
    assert "VACANCY" not in types(nlp, text)


# -- appointments -------------------------------------------------------------------------------
def test_appointed_as_post_gives_the_object_person_and_the_as_post(nlp):
    found = events(nlp, f"{TRUST} has appointed Kwame Ashdown as director of strategy.")
    assert ("APPOINTMENT", "director of strategy", "Kwame Ashdown") in found


def test_interim_appointment_is_flagged(nlp):
    [event] = [e for e in found_events(nlp, f"{TRUST} has appointed Kwame Ashdown as interim chief executive.")
               if e.type == "APPOINTMENT"]
    # GOLD_FORMAT.md: the event's post keeps "interim"/"acting" as written
    assert (event.person, event.post, event.interim) == ("Kwame Ashdown", "interim chief executive", True)


def test_appointee_is_not_the_post_they_already_hold(nlp):
    text = "Medical director Saoirse Penhallow will become acting chief executive from 1 July."
    found = events(nlp, text)
    assert ("APPOINTMENT", "acting chief executive", "Saoirse Penhallow") in found
    assert ("APPOINTMENT", "medical director", "Saoirse Penhallow") not in found


def test_appointing_a_search_firm_is_not_an_appointment(nlp):
    text = f"{TRUST} has appointed executive search firm Harcourt Vane to find its next chief executive."
    assert "APPOINTMENT" not in types(nlp, text)


def test_pronoun_subject_takes_the_person_named_before(nlp):
    text = "Dr Oriel Fenchurch is joining the trust from a London teaching hospital. She will take over as chair in May."
    assert ("APPOINTMENT", "chair", "Oriel Fenchurch") in events(nlp, text)


def test_event_date_is_resolved_against_published(nlp):
    text = f"Kwame Ashdown will take over as chief executive of {TRUST} from 1 April."
    [event] = [e for e in found_events(nlp, text, published=date(2025, 3, 10)) if e.type == "APPOINTMENT"]
    assert event.date == date(2025, 4, 1)


# -- departures ---------------------------------------------------------------------------------
def test_step_down_is_a_departure_of_the_named_person(nlp):
    text = f"Olwen Strickland, chief executive of {TRUST}, will step down in June."
    assert ("DEPARTURE", "chief executive", "Olwen Strickland") in events(nlp, text)


def test_successor_and_predecessor_are_not_confused(nlp):
    text = ("Marisa Quenby will join the trust as chief operating officer in June. "
            "She succeeds Harold Pemberley, who retired in the spring.")
    found = events(nlp, text)
    assert ("APPOINTMENT", "chief operating officer", "Marisa Quenby") in found
    assert ("DEPARTURE", "chief operating officer", "Harold Pemberley") in found
    assert not any(t == "APPOINTMENT" and p == "Harold Pemberley" for t, _, p in found)


def test_one_cue_gives_one_type(nlp):
    text = "Jo Kettering resigned as chair on Monday."
    found = events(nlp, text)
    assert ("DEPARTURE", "chair", "Jo Kettering") in found
    assert "APPOINTMENT" not in {t for t, _, _ in found}


def test_leaving_for_a_new_job_departs_the_old_post(nlp):
    text = ("Dr Rufus Ambleside, who has been the trust's medical director for six years, "
            "will leave in March to become chief medical officer at Brackwater University Hospitals.")
    found = events(nlp, text)
    assert ("APPOINTMENT", "chief medical officer", "Rufus Ambleside") in found
    assert ("DEPARTURE", "medical director", "Rufus Ambleside") in found


def test_two_people_stepping_down_are_two_departures(nlp):
    text = "Non-executive directors Petra Langridge and Cyril Okafor-Dean will both step down in October."
    people = {p for t, _, p in events(nlp, text) if t == "DEPARTURE"}
    assert people == {"Petra Langridge", "Cyril Okafor-Dean"}


def test_subject_of_a_departure_verb_is_a_person_even_when_ner_misses_it(nlp):
    assert ("DEPARTURE", "chair", "Ines Calloway") in events(nlp, "Ines Calloway resigned as chair on Monday.")


def test_leaving_big_shoes_is_not_a_departure(nlp):
    text = "Tamsin Holloway, the chair, said the outgoing chief executive leaves big shoes to fill."
    assert "DEPARTURE" not in types(nlp, text)


# -- negatives ----------------------------------------------------------------------------------
def test_patient_appointments_are_not_events(nlp):
    assert events(nlp, "Outpatient appointments were cancelled and the backlog of patients waiting grew.") == set()


def test_appointment_bookings_are_not_events(nlp):
    assert events(nlp, "Patients can now make an appointment with their GP practice through the app.") == set()


def test_hypothetical_is_not_an_event(nlp):
    assert events(nlp, "If the board cannot appoint a chair, the regulator could step in.") == set()


def test_could_is_not_a_recruitment(nlp):
    assert events(nlp, "The trust could advertise for a director of nursing later in the year.") == set()


def test_past_career_history_is_not_an_event(nlp):
    text = "Gideon Farrant previously resigned as chief executive of a housing association."
    assert events(nlp, text) == set()


def test_appointment_years_ago_with_a_clear_verb_is_an_appointment(nlp):
    # GOLD_FORMAT.md: "was appointed in 2019" is an APPOINTMENT, however long ago
    text = "Gideon Farrant was appointed chief executive of the trust in 2009."
    assert events(nlp, text, published=date(2025, 3, 10)) == {("APPOINTMENT", "chief executive", "Gideon Farrant")}


def test_opinion_about_recruitment_in_general_is_not_an_event(nlp):
    text = ("Too many boards treat leadership as a matter of luck. An advert goes out, a shortlist is drawn up, "
            "and everyone hopes for the best.")
    assert events(nlp, text) == set()


def test_negated_appointment_is_not_an_appointment(nlp):
    text = "Wilhelmina Scarrow has not been appointed to the chair, the trust said."
    assert "APPOINTMENT" not in types(nlp, text)


def test_cue_is_found_from_any_of_its_first_words_and_once(nlp):
    """Cues are matched from the token that starts them ("without ... appointment" may run over
    several words): a later cue in the same sentence is found too, and neither is doubled."""
    found = found_events(nlp, f"{TRUST} closed its search for a finance director without making any "
                              "appointment, and Petra Lindqvist has stepped down as chair.")
    kinds = sorted(e.type for e in found)
    assert kinds.count("NO_APPOINTMENT") == 1 and kinds.count("DEPARTURE") == 1
    assert ("DEPARTURE", "chair", "Petra Lindqvist") in {(e.type, e.post, e.person) for e in found}
