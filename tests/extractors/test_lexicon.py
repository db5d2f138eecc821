"""The data files the components read: every file a component's config names is there and
parses, and the readers keep what the files say (no blank or padded entries)."""

from __future__ import annotations

import pytest
from spacy.language import Language

import extractors.build  # noqa: F401  (registers the postwatch_* factories)
from extractors.lexicon import aliases, column, count_value, data_path, honorifics, read_csv, read_jsonl

FACTORIES = ["postwatch_entities", "postwatch_posts", "postwatch_salaries", "postwatch_events"]


def named_files() -> list[str]:
    names = []
    for factory in FACTORIES:
        config = Language.get_factory_meta(factory).default_config
        names += [value for value in config.values() if isinstance(value, str) and value.endswith((".csv", ".jsonl"))]
    return sorted(set(names))


@pytest.mark.parametrize("name", named_files())
def test_every_data_file_a_config_names_is_shipped_and_parses(name):
    assert data_path(name).is_file()
    rows = read_csv(name) if name.endswith(".csv") else read_jsonl(name)
    assert rows, f"{name} holds no rows"


def test_columns_are_lower_cased_and_never_blank():
    words = column("honorifics.csv", "honorific")
    assert words and all(w == w.strip().lower() and w for w in words)
    assert honorifics() == words


def test_an_alias_leads_to_the_name_in_the_gazetteer():
    gazetteer = {row["name"] for row in read_csv("organisations.csv")}
    official = aliases()
    assert official and all(alias == alias.strip().lower() for alias in official)
    assert any(name in gazetteer for name in official.values())


@pytest.mark.parametrize(("text", "value"), [("4", 4), ("1,200", 1200), ("four", 4), ("Forty", 40), ("dozens", 24),
                                             ("several", None), ("4th", None)])
def test_a_count_is_read_from_digits_or_words(text, value):
    assert count_value(text) == value
