"""The page `postwatch serve` shows (pipeline/web) over real HTTP on 127.0.0.1: what it lists,
that it escapes untrusted article text, its 304s and 503s, and `postwatch explain`.

The warehouse holds rows as the loader writes them, with the offsets of each event's cue
and parts; the extractors are not under test here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.feed_server import FeedServer
from warehouse.db import connect
from warehouse.load import Batch, load_batch
from warehouse.rows import article_id, article_row, org_id, person_id, stable_id
from warehouse.stories import refresh_stories

TRUST = "Wrenfield Hospitals NHS Trust"
BOARD = "Cotterill Fen Integrated Care Board"
HOSTILE = "<script>alert('owned')</script>"
# (n, published, type, post, organisation, person, interim, sentence, title)
EVENTS = [
    (1, "2024-02-05", "NO_APPOINTMENT", "chief executive", TRUST, None, False,
     "Wrenfield Hospitals NHS Trust failed to appoint a chief executive after interviews in January.",
     "Wrenfield search stalls"),
    (2, "2024-02-12", "NO_APPOINTMENT", "chief executive", TRUST, None, False,
     "No appointment was made to the chief executive post, Wrenfield Hospitals NHS Trust confirmed.",
     f"Wrenfield confirms no appointment {HOSTILE}"),
    (2, "2024-02-12", "APPOINTMENT", "chief executive", TRUST, "Ottoline Brack", True,
     f"Ottoline Brack was appointed interim chief executive {HOSTILE} until a new search ends.",
     f"Wrenfield confirms no appointment {HOSTILE}"),
    (3, "2024-03-01", "VACANCY", "chief nurse", BOARD, None, False,
     "Cotterill Fen Integrated Care Board is advertising for a chief nurse on £140,000.",
     "Cotterill Fen seeks chief nurse"),
    (4, "2024-03-20", "DEPARTURE", "medical director", BOARD, "Ambrose Tillery", False,
     "Ambrose Tillery will leave as medical director of Cotterill Fen Integrated Care Board in May.",
     "Medical director to leave Cotterill Fen"),
]
CUES = {"NO_APPOINTMENT": ("failed to appoint", "No appointment"), "APPOINTMENT": ("appointed",),
        "VACANCY": ("advertising",), "DEPARTURE": ("leave",)}


def _offsets(sentence: str, base: int, words: str | None) -> tuple[int | None, int | None]:
    at = sentence.find(words) if words else -1
    return (base + at, base + at + len(words)) if at >= 0 else (None, None)


def _batch() -> Batch:
    batch = Batch()
    for n in sorted({e[0] for e in EVENTS}):
        mine = [e for e in EVENTS if e[0] == n]
        url = f"https://news.example.test/web/{n}" if n != 4 else "javascript:alert(1)//"
        base = 10
        rows = []
        for _, _, kind, post, org, person, interim, sentence, _ in mine:
            cue = next(c for c in CUES[kind] if c in sentence)
            start, end = _offsets(sentence, base, cue)
            rows.append({
                "event_id": stable_id("event", url, kind, post, person), "article_id": article_id(url),
                "event_type": kind, "post": post, "organisation": org, "org_id": org_id(org), "person": person,
                "person_id": person_id(person), "interim": interim, "event_date": None, "sentence": sentence,
                "start_char": start, "end_char": end, "cue": cue, "sentence_start": base,
                **dict(zip(("person_start", "person_end"), _offsets(sentence, base, person))),
                **dict(zip(("post_start", "post_end"), _offsets(sentence, base, post))),
                **dict(zip(("org_start", "org_end"), _offsets(sentence, base, org))),
                "link_rule": f"cue: '{cue}' matched a pattern for {kind}; post: named in the sentence",
            })
            base += len(sentence) + 1
        people = [{"person_id": person_id(p), "name": p} for p in {e[5] for e in mine if e[5]}]
        batch.add(article_row({"url": url, "title": mine[0][8], "published": mine[0][1],
                               "text": " ".join(e[7] for e in mine), "content_hash": f"web{n}"}),
                  {"people": people, "organisations": [{"org_id": org_id(o), "name": o} for o in (TRUST, BOARD)],
                   "mentions": [], "posts": [], "events": rows,
                   "salaries": [{"article_id": article_id(url), "post": "chief nurse", "amount_gbp": 140_000,
                                 "amount_gbp_max": None, "sentence": mine[0][7], "start_char": 0, "end_char": 5}]})
    return batch


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "w.duckdb"
    con = connect(path)
    load_batch(con, _batch())
    refresh_stories(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def server(db):
    server = FeedServer(db, 0).start()
    yield server
    server.stop()


def get(server, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(server.url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def home(server) -> str:
    status, headers, body = get(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    return body


def section(body: str, name: str) -> str:
    return re.search(rf'<section id="{name}">(.*?)</section>', body, re.S).group(1)


def test_the_failed_search_is_one_story_with_both_articles(home):
    failed = section(home, "failed")
    assert failed.count('<li class="story failed"') == 1
    assert "https://news.example.test/web/1" in failed and "https://news.example.test/web/2" in failed
    assert "Wrenfield Hospitals NHS Trust" in failed and "chief executive" in failed
    assert "2 articles" in failed


def test_open_vacancies_show_their_pay_and_the_chart_gets_the_pay_by_post(home):
    assert "£140,000" in section(home, "vacancies")
    data = json.loads(re.search(r'<script type="application/json" id="pay-data">(.*?)</script>', home, re.S).group(1))
    assert data[0]["post"] == "chief nurse" and data[0]["highest"] == 140_000
    assert '<script src="/static/plotly.min.js">' in home


def test_appointments_and_departures_are_listed_with_interims_marked(home):
    assert "Ottoline Brack" in section(home, "appointments") and "interim" in section(home, "appointments")
    assert "Ambrose Tillery" in section(home, "departures")


def test_every_sentence_has_its_parts_marked_in_displacys_span_style(home):
    failed = section(home, "failed")
    assert re.search(r'class="dc-span"[^>]*>failed to appoint<span class="dc-slice"', failed)
    labels = re.findall(r'<span class="dc-label"[^>]*>(\w+)</span>', home)
    assert {"CUE", "PERSON", "POST", "ORG"} <= set(labels)


def test_untrusted_article_text_is_escaped(home):
    assert HOSTILE not in home
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in home
    assert 'href="javascript:' not in home


def test_the_feeds_are_announced_and_carry_the_filters(server):
    _, _, body = get(server, "/?org=Wrenfield&since=2024-02-10")
    links = re.findall(r'<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"', body)
    assert {href for _, href in links} == {f"/{name}?org=Wrenfield&amp;since=2024-02-10"
                                           for name in ("stories.atom", "stories.json", "alerts.atom", "alerts.json")}
    assert "Cotterill Fen" not in section(body, "appointments") + section(body, "departures")


def test_the_story_feed_is_served_beside_the_event_feed(server):
    status, headers, body = get(server, "/stories.atom?org=Wrenfield")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    assert body.count("<entry>") == 1 and "urn:postwatch:story:" in body
    status, _, body = get(server, "/alerts.json")
    assert status == 200 and "urn:postwatch:event:" in body


def test_an_organisation_page_shows_its_posts_over_time(server, home):
    path = re.search(r'href="(/organisation/[0-9a-f]+)">Wrenfield', home).group(1)
    status, _, body = get(server, path)
    assert status == 200
    posts = section(body, "posts")
    assert "<h4>chief executive</h4>" in posts and "Ottoline Brack" in posts and "interim" in posts


def test_a_person_page_and_a_search(server):
    status, _, body = get(server, "/search?q=brack")
    assert status == 200
    path = re.search(r'href="(/person/[0-9a-f]+)">Ottoline Brack', body).group(1)
    status, _, body = get(server, path)
    assert status == 200 and "chief executive" in body and "Wrenfield Hospitals NHS Trust" in body
    status, _, body = get(server, "/search?q=%25")
    assert status == 200 and "No organisation" in body  # % is a character here, not a wildcard


def test_mistakes_get_a_status_and_a_line(server):
    assert get(server, "/organisation/nope")[0] == 404
    status, _, body = get(server, "/?since=last-week")
    assert (status, body) == (400, "since must be a date like 2024-01-31\n")
    assert get(server, "/static/../../etc/passwd")[0] == 404


def test_an_unchanged_page_is_answered_304(server):
    _, headers, _ = get(server, "/")
    status, _, body = get(server, "/", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, "")


def test_the_chart_library_is_served_from_the_installed_wheel(server):
    status, headers, body = get(server, "/static/plotly.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and "plotly" in body[:2000].lower()
    assert get(server, "/static/plotly.min.js", {"If-None-Match": headers["ETag"]})[0] == 304


def test_while_a_writer_holds_the_warehouse_the_page_answers_503(db, tmp_path):
    copy = tmp_path / "held.duckdb"
    copy.write_bytes(db.read_bytes())
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(copy)!r}); print("locked", flush=True); time.sleep(60)""")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        server = FeedServer(copy, 0).start()
        try:
            status, headers, body = get(server, "/")
        finally:
            server.stop()
    finally:
        holder.kill()
        holder.wait()
    assert status == 503 and headers["Retry-After"] == "30" and "in use by another program" in body


