"""Replacements, successions and secondments: who comes in, who goes out. Invented text."""

from __future__ import annotations

from .events_support import TRUST, events


def test_succeeds_is_an_appointment_and_a_departure_from_the_same_post():
    found = events(f"{TRUST} has named Kwame Ashdown as chief executive. He succeeds Jo Kay, who retired in May.")
    assert {("APPOINTMENT", "chief executive", "Kwame Ashdown"), ("DEPARTURE", "chief executive", "Jo Kay")} <= found


def test_takes_over_from_gives_the_outgoing_holder_a_departure():
    found = events(f"Dr Ines Calloway will take over from Dr Tobias Wren as chair of {TRUST}.")
    assert {("APPOINTMENT", "chair", "Ines Calloway"), ("DEPARTURE", "chair", "Tobias Wren")} <= found


def test_passive_replaced_by_turns_the_roles_round():
    found = events(f"Tobias Wren, the chair of {TRUST}, was replaced by Ines Calloway in June.")
    assert ("APPOINTMENT", "chair", "Ines Calloway") in found
    assert ("DEPARTURE", "chair", "Tobias Wren") in found
    assert ("APPOINTMENT", "chair", "Tobias Wren") not in found


def test_secondment_leaves_the_old_post_and_joins_the_new_body():
    found = events("Tobias Wren, chief executive of Fenwick Vale NHS Trust, has been seconded to NHS England.")
    assert ("DEPARTURE", "chief executive", "Tobias Wren") in found
    assert ("APPOINTMENT", None, "Tobias Wren") in found


def test_named_as_with_the_person_between_is_an_appointment():
    assert ("APPOINTMENT", "chief executive", "Kwame Ashdown") in events(
        f"{TRUST} has named Kwame Ashdown as its chief executive.")


def test_leaving_to_head_a_named_body_is_an_appointment_there():
    found = events(f"Mr Tobias Wren, chief executive of {TRUST}, left in May to head the "
                   "national regulator, Public Health England.")
    assert {("DEPARTURE", "chief executive", "Tobias Wren"), ("APPOINTMENT", None, "Tobias Wren")} <= found


def test_leaving_for_an_unnamed_position_is_only_a_departure():
    found = events(f"Mr Tobias Wren, chief executive of {TRUST}, left the trust to take up a national position.")
    assert not any(t == "APPOINTMENT" for t, _, _ in found)


def test_leaving_to_run_something_that_is_no_body_is_nothing():
    assert events("Mr Tobias Wren left the meeting early to run a marathon.") == set()


def test_the_body_left_is_not_the_one_who_joins():
    found = events("The company hired a finance chief alongside Marta Quill, who left Brightwater Robotics to join "
                   "Carrow Systems as chief product officer.")
    assert ("APPOINTMENT", "chief product officer", "Marta Quill") in found
    assert not any(person == "Brightwater Robotics" for _, _, person in found)
