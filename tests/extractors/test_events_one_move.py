"""Two cues in one sentence about one person's departure are one move, not one per organisation
the sentence happens to name: invented sentences only."""

from __future__ import annotations

from .events_support import found


def departures(text: str) -> list[tuple]:
    return [(e.post, e.organisation) for e in found(text) if e.type == "DEPARTURE"]


def test_succession_and_leaving_in_one_sentence_give_one_departure():
    text = ("Harlow Mere NHS Trust has a new chair. Ms Calloway succeeded Tobias Wrenfield, who left ahead of "
            "a critical report by the Fellgate Inspectorate in March.")
    assert len(departures(text)) == 1


def test_joint_post_still_gives_one_departure_per_organisation():
    text = ("Tobias Wrenfield has resigned as chair in common of Harlow Mere NHS Trust and Kestrel Moor "
            "NHS Trust.")
    assert {org for _, org in departures(text)} == {"Harlow Mere NHS Trust", "Kestrel Moor NHS Trust"}
