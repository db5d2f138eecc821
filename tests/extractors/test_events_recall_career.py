"""Career lines the cue reading once missed: a run of sentences about one person told with
"he"/"she", and "the appointment of X as Y" where the parse hangs "as Y" on the name
(invented sentences)."""

from __future__ import annotations

from .events_support import events, found

CAREER = ("Professor Jo Kay qualified in medicine in 1990. He joined Kennet Hospital in 1992. In 1996 he "
          "moved to Ashby. In 1999 he trained in Leeds. In 2003 he worked in Hull. In 2007, the team he led "
          "was awarded a Kennet Research Centre, of which he became Director.")


def test_a_pronoun_repeated_sentence_after_sentence_keeps_its_person():
    assert ("APPOINTMENT", "director", "Jo Kay") in events(CAREER)


def test_a_pronoun_far_from_any_name_stays_unresolved():
    text = ("Professor Jo Kay qualified in medicine in 1990. The unit grew quickly. The wards expanded twice. "
            "The budget rose every year. In 2007 she became director of the Kennet Research Centre.")
    assert found(text) == []


def test_the_appointment_of_someone_as_a_post_names_the_post():
    text = "The board has confirmed the appointment of Dr Tomas Reyes as Medical Director."
    assert ("APPOINTMENT", "medical director", "Tomas Reyes") in events(text)


def test_a_first_name_on_its_own_is_the_person_it_belongs_to():
    text = ("Dame Marisol Osei, chief nurse at Kennet Vale NHS Trust, will retire in June. Marisol qualified in "
            "Leeds in 1991 and later went on to work as a staff nurse at Ashby General Hospital.")
    assert ("APPOINTMENT", "staff nurse", "Marisol Osei") in events(text)


def test_a_first_name_two_people_share_belongs_to_neither():
    text = ("Dame Marisol Osei and Marisol Tembe, both directors at Kennet Vale NHS Trust, will retire in June. "
            "Marisol qualified in Leeds in 1991 and later went on to work as a staff nurse at Ashby General Hospital.")
    assert not any(e.type == "APPOINTMENT" for e in found(text))
