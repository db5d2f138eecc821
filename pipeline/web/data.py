"""The queries behind the pages: stories with their evidence, events, vacancies with pay.
Organisation filters match literally (part of the name, any case, or the alias-resolved
id); no user text is ever spliced into SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from warehouse.evidence import Evidence, evidence_for
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
        return self.url.startswith(("http://", "https://"))


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
            limit: int = 50, org_id: str | None = None) -> tuple[list[Story], int]:
    """Stories of these statuses, newest event first, with each article's evidence; and how
    many there are in all."""
    where = f"""status IN (SELECT unnest($statuses)) AND {ORG_MATCH.format(alias='s')}
                AND ($since IS NULL OR s.last_event >= $since) AND ($exact IS NULL OR s.org_id = $exact)"""
    values = {**params(org, since), "statuses": statuses, "exact": org_id}
    (total,) = con.execute(f"SELECT count(*) FROM stories s WHERE {where}", values).fetchone()
    rows = con.execute(f"""
        SELECT story_id, org_id, organisation, post, status, opened, last_event, articles FROM stories s
        WHERE {where} ORDER BY last_event DESC NULLS LAST, updated DESC, story_id LIMIT {int(limit)}
    """, values).fetchall()
    found = {r[0]: Story(*r) for r in rows}
    if found:
        by_article: dict[tuple[str, str], StoryArticle] = {}
        for ev in evidence_for(con, "e.story_id IN (SELECT unnest($ids))", {"ids": list(found)},
                               order="e.story_id, happened NULLS LAST, a.first_seen, e.start_char"):
            key = (ev.story_id, ev.url)
            if key not in by_article:
                by_article[key] = StoryArticle(ev.url, ev.article_title, ev.happened)
                found[ev.story_id].articles.append(by_article[key])
            by_article[key].evidence.append(ev)
    return list(found.values()), total


def events(con: duckdb.DuckDBPyConnection, event_type: str, *, org: str | None = None, since: date | None = None,
           limit: int = 30) -> list[Evidence]:
    return evidence_for(con, f"""e.event_type = $type AND {ORG_MATCH.format(alias='e')}
                                 AND ($since IS NULL OR coalesce(e.event_date, a.published) >= $since)""",
                        {**params(org, since), "type": event_type}, limit=limit)


@dataclass
class Vacancy:
    evidence: Evidence
    lowest_gbp: int | None
    highest_gbp: int | None


def open_vacancies(con: duckdb.DuckDBPyConnection, *, org: str | None = None, since: date | None = None,
                   limit: int = 50) -> list[Vacancy]:
    """The `open_vacancies` view's rows as events, with the pay their article gives for the post."""
    rows = con.execute(f"""
        SELECT e.event_id, p.lowest, p.highest
        FROM events e JOIN articles a USING (article_id)
        LEFT JOIN (SELECT article_id, lower(post) AS post, min(amount_gbp) AS lowest,
                          max(coalesce(amount_gbp_max, amount_gbp)) AS highest
                   FROM salaries WHERE post IS NOT NULL GROUP BY ALL) p
               ON p.article_id = e.article_id AND p.post = lower(e.post)
        WHERE e.event_type = 'VACANCY' AND {ORG_MATCH.format(alias='e')}
          AND ($since IS NULL OR a.published >= $since)
          AND EXISTS (SELECT 1 FROM open_vacancies v
                      WHERE v.url = a.url AND v.sentence = e.sentence AND v.post = e.post)
        ORDER BY a.published DESC NULLS LAST, e.event_id LIMIT {int(limit)}
    """, params(org, since)).fetchall()
    if not rows:
        return []
    pay = {event_id: (lowest, highest) for event_id, lowest, highest in rows}
    found = {ev.event_id: ev for ev in evidence_for(con, "e.event_id IN (SELECT unnest($ids))", {"ids": list(pay)})}
    return [Vacancy(found[i], *pay[i]) for i, *_ in rows if i in found]


def pay_by_post(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict]:
    """The posts most often mentioned with pay, lowest to highest: the chart's data."""
    rows = con.execute(f"""
        SELECT post, mentions, lowest_gbp, highest_gbp FROM salaries_by_post
        ORDER BY mentions DESC, highest_gbp DESC, post LIMIT {int(limit)}
    """).fetchall()
    return [{"post": post, "mentions": mentions, "lowest": lowest, "highest": highest}
            for post, mentions, lowest, highest in rows]
