"""A post wanted but not yet held is open, and a body hired to search is not the post's own:
invented sentences only."""

from __future__ import annotations

from .events_support import TRUST, events, found


def test_finding_a_permanent_holder_is_a_vacancy():
    text = (f"{TRUST} has lost its chief executive. An interim will serve while the board finds a permanent "
            "chief executive.")
    assert ("VACANCY", "chief executive", None) in events(text)


def test_wanting_a_new_holder_is_a_vacancy():
    assert ("VACANCY", "medical director", None) in events(f"{TRUST} wants a new medical director by the spring.")


def test_a_new_holder_already_found_is_no_vacancy():
    assert "VACANCY" not in {e.type for e in found(f"{TRUST} found a new chief executive in May.")}


def test_needing_something_that_is_not_a_post_is_no_vacancy():
    assert found(f"Patients at {TRUST} need a new hospital, campaigners said.") == []


def test_permanent_as_part_of_the_title_is_no_vacancy():
    text = "The department needs its permanent secretary to sign the plan before the summer."
    assert "VACANCY" not in {e.type for e in found(text)}


def test_search_firm_hired_to_find_someone_is_not_the_posts_organisation():
    text = (f"{TRUST} said on Monday that it has engaged executive search firm Orrin Vale Partners to find "
            "a permanent director of nursing.")
    vacancies = [e for e in found(text) if e.type == "VACANCY"]
    assert len(vacancies) == 1
    assert vacancies[0].organisation == TRUST
