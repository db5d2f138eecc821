"""`postwatch evaluate` reads predictions back from the warehouse under the same url the
archive stored: a gold url that canonicalisation changes must still be scored."""

from __future__ import annotations

import json

from pipeline.evaluation.run import evaluate


def test_gold_url_that_canonicalisation_changes_is_still_scored(tmp_path):
    text = " ".join(["Ravensholme Community NHS Trust has appointed Kwame Ashdown as chief executive."] * 10)
    gold = {"id": "g1", "url": "HTTPS://News.Example.ORG/board/g1.article?utm_source=mail", "published": "2025-02-03",
            "title": "Board news", "text": text,
            "gold": {"people": ["Kwame Ashdown"], "organisations": [], "posts": [], "salaries": [], "events": []}}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n")
    report = evaluate(path)
    assert report.slots["people"].tp == 1
