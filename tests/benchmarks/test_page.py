"""`python -m tests.benchmarks.page`: the page's response-time bench line, on a tiny warehouse
(the figures themselves are printed by the bench, never asserted)."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.benchmarks.page import main


@pytest.mark.slow
def test_the_page_bench_builds_its_warehouse_and_prints_a_line_per_page(tmp_path, capsys):
    db = tmp_path / "page.duckdb"
    main(["--articles", "12", "--seed-articles", "5", "--repeat", "1", "--db", str(db)])
    out = capsys.readouterr().out
    con = duckdb.connect(str(db), read_only=True)
    articles, copies = con.execute("SELECT count(*), count(*) FILTER (WHERE url LIKE '%#copy%') FROM articles").fetchall()[0]
    organisations = con.execute("SELECT count(*) FROM organisations").fetchall()[0][0]
    con.close()
    assert (articles, copies) == (12, 7)
    assert organisations > 5  # each copy has organisations of its own
    assert re.search(r"warehouse: 12 articles \(5 extracted in", out)
    pages = re.findall(r"^(\S+).*cold: median +[\d.]+ ms.*warm: median +[\d.]+ ms", out, re.M)
    assert pages == ["/", "/?org=…&since=…", "/search?q=…", "/organisation/…", "/person/…", "/stories.atom"]
