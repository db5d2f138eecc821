"""A place name written as a place ("a Kennet surgery") is not the event's organisation, even
when the resolver tied it to the body of that name. Invented sentences only."""

from __future__ import annotations

from extractors.events.orgs import OrgLinker

from .events_support import pipeline


def token(text: str, word: str):
    doc = pipeline().make_doc(text)
    doc = pipeline()(doc)
    return next(t for t in doc if t.text == word)


def test_a_name_after_an_indefinite_article_in_front_of_a_noun_is_a_place():
    assert OrgLinker.place(token("A Thornbury dental surgery has failed to appoint a practice manager.",
                                 "Thornbury"))


def test_a_name_in_front_of_the_post_is_the_body_not_a_place():
    assert not OrgLinker.place(token("The Thornbury post will be advertised again.", "Thornbury"))


def test_a_name_as_subject_is_the_body_not_a_place():
    assert not OrgLinker.place(token("Thornbury has failed to appoint a practice manager.", "Thornbury"))
