"""Event dates read against the article's publication date (GOLD_FORMAT.md: "at the end of
December" is the last day of that month)."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.event_dates import plain_date

PUBLISHED = date(2024, 3, 10)


@pytest.mark.parametrize(("text", "expected"), [
    ("1 April", date(2024, 4, 1)),  # no year: the reading nearest the published date
    ("3rd March 2023", date(2023, 3, 3)),
    ("the end of December", date(2023, 12, 31)),  # last December is nearer to 10 March than the next
    ("end of February", date(2024, 2, 29)),  # a leap year's February
    ("end of February 2023", date(2023, 2, 28)),
    ("the end of April", date(2024, 4, 30)),
])
def test_plain_dates_are_read_against_the_published_day(text, expected):
    assert plain_date(text, PUBLISHED) == expected


@pytest.mark.parametrize("text", ["next spring", "31 February 2024", "shortly"])
def test_what_is_not_a_plain_date_is_left_to_the_slow_parser(text):
    assert plain_date(text, PUBLISHED) is None
