"""spiders.jsonl.read_jsonl: the one reader every stage's JSON Lines files go through."""

from __future__ import annotations

import json

import pytest

from spiders.jsonl import read_jsonl


def test_blank_lines_are_skipped_and_order_kept(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1}\n\n   \n{"id": 2}\n', encoding="utf-8")
    assert list(read_jsonl(path)) == [{"id": 1}, {"id": 2}]


def test_a_byte_order_mark_is_not_part_of_the_first_record(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "fx-1"}\n', encoding="utf-8-sig")
    assert list(read_jsonl(path)) == [{"id": "fx-1"}]


def test_a_bad_line_raises_where_it_is_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    records = read_jsonl(path)
    assert next(records) == {"id": 1}
    with pytest.raises(json.JSONDecodeError):
        next(records)
