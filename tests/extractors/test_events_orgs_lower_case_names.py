"""A trust's name written with its type in lower case ("Kennet hospitals NHS foundation trust")
is still one name, so the events of an article that writes it so have their body. Invented only."""

from __future__ import annotations

from .events_support import found, pipeline


def org_names(text: str) -> list[str]:
    doc = pipeline().make_doc(text)
    return [e.name for e in pipeline()(doc)._.organisations]


def test_a_lower_case_type_before_nhs_foundation_trust_is_part_of_the_name():
    assert org_names("Mira Oduya has worked at Kennet upon Tarn hospitals NHS foundation trust for years.") == [
        "Kennet upon Tarn hospitals NHS foundation trust"]


def test_the_event_of_an_article_naming_its_trust_so_has_that_body():
    text = ("Dr Mira Oduya has worked at Kennet upon Tarn hospitals NHS foundation trust for 20 years. The "
            "trust said its board has dismissed Dr Oduya from her role as medical director.")
    departures = [e for e in found(text) if e.type == "DEPARTURE"]
    assert [e.organisation for e in departures] == ["Kennet upon Tarn hospitals NHS foundation trust"]


def test_lower_case_words_without_the_legal_ending_still_end_a_name():
    names = org_names("Staff at Kennet Vale hospitals NHS clinics said the wards were full.")
    assert not any("hospitals" in n for n in names)


def test_lower_case_type_words_alone_name_no_body():
    assert org_names("She has worked in a community health NHS trust for years.") == []
