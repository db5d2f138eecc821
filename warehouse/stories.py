"""Recruitment stories: every event about one post at one organisation, over weeks or
months, told as one story.

A failed search for a chief executive is reported by several articles (the failed round,
the re-advert, the interim kept on, the appointment), and each article's events are rows
of their own. A story groups them: same organisation (resolved ``org_id``), same post
(normalised: "chief exec", "CEO" and "Chief Executive Officer" are "chief executive", and
"interim" or "acting" do not make another post; the words are in ``data/*.csv``), each
event within the window (``POSTWATCH_STORY_WINDOW_MONTHS``, default 12) of the one before.
A substantive appointment ends a story: a vacancy after it starts the next one. An event
whose sentence names no organisation (common: "no appointment was made" in the fourth
paragraph) is taken to be about the organisation its article names most.

Status, from the story's events in order:

* ``filled``: its last substantive (not interim) APPOINTMENT comes after every VACANCY,
  DEPARTURE and NO_APPOINTMENT, or it holds only appointments;
* ``failed``: a NO_APPOINTMENT and no substantive appointment since (an interim keeps it
  failed: the post is still not filled);
* ``open``: a vacancy or departure, neither filled nor failed, with its last event within the
  window of the newest event in the warehouse (the newest news, not today's date, so a
  warehouse of old articles reads the same next year);
* ``closed``: the same, but nothing new for longer than the window.

Ids stay put. ``story_events`` remembers each event's story by event id (event ids survive
re-extraction). When stories are rebuilt, an old story id goes to the new story holding
most of its old events, so an edited article that joins two stories keeps the older id
and one that splits a story keeps the id on the larger part; a story with no old id gets
one derived from its organisation, post and first article, which a re-run derives again.

Everything is a handful of set-based SQL statements over the whole warehouse, run after
each load in the writer's transaction.
"""

from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

DATA_DIR = Path(__file__).parent / "data"
WINDOW_SETTING = "POSTWATCH_STORY_WINDOW_MONTHS"
DEFAULT_WINDOW_MONTHS = 12


def window_months() -> int:
    """The story window, a setting; a bad value is a one-line error naming the setting."""
    raw = os.environ.get(WINDOW_SETTING, "").strip()
    if not raw:
        return DEFAULT_WINDOW_MONTHS
    if not raw.isdigit() or int(raw) < 1:
        from .db import WarehouseError

        raise WarehouseError(f"{WINDOW_SETTING}={raw!r} is not a number of months; set it to a whole number such as 12")
    return int(raw)


@lru_cache(maxsize=1)
def _post_names() -> tuple[pa.Table, str]:
    """The synonyms as an Arrow table, and the qualifier words as one regular expression."""
    with open(DATA_DIR / "post_synonyms.csv", newline="", encoding="utf-8") as handle:
        synonyms = [{"variant": r["variant"].strip().lower(), "post": r["post"].strip().lower()} for r in csv.DictReader(handle)]
    with open(DATA_DIR / "post_qualifiers.csv", newline="", encoding="utf-8") as handle:
        words = [r["word"].strip().lower() for r in csv.DictReader(handle) if r["word"].strip()]
    table = pa.Table.from_pylist(synonyms, schema=pa.schema([("variant", pa.string()), ("post", pa.string())]))
    return table, r"^((" + "|".join(re.escape(w) for w in words) + r")\s+)+"


def normalise_post_sql(column: str) -> str:
    """SQL for the normalised post of *column*, before synonyms: lower case, single spaces,
    no trailing punctuation, no leading qualifier ("interim", "acting")."""
    return (f"regexp_replace(trim(regexp_replace(regexp_replace(lower({column}), '\\s+', ' ', 'g'), "
            f"'[.,;:]+$', '')), $qualifiers, '')")


def stories_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """Events but no stories: a warehouse from before stories, whose next run must build them
    even when no article changed (a run that changed nothing otherwise leaves stories be)."""
    return con.execute("SELECT NOT EXISTS (SELECT 1 FROM stories) AND EXISTS (SELECT 1 FROM events)").fetchall()[0][0]


