"""Pieces the model cut out of a run of capitalised words are no organisations, and a body
that only approves is not what an article is about. Invented sentences only."""

from __future__ import annotations

from spacy.tokens import Span

from .events_support import found, pipeline


def resolver():
    return pipeline().get_pipe("postwatch_entities")


def doc_with(text: str, *orgs: tuple[int, int]):
    doc = pipeline().make_doc(text)
    doc.ents = [Span(doc, a, b, label="ORG") for a, b in orgs]
    return doc


TEXT = "She covers Urgent Care and Planned and Mental Health Care."  # tokens 2-6 and 7-10


def test_a_name_ending_in_and_is_a_fragment():
    doc = doc_with(TEXT, (2, 7), (7, 10))
    assert resolver()._fragment(doc[2:7])


def test_the_tail_after_such_a_fragment_is_one_too():
    doc = doc_with(TEXT, (2, 7), (7, 10))
    assert resolver()._fragment(doc[7:10])


def test_a_name_after_another_body_and_and_is_a_name():
    doc = doc_with("It told Kennet Vale and the Ferrowby Records Office.", (2, 4), (6, 9))
    assert not resolver()._fragment(doc[6:9])


def test_a_name_with_a_bodys_word_after_a_fragment_is_a_name():
    doc = doc_with("She covers Urgent Care and Planned and Kennet Hospital.", (2, 7), (7, 9))
    assert not resolver()._fragment(doc[7:9])


def test_a_body_that_approves_the_appointment_is_not_what_the_article_is_about():
    text = ("Ines Calloway will chair Sellwood Hospice, subject to approval by the Ferrowby Oversight "
            "Council. Approval by the Ferrowby Oversight Council is expected, as approval by the Ferrowby "
            "Oversight Council usually is. The board said it is recruiting a finance director.")
    vacancies = {e.organisation for e in found(text) if e.type == "VACANCY"}
    assert vacancies == {"Sellwood Hospice"}
