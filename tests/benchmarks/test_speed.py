"""`python -m tests.benchmarks.speed`: it prints figures (never asserted); here only that every
pipe gets a line, ours included, so a profile of the extraction ratio is one command."""

from __future__ import annotations

import json

from extractors.build import COMPONENTS
from tests.benchmarks.speed import main


def test_components_prints_a_line_per_pipe_and_postwatchs_share(tmp_path, capsys, articles):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"text": a["text"]}) + "\n" for a in articles[:2]), encoding="utf-8")
    main([str(path), "--repeat", "1", "--components"])
    out = capsys.readouterr().out
    for name in ("tokenizer", "ner", *COMPONENTS, "postwatch components"):
        assert f"    {name} " in out, name
