"""Where a title's "for"/"of" complement ends: a function belongs to the title, a stretch of time
does not (invented sentences)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(nlp_with):
    return nlp_with("postwatch_entities", "postwatch_posts")


def titles(nlp, text: str) -> list[str]:
    return [p.title for p in nlp(text)._.posts]


def test_a_time_after_for_is_not_part_of_the_title(nlp):
    assert titles(nlp, "Kennet Vale NHS Trust has been without a chair for most of the year.") == ["chair"]


def test_much_of_a_year_is_not_part_of_the_title(nlp):
    assert titles(nlp, "Jo Kay was acting chair for much of last year.") == ["acting chair"]


def test_a_function_after_for_stays_in_the_title(nlp):
    assert titles(nlp, "Jo Kay is director for primary care at the trust.") == ["director for primary care"]


def test_a_second_title_after_and_is_a_post_of_its_own(nlp):
    assert titles(nlp, "Jo Kay is head of policy and chief of staff at the trust.") == ["head of policy", "chief of staff"]


def test_an_office_named_after_two_titles_stays_one_title(nlp):
    text = "Jo Kay is director of the chair and chief executive's office."
    assert titles(nlp, text) == ["director of the chair and chief executive's office"]


def test_a_function_the_model_tags_as_a_body_stays_in_the_title(nlp):
    text = "The regulator has begun its search for a Director of Primary and Community Care."
    assert "director of primary and community care" in titles(nlp, text)


def test_a_named_trust_after_and_is_not_part_of_the_title(nlp):
    assert titles(nlp, "Jo Kay was director of finance and Kennet Vale NHS Trust praised her.") == ["director of finance"]
