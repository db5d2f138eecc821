"""Career-history lines told with a clear verb are appointments; a post held now, or a move years
ago, is not news about the post open today: invented sentences only."""

from __future__ import annotations

from datetime import date

from .events_support import TRUST, found


def appointments(text: str) -> set[tuple]:
    return {(e.post, e.person) for e in found(text) if e.type == "APPOINTMENT"}


def test_went_on_to_work_as_is_an_appointment():
    text = ("Dr Mara Quillfeather will retire in May. She trained in Kellby, and then went on to work at "
            "Pellington General Hospital as a staff nurse.")
    assert ("staff nurse", "Mara Quillfeather") in appointments(text)


def test_a_gerund_after_a_preposition_takes_the_main_clauses_person():
    text = ("Dr Mara Quillfeather will retire in May. Prior to returning to Kellby in 2004 as chief nurse, "
            "she was deputy chief nurse at Fellgate Hospital.")
    assert ("chief nurse", "Mara Quillfeather") in appointments(text)


def test_working_as_now_is_a_post_not_an_appointment():
    assert appointments("Mara Quillfeather works at Pellington General Hospital as a staff nurse.") == set()


def test_returning_as_something_that_is_no_post_is_nothing():
    assert found("The old ship returned to the harbour as a floating museum in 2004.") == []


def test_leaving_years_ago_in_a_career_line_is_no_departure():
    text = (f"Dame Ines Calloway has been appointed chair of {TRUST}. Since leaving Fellgate Hospital she "
            "has chaired a national programme on frailty.")
    assert "DEPARTURE" not in {e.type for e in found(text)}


def test_an_appointment_years_ago_does_not_fill_the_post_open_now():
    text = (f"{TRUST} is advertising for a chief executive. Its interim, Tobias Wrenfield, was appointed "
            "chief executive of Fellgate Hospital in March 2009.")
    assert "VACANCY" in {e.type for e in found(text, date(2025, 3, 10))}
