"""A national body that appoints to another body's board is not the body whose post it is.
Invented articles only."""

from __future__ import annotations

from extractors.events.orgs import OrgLinker
from extractors.events.state import DocState

from .events_support import found, pipeline


def appointment_org(text: str) -> str | None:
    return next(e.organisation for e in found(text) if e.type == "APPOINTMENT")


def test_a_regulator_appointing_an_interim_chair_appoints_to_the_articles_trust():
    text = ("Governors at Quillan Bay NHS Foundation Trust have been frustrated for months. The trust lost "
            "its chair in May, and the trust had chosen a successor. NHS Improvement then appointed Helen "
            "Marsh as interim chair.")
    assert appointment_org(text) == "Quillan Bay NHS Foundation Trust"


def test_a_national_body_appointing_in_an_article_about_itself_keeps_the_post():
    text = ("NHS England is restructuring its directorates. NHS England has appointed Graham Holt as "
            "national director for estates, and NHS England will name two more directors soon.")
    assert appointment_org(text) == "NHS England"


def test_a_trust_appointing_is_the_body_whose_post_it_is():
    text = ("NHS England has praised three trusts this week. Larchmont Hospitals NHS Trust has appointed "
            "Helen Marsh as chief executive.")
    assert appointment_org(text) == "Larchmont Hospitals NHS Trust"


def approver(text: str, word: str) -> bool:
    nlp = pipeline()
    doc = nlp(nlp.make_doc(text))
    state = DocState(doc, [], nlp.get_pipe("postwatch_events").words)
    return OrgLinker.approver(state, next(t for t in doc if t.text == word))


def test_a_body_after_approval_by_is_an_approver():
    assert approver("Subject to approval by the Ferrowby Oversight Committee, Dr Holm will take over in May.",
                    "Committee")


def test_a_body_that_is_the_agent_of_the_cue_is_no_approver():
    assert not approver("Dr Holm was appointed by the Ferrowby Oversight Committee in May.", "Committee")


def test_every_word_of_an_approvers_name_is_the_approver():
    assert approver("Subject to approval by the Kennet and Tarn Select Committee, Dr Holm will take over in May.",
                    "Tarn")
