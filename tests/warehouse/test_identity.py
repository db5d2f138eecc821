"""warehouse.identity: ids that must not move, one honorifics list, and no spaCy in the warehouse."""

from __future__ import annotations

import subprocess
import sys

import pytest

from extractors.lexicon import honorifics
from warehouse.identity import HONORIFICS, normalise, org_id, person_id

# Ids the warehouse already holds for these (invented) names; a change here re-keys every person row.
KNOWN_PEOPLE = [
    ("Jane Roe", "0b5fd5ec48841e21"),
    ("Dr Jane Roe", "0b5fd5ec48841e21"),
    ("Professor Sir Ivo Quillfeather", "17ca8e6c7b8ee1df"),
    ("Rt Hon Bethan Llewellyn-Pryce", "1d1b47935688e3c4"),
    ("Revd Fergus Marchbank", "bfc7e0e0fcd35e56"),
    ("Doctor Wren Sowerby", "0693138cbdff3d49"),
    ("Countess Anjali Varsani", "564202204d1fb4c9"),
    ("Ms O\u2019Hara-Dunmore (interim)", "a17c37925400be60"),
    ("Dame", "5299f5cd4167826d"),
    ("  Marguerite   TEMPLEMAN ", "32dcbebe9b75ca51"),
]


@pytest.mark.parametrize(("name", "expected"), KNOWN_PEOPLE)
def test_person_id_is_unchanged_for_a_known_name(name, expected):
    assert person_id(name) == expected


@pytest.mark.parametrize("alias", ["CQC", "the Care Quality Commission", "Care Quality Commission"])
def test_org_id_is_one_id_for_a_gazetteer_name_and_its_alias(alias):
    assert org_id(alias) == "8abcfa84f602cf26"


def test_no_name_has_no_id():
    assert (person_id(None), person_id(""), org_id(None)) == (None, None, None)


def test_recognition_and_identity_read_one_honorifics_list():
    assert HONORIFICS == honorifics()
    assert {"dr", "dame", "rt", "hon", "revd", "doctor"} <= HONORIFICS


@pytest.mark.parametrize(("text", "person", "expected"), [
    ("  Kestrel   Valley\tHealth ", False, "kestrel valley health"),
    (None, False, ""),
    ("Dame Olwen Tregarth", True, "olwen tregarth"),
    ("Prof. Sir Idris Pennock", True, "idris pennock"),
    ("Lord Street Surgery", False, "lord street surgery"),
    ("Dr", True, "dr"),
    ("Kestrel Valley Health's", False, "kestrel valley health"),
    ("Harbourside Community Trust (HCT)", False, "harbourside community trust"),
    ("Kestrel\u2019s board", False, "kestrel board"),
    ("\u201cturnaround\u201d director", False, "turnaround director"),
    ("The Harbourside Community Trust", False, "harbourside community trust"),
    ("Friends of the Moor", False, "friends of the moor"),
    ("Chief Executive-Designate, Acting", False, "chief executive designate acting"),
    ("\uff2b\uff45\uff53\uff54\uff52\uff45\uff4c", False, "kestrel"),
], ids=["case-and-space", "none", "honorific", "stacked-honorifics", "honorific-word-not-a-person",
        "title-alone-stays", "possessive", "parenthetical", "curly-possessive", "curly-quotes", "leading-the",
        "inner-the", "punctuation", "nfkc-full-width"])
def test_normalise(text, person, expected):
    assert normalise(text, person=person) == expected


def test_the_warehouse_imports_neither_spacy_nor_the_extractors():
    code = ("import sys, warehouse.rows, warehouse.load, warehouse.identity; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'extractors', 'pipeline'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
