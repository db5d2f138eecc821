"""A failed round beside vacancies at several bodies failed at each of them, and an open post at
two bodies is two vacancies: invented sentences only."""

from __future__ import annotations

from .events_support import found


def by_type(text: str, kind: str) -> set[tuple]:
    return {(e.post, e.organisation) for e in found(text) if e.type == kind}


def test_no_appointments_after_adverts_at_two_bodies_fail_at_both():
    text = ("The Fellgate Inspectorate has failed to recruit a single non-executive director this year. "
            "Adverts for NEDs at the Kellby Blood Service and the Eastmoor Care Alliance went out in the spring, "
            "and no appointment has been made at either.")
    failed = {org for _, org in by_type(text, "NO_APPOINTMENT")}
    assert {"Kellby Blood Service", "Eastmoor Care Alliance"} <= failed
    assert ("non-executive director", "Fellgate Inspectorate") in by_type(text, "VACANCY")


def test_the_same_post_open_at_two_bodies_in_two_sentences_is_two_vacancies():
    text = ("Kellby Community NHS Trust is advertising for a medical director. Separately, Eastmoor Hospitals "
            "NHS Trust is advertising for a medical director too.")
    assert {org for _, org in by_type(text, "VACANCY")} == {"Kellby Community NHS Trust", "Eastmoor Hospitals NHS Trust"}


def test_one_body_mentioned_twice_keeps_one_vacancy():
    text = ("Kellby Community NHS Trust is advertising for a medical director. Kellby Community NHS Trust "
            "said the medical director post pays well, and it is still recruiting a medical director.")
    assert len(by_type(text, "VACANCY")) == 1
