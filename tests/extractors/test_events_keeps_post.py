"""A secondment that says the old post is kept leaves nothing: invented sentences only."""

from __future__ import annotations

from .events_support import found


def departures(text: str) -> list:
    return [e for e in found(text) if e.type == "DEPARTURE"]


def test_seconded_part_time_and_remaining_in_post_is_no_departure():
    text = ("Ines Calloway, dean of medicine at Kellby University, will be seconded to the Fellgate Institute "
            "two days a week and will remain dean of medicine.")
    assert departures(text) == []


def test_seconded_away_from_the_post_is_still_a_departure():
    text = ("Jo Kettle, director of finance at Kellby Community NHS Trust, has been seconded to the Eastmoor "
            "Care Alliance for a year.")
    assert [e.post for e in departures(text)] == ["director of finance"]
