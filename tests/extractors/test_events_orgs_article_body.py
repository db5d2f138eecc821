"""The body an article is about, for events whose sentence names none: invented articles only."""

from __future__ import annotations

from .events_support import found


def vacancy_org(text: str) -> str | None:
    return next(e.organisation for e in found(text) if e.type == "VACANCY")


def test_the_body_the_article_keeps_referring_to_beats_a_regulator_named_first():
    text = ("The Care Quality Commission has rated Pellworth Vale NHS Trust inadequate. The trust said its "
            "board had met on Friday. The trust has struggled for a year. The board said it is now "
            "advertising for a director of nursing.")
    assert vacancy_org(text) == "Pellworth Vale NHS Trust"


def test_the_body_named_most_often_beats_a_past_employer_named_first():
    text = ("Harwick Moor NHS Trust lost its finance director last year to Copperdale NHS Trust. "
            "Copperdale NHS Trust has since grown quickly. Copperdale NHS Trust said on Monday that "
            "it is recruiting a chief operating officer.")
    assert vacancy_org(text) == "Copperdale NHS Trust"


def test_a_publication_the_news_comes_from_is_not_the_body_it_is_about():
    text = ("HSJ has learned that the board is recruiting a chief nurse. HSJ understands that the "
            "post has been open since May, and a spokesman told HSJ the search was going well. "
            "Brindlecombe Community NHS Trust declined to comment.")
    assert vacancy_org(text) == "Brindlecombe Community NHS Trust"


def test_a_bare_type_acronym_counts_for_every_body_of_that_type():
    # the resolver gives "the ICB" to the board named last; counted as its mentions, they would
    # make the outgoing board the article's body
    text = ("The new Wexcombe and Thorn Integrated Care Board takes over in April from Eastly Integrated "
            "Care Board. The ICB said the ICB will close its offices, and the ICB will move staff. The "
            "board said it is advertising for a chief executive.")
    assert vacancy_org(text) == "Wexcombe and Thorn Integrated Care Board"


def test_with_nothing_to_tell_them_apart_the_body_named_first_is_taken():
    text = ("Ravensmoor NHS Trust and Oldcastle NHS Trust met on Monday. The board said it is "
            "advertising for a director of estates.")
    assert vacancy_org(text) == "Ravensmoor NHS Trust"


def test_a_body_named_only_in_front_of_a_thing_is_not_what_the_article_is_about():
    # the regulator is named three times, each time as the maker of a report
    text = ("A Care Quality Commission report has criticised Hollowmere NHS Trust. The CQC report found "
            "gaps in the board. The trust said it would respond to the CQC report, and it is now "
            "recruiting a director of governance.")
    assert vacancy_org(text) == "Hollowmere NHS Trust"


def test_the_system_in_a_post_is_the_one_named_earlier_in_its_sentence():
    text = ("Orrin Dale Hospitals NHS Trust has a busy year ahead. Orrin Dale Hospitals NHS Trust is "
            "growing, and Orrin Dale Hospitals NHS Trust is hiring. Petra Lindqvist, the current lead for "
            "Kestrel Fen ICS, has been appointed chief executive for the system.")
    event = next(e for e in found(text) if e.type == "APPOINTMENT")
    assert event.organisation == "Kestrel Fen ICS"


def test_where_the_appointee_comes_from_is_not_what_the_article_is_about():
    text = ("Larchmont Hospice has appointed Ines Calloway as interim chief executive. She is currently "
            "director of care at Fellbrook NHS Trust and will join on secondment from Fellbrook NHS Trust, "
            "which Fellbrook NHS Trust agreed in May. The board said it is recruiting a finance director.")
    assert vacancy_org(text) == "Larchmont Hospice"
