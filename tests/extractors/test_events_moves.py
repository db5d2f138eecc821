"""A move inside one organisation leaves the post held now; a move to another body says nothing of
the old post: invented sentences only."""

from __future__ import annotations

from .events_support import events


def test_moving_from_the_post_held_now_is_also_a_departure():
    text = ("Fenwick Moor Hospitals NHS Trust has reshuffled its board. Ines Calloway, who is currently interim "
            "chief operating officer, will become director of strategy.")
    found = events(text)
    assert ("APPOINTMENT", "director of strategy", "Ines Calloway") in found
    assert ("DEPARTURE", "interim chief operating officer", "Ines Calloway") in found


def test_move_inside_a_named_body_leaves_the_old_post():
    text = "Jo Kettle, currently deputy chair of Kellby Trust, has been appointed chair of Kellby Trust."
    assert ("DEPARTURE", "deputy chair", "Jo Kettle") in events(text)


def test_move_to_another_body_is_no_departure():
    text = ("Tobias Wrenfield, currently deputy chair of Eastmoor Care Alliance, has been appointed chair of "
            "Fenwick Moor Hospitals NHS Trust.")
    assert "DEPARTURE" not in {kind for kind, _, _ in events(text)}


def test_a_former_post_is_not_left_again():
    text = "Jo Kettle, a former deputy chair of Kellby Trust, has been appointed chair of Kellby Trust."
    assert "DEPARTURE" not in {kind for kind, _, _ in events(text)}
