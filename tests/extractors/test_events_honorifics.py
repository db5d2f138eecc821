"""A title written before a name as a form of address ("Professor Jo Kay") is not the post an
event concerns: invented sentences only."""

from __future__ import annotations

from .events_support import events


def test_professor_before_the_outgoing_name_is_not_the_post_left():
    found = events("Dr Ines Calloway succeeds Professor Morag Fenn, who quit as chief scientist "
                   "in the spring.")
    assert ("DEPARTURE", "chief scientist", "Morag Fenn") in found
    assert not any(post == "professor" for _, post, _ in found)


def test_professorship_taken_as_a_post_is_still_one():
    found = events("Dr Ines Calloway was appointed professor of surgery at Kellby University in 2019.")
    assert ("APPOINTMENT", "professor of surgery", "Ines Calloway") in found
