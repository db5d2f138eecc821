"""Tests for pipeline.evaluation.scoring: one behaviour per test, all examples invented."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluation.scoring import (
    SLOTS,
    Miss,
    Report,
    format_misses,
    format_table,
    greedy_match,
    match_event,
    match_organisation,
    match_person,
    match_post,
    match_salary,
    score,
)


def article(aid: str, url: str | None = None, **slots: list) -> dict:
    """A gold article with the given slots filled and the rest empty."""
    gold = {s: [] for s in SLOTS}
    gold.update(slots)
    return {"id": aid, "url": url or f"https://news.example/{aid}", "gold": gold}


def pred(**slots: list) -> dict:
    """A prediction record with the given slots filled and the rest empty."""
    record = {s: [] for s in SLOTS}
    record.update(slots)
    return record


def event(type_: str, post: str | None = None, person: str | None = None) -> dict:
    return {"type": type_, "post": post, "organisation": None, "person": person,
            "interim": False, "date": None}


# ---------------------------------------------------------------- people


def test_people_match_ignoring_honorific() -> None:
    assert match_person("Priya Ramanathan", "Dr Priya Ramanathan")


def test_people_surname_only_does_not_match_full_name() -> None:
    assert not match_person("Priya Ramanathan", "Ms Ramanathan")


def test_people_one_letter_difference_does_not_match() -> None:
    assert not match_person("Ann Featherby", "Anne Featherby")


# ---------------------------------------------------------------- organisations


def test_organisations_match_when_equal_after_normalising() -> None:
    assert match_organisation("Harbourside Community Trust", "the Harbourside Community Trust's")


def test_organisations_match_when_similar() -> None:
    assert match_organisation("Harbourside Community Trust", "Harbourside Community Trusts")


def test_organisations_match_on_containment_when_both_long() -> None:
    assert match_organisation("Kestrel Valley Health", "Kestrel Valley Health Partnership Board")


def test_organisations_no_containment_match_when_one_is_short() -> None:
    assert not match_organisation("Avon Hospice", "Avon")


def test_organisations_near_miss_below_ratio_does_not_match() -> None:
    # ratio ~0.87: close, but under 0.9 and neither contains the other
    assert not match_organisation("Harbourside Community Trust", "Harbourside Community Fund")


# ---------------------------------------------------------------- posts


def test_posts_match_on_equal_title() -> None:
    assert match_post({"title": "Director of Nursing"}, {"title": "director of nursing"})


def test_posts_match_on_similar_title() -> None:
    assert match_post({"title": "director of nursing"}, {"title": "directors of nursing"})


def test_posts_match_on_containment() -> None:
    assert match_post({"title": "chief operating officer"},
                      {"title": "interim chief operating officer"})


def test_posts_ignore_organisation_and_person() -> None:
    assert match_post({"title": "medical director", "organisation": "Kestrel", "person": "A B"},
                      {"title": "medical director", "organisation": None, "person": None})


def test_posts_near_miss_does_not_match() -> None:
    assert not match_post({"title": "director of nursing"}, {"title": "director of finance"})


# ---------------------------------------------------------------- salaries


def test_salaries_match_on_amount_and_max() -> None:
    assert match_salary({"amount_gbp": 95000, "amount_gbp_max": 105000, "post": "chief nurse"},
                        {"amount_gbp": 95000, "amount_gbp_max": 105000, "post": None})


def test_salaries_differing_max_does_not_match() -> None:
    assert not match_salary({"amount_gbp": 95000, "amount_gbp_max": 105000},
                            {"amount_gbp": 95000, "amount_gbp_max": None})


def test_salaries_off_by_one_thousand_does_not_match() -> None:
    assert not match_salary({"amount_gbp": 95000, "amount_gbp_max": None},
                            {"amount_gbp": 96000, "amount_gbp_max": None})


# ---------------------------------------------------------------- events


def test_events_match_on_type_person_and_post() -> None:
    assert match_event(event("APPOINTMENT", "chief executive", "Priya Ramanathan"),
                       event("APPOINTMENT", "interim chief executive", "Mrs Priya Ramanathan"))


def test_events_different_type_does_not_match() -> None:
    assert not match_event(event("APPOINTMENT", "chief executive", "Priya Ramanathan"),
                           event("DEPARTURE", "chief executive", "Priya Ramanathan"))


def test_events_wrong_person_does_not_match_when_gold_names_one() -> None:
    assert not match_event(event("DEPARTURE", "chief nurse", "Idris Pennock"),
                           event("DEPARTURE", "chief nurse", "Olwen Tregarth"))


def test_events_missing_person_does_not_match_when_gold_names_one() -> None:
    assert not match_event(event("DEPARTURE", "chief nurse", "Idris Pennock"),
                           event("DEPARTURE", "chief nurse", None))


def test_events_person_not_required_when_gold_names_none() -> None:
    assert match_event(event("VACANCY", "chief nurse", None),
                       event("VACANCY", "chief nurse", "Idris Pennock"))


def test_events_missing_predicted_post_does_not_match_gold_post() -> None:
    assert not match_event(event("NO_APPOINTMENT", "director of nursing"),
                           event("NO_APPOINTMENT", None))


def test_events_dissimilar_post_does_not_match() -> None:
    # ratio ~0.74 < 0.8, no containment
    assert not match_event(event("NO_APPOINTMENT", "director of nursing"),
                           event("NO_APPOINTMENT", "director of finance"))


def test_events_post_not_required_when_gold_names_none() -> None:
    assert match_event(event("DEPARTURE", None, "Idris Pennock"),
                       event("DEPARTURE", "chief nurse", "Idris Pennock"))


# ---------------------------------------------------------------- greedy matching


def test_greedy_each_gold_takes_first_unmatched_prediction() -> None:
    pairs, missed, spurious = greedy_match(["a", "a"], ["b", "a", "a"], lambda g, p: g == p)
    assert (pairs, missed, spurious) == ([(0, 1), (1, 2)], [], [0])


def test_duplicate_prediction_counts_as_false_positive() -> None:
    gold = [article("t-001", people=["Priya Ramanathan"])]
    predicted = {gold[0]["url"]: pred(people=["Priya Ramanathan", "Dr Priya Ramanathan"])}
    counts = score(gold, predicted).slots["people"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_predictions_are_matched_within_their_own_article_only() -> None:
    gold = [article("t-001", people=["Idris Pennock"]), article("t-002")]
    predicted = {gold[0]["url"]: pred(), gold[1]["url"]: pred(people=["Idris Pennock"])}
    counts = score(gold, predicted).slots["people"]
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)


# ---------------------------------------------------------------- micro averages


def test_micro_average_sums_counts_over_articles() -> None:
    gold = [article("t-001", organisations=["Kestrel Valley Health", "Avon Hospice"]),
            article("t-002", organisations=["Moorland Ambulance Service"])]
    predicted = {
        gold[0]["url"]: pred(organisations=["Kestrel Valley Health"]),
        gold[1]["url"]: pred(organisations=["Moorland Ambulance Service", "Avon Hospice"]),
    }
    counts = score(gold, predicted).slots["organisations"]
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 1)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(2 / 3)


def test_nothing_to_find_and_nothing_predicted_scores_one() -> None:
    report = score([article("t-001")], {"https://news.example/t-001": pred()})
    counts = report.slots["salaries"]
    assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)


# ---------------------------------------------------------------- empty prediction


def test_article_without_prediction_counts_every_gold_item_as_missed() -> None:
    gold = [article("t-001", people=["Idris Pennock"],
                    salaries=[{"amount_gbp": 120000, "amount_gbp_max": None, "post": "ceo"}])]
    report = score(gold, {})
    assert report.articles_without_prediction == 1
    assert (report.slots["people"].fn, report.slots["salaries"].fn) == (1, 1)
    assert report.slots["people"].precision == 1.0
    assert report.slots["people"].f1 == 0.0
    assert report.misses["people"] == [Miss("t-001", "missed", "Idris Pennock")]


def test_gold_article_without_url_is_keyed_by_id() -> None:
    gold = [{"id": "t-009", "url": None, "gold": {"people": ["Idris Pennock"]}}]
    report = score(gold, {"t-009": {"people": ["Idris Pennock"]}})
    assert report.slots["people"].tp == 1


# ---------------------------------------------------------------- macro


def test_macro_is_mean_of_five_slot_f1() -> None:
    gold = [article("t-001", people=["Idris Pennock"], organisations=["Avon Hospice"])]
    # people right, organisations wrong, the other three slots empty on both sides (F1 = 1)
    predicted = {gold[0]["url"]: pred(people=["Idris Pennock"])}
    report = score(gold, predicted)
    assert report.slots["organisations"].f1 == 0.0
    assert report.macro_f1 == pytest.approx((1 + 0 + 1 + 1 + 1) / 5)


# ---------------------------------------------------------------- alerts


def test_alerts_are_counted_per_article_not_per_event() -> None:
    gold = [article("t-001", events=[event("NO_APPOINTMENT", "chief nurse"),
                                     event("NO_APPOINTMENT", "medical director")])]
    # one NO_APPOINTMENT event, for an unrelated post: the event slot misses, the alert hits
    predicted = {gold[0]["url"]: pred(events=[event("NO_APPOINTMENT", "estates director")])}
    report = score(gold, predicted)
    assert (report.alerts.tp, report.alerts.fp, report.alerts.fn) == (1, 0, 0)
    assert report.slots["events"].tp == 0


def test_alerts_false_positive_and_false_negative_articles() -> None:
    gold = [article("t-001", events=[event("NO_APPOINTMENT", "chief nurse")]),
            article("t-002", events=[event("VACANCY", "chief nurse")]),
            article("t-003")]
    predicted = {
        gold[0]["url"]: pred(events=[event("VACANCY", "chief nurse")]),
        gold[1]["url"]: pred(events=[event("NO_APPOINTMENT", "chief nurse")]),
    }
    report = score(gold, predicted)
    assert (report.alerts.tp, report.alerts.fp, report.alerts.fn) == (0, 1, 1)
    assert [(m.article_id, m.kind) for m in report.alert_misses] == [
        ("t-001", "missed"), ("t-002", "spurious")]


# ---------------------------------------------------------------- report output


def _small_report() -> Report:
    gold = [article("dev-004", posts=[{"title": "chief executive", "organisation": None,
                                       "person": None}])]
    predicted = {gold[0]["url"]: pred(people=["Olwen Tregarth"])}
    return score(gold, predicted)


def test_misses_record_missed_gold_and_spurious_predictions() -> None:
    report = _small_report()
    assert report.misses["posts"] == [
        ("dev-004", "missed", {"title": "chief executive", "organisation": None, "person": None})]
    assert report.misses["people"] == [("dev-004", "spurious", "Olwen Tregarth")]


def test_format_misses_one_line_per_miss() -> None:
    text = format_misses(_small_report())
    assert "  missed  dev-004  {'title': 'chief executive'" in text
    assert "  spurious  dev-004  'Olwen Tregarth'" in text


def test_format_misses_respects_limit() -> None:
    gold = [article("t-001", people=[f"Person {c}" for c in "abcde"])]
    text = format_misses(score(gold, {}), limit_per_slot=2)
    assert text.count("  missed  t-001") == 2
    assert "... 3 more" in text


def test_format_table_has_every_row_and_two_decimals() -> None:
    text = format_table(_small_report(), "dev")
    lines = text.splitlines()
    assert lines[0].startswith("dev")
    for label in (*SLOTS, "macro", "alerts"):
        assert any(line.startswith(label) for line in lines), label
    posts = next(line for line in lines if line.startswith("posts"))
    assert posts.split() == ["posts", "1.00", "0.00", "0.00", "0", "0", "1"]


def test_to_dict_is_json_serialisable() -> None:
    data = json.loads(json.dumps(_small_report().to_dict()))
    assert data["slots"]["posts"]["fn"] == 1
    assert data["misses"]["people"][0] == {"article_id": "dev-004", "kind": "spurious",
                                           "item": "Olwen Tregarth"}
    assert set(data) >= {"slots", "macro_f1", "alerts", "misses"}


# ---------------------------------------------------------------- events by type and organisation


def org_event(type_: str, post: str | None, organisation: str | None, person: str | None = None) -> dict:
    return {**event(type_, post, person), "organisation": organisation}


def test_event_counts_per_type_use_gold_type_for_hits_and_misses_and_own_type_for_spurious() -> None:
    gold = [article("t-001", events=[event("APPOINTMENT", "chief nurse", "Tamsin Orley"),
                                     event("VACANCY", "medical director")])]
    predicted = {gold[0]["url"]: pred(events=[event("APPOINTMENT", "chief nurse", "Tamsin Orley"),
                                              event("DEPARTURE", "chief nurse", "Tamsin Orley")])}
    report = score(gold, predicted)
    counts = {t: (c.tp, c.fp, c.fn) for t, c in report.event_types.items()}
    assert counts["APPOINTMENT"] == (1, 0, 0)
    assert counts["VACANCY"] == (0, 0, 1)
    assert counts["DEPARTURE"] == (0, 1, 0)


def test_event_organisation_share_counts_only_matched_events_whose_gold_names_one() -> None:
    gold = [article("t-001", events=[org_event("VACANCY", "chief nurse", "Harrowgate Vale NHS Trust"),
                                     org_event("VACANCY", "medical director", "Harrowgate Vale NHS Trust"),
                                     org_event("VACANCY", "finance director", None),
                                     org_event("VACANCY", "estates director", "Harrowgate Vale NHS Trust")])]
    predicted = {gold[0]["url"]: pred(events=[org_event("VACANCY", "chief nurse", "Harrowgate Vale Trust"),
                                              org_event("VACANCY", "medical director", None),
                                              org_event("VACANCY", "finance director", "Somewhere Else")])}
    report = score(gold, predicted)
    # the estates director is missed (not counted), the finance director's gold names no organisation
    assert (report.event_orgs_named, report.event_orgs_right) == (2, 1)
    assert report.event_org_share == 0.5
    assert report.to_dict()["event_organisations"]["share"] == 0.5


def test_event_takes_the_matching_prediction_that_names_its_organisation() -> None:
    # one sentence opens the same post at two bodies: both predictions match both gold events,
    # and taking the first for each would cross the pairs and score both organisations wrong
    gold = [article("t-001", events=[org_event("VACANCY", "chair", "Fellbrook Hospice"),
                                     org_event("VACANCY", "chair", "Ousemere Care Trust")])]
    predicted = {gold[0]["url"]: pred(events=[org_event("VACANCY", "chair", "Ousemere Care Trust"),
                                              org_event("VACANCY", "chair", "Fellbrook Hospice")])}
    report = score(gold, predicted)
    assert (report.event_orgs_named, report.event_orgs_right) == (2, 2)
    assert report.slots["events"].tp == 2


def test_organisation_tie_break_never_makes_an_event_match() -> None:
    # a prediction naming the right body but the wrong post is still no match
    gold = [article("t-001", events=[org_event("VACANCY", "chair", "Fellbrook Hospice")])]
    predicted = {gold[0]["url"]: pred(events=[org_event("VACANCY", "chief nurse", "Fellbrook Hospice"),
                                              org_event("VACANCY", "chair", "Ousemere Care Trust")])}
    report = score(gold, predicted)
    assert (report.slots["events"].tp, report.slots["events"].fp) == (1, 1)
    assert (report.event_orgs_named, report.event_orgs_right) == (1, 0)


def test_without_an_organisation_match_the_first_matching_prediction_is_taken() -> None:
    pairs, missed, spurious = greedy_match(
        [org_event("VACANCY", "chair", "Fellbrook Hospice")],
        [org_event("VACANCY", "chair", "Ousemere Care Trust"), org_event("VACANCY", "chair", None)],
        match_event, lambda g, p: False)
    assert (pairs, missed, spurious) == ([(0, 0)], [], [1])


def test_table_prints_event_types_and_organisation_share() -> None:
    gold = [article("t-001", events=[org_event("VACANCY", "chief nurse", "Harrowgate Vale NHS Trust")])]
    report = score(gold, {gold[0]["url"]: pred(events=[org_event("VACANCY", "chief nurse", None)])})
    table = format_table(report, "x")
    assert "  vacancy         1.00  1.00  1.00     1     0     0" in table
    assert "0 of 1 matched events whose gold names one" in table
