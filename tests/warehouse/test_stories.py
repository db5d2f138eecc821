"""Recruitment stories (warehouse/stories.py): which events make one story, its status, and
ids that hold through re-runs, re-extraction and edits that split or join stories.

Rows are written as the loader writes them; the extractors are not under test here."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.db import WarehouseError, connect
from warehouse.load import Batch, load_batch
from warehouse.rows import article_id, article_row, org_id, person_id, stable_id
from warehouse.stories import refresh_stories

TRUST = "Harrowgate Vale NHS Foundation Trust"
OTHER = "Quenby Marsh Integrated Care Board"


def article(n: int, published: str, *events: tuple[str, str, str | None, str | None, bool]) -> Batch:
    """One article with events (type, post, organisation, person, interim)."""
    url = f"https://news.example.test/stories/{n}"
    batch = Batch()
    rows = [{"event_id": stable_id("event", url, kind, post, person), "article_id": article_id(url),
             "event_type": kind, "post": post, "organisation": org, "org_id": org_id(org), "person": person,
             "person_id": person_id(person), "interim": interim, "event_date": None,
             "sentence": f"Sentence {n} about the {post}.", "start_char": 0, "end_char": 8}
            for kind, post, org, person, interim in events]
    orgs = sorted({e[2] for e in events if e[2]})
    batch.add(article_row({"url": url, "title": f"Article {n}", "published": published, "text": f"Text {n}.",
                           "content_hash": f"h{n}-{len(events)}-{events[0][1]}"}),
              {"people": [], "organisations": [{"org_id": org_id(o), "name": o} for o in orgs],
               "mentions": [], "posts": [], "salaries": [], "events": rows})
    return batch


def no_appointment(post: str = "chief executive", org: str = TRUST):
    return ("NO_APPOINTMENT", post, org, None, False)


def appointment(person: str, post: str = "chief executive", org: str = TRUST, interim: bool = False):
    return ("APPOINTMENT", post, org, person, interim)


def vacancy(post: str = "chief executive", org: str = TRUST):
    return ("VACANCY", post, org, None, False)


@pytest.fixture
def con(tmp_path: Path):
    con = connect(tmp_path / "w.duckdb")
    yield con
    con.close()


def load(con, *batches: Batch) -> list[tuple]:
    for batch in batches:
        load_batch(con, batch)
    refresh_stories(con)
    return con.execute("SELECT story_id, organisation, post, status, articles, events, opened, last_event "
                       "FROM stories ORDER BY opened, post").fetchall()


def test_chief_exec_ceo_and_interim_chief_executive_are_one_story(con):
    stories = load(con, article(1, "2024-01-10", vacancy("chief exec")),
                   article(2, "2024-03-02", no_appointment("CEO")),
                   article(3, "2024-04-20", appointment("Tamsin Oakridge", "interim chief executive", interim=True)))
    assert [(s[1], s[2], s[3], s[4], s[5]) for s in stories] == [(TRUST, "chief executive", "failed", 3, 3)]


def test_another_organisation_or_post_is_another_story(con):
    stories = load(con, article(1, "2024-01-10", no_appointment()), article(2, "2024-01-17", no_appointment(org=OTHER)),
                   article(3, "2024-01-20", no_appointment("chief nurse")))
    assert sorted((s[1], s[2]) for s in stories) == [(TRUST, "chief executive"), (TRUST, "chief nurse"),
                                                     (OTHER, "chief executive")]


def test_events_further_apart_than_the_window_are_two_stories(con, monkeypatch):
    batches = [article(1, "2022-01-10", no_appointment()), article(2, "2023-06-01", no_appointment())]
    assert len(load(con, *batches)) == 2
    monkeypatch.setenv("POSTWATCH_STORY_WINDOW_MONTHS", "24")
    assert refresh_stories(con) == 1


def test_a_bad_window_setting_is_one_line_naming_it(con, monkeypatch):
    monkeypatch.setenv("POSTWATCH_STORY_WINDOW_MONTHS", "a year")
    with pytest.raises(WarehouseError, match=r"POSTWATCH_STORY_WINDOW_MONTHS='a year' is not a number of months"):
        refresh_stories(con)


def test_status_follows_the_story(con):
    assert load(con, article(1, "2024-01-10", vacancy()))[0][3] == "open"
    assert load(con, article(2, "2024-02-10", no_appointment()))[0][3] == "failed"
    assert load(con, article(3, "2024-03-10", appointment("Ruben Ashdown", interim=True)))[0][3] == "failed"
    assert load(con, article(4, "2024-05-10", appointment("Corin Fallowfield")))[0][3] == "filled"


def test_a_vacancy_after_a_substantive_appointment_opens_a_new_story(con):
    stories = load(con, article(1, "2024-01-10", appointment("Corin Fallowfield")),
                   article(2, "2024-06-10", vacancy()))
    assert [s[3] for s in stories] == ["filled", "open"]


def test_a_search_with_no_news_for_longer_than_the_window_is_closed(con):
    stories = load(con, article(1, "2022-01-10", vacancy()), article(2, "2024-01-10", vacancy("chief nurse")))
    assert {s[2]: s[3] for s in stories} == {"chief executive": "closed", "chief nurse": "open"}


def test_every_event_carries_its_story_and_the_view_has_one_row_per_story(con):
    load(con, article(1, "2024-01-10", vacancy(), no_appointment()), article(2, "2024-02-10", no_appointment()))
    assert con.execute("SELECT count(DISTINCT story_id), count(*) FILTER (WHERE story_id IS NULL) FROM events").fetchall() \
        == [(1, 0)]
    assert con.execute("SELECT articles, events, latest_sentence FROM recruitment_stories").fetchall() \
        == [(2, 3, "Sentence 2 about the chief executive.")]


def test_ids_hold_across_reruns_and_reloads(con):
    first = load(con, article(1, "2024-01-10", no_appointment()), article(2, "2024-01-17", no_appointment(org=OTHER)))
    assert load(con) == first
    assert load(con, article(1, "2024-01-10", no_appointment())) == first  # article 1 extracted again
    con.execute("DELETE FROM story_events")  # even with no memory, the derived ids come back
    assert load(con) == first


def test_an_article_that_joins_two_stories_keeps_the_older_id(con):
    early, late = load(con, article(1, "2023-01-10", no_appointment()), article(2, "2024-03-10", no_appointment()))
    joined = load(con, article(3, "2023-08-10", no_appointment()))
    assert [(s[0], s[4]) for s in joined] == [(early[0], 3)]
    assert con.execute("SELECT count(*) FROM stories WHERE story_id = $id", {"id": late[0]}).fetchall() == [(0,)]


def test_an_edited_article_that_splits_a_story_leaves_two_distinct_ids(con):
    (whole,) = load(con, article(1, "2023-01-10", no_appointment()), article(3, "2023-08-10", no_appointment()),
                    article(2, "2024-03-10", no_appointment()))
    # article 3 is edited: it now reports a chief nurse search, and the chief executive story splits
    split = load(con, article(3, "2023-08-10", no_appointment("chief nurse")))
    executive = [s for s in split if s[2] == "chief executive"]
    assert [s[4] for s in executive] == [1, 1]
    assert executive[0][0] == whole[0]
    assert len({s[0] for s in split}) == len(split) == 3


def test_stories_survive_an_upgrade_from_an_older_warehouse(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    load_batch(con, article(1, "2024-01-10", no_appointment()))
    con.close()
    raw = duckdb.connect(str(db))
    raw.execute("DELETE FROM stories")
    raw.close()
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["upgrade", "--db", str(db)])
    assert result.exit_code == 0, result.output
    raw = duckdb.connect(str(db), read_only=True)
    assert raw.execute("SELECT status FROM stories").fetchall() == [("failed",)]
    raw.close()


def test_a_run_that_changed_nothing_rebuilds_stories_only_where_there_are_none(con):
    from warehouse.stories import stories_missing

    assert not stories_missing(con)  # an empty warehouse has nothing to build
    load_batch(con, article(1, "2024-01-10", no_appointment()))
    assert stories_missing(con)
    refresh_stories(con)
    assert not stories_missing(con)


def test_a_re_extraction_that_words_the_post_differently_keeps_the_story_id(con):
    (before,) = load(con, article(1, "2024-01-10", no_appointment("chief exec")))
    (after,) = load(con, article(1, "2024-01-10", no_appointment("Chief Executive Officer")))  # new event id
    assert after[0] == before[0] and after[2] == "chief executive"