def refresh_stories(con: duckdb.DuckDBPyConnection, *, months: int | None = None) -> int:
    """Rebuilds `stories`, `story_events` and `events.story_id` from the events; returns the
    number of stories. Runs in one transaction: readers see the old stories or the new."""
    months = window_months() if months is None else months
    synonyms, qualifiers = _post_names()
    con.register("story_post_synonyms", synonyms)
    con.execute("BEGIN TRANSACTION")
    try:
        _build(con, months, qualifiers)
        count = con.execute("SELECT count(*) FROM stories").fetchall()[0][0]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("story_post_synonyms")
        con.execute("DROP TABLE IF EXISTS temp.story_members")
    return count


def _build(con: duckdb.DuckDBPyConnection, months: int, qualifiers: str) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE story_members AS
        WITH subject AS (  -- the organisation an article names most: an event that names none is about it
            SELECT article_id, arg_min(entity_id, rank) AS org_id FROM (
                SELECT article_id, entity_id, row_number() OVER (PARTITION BY article_id
                           ORDER BY count(*) DESC, min(start_char), entity_id) AS rank
                FROM mentions WHERE entity_type = 'ORG' GROUP BY article_id, entity_id)
            GROUP BY article_id
        ), input AS (
            SELECT e.event_id, e.event_type, coalesce(e.interim, false) AS interim,
                   coalesce(e.org_id, subject.org_id) AS org_id, e.article_id,
                   coalesce(s.post, n.post_key) AS post_key,
                   coalesce(e.event_date, a.published, CAST(a.first_seen AS DATE)) AS happened,
                   a.first_seen,
                   -- on one day, an appointment comes after the vacancy or failure it ends
                   CASE e.event_type WHEN 'APPOINTMENT' THEN 1 ELSE 0 END AS type_order
            FROM (SELECT DISTINCT ON (event_id) * FROM events WHERE post IS NOT NULL AND coalesce(in_scope, TRUE)) e
            JOIN articles a USING (article_id)
            LEFT JOIN subject USING (article_id)
            CROSS JOIN LATERAL (SELECT {normalise_post_sql('e.post')} AS post_key) n
            LEFT JOIN story_post_synonyms s ON s.variant = n.post_key
            WHERE n.post_key <> '' AND coalesce(e.org_id, subject.org_id) IS NOT NULL
        ), ordered AS (
            SELECT *, lag(happened) OVER w AS prev_happened, lag(event_type) OVER w AS prev_type,
                   lag(interim) OVER w AS prev_interim
            FROM input WINDOW w AS (PARTITION BY org_id, post_key ORDER BY happened, type_order, event_id)
        ), breaks AS (
            SELECT *, CASE
                WHEN prev_happened IS NULL THEN 1
                WHEN happened > prev_happened + INTERVAL ({int(months)}) MONTH THEN 1
                WHEN prev_type = 'APPOINTMENT' AND NOT prev_interim AND event_type <> 'APPOINTMENT'
                     AND happened > prev_happened THEN 1
                ELSE 0 END AS starts
            FROM ordered
        )
        SELECT *, sum(starts) OVER (PARTITION BY org_id, post_key ORDER BY happened, type_order, event_id
                                    ROWS UNBOUNDED PRECEDING) AS seq,
               row_number() OVER (PARTITION BY org_id, post_key ORDER BY happened, type_order, event_id) AS pos
        FROM breaks
    """, {"qualifiers": qualifiers})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE story_clusters AS
        WITH firsts AS (
            SELECT org_id, post_key, seq, arg_min(event_id, pos) AS first_event_id,
                   arg_min(article_id, pos) AS first_article_id, min(pos) AS first_pos
            FROM story_members GROUP BY ALL
        ), votes AS (
            SELECT m.org_id, m.post_key, m.seq, o.story_id, count(*) AS n
            FROM story_members m JOIN story_events o USING (event_id) GROUP BY ALL
        ), won AS (  -- an old id goes to the new story holding most of its old events
            SELECT v.*, f.first_pos,
                   row_number() OVER (PARTITION BY v.story_id ORDER BY v.n DESC, f.first_pos, v.org_id, v.post_key) AS r
            FROM votes v JOIN firsts f USING (org_id, post_key, seq)
        ), kept AS (
            SELECT org_id, post_key, seq, story_id,
                   row_number() OVER (PARTITION BY org_id, post_key, seq ORDER BY n DESC, story_id) AS r
            FROM won WHERE r = 1
        ), named AS (
            SELECT f.*, k.story_id AS inherited,
                   -- the first article, not the first event: an article's id is its url, so it survives a
                   -- re-extraction that words an event differently
                   substr(md5(concat_ws(chr(31), 'story', f.org_id, f.post_key, f.first_article_id)), 1, 16) AS derived
            FROM firsts f LEFT JOIN kept k ON k.org_id = f.org_id AND k.post_key = f.post_key AND k.seq = f.seq AND k.r = 1
        )
        SELECT org_id, post_key, seq, CASE
            WHEN inherited IS NOT NULL THEN inherited
            -- the id this story would derive is held by the other half of a split story
            WHEN derived IN (SELECT inherited FROM named WHERE inherited IS NOT NULL)
                THEN substr(md5(concat_ws(chr(31), 'story-split', derived, first_event_id)), 1, 16)
            ELSE derived END AS story_id
        FROM named
    """)
    con.execute("DELETE FROM story_events")
    con.execute("""
        INSERT INTO story_events (event_id, story_id)
        SELECT m.event_id, c.story_id FROM story_members m JOIN story_clusters c USING (org_id, post_key, seq)
    """)
    con.execute("""
        UPDATE events SET story_id = se.story_id FROM story_events se
        WHERE events.event_id = se.event_id AND events.story_id IS DISTINCT FROM se.story_id
    """)
    con.execute("""
        UPDATE events SET story_id = NULL
        WHERE story_id IS NOT NULL AND event_id NOT IN (SELECT event_id FROM story_events)
    """)
    con.execute("DELETE FROM stories")
    con.execute(f"""
        INSERT INTO stories (story_id, org_id, organisation, post, opened, last_event, status, articles, events, updated)
        WITH per_story AS (
            SELECT c.story_id, m.org_id, m.post_key, min(m.happened) AS opened, max(m.happened) AS last_event,
                   count(DISTINCT m.article_id) AS articles, count(*) AS events, max(m.first_seen) AS updated,
                   max(m.pos) FILTER (WHERE m.event_type = 'APPOINTMENT' AND NOT m.interim) AS filled_at,
                   max(m.pos) FILTER (WHERE m.event_type <> 'APPOINTMENT') AS wanted_at,
                   max(m.pos) FILTER (WHERE m.event_type = 'NO_APPOINTMENT') AS failed_at
            FROM story_members m JOIN story_clusters c USING (org_id, post_key, seq)
            GROUP BY ALL
        ), newest AS (SELECT max(happened) AS day FROM story_members)
        SELECT p.story_id, p.org_id, coalesce(o.name, p.org_id), p.post_key, p.opened, p.last_event,
               CASE
                   WHEN p.filled_at IS NOT NULL AND (p.wanted_at IS NULL OR p.filled_at > p.wanted_at) THEN 'filled'
                   WHEN p.failed_at IS NOT NULL THEN 'failed'
                   WHEN p.last_event >= (SELECT day FROM newest) - INTERVAL ({int(months)}) MONTH THEN 'open'
                   ELSE 'closed' END,
               p.articles, p.events, p.updated
        FROM per_story p LEFT JOIN organisations o USING (org_id)
    """)
    con.execute("DROP TABLE IF EXISTS temp.story_clusters")
