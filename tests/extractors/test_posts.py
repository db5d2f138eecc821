"""postwatch_posts on invented sentences: titles from their head noun outwards, with the
person and organisation the text puts beside them; words that only look like titles are not."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(nlp_with):
    return nlp_with("postwatch_entities", "postwatch_posts")


def posts(nlp, text: str) -> list[tuple]:
    return [(p.title, p.organisation, p.person) for p in nlp(text)._.posts]


def test_post_links_person_and_organisation(nlp):
    text = "Tomasz Whitlock, director of strategy at the Care Quality Commission, said the plan was late."
    assert posts(nlp, text) == [("director of strategy", "Care Quality Commission", "Tomasz Whitlock")]


def test_title_before_the_name_links_the_person(nlp):
    text = "Greywater Vale Hospitals NHS Trust chief executive Odile Marchbank said the ward would reopen."
    assert posts(nlp, text) == [("chief executive", "Greywater Vale Hospitals NHS Trust", "Odile Marchbank")]


def test_interim_post_is_flagged_and_keeps_interim_in_its_title(nlp):
    doc = nlp("Greywater Vale Hospitals NHS Trust has named Kwame Ashdown interim chief executive.")
    assert [(p.title, p.interim) for p in doc._.posts] == [("interim chief executive", True)]


def test_head_of_function_takes_its_complement(nlp):
    text = "Elspeth Rourke, head of commissioning policy at NHS England, will leave in May."
    assert [p.title for p in nlp(text)._.posts] == ["head of commissioning policy"]


def test_bare_head_noun_with_no_holder_or_employer_is_not_a_post(nlp):
    assert posts(nlp, "A director said the plans were sensible.") == []


def test_noun_after_a_head_word_is_not_a_title(nlp):
    assert posts(nlp, "The trust will work with partner organisations across the county.") == []


def test_plural_title_before_two_names_is_a_post_each(nlp):
    text = "Non-executive directors Orla Pennywhistle and Kasimir Drabble will step down in October."
    assert [(p.title, p.person, p.plural) for p in nlp(text)._.posts] == [
        ("non-executive director", "Orla Pennywhistle", False), ("non-executive director", "Kasimir Drabble", False)]


def test_plural_title_in_general_is_no_particular_post(nlp):
    assert posts(nlp, "Senior managers across the region are worried about the cuts.") == []


def test_praise_is_not_part_of_the_title(nlp):
    text = "Odile Marchbank, an exceptional leader, will chair Greywater Vale Hospitals NHS Trust."
    assert "exceptional leader" not in [p.title for p in nlp(text)._.posts]


def test_per_head_is_not_a_post(nlp):
    assert posts(nlp, "The board spends £11 per head of population on community services.") == []


def test_title_inside_a_longer_title_is_not_a_post_of_its_own(nlp):
    text = "Greywater Vale Hospitals NHS Trust is hiring a director of the chief executive's private office."
    assert [p.title for p in nlp(text)._.posts] == ["director of the chief executive's private office"]


def test_the_trust_after_a_title_names_the_trust_not_the_title(nlp):
    text = ("Greywater Vale Hospitals NHS Trust met on Monday. "
            "Priya Anand, a public governor for the trust, said staff needed stability.")
    assert ("public governor", "Greywater Vale Hospitals NHS Trust", "Priya Anand") in posts(nlp, text)


def test_informal_title_is_kept_as_written(nlp):
    text = "Brockhurst Hospitals NHS Trust CEO Jolene Marlow said the ward would reopen."
    assert posts(nlp, text) == [("ceo", "Brockhurst Hospitals NHS Trust", "Jolene Marlow")]


def test_boss_before_a_name_is_a_post(nlp):
    text = "Health board boss Tarquin Eddowes was suspended on Friday."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("health board boss", "Tarquin Eddowes")]


def test_designate_stays_in_the_title(nlp):
    text = "Ravi Tamsin has been appointed chief executive designate of Brockhurst Integrated Care Board."
    assert posts(nlp, text) == [("chief executive designate", "Brockhurst Integrated Care Board", "Ravi Tamsin")]


def test_chair_in_common_is_one_title(nlp):
    text = "Oona Pettifer, chair-in-common of Brockhurst Hospitals NHS Trust, said the boards would meet jointly."
    assert [p.title for p in nlp(text)._.posts] == ["chair-in-common"]


def test_listed_compound_title_is_a_post(nlp):
    text = "The department's permanent secretary, Gareth Ombley, will leave in the summer."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("permanent secretary", "Gareth Ombley")]


def test_professor_before_a_name_is_an_honorific_not_a_post(nlp):
    assert posts(nlp, "Professor Adaeze Quist said the study was too small to settle it.") == []


def test_holder_is_the_subject_of_the_verb_the_title_completes(nlp):
    text = "Wilfred Adebanjo will remain interim chief executive until a permanent appointment is made."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("interim chief executive", "Wilfred Adebanjo")]


def test_title_after_as_belongs_to_the_object(nlp):
    text = "The trust has named Dr Ottilie Brandreth as its medical director."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("medical director", "Ottilie Brandreth")]


def test_who_appoints_does_not_hold_the_post(nlp):
    text = "Hollis Drake appointed a new finance director last week."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("finance director", None)]


def test_praise_after_a_pronoun_is_no_post(nlp):
    text = "Tamsin Roe leads the board. She is exactly the leader we need, said a governor."
    assert [p.title for p in nlp(text)._.posts] == []


def test_joint_post_is_one_post_per_organisation(nlp):
    text = ("Tamsin Roe, chief executive of Brockhurst Hospitals NHS Trust and Fellgate Community NHS Trust, "
            "said the two boards would meet in common.")
    assert posts(nlp, text) == [("chief executive", "Brockhurst Hospitals NHS Trust", "Tamsin Roe"),
                                ("chief executive", "Fellgate Community NHS Trust", "Tamsin Roe")]


def test_later_mention_gives_an_earlier_post_its_organisation(nlp):
    text = ("Jolene Marlow, the chief nurse, opened the ward. "
            "Brockhurst Hospitals NHS Trust chief nurse Jolene Marlow said more beds would follow.")
    assert posts(nlp, text) == [("chief nurse", "Brockhurst Hospitals NHS Trust", "Jolene Marlow")]


def test_organisation_seeking_the_post_is_its_organisation(nlp):
    text = "Brockhurst Hospitals NHS Trust is seeking a new director of estates."
    assert posts(nlp, text) == [("director of estates", "Brockhurst Hospitals NHS Trust", None)]


def test_two_organisations_seeking_one_post_give_a_post_each(nlp):
    text = "Brockhurst Hospitals NHS Trust and Fellgate Community NHS Trust are recruiting a joint chief executive."
    assert posts(nlp, text) == [("joint chief executive", "Brockhurst Hospitals NHS Trust", None),
                                ("joint chief executive", "Fellgate Community NHS Trust", None)]


def test_plural_title_of_a_named_organisation_is_its_post(nlp):
    text = "Adverts for non-executive directors of Fellgate Community NHS Trust went out in July."
    assert posts(nlp, text) == [("non-executive director", "Fellgate Community NHS Trust", None)]


def test_honorific_between_title_and_name_still_links_the_person(nlp):
    text = "The board has invited medical director Dr Halvard Penrose to cover."
    assert [(p.title, p.person) for p in nlp(text)._.posts] == [("medical director", "Halvard Penrose")]


def test_person_after_the_organisation_of_the_title_is_the_holder(nlp):
    text = "The chief executive of Fellgate Community NHS Trust, Jane Marchbank, stood down on Friday."
    assert posts(nlp, text) == [("chief executive", "Fellgate Community NHS Trust", "Jane Marchbank")]


def test_adjective_before_the_organisation_does_not_end_its_title(nlp):
    text = "Jo Pellow, who is also chairman of neighbouring Wharfe Hospitals NHS Trust, will chair both boards."
    assert posts(nlp, text) == [("chairman", "Wharfe Hospitals NHS Trust", "Jo Pellow")]


def test_organisation_unable_to_appoint_is_the_posts_organisation(nlp):
    text = "Kennet Vale NHS Trust was unable to appoint a chairman after two rounds."
    assert posts(nlp, text) == [("chairman", "Kennet Vale NHS Trust", None)]


def test_praised_bare_title_is_no_post_of_the_subject(nlp):
    text = "Kennet Vale NHS Trust will be a bold, brilliant commissioner for the county."
    assert [p.organisation for p in nlp(text)._.posts] == [None]


def test_acting_and_permanent_titles_of_one_holder_are_one_post(nlp):
    text = ("Wilfred Adebanjo was named acting chief executive of Brockhurst Hospitals NHS Trust in May. "
            "Chief executive Wilfred Adebanjo said the trust would recover.")
    assert posts(nlp, text) == [("acting chief executive", "Brockhurst Hospitals NHS Trust", "Wilfred Adebanjo")]


def test_organisation_found_through_a_purpose_clause(nlp):
    text = "Brockhurst Hospitals NHS Trust will need a second round of interviews to find a chief nursing officer."
    assert posts(nlp, text) == [("chief nursing officer", "Brockhurst Hospitals NHS Trust", None)]


def test_plural_title_with_only_a_subject_organisation_is_no_post(nlp):
    text = "Brockhurst Hospitals NHS Trust wants a deeper bench of senior leaders."
    assert posts(nlp, text) == []