def test_serve_and_explain_start_without_spacy_prefect_or_scrapy():
    code = ("import sys, pipeline.cli, pipeline.feed_server, pipeline.web.home, warehouse.evidence; "
            "print(sorted(m for m in ('spacy', 'prefect', 'scrapy') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def _event_id(db: Path, kind: str) -> str:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT event_id FROM events WHERE event_type = $k", {"k": kind}).fetchall()[0][0]
    finally:
        con.close()


def test_explain_marks_the_sentence_and_says_how_each_part_was_found(db):
    result = CliRunner().invoke(main, ["explain", _event_id(db, "APPOINTMENT"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("[Ottoline Brack]PERSON was [appointed]CUE interim [chief executive]POST")
    assert "  cue: 'appointed' matched a pattern for APPOINTMENT" in lines
    assert lines[-1] == "article: https://news.example.test/web/2"


def test_explain_json_is_for_scripts(db):
    result = CliRunner().invoke(main, ["explain", _event_id(db, "DEPARTURE"), "--db", str(db), "--json"])
    data = json.loads(result.output)
    assert [(p["label"], p["text"]) for p in data["parts"]] == [
        ("PERSON", "Ambrose Tillery"), ("CUE", "leave"), ("POST", "medical director"),
        ("ORG", "Cotterill Fen Integrated Care Board")]
    assert data["url"] == "javascript:alert(1)//" and data["story_id"]


def test_explain_an_unknown_event_is_one_line(db):
    result = CliRunner().invoke(main, ["explain", "0000", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output == (f"Error: no event '0000' in {db}; list the ids with "
                             f"postwatch sql \"SELECT event_id, event_type, post FROM events\"\n")
