"""A post still open "despite an advert" is a failed round; "despite" anywhere else is not:
invented sentences only."""

from __future__ import annotations

from .events_support import events, found


def test_without_a_post_despite_an_advert_is_a_failed_round():
    text = "Kellby Integrated Care Board has been without a chair since March, despite an advert that ran in May."
    assert ("NO_APPOINTMENT", "chair", None) in events(text)


def test_despite_a_campaign_in_sport_is_nothing():
    assert found("The team has won six games despite a campaign against its manager.") == []


def test_a_post_filled_despite_a_long_search_is_no_failure():
    text = "Kellby Integrated Care Board appointed Jo Kettle as chair in May despite a long search."
    assert "NO_APPOINTMENT" not in {e.type for e in found(text)}


def test_re_advertising_every_post_in_a_restructure_is_no_failed_round():
    text = "Kellby Trust re-advertised every clinical director job in March as part of a wider shake-up of its wards."
    assert "NO_APPOINTMENT" not in {e.type for e in found(text)}


def test_re_advertising_one_post_after_a_round_is_still_a_failed_round():
    text = "Kellby Trust has re-advertised the chief executive post after its first round found nobody appointable."
    assert ("NO_APPOINTMENT", "chief executive", None) in events(text)
