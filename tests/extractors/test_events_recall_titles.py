"""Posts an event concerns, in forms the cue reading once missed: an interim kept on, and two
titles one person takes at once (invented sentences)."""

from __future__ import annotations

from .events_support import TRUST, events, found


def test_staying_on_as_an_interim_is_an_interim_appointment():
    text = f"Ada Quist will stay on as interim chair of {TRUST} until a permanent chair is found."
    appointed = [e for e in found(text) if e.type == "APPOINTMENT"]
    assert [(e.post, e.person, e.interim) for e in appointed] == [("interim chair", "Ada Quist", True)]


def test_remaining_as_an_interim_officer_is_an_interim_appointment():
    text = "Jo Kay will remain as interim accountable officer of the clinical commissioning group."
    assert ("APPOINTMENT", "interim accountable officer of the clinical commissioning group", "Jo Kay") in events(text)


def test_remaining_in_a_substantive_post_is_no_event():
    assert found(f"Jo Kay will remain as chair of {TRUST}.") == []


def test_two_titles_taken_at_once_are_two_appointments():
    text = "Ada Quist, at present interim head of nursing, is to become interim director of estates and clinical lead for dementia care."
    got = events(text)
    assert ("APPOINTMENT", "interim director of estates", "Ada Quist") in got
    assert ("APPOINTMENT", "clinical lead for dementia care", "Ada Quist") in got


def test_a_function_joined_by_and_stays_one_title():
    text = f"Jo Kay has been appointed director of finance and performance at {TRUST}."
    assert events(text) == {("APPOINTMENT", "director of finance and performance", "Jo Kay")}


def test_two_posts_in_a_leavers_own_phrase_are_two_departures():
    text = "Jo Kay, a non-executive director and chair of the remuneration committee, will step down in July."
    got = events(text)
    assert {("DEPARTURE", "non-executive director", "Jo Kay"), ("DEPARTURE", "chair of the remuneration committee", "Jo Kay")} <= got


def test_someone_praised_by_two_office_holders_leaves_only_their_own_post():
    text = "The chief executive and the finance director praised Jo Kay, who is stepping down as chair."
    assert events(text) == {("DEPARTURE", "chair", "Jo Kay")}


def test_taking_up_the_interim_appointment_is_the_interim_post_named_before():
    text = ("Ashby trust opened on Tuesday with an acting chief executive in post. The board confirmed that "
            "Jo Kay, deputy chief executive of Wendle trust, would take up the interim appointment.")
    assert ("APPOINTMENT", "acting chief executive", "Jo Kay") in events(text)


def test_a_second_permanent_secretary_is_one_title():
    text = "The department is looking for a new second permanent secretary."
    assert events(text) == {("VACANCY", "second permanent secretary", None)}


def test_returning_to_a_substantive_post_leaves_the_acting_one():
    text = ("Ada Quist has been acting chair of Kennet Vale NHS Trust since May. In the new year she returns to "
            "her substantive post as deputy chair.")
    got = events(text)
    assert {("APPOINTMENT", "deputy chair", "Ada Quist"), ("DEPARTURE", "acting chair", "Ada Quist")} <= got


def test_returning_to_a_job_with_no_named_holder_is_no_event():
    assert found("The ward manager said the nurse returns to her job as a midwife after the holiday.") == []


def test_a_parallel_appointment_with_no_title_takes_the_one_beside_it():
    text = ("Ada Quist, the current lead for Kennet ICS, has been appointed chief executive designate for the "
            "system while Jo Kay has been appointed for Ashby ICS.")
    assert ("APPOINTMENT", "chief executive designate for the system", "Jo Kay") in events(text)


def test_an_appointment_to_a_body_does_not_borrow_the_title_beside_it():
    text = "Ada Quist has been appointed chair and Jo Kay has been appointed to the board."
    assert not any(e.person == "Jo Kay" and e.post == "chair" for e in found(text))
