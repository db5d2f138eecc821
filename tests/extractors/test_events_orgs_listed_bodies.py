"""A failed or open post at several bodies listed after the sentence that counts them: one event
per listed body. Invented articles only."""

from __future__ import annotations

from .events_support import found


def bodies(text: str, kind: str = "NO_APPOINTMENT") -> set[str | None]:
    return {e.organisation for e in found(text) if e.type == kind}


def test_each_body_listed_after_a_counted_failure_gets_its_own_failure_and_vacancy():
    text = ("The regulator has failed to appoint chairs at three trusts. The three are Kettlewick NHS Trust, "
            "Moorhaven Hospitals NHS Trust and Sallowby Community NHS Trust.")
    listed = {"Kettlewick NHS Trust", "Moorhaven Hospitals NHS Trust", "Sallowby Community NHS Trust"}
    assert listed <= bodies(text)
    assert listed <= bodies(text, "VACANCY")


def test_the_count_settles_names_that_have_and_inside_them():
    text = ("Four systems have failed to appoint a chief executive. The four systems are: Ashfen and "
            "Lowmere, Daleby, Corranside, Pike and Hollins, and Westwick.")
    listed = bodies(text)
    assert {"Ashfen and Lowmere", "Pike and Hollins", "Westwick"} <= listed
    assert not {"Lowmere", "Pike", "Hollins"} & listed  # "and" inside a name splits nothing
    assert ("Daleby" in listed) != ("Corranside" in listed) or "Daleby, Corranside" in listed  # five items, four bodies


def test_a_list_after_a_failure_at_one_body_is_no_list_of_bodies():
    text = ("Tarnwick NHS Trust has failed to appoint a chair. The finalists were Harwood, Pemberton and "
            "Lisle.")
    assert bodies(text) == {"Tarnwick NHS Trust"}


def test_an_uncounted_plural_fans_out_nothing():
    text = ("Several trusts have failed to appoint chairs this year. The trusts are Kettlewick NHS Trust "
            "and Moorhaven Hospitals NHS Trust.")
    assert len(bodies(text)) <= 1


def test_a_list_ending_a_paragraph_keeps_no_full_stop_in_the_last_name():
    text = ("Two trusts have failed to appoint a chair. The two are Kettlewick NHS Trust and Moorhaven "
            "Hospitals NHS Trust.\n\nBoth will advertise again.")
    assert {"Kettlewick NHS Trust", "Moorhaven Hospitals NHS Trust"} <= bodies(text)


def test_a_listed_name_the_article_gives_in_full_is_that_body():
    text = ("Kettlewick and Dunmore Integrated Care Board has failed to appoint a chief executive. Three boards "
            "have now failed to appoint a chief executive. The three are Kettlewick and Dunmore, Sallowby, and "
            "Moorhaven.")
    listed = bodies(text)
    assert "Kettlewick and Dunmore Integrated Care Board" in listed
    assert "Kettlewick and Dunmore" not in listed
