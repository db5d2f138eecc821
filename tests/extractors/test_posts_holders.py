"""Who holds a post written with "as": the person appointed when the verb appoints, the
subject when the verb only says someone takes a place beside another (invented sentences)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(nlp_with):
    return nlp_with("postwatch_entities", "postwatch_posts")


def holders(nlp, text: str) -> dict[str, str | None]:
    return {p.title: p.person for p in nlp(text)._.posts}


def test_joining_someone_as_their_deputy_makes_the_subject_the_holder(nlp):
    text = "Ada Quist, director of finance, is to join Jo Kay at Kennet Vale NHS Trust as her chief of staff."
    assert holders(nlp, text)["chief of staff"] == "Ada Quist"


def test_naming_someone_as_chair_makes_the_object_the_holder(nlp):
    text = "Kennet Vale NHS Trust named Jo Kay as chair on Monday."
    assert holders(nlp, text)["chair"] == "Jo Kay"


def test_a_title_before_vacancies_is_a_post(nlp):
    text = "Two salaried GP vacancies at Ashby Health Centre have been advertised again."
    assert "salaried gp" in holders(nlp, text)


def test_a_title_before_an_addressed_name_is_still_a_post(nlp):
    text = "The trust thanked its medical director Professor Jo Kay for twelve years of work."
    assert holders(nlp, text).get("medical director") == "Jo Kay"
