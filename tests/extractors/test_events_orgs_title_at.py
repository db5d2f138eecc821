"""An employer named after a job title with ", at" is an organisation even when the model does
not say so, and the appointment to that title is at it. Invented sentences only."""

from __future__ import annotations

from .events_support import found, pipeline


def org_names(text: str) -> list[str]:
    doc = pipeline().make_doc(text)
    return [e.name for e in pipeline()(doc)._.organisations]


TEXT = "Now she has moved on to become the Regional Director of Nursing and Quality, at Orrin Valley Wellbeing."


def test_the_capitalised_name_after_a_title_and_at_is_an_organisation():
    assert org_names(TEXT) == ["Orrin Valley Wellbeing"]


def test_the_same_words_after_no_title_are_left_to_the_model():
    assert org_names("The fair opened on Saturday, at Orrin Valley Wellbeing, with music.") == []


def test_the_appointment_to_the_title_is_at_that_employer():
    text = "Dr Wendell Marsh led the council's public health team. " + TEXT.replace("she", "he")
    appointments = [e for e in found(text) if e.type == "APPOINTMENT"]
    assert [e.organisation for e in appointments] == ["Orrin Valley Wellbeing"]
