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


def test_false_alarms_reads_gzipped_pages_and_counts_events_and_alerts(tmp_path):
    import gzip

    from pipeline.evaluation.run import false_alarms, format_pages

    body = " ".join(["Wrenfield Valley NHS Trust said no appointment was made to the post of chief executive "
                     "after the interviews last week, and the trust will advertise the post again."] * 4)
    html = (f'<html><head><title>Trust search stalls</title><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2025-03-04T09:00:00Z"></head>'
            f'<body><article><h1>Trust search stalls</h1><p>{body}</p></article></body></html>')
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "one.html.gz").write_bytes(gzip.compress(html.encode()))
    report = false_alarms(folder)
    assert (report.pages, report.articles) == (1, 1)
    assert report.alerts == 1
    assert report.by_type()["NO_APPOINTMENT"] == 1
    assert "alerts               1" in format_pages(report, "pages")
