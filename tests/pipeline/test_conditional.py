"""The one conditional-GET rule both of postwatch's servers answer by."""

from datetime import datetime, timezone
from email.utils import format_datetime

from pipeline.conditional import not_modified

MODIFIED = datetime(2026, 3, 4, 10, 15, 30, 250_000, tzinfo=timezone.utc)
SENT_BACK = format_datetime(MODIFIED, usegmt=True)


def test_matching_etag_is_not_modified():
    assert not_modified('"a", W/"b"', None, '"b"', MODIFIED)


def test_other_etag_is_modified_even_with_a_later_date():
    assert not not_modified('"a"', "Wed, 01 Jan 2031 00:00:00 GMT", '"b"', MODIFIED)


def test_star_matches_any_etag():
    assert not_modified("*", None, '"b"', MODIFIED)


def test_last_modified_sent_back_is_not_modified_despite_microseconds():
    assert not_modified(None, SENT_BACK, '"b"', MODIFIED)


def test_earlier_date_is_modified():
    assert not not_modified("", "Tue, 03 Mar 2026 00:00:00 GMT", '"b"', MODIFIED)


def test_unparseable_or_zoneless_date_is_ignored():
    assert not not_modified(None, "yesterday", '"b"', MODIFIED)
    assert not not_modified(None, "Wed, 04 Mar 2026 11:00:00", '"b"', MODIFIED)


def test_no_validators_is_modified():
    assert not not_modified(None, None, '"b"', MODIFIED)
