"""An open post named in an earlier sentence: the body in the cue's own clause is where it is
open, not the body the earlier sentence gave it. Invented articles only."""

from __future__ import annotations

from .events_support import found


def bodies(text: str, kind: str) -> set[str | None]:
    return {e.organisation for e in found(text) if e.type == kind}


def test_another_body_advertising_the_same_post_is_its_own_vacancy():
    text = ("Adverts for trustees for Kettlewick Hospice and Moorlands Hospice were posted in July. The "
            "Brannock Community Trust also advertised for trustees earlier this year.")
    assert "Brannock Community Trust" in bodies(text, "VACANCY")

