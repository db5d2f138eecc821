"""Loads the pattern and gazetteer data files that ship beside the components."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import srsly

PATTERNS_DIR = Path(__file__).parent / "patterns"


def data_path(name: str) -> Path:
    return PATTERNS_DIR / name


def read_jsonl(name: str) -> list[dict]:
    return list(srsly.read_jsonl(data_path(name)))


@lru_cache(maxsize=None)
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    with data_path(name).open(newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def column(name: str, key: str) -> frozenset[str]:
    return frozenset(row[key].strip().lower() for row in read_csv(name) if row[key].strip())


def honorifics() -> frozenset[str]:
    return column("honorifics.csv", "honorific")


@lru_cache(maxsize=None)
def number_words() -> dict[str, int]:
    """"four", "forty", "dozens": the value a count written in words stands for (a plural
    such as "hundreds" at its smallest likely reading)."""
    return {r["word"].strip().lower(): int(r["value"]) for r in read_csv("number_words.csv")}


def count_value(text: str) -> int | None:
    """The number a count token says ("4", "1,200", "four", "forty"), or None."""
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else number_words().get(text.lower())


def title_terms(kind: str) -> frozenset[str]:
    return frozenset(r["term"].lower() for r in read_csv("titles.csv") if r["kind"] == kind)


def words_of_kind(name: str, kind: str) -> frozenset[str]:
    """The lower-cased ``word`` column of the rows of one ``kind`` in a two-column data file."""
    return frozenset(r["word"].strip().lower() for r in read_csv(name) if r["kind"] == kind and r["word"].strip())


def aliases() -> dict[str, str]:
    """Lower-cased alias -> official name, from the gazetteer's alias column and the alias file
    (one name may have several aliases: "NHS CB", "NHSCB" -> "NHS Commissioning Board")."""
    out = {r["alias"].strip().lower(): r["name"] for r in read_csv("organisations.csv") if r["alias"].strip()}
    out.update({r["alias"].strip().lower(): r["name"].strip() for r in read_csv("organisation_aliases.csv")})
    return out
