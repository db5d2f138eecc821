"""Appositions at an appointment: one describing the person names where they come from, one
naming the body they go to names the event's organisation. Invented articles only."""

from __future__ import annotations

from .events_support import found


def appointment_orgs(text: str) -> set[str | None]:
    return {e.organisation for e in found(text) if e.type == "APPOINTMENT"}


def test_the_body_named_beside_the_object_of_the_move_is_where_the_person_goes():
    text = ("Rafe Dunmore led Ellwood Vale NHS Trust for six years. Mr Dunmore left the trust in June to "
            "head a new national regulator, Ferrowby Standards Authority.")
    assert "Ferrowby Standards Authority" in appointment_orgs(text)
    assert "Ellwood Vale NHS Trust" not in appointment_orgs(text)


def test_the_body_beside_the_person_is_where_they_come_from():
    text = ("Larchmont Hospitals NHS Trust has a new leader. Ines Calloway, a director at the Ferrowby "
            "Standards Authority, has been appointed chief executive.")
    assert appointment_orgs(text) == {"Larchmont Hospitals NHS Trust"}


def test_the_body_beside_a_person_recruited_is_where_they_come_from():
    text = ("Last week the charity Fellbrook Rescue announced it had recruited Dr Ines Calloway, the Ferrowby "
            "Standards Authority's deputy chief, to serve as its chief executive.")
    assert appointment_orgs(text) == {"Fellbrook Rescue"}
