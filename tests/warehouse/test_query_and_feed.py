"""What users read: `postwatch sql`, the views the README documents, the feed with its
filters, and the feed served over HTTP as a feed reader (feedparser) polls it."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import feedparser
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.feed_server import FeedServer
from warehouse.db import SQL_DIR, connect
from warehouse.load import Batch, load_batch
from warehouse.rows import article_id, article_row, org_id, person_id, stable_id

README = Path(__file__).resolve().parents[2] / "README.md"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# Warehouse rows as the loader writes them (the feed and views are under test here, not
# the extractors): failed recruitments at two organisations on three days, and the
# appointments, departures and vacancies the other views read.
ORGS = ["Wealdmoor Community NHS Trust", "Kestrel Coast Integrated Care Board"]
EVENTS = [  # (article number, published, event type, post, organisation, person)
    (1, "2024-02-05", "NO_APPOINTMENT", "chief nurse", ORGS[0], None),
    (2, "2024-06-10", "NO_APPOINTMENT", "chief executive", ORGS[1], None),
    (2, "2024-06-10", "VACANCY", "chief executive", ORGS[1], None),
    (3, "2024-09-23", "NO_APPOINTMENT", "director of finance", ORGS[0], None),
    (4, "2024-10-01", "DEPARTURE", "chief executive", ORGS[1], "Ilse Marrow"),
    (4, "2024-10-01", "APPOINTMENT", "chief executive", ORGS[0], "Ilse Marrow"),
]


def _batch() -> Batch:
    batch = Batch()
    for n in sorted({e[0] for e in EVENTS}):
        url = f"https://news.example.test/story/{n}"
        mine = [e for e in EVENTS if e[0] == n]
        article = {**article_row({"url": url, "title": f"Story {n}", "published": mine[0][1],
                                  "text": f"Text {n}.", "content_hash": f"h{n}"})}
        events = [{"event_id": stable_id("event", url, kind, post, person), "article_id": article_id(url),
                   "event_type": kind, "post": post, "organisation": org, "org_id": org_id(org), "person": person,
                   "person_id": person_id(person), "interim": False, "event_date": None,
                   "sentence": f"{org} said something about its {post}.", "start_char": 0, "end_char": 4}
                  for _, _, kind, post, org, person in mine]
        salaries = [{"article_id": article_id(url), "post": "chief nurse", "amount_gbp": 150_000,
                     "amount_gbp_max": None, "sentence": "Up to £150,000.", "start_char": 0, "end_char": 8}]
        batch.add(article, {"people": [], "organisations": [{"org_id": org_id(o), "name": o} for o in ORGS],
                            "mentions": [], "posts": [], "salaries": salaries, "events": events})
    return batch


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("query") / "w.duckdb"
    con = connect(path)
    load_batch(con, _batch())
    con.close()
    return path


def rows(db: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def failed(db) -> list[tuple]:
    found = rows(db, "SELECT event_id, organisation, published, url FROM no_appointment_alerts ORDER BY event_id")
    assert len(found) == 3
    return found


# --- postwatch sql -----------------------------------------------------------------

def test_sql_prints_a_table_with_a_row_count(db):
    result = invoke("sql", "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1", "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["event_type", "n"]
    assert lines[-1] == f"({len(lines) - 3} rows)"


def test_sql_csv_is_the_query_result(db):
    query = "SELECT post, organisation, happened FROM failed_recruitments ORDER BY event_id"
    result = invoke("sql", query, "--db", str(db), "--csv")
    assert result.exit_code == 0, result.output
    parsed = list(csv.reader(io.StringIO(result.output)))
    assert parsed[0] == ["post", "organisation", "happened"]
    expected = [["" if v is None else str(v) for v in row] for row in rows(db, query)]
    assert parsed[1:] == expected


def test_sql_json_is_a_list_of_objects(db):
    result = invoke("sql", "SELECT url, published FROM articles ORDER BY url LIMIT 3", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert [r["url"] for r in parsed] == [u for (u, _) in rows(db, "SELECT url, published FROM articles ORDER BY url LIMIT 3")]


def test_sql_unknown_column_is_one_line_naming_the_fix(db):
    result = invoke("sql", "SELECT salary FROM events", "--db", str(db))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert 'Referenced column "salary" not found' in result.output
    assert 'see the tables and columns with `postwatch sql "SHOW ALL TABLES"`' in result.output


def test_sql_cannot_change_the_warehouse(db):
    before = rows(db, "SELECT count(*) FROM events")
    result = invoke("sql", "DELETE FROM events", "--db", str(db))
    assert result.exit_code == 1
    assert "`postwatch sql` only reads; change the warehouse with postwatch's own commands" in result.output
    assert rows(db, "SELECT count(*) FROM events") == before


def test_readme_documents_every_view_with_a_query_that_runs(db):
    views = re.findall(r"CREATE OR REPLACE VIEW (\w+)", (SQL_DIR / "views.sql").read_text())
    examples = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    for view in views:
        using = [q for q in examples if re.search(rf"\bFROM {view}\b", q)]
        assert using, f"README has no example query for the view {view}"
        for query in using:
            rows(db, query)  # raises if the documented query does not run


# --- postwatch feed ---------------------------------------------------------------

def test_feed_org_filter_keeps_that_organisation_only(db, failed):
    result = CliRunner().invoke(main, ["feed", "--db", str(db), "--org", "wealdmoor"])
    parsed = feedparser.parse(result.stdout_bytes)
    assert {e.id for e in parsed.entries} == {f"urn:postwatch:event:{eid}" for eid, o, _, _ in failed if o == ORGS[0]}
    assert all(ORGS[0] in {t.term for t in e.tags} for e in parsed.entries)


def test_feed_org_filter_knows_aliases(db, failed):
    """`--org` finds an organisation by any alias the gazetteer knows (here the full name)."""
    result = CliRunner().invoke(main, ["feed", "--db", str(db), "--org", "the " + ORGS[1].upper()])
    assert len(feedparser.parse(result.stdout_bytes).entries) == 1


def test_feed_since_filter_drops_older_articles(db, failed):
    cut = failed[0][2].replace(month=6, day=10)
    result = CliRunner().invoke(main, ["feed", "--db", str(db), "--since", cut.isoformat()])
    parsed = feedparser.parse(result.stdout_bytes)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {e.id for e in parsed.entries} == {f"urn:postwatch:event:{eid}" for eid, _, p, _ in failed if p >= cut}
    assert len(parsed.entries) == 2


def test_feed_with_a_bad_date_is_one_line(db):
    result = invoke("feed", "--db", str(db), "--since", "last tuesday")
    assert result.exit_code == 2
    assert "'last tuesday' does not match the format '%Y-%m-%d'" in result.output


# --- postwatch serve --------------------------------------------------------------

@pytest.fixture(scope="module")
def server(db):
    running = FeedServer(db, port=0).start()
    yield running
    running.stop()


def test_served_atom_feed_matches_the_warehouse(server, failed):
    parsed = feedparser.parse(server.url + "/alerts.atom")
    assert parsed.status == 200 and not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert sorted((e.id, e.link) for e in parsed.entries) == sorted(
        (f"urn:postwatch:event:{eid}", url) for eid, _, _, url in failed)
    assert all(e.updated_parsed and e.summary for e in parsed.entries)


def test_served_json_feed_has_the_same_entries(server, failed):
    """feedparser 6 reads no JSON Feed, so this reads it as the JSON Feed 1.1 spec says."""
    with urllib.request.urlopen(server.url + "/alerts.json") as response:
        assert response.headers["Content-Type"] == "application/feed+json; charset=utf-8"
        document = json.load(response)
    atom = feedparser.parse(server.url + "/alerts.atom")
    assert document["version"] == "https://jsonfeed.org/version/1.1" and document["title"]
    assert [(i["id"], i["url"], i["title"]) for i in document["items"]] == [(e.id, e.link, e.title) for e in atom.entries]
    assert all(i["content_text"] and i["date_published"] for i in document["items"])


def test_a_reader_with_the_etag_gets_304(server):
    first = feedparser.parse(server.url + "/alerts.atom")
    again = feedparser.parse(server.url + "/alerts.atom", etag=first.etag)
    assert again.status == 304 and not again.entries


def test_a_reader_with_last_modified_gets_304(server):
    first = feedparser.parse(server.url + "/alerts.atom")
    again = feedparser.parse(server.url + "/alerts.atom", modified=first.modified)
    assert again.status == 304


def test_served_filters_are_query_parameters(server, failed):
    org = failed[0][1]
    parsed = feedparser.parse(f"{server.url}/alerts.atom?org={urllib.request.quote(org)}&since=2000-01-01")
    assert {e.id for e in parsed.entries} == {f"urn:postwatch:event:{eid}" for eid, o, _, _ in failed if o == org}


def test_served_bad_since_is_400(server):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "/alerts.atom?since=yesterday")
    assert caught.value.code == 400
    assert caught.value.read() == b"since must be a date like 2024-01-31\n"
