"""The queries behind the pages: stories with their evidence, events, vacancies with pay.
Organisation filters match literally (part of the name, any case, or the alias-resolved
id); no user text is ever spliced into SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from warehouse.evidence import Evidence, evidence_for
from warehouse.feed import web_link
from warehouse.rows import org_id as resolve_org

ORG_MATCH = "($org IS NULL OR {alias}.org_id = $org_id OR contains(lower({alias}.organisation), lower($org)))"


@dataclass
class StoryArticle:
    url: str
    title: str | None
    published: date | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def linkable(self) -> bool:
        return web_link(self.url) is not None


@dataclass
class Story:
    story_id: str
    org_id: str
    organisation: str
    post: str
    status: str
    opened: date | None
    last_event: date | None
    article_count: int
    articles: list[StoryArticle] = field(default_factory=list)

    def open_for(self, today: date | None = None) -> str:
        """How long since the story opened, in words a reader takes in at a glance."""
        if self.opened is None:
            return "undated"
        days = ((today or date.today()) - self.opened).days
        if days < 61:
            return f"{days} day{'s' if days != 1 else ''}"
        if days < 730:
            return f"{days // 30} months"
        return f"{days // 365} years"


def params(org: str | None, since: date | None = None) -> dict:
    return {"org": org, "org_id": resolve_org(org), "since": since}


def stories(con: duckdb.DuckDBPyConnection, statuses: list[str], *, org: str | None = None, since: date | None = None,
            limit: int = 50, org_id: str | None = None) -> dict[str, tuple[list[Story], int]]:
    """For each status, its newest *limit* stories (newest event first) with each article's
    evidence, and how many there are in all. Two queries whatever the number of statuses."""
    rows = con.execute(f"""
        SELECT story_id, org_id, organisation, post, status, opened, last_event, articles,
               count(*) OVER (PARTITION BY status) AS total
        FROM stories s
        WHERE status IN (SELECT unnest($statuses)) AND {ORG_MATCH.format(alias='s')}
          AND ($since IS NULL OR s.last_event >= $since) AND ($exact IS NULL OR s.org_id = $exact)
        QUALIFY row_number() OVER (PARTITION BY status ORDER BY last_event DESC NULLS LAST, updated DESC, story_id)
                <= {int(limit)}
        ORDER BY last_event DESC NULLS LAST, updated DESC, story_id
    """, {**params(org, since), "statuses": statuses, "exact": org_id}).fetchall()
    found = {r[0]: Story(*r[:-1]) for r in rows}
    if found:
        by_article: dict[tuple[str, str], StoryArticle] = {}
        for ev in evidence_for(con, "list_contains($ids, e.story_id)", {"ids": list(found)},
                               order="e.story_id, happened NULLS LAST, a.first_seen, e.start_char"):
            key = (ev.story_id, ev.url)
            if key not in by_article:
                by_article[key] = StoryArticle(ev.url, ev.article_title, ev.happened)
                found[ev.story_id].articles.append(by_article[key])
            by_article[key].evidence.append(ev)
    totals = {r[4]: r[-1] for r in rows}
    return {status: ([s for s in found.values() if s.status == status], totals.get(status, 0)) for status in statuses}


def events(con: duckdb.DuckDBPyConnection, event_types: list[str], *, org: str | None = None,
           since: date | None = None, limit: int = 30) -> dict[str, list[Evidence]]:
    """The newest *limit* events of each type: one top-N query a type, which DuckDB answers
    several times faster than a window over every event of all the types at once."""
    return {kind: evidence_for(con, f"""e.event_type = $type AND {ORG_MATCH.format(alias='e')}
                                        AND ($since IS NULL OR coalesce(e.event_date, a.published) >= $since)""",
                               {**params(org, since), "type": kind}, limit=limit)
            for kind in event_types}


@dataclass
class Vacancy:
    evidence: Evidence
    lowest_gbp: int | None
    highest_gbp: int | None


def open_vacancies(con: duckdb.DuckDBPyConnection, *, org: str | None = None, since: date | None = None,
                   limit: int = 50) -> list[Vacancy]:
    """The rows of the `open_vacancies` view (a VACANCY with no APPOINTMENT to the same post
    and organisation published on or after it) as events, with the pay their article gives
    for the post. The view asks that per vacancy; here the latest appointment per post and
    organisation is found once, which keeps the page fast on a large warehouse."""
    rows = con.execute(f"""
        WITH latest AS (
            SELECT lower(p.post) AS post, coalesce(p.org_id, '') AS org,
                   max(coalesce(pa.published, DATE '1900-01-01')) AS day
            FROM events p JOIN articles pa USING (article_id)
            WHERE p.event_type = 'APPOINTMENT' GROUP BY ALL
        ), pay AS (
            SELECT article_id, lower(post) AS post, min(amount_gbp) AS lowest,
                   max(coalesce(amount_gbp_max, amount_gbp)) AS highest
            FROM salaries WHERE post IS NOT NULL GROUP BY ALL
        )
        SELECT e.event_id, pay.lowest, pay.highest
        FROM events e JOIN articles a USING (article_id)
        LEFT JOIN latest l ON l.post = lower(e.post) AND l.org = coalesce(e.org_id, '')
        LEFT JOIN pay ON pay.article_id = e.article_id AND pay.post = lower(e.post)
        WHERE e.event_type = 'VACANCY' AND e.post IS NOT NULL AND {ORG_MATCH.format(alias='e')}
          AND ($since IS NULL OR a.published >= $since)
          AND (l.day IS NULL OR l.day < coalesce(a.published, DATE '1900-01-01'))
        ORDER BY a.published DESC NULLS LAST, e.event_id LIMIT {int(limit)}
    """, params(org, since)).fetchall()
    if not rows:
        return []
    pay = {event_id: (lowest, highest) for event_id, lowest, highest in rows}
    found = {ev.event_id: ev for ev in evidence_for(con, "list_contains($ids, e.event_id)", {"ids": list(pay)})}
    return [Vacancy(found[i], *pay[i]) for i, *_ in rows if i in found]


def pay_by_post(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict]:
    """The posts most often mentioned with pay, lowest to highest: the chart's data."""
    rows = con.execute(f"""
        SELECT post, mentions, lowest_gbp, highest_gbp FROM salaries_by_post
        ORDER BY mentions DESC, highest_gbp DESC, post LIMIT {int(limit)}
    """).fetchall()
    return [{"post": post, "mentions": mentions, "lowest": lowest, "highest": highest}
            for post, mentions, lowest, highest in rows]
