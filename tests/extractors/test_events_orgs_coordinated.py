"""Bodies joined by "and" at the cue each get the event, read at the mention nearest the cue
when one long sentence (bulleted standfirsts run together) names a body twice. Invented only."""

from __future__ import annotations

from .events_support import found


def test_coordinated_bodies_are_read_where_the_cue_names_them():
    text = ("• Moorlands Hospice thanks its volunteers • Boards agree a plan  Moorlands Hospice and "
            "Kettlewick Hospice have failed to appoint a joint chief executive.")
    failed = {e.organisation for e in found(text) if e.type == "NO_APPOINTMENT"}
    assert failed == {"Moorlands Hospice", "Kettlewick Hospice"}


def test_a_body_named_alone_gets_the_event_alone():
    text = ("• Moorlands Hospice thanks its volunteers • Boards agree a plan  Moorlands Hospice has "
            "failed to appoint a chief executive, Kettlewick Hospice said.")
    failed = {e.organisation for e in found(text) if e.type == "NO_APPOINTMENT"}
    assert failed == {"Moorlands Hospice"}
