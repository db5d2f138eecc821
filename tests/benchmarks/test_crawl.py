"""tests/benchmarks/crawl.py: the word-overlap score, and the command's output and bad input.
(The figures themselves are measurements; nothing here asserts how fast a crawl is.)"""

from __future__ import annotations

import json
import re

import pytest

from tests.benchmarks.crawl import main, overlap, words


def test_words_ignore_case_punctuation_and_layout():
    assert words("The chair, Ms Oakes,\n\nresigned.") == ["the", "chair", "ms", "oakes", "resigned"]


def test_identical_texts_score_one():
    assert overlap("a b c", "A, b. C!").f1 == 1.0


def test_extra_and_missing_words_lower_precision_and_recall():
    score = overlap("cookie banner a b c", "a b c d")
    assert (score.predicted, score.gold, score.common) == (5, 4, 3)
    assert score.f1 == pytest.approx(2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4))


def test_repeated_words_count_only_as_often_as_in_both():
    assert overlap("nhs nhs nhs", "nhs").common == 1


def test_nothing_extracted_scores_zero():
    assert overlap(None, "a b").f1 == 0.0


@pytest.mark.slow
def test_bench_prints_quality_and_speed_for_the_given_articles(tmp_path, articles, capsys):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles[:6]) + "\n", encoding="utf-8")
    assert main(["--articles", str(path), "--no-real-pages"]) == 0
    out = capsys.readouterr().out
    assert "gold articles: 6; crawled as articles: 6" in out
    # the demo site renders each article's own text, which the extractor gets back word for word
    assert "token F1 over words: macro 1.0000, micro 1.0000" in out
    assert "headlines exact: 6/6" in out
    assert re.search(r"re-crawl of the unchanged site: \d+ requests \(first crawl \d+\); articles fetched again: 0/6", out)
    assert "real pages" not in out
    assert re.search(r"crawl: \d+ pages in [0-9.]+ s = [0-9.]+ pages/s", out)


def test_bench_names_a_missing_file(tmp_path, capsys):
    assert main(["--articles", str(tmp_path / "nope.jsonl")]) == 2
    assert capsys.readouterr().err.strip().startswith("error: no such file")
