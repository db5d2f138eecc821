"""The benchmark's generator and table. Nothing here is timed: the figures themselves
are printed by `make bench`, not asserted."""

from __future__ import annotations

import json

import pytest

from tests.benchmarks.__main__ import main as bench_main
from tests.benchmarks.endtoend import flow_seconds
from tests.benchmarks.generate import iter_articles, load_templates, make_article, write_archive
from tests.benchmarks.report import format_table
from pipeline.demo.site import GOLD_FIELDS
from spiders.archive import iter_archive
from warehouse.db import connect


def test_same_seed_same_archive_and_another_seed_differs(tmp_path):
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    write_archive(first, 40, seed=3)
    write_archive(second, 40, seed=3)
    write_archive(other, 40, seed=4)
    assert first.read_bytes() == second.read_bytes()
    texts = [json.loads(line)["text"] for line in first.read_text().splitlines()]
    assert all(a != b for a, b in zip(texts, (json.loads(l)["text"] for l in other.read_text().splitlines())))


def test_an_article_depends_only_on_seed_and_position():
    assert make_article(123, seed=5) == list(iter_articles(1, seed=5, start=123))[0]


def test_articles_have_distinct_urls_and_texts_and_hsj_length():
    articles = list(iter_articles(300))
    assert len({a["url"] for a in articles}) == 300
    assert len({a["text"] for a in articles}) == 300
    assert all(set(a) == set(GOLD_FIELDS) for a in articles)
    mean = sum(len(a["text"].split()) for a in articles) / len(articles)
    assert 430 <= mean <= 510, mean


def test_template_people_and_pay_figures_are_replaced():
    templates = load_templates()
    kept = total = 0
    for template, article in zip(templates, iter_articles(len(templates))):
        for person in template["gold"]["people"]:
            assert person not in article["text"], (template["id"], person)
        for salary in template["gold"]["salaries"]:
            total += 1
            kept += f"£{salary['amount_gbp']:,}" in article["text"]
    assert total and kept / total < 0.3, (kept, total)


def test_archive_loads_through_the_ingest_checks_without_drops(tmp_path):
    archive = tmp_path / "bench.jsonl"
    write_archive(archive, 80)
    assert len(list(iter_archive(archive))) == 80


def _results(ratio: float, scaling: float, rows_per_s: float, peak_large: float, rerun: float = 30.0) -> dict:
    def extract(rate):
        return {"articles_per_s": rate, "words_per_s": rate * 470, "peak_mib": 500.0, "startup": 1.0,
                "cpu_seconds": None}

    def size(peak, n):
        return {
            "slice": n, "generate": {"mean_words": 470.0},
            "extract": {"plain-1": extract(10.0), "postwatch-1": extract(10.0 * ratio),
                        "plain-2": extract(18.0), "postwatch-2": extract(10.0 * ratio * scaling)},
            "load": {"rows_per_s": rows_per_s, "articles_per_s": rows_per_s / 45, "peak_mib": 200.0},
            "ingest": {"startup": 8.0, "startup_unchanged": 7.0, "articles_per_s": 9.0, "rerun_ratio": 30.0,
                       "rerun_ratio_net": None, "flow_seconds": [100.0, 100.0 / rerun],
                       "rerun_ratio_flow": rerun, "first": {"peak_mib": peak, "prefect_server_mib": 220.0, "seen": n},
                       "second": {"seconds": 7.5, "peak_mib": 300.0}},
        }

    machine = {"cores": 2, "memory_gib": 24, "python": "3.11", "spacy": "3.8", "model": "m", "load_before": "0",
               "load_after": "0", "minutes": 1, "command": "python -m tests.benchmarks"}
    return {"machine": machine, "sizes": {"100": size(600.0, 100), "1000": size(peak_large, 1000)}}


def _row(table: str, start: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(f"| {start}"))


def test_table_marks_each_target_met_or_missed():
    good = format_table(_results(ratio=0.9, scaling=1.7, rows_per_s=150_000, peak_large=650.0, rerun=30.0))
    assert _row(good, "ratio postwatch / plain, 1 process").endswith("≥ 0.85: met |")
    assert _row(good, "two processes over one, postwatch").endswith("met |")
    assert _row(good, "load into DuckDB").endswith("met |")
    assert "1.08×" in _row(good, "peak memory, `postwatch ingest`")
    assert _row(good, "`postwatch ingest`: re-run, flow run s").endswith("met |")
    bad = format_table(_results(ratio=0.6, scaling=1.1, rows_per_s=50_000, peak_large=900.0, rerun=5.0))
    for row in ("ratio postwatch / plain, 1 process", "two processes over one, postwatch", "load into DuckDB",
                "peak memory, `postwatch ingest`", "`postwatch ingest`: re-run, flow run s"):
        assert _row(bad, row).endswith("**missed** |"), row
    assert "1,000 articles over 100" in _row(bad, "peak memory, `postwatch ingest`")
    assert "Measured on:" in bad and "N = 1,000" in bad


def test_bad_sizes_are_one_line_errors(capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench_main(["--sizes", "ten"])
    assert exit_info.value.code == 2
    assert "not a comma-separated list of whole numbers" in capsys.readouterr().err


@pytest.mark.slow
def test_bench_prints_a_table_for_a_tiny_archive(tmp_path, capsys):
    figures, page = tmp_path / "bench.json", tmp_path / "RESULTS.md"
    assert bench_main(["--sizes", "3", "--parts", "load", "--json", str(figures), "--workdir", str(tmp_path),
                       "--results", str(page)]) == 0
    table = capsys.readouterr().out
    assert page.read_text(encoding="utf-8").startswith("# Benchmark results\n\nWritten by `python -m tests.benchmarks")
    assert table.strip() in page.read_text(encoding="utf-8")
    load = json.loads(figures.read_text())["sizes"]["3"]["load"]
    assert load["articles"] == 3 and load["rows"] > 3
    printed = _row(table, "load into DuckDB").split("|")[2].strip()
    assert printed.startswith(f"{load['rows_per_s']:,.0f} ({load['articles_per_s']:,.0f})"), printed


def test_flow_seconds_are_the_finished_runs_oldest_first(tmp_path):
    """The re-run figure reads the flow runs' own time from `runs`; a run still going is left out."""
    db = tmp_path / "w.duckdb"
    con = connect(db)
    con.execute("""INSERT INTO runs (run_id, flow, started, finished, status) VALUES
        ('b', 'postwatch-ingest', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:00:00.25', 'COMPLETED'),
        ('a', 'postwatch-ingest', TIMESTAMP '2026-01-01 09:00:00', TIMESTAMP '2026-01-01 09:01:30', 'COMPLETED'),
        ('c', 'postwatch-ingest', TIMESTAMP '2026-01-01 11:00:00', NULL, 'RUNNING')""")
    con.close()
    assert flow_seconds(db) == [90.0, 0.25]
