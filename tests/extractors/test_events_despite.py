"""A post still open "despite an advert" is a failed round; "despite" anywhere else is not:
invented sentences only."""

from __future__ import annotations

from .events_support import events, found


def test_without_a_post_despite_an_advert_is_a_failed_round():
    text = ("Locally, Kellby Integrated Care Board has been without a chair since last summer, despite an "
            "advert being issued in October.")
    assert ("NO_APPOINTMENT", "chair", None) in events(text)


def test_despite_a_campaign_in_sport_is_nothing():
    assert found("The team has won six games despite a campaign against its manager.") == []


def test_a_post_filled_despite_a_long_search_is_no_failure():
    text = "Kellby Integrated Care Board appointed Jo Kettle as chair in May despite a long search."
    assert "NO_APPOINTMENT" not in {e.type for e in found(text)}
