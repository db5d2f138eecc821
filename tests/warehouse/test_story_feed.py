"""The story feed end to end: invented articles through a real `ingest` flow (spaCy, Prefect,
DuckDB), the feed read back with feedparser. One failed search reported twice, a week
apart, is one entry with two articles; another trust's is a second entry; the search
later filled updates the first entry instead of adding one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import feedparser
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.flows import ingest_flow

pytestmark = pytest.mark.slow
PADDING = (
    "Board papers describe a demanding year, with waiting lists above the national average and a deficit the "
    "regulator has asked the board to close within two years. Staff side representatives said the uncertainty "
    "at the top had made it harder to keep experienced managers, and the council's health scrutiny committee "
    "has asked for a briefing before the summer. A spokesperson said patient services were not affected and "
    "that the executive team continued to meet every week while the board considered its options."
)
FIRST = {
    "id": "sf-1", "url": "https://news.example.test/leadership/pellworth-search-fails/1", "published": "2024-03-04",
    "title": "Pellworth Downs fails to appoint chief executive",
    "text": "Pellworth Downs Hospitals NHS Trust has failed to appoint a chief executive after its interview panel "
            "decided that none of the three shortlisted candidates was ready for the role.\n\n" + PADDING,
}
SECOND = {
    "id": "sf-2", "url": "https://news.example.test/leadership/pellworth-readvert/2", "published": "2024-03-11",
    "title": "Pellworth Downs to re-advertise top job",
    "text": "Pellworth Downs Hospitals NHS Trust said no appointment was made to the post of chief executive and "
            "the trust will advertise the role again in the spring.\n\n" + PADDING,
}
OTHER = {
    "id": "sf-3", "url": "https://news.example.test/leadership/ashcombe-chair/3", "published": "2024-03-12",
    "title": "Ashcombe Vale trust still without a chief executive",
    "text": "Ashcombe Vale Community NHS Trust has failed to appoint a chief executive after a second recruitment "
            "round attracted too few applicants.\n\n" + PADDING,
}
FILLED = {
    "id": "sf-4", "url": "https://news.example.test/leadership/pellworth-appoints/4", "published": "2024-06-03",
    "title": "Pellworth Downs names new chief executive",
    "text": "Pellworth Downs Hospitals NHS Trust has appointed Orla Fenwick-Strand as its chief executive after a "
            "second recruitment round.\n\n" + PADDING,
}


def ingest(tmp_path: Path, db: Path, *articles: dict) -> None:
    archive = tmp_path / f"batch-{articles[0]['id']}.jsonl"
    archive.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    ingest_flow(str(archive), str(db))


def story_feed(db: Path, fmt: str = "atom"):
    result = CliRunner().invoke(main, ["feed", "--by", "story", "--format", fmt, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return feedparser.parse(result.stdout_bytes) if fmt == "atom" else json.loads(result.stdout_bytes)


@pytest.fixture(scope="module")
def stages(prefect, tmp_path_factory) -> dict:
    """The feed after each ingest: the first article, a week later the second, then another
    trust's, then the appointment."""
    tmp = tmp_path_factory.mktemp("story-feed")
    db = tmp / "w.duckdb"
    seen = {}
    for name, batch in (("first", [FIRST]), ("second", [SECOND]), ("other", [OTHER]), ("filled", [FILLED])):
        time.sleep(1.1)  # `updated` has whole seconds: each ingest must be able to move it
        ingest(tmp, db, *batch)
        seen[name] = story_feed(db)
    seen["json"] = story_feed(db, "json")
    seen["events"] = feedparser.parse(CliRunner().invoke(main, ["feed", "--db", str(db)]).stdout_bytes)
    seen["db"] = db
    return seen


def entry_for(feed, url: str):
    found = [e for e in feed.entries if url in e.content[0].value]
    assert len(found) == 1, [e.id for e in feed.entries]
    return found[0]


def test_one_failed_search_reported_twice_is_one_entry_with_both_articles(stages):
    first, second = stages["first"], stages["second"]
    assert len(first.entries) == 1
    assert len(second.entries) == 1
    assert second.entries[0].id == first.entries[0].id
    assert second.entries[0].id.startswith("urn:postwatch:story:")
    content = second.entries[0].content[0].value
    assert FIRST["url"] in content and SECOND["url"] in content
    assert "2024-03-04" in content and "2024-03-11" in content


def test_the_entry_is_updated_when_an_article_joins(stages):
    assert stages["second"].entries[0].updated_parsed > stages["first"].entries[0].updated_parsed


def test_another_trusts_failed_search_is_a_second_entry(stages):
    other = stages["other"]
    assert len(other.entries) == 2
    assert entry_for(other, OTHER["url"]).id != entry_for(other, FIRST["url"]).id
    assert "Ashcombe Vale" in entry_for(other, OTHER["url"]).title


def test_a_failed_story_later_filled_updates_its_entry_and_says_so(stages):
    before, after = entry_for(stages["other"], FIRST["url"]), entry_for(stages["filled"], FIRST["url"])
    assert len(stages["filled"].entries) == 2
    assert after.id == before.id
    assert after.title.startswith("Filled after a failed search")
    assert "Orla Fenwick-Strand" in after.content[0].value
    assert after.updated_parsed > before.updated_parsed


def test_the_json_feed_has_the_same_entries_with_their_articles(stages):
    items = {item["id"]: item for item in stages["json"]["items"]}
    assert set(items) == {e.id for e in stages["filled"].entries}
    pellworth = items[entry_for(stages["filled"], FIRST["url"]).id]
    assert [a["url"] for a in pellworth["_postwatch"]["articles"]] == [FIRST["url"], SECOND["url"], FILLED["url"]]


def test_the_event_feed_keeps_one_entry_per_event(stages):
    ids = [e.id for e in stages["events"].entries]
    assert len(ids) >= 3 and all(i.startswith("urn:postwatch:event:") for i in ids)


def test_explain_marks_what_the_extractors_found_in_a_real_article(stages):
    """The offsets rows.py stores at load time mark the sentence; nothing is extracted again."""
    db = stages["db"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((event_id,),) = con.execute("""
            SELECT e.event_id FROM events e JOIN articles a USING (article_id)
            WHERE a.url = $url AND e.event_type = 'NO_APPOINTMENT'""", {"url": FIRST["url"]}).fetchall()
    finally:
        con.close()
    result = CliRunner().invoke(main, ["explain", event_id, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    parts = {p["label"]: p["text"] for p in data["parts"]}
    assert parts["CUE"] in data["sentence"] and "appoint" in parts["CUE"]
    assert parts["POST"] == "chief executive"
    assert "[chief executive]POST" in data["marked"]
    assert data["rules"]["post"] == "named in the sentence"
    assert data["url"] == FIRST["url"] and data["story_id"]
