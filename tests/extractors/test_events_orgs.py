"""Every event names its organisation when the article gives one: invented sentences only."""

from __future__ import annotations

from .events_support import found


def orgs(text: str) -> dict[tuple[str, str | None], str | None]:
    return {(e.type, e.person): e.organisation for e in found(text)}


def test_post_of_an_organisation_gives_the_event_that_organisation():
    found = orgs("Tobias Wrenfield has been appointed chief executive of Alderbrook Valley NHS Trust.")
    assert found[("APPOINTMENT", "Tobias Wrenfield")] == "Alderbrook Valley NHS Trust"


def test_organisation_in_the_appointees_apposition_is_where_they_come_from():
    text = ("Fenwick Moor Hospitals NHS Trust has a new leader. Ines Calloway, a director at Brackenfield "
            "Integrated Care Board, has been appointed chief executive.")
    assert orgs(text)[("APPOINTMENT", "Ines Calloway")] == "Fenwick Moor Hospitals NHS Trust"


def test_vacancy_without_an_organisation_in_its_sentence_takes_the_articles_first():
    text = ("Harlow Mere NHS Trust has reported a difficult winter. The board said it is advertising for a "
            "director of finance.")
    assert orgs(text)[("VACANCY", None)] == "Harlow Mere NHS Trust"


def test_departure_keeps_the_organisation_left_not_the_one_joined():
    text = ("Corran Blake, chief executive of Pellham Bay NHS Trust, will leave in May to run "
            "Eastmoor Integrated Care Board.")
    assert orgs(text)[("DEPARTURE", "Corran Blake")] == "Pellham Bay NHS Trust"


def test_article_without_organisations_leaves_the_event_without_one():
    assert orgs("Marta Quill has resigned as chair.")[("DEPARTURE", "Marta Quill")] is None


def test_joint_post_gives_one_event_per_organisation():
    text = "Ines Calloway has been appointed chair in common of Harlow Mere NHS Trust and Kestrel Moor NHS Trust."
    found_orgs = {e.organisation for e in found(text) if e.type == "APPOINTMENT" and e.person == "Ines Calloway"}
    assert found_orgs == {"Harlow Mere NHS Trust", "Kestrel Moor NHS Trust"}


def test_one_organisation_mentioned_twice_is_still_one_event():
    text = ("Harlow Mere NHS Trust has appointed Ines Calloway as chair. Harlow Mere NHS Trust said Ines Calloway "
            "was appointed chair after interviews.")
    assert len([e for e in found(text) if e.type == "APPOINTMENT"]) == 1


def test_the_trust_as_subject_is_the_body_the_article_is_about():
    text = ("Harlow Mere NHS Trust has lost its finance director. Kestrel Moor NHS Trust, its neighbour, is "
            "also short of staff. The trust is advertising for a director of finance with Oakhaven Partners.")
    assert orgs(text)[("VACANCY", None)] == "Harlow Mere NHS Trust"


def test_body_named_in_apposition_to_the_posts_own_phrase_is_the_events():
    text = ("Fenwick Moor Hospitals NHS Trust said on Monday that Ines Calloway, its medical director, will "
            "become clinical lead for a planned care partnership, Eastmoor Care Alliance.")
    assert orgs(text)[("APPOINTMENT", "Ines Calloway")] == "Eastmoor Care Alliance"
