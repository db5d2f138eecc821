"""Who an event happens to, in forms the cue reading once missed: "outgoing" before a titled
name, a group the subject is "among", someone recruited "to serve as" a post (invented sentences)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from extractors.clauses import subjects_of

from .events_support import TRUST, events, found, types


def test_outgoing_before_a_titled_name_is_a_departure():
    text = f"{TRUST} has published a job advert to replace outgoing medical director Professor Jo Kay."
    assert ("DEPARTURE", "medical director", "Jo Kay") in events(text)


def test_outgoing_before_a_thing_is_no_event():
    assert found("Outgoing flights from the island were cancelled because of the storm.") == []


def test_outgoing_before_an_untitled_body_is_no_event():
    assert found("The outgoing government left the health service short of money.") == []


def test_people_among_those_who_resigned_each_depart():
    text = "Trust chair Jo Kay and deputy chair Ada Quist are among those who have resigned this week."
    assert {("DEPARTURE", "chair", "Jo Kay"), ("DEPARTURE", "deputy chair", "Ada Quist")} <= events(text)


def test_among_those_who_criticised_someone_is_no_event():
    assert found("Jo Kay is among those who have criticised the new rota at the hospital.") == []


def test_recruiting_a_named_person_opens_no_post():
    assert "VACANCY" not in types("The trust is recruiting Jo Kay as finance director.")


def test_recruiting_a_title_still_opens_the_post():
    assert ("VACANCY", "finance director", None) in events(f"{TRUST} is recruiting a finance director.")


def test_an_infinitive_of_purpose_takes_the_recruited_person_as_its_subject():
    # the parse real sentences get: "to serve" an adverbial clause of "recruited", not its complement
    words = ["Kennet", "recruited", "Jo", "Kay", "to", "serve", "as", "chair", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 1, 3, 1, 5, 1, 5, 6, 1],
              deps=["nsubj", "ROOT", "compound", "dobj", "aux", "advcl", "prep", "pobj", "punct"],
              tags=["NNP", "VBD", "NNP", "NNP", "TO", "VB", "IN", "NN", "."],
              ents=["B-ORG", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"])
    assert [t.text for t in subjects_of(doc[5])] == ["Kay"]


def test_an_infinitive_after_a_body_left_borrows_no_object():
    words = ["Jo", "left", "Kennet", "to", "join", "Ashby", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 1, 1, 4, 1, 4, 1],
              deps=["nsubj", "ROOT", "dobj", "aux", "advcl", "dobj", "punct"],
              tags=["NNP", "VBD", "NNP", "TO", "VB", "NNP", "."],
              ents=["B-PERSON", "O", "B-ORG", "O", "O", "B-ORG", "O"])
    assert [t.text for t in subjects_of(doc[4])] == ["Jo"]


def test_a_post_someone_will_take_is_not_the_one_they_leave():
    text = (f"Jo Kay will leave {TRUST} this summer. The charity Kennet Aid said it had recruited Jo Kay "
            "to serve as its next chief executive.")
    assert ("DEPARTURE", "chief executive", "Jo Kay") not in events(text)


def test_a_move_told_twice_leaves_one_post():
    text = ("Jo Kay, Kennet's director of public health, has left the borough council for a job in Cardiff. "
            "Dr Kay, who has served as president of the Ashby Society of Surgeons, joined the council in 2015. "
            "She has now moved on to become national director of health protection at Ashby Health Board.")
    departures = {e.post for e in found(text) if e.type == "DEPARTURE"}
    assert departures == {"director of public health"}


def test_taking_over_from_a_titled_name_is_a_succession():
    got = events("Ada Quist will take over from current Chair, Jo Kay, in May.")
    assert {("APPOINTMENT", "chair", "Ada Quist"), ("DEPARTURE", "chair", "Jo Kay")} <= got


def test_taking_over_from_an_unnamed_holder_is_no_event():
    assert found("Ada Quist will take over from the chair in May.") == []


def test_a_departure_told_twice_keeps_the_formal_title():
    text = ("Kennet health board boss Jo Kay has been suspended by the board. The news that Dr Kay, chief "
            "executive of the troubled board, had been suspended was given at the meeting.")
    departures = [(e.post, e.person) for e in found(text) if e.type == "DEPARTURE"]
    assert departures == [("chief executive of the troubled board", "Jo Kay")]


def test_two_formal_posts_left_with_one_verb_stay_two_departures():
    text = "Jo Kay has resigned as chair of Kennet Vale NHS Trust. She has also resigned as treasurer of the Ashby Hospice."
    assert len([e for e in found(text) if e.type == "DEPARTURE"]) == 2
