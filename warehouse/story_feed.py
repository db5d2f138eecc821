"""The story feed: one entry per failed recruitment story, however many articles tell it.

The event feed (warehouse/feed.py, ``urn:postwatch:event:`` ids) gives every
NO_APPOINTMENT event an entry, so a search that fails, is re-advertised and fails again
reaches a subscriber three times. Here the story is the entry: id
``urn:postwatch:story:<story_id>``, ``updated`` when an article joins the story, and the
content lists each article with its date and evidence sentence. A failed story that is
later filled keeps its entry, which then says so: the reader sees one item change, not
a new one. Both feeds are served side by side (/alerts.* and /stories.*).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

import duckdb
from feedgen.feed import FeedGenerator

from .feed import EPOCH, day_start, feed_time, web_link
from .rows import org_id

FEED_ID = "urn:postwatch:stories:no-appointment"
TITLE = "postwatch: failed NHS senior recruitments, one entry per story"
SUBTITLE = "Recruitment stories with a NO_APPOINTMENT event, each with every article that reports it"
MAX_ENTRIES = 200  # the stories with the newest news; a reader keeps the entries that drop off


@dataclass(frozen=True)
class StoryArticle:
    url: str
    title: str | None
    published: date | None
    sentence: str
    event_type: str
    person: str | None

    @property
    def linkable(self) -> bool:
        """Only web addresses become links: article urls are input, and a reader would follow them."""
        return web_link(self.url) is not None


@dataclass(frozen=True)
class StoryAlert:
    story_id: str
    organisation: str
    post: str
    status: str
    opened: date | None
    last_event: date | None
    updated: datetime
    articles: list[StoryArticle] = field(default_factory=list)

    @property
    def entry_id(self) -> str:
        return f"urn:postwatch:story:{self.story_id}"

    @property
    def filled_by(self) -> StoryArticle | None:
        """The substantive appointment that filled the post, when the story is filled."""
        if self.status != "filled":
            return None
        return next((a for a in reversed(self.articles) if a.event_type == "APPOINTMENT"), None)

    @property
    def title(self) -> str:
        where = f"{self.post} at {self.organisation}"
        if self.status == "filled":
            return f"Filled after a failed search: {where}"
        return f"No appointment: {where}"

    @property
    def link(self) -> str | None:
        return next((a.url for a in reversed(self.articles) if a.linkable), None)

    @property
    def published(self) -> datetime:
        return day_start(self.opened) or self.updated

    def text(self) -> str:
        lines = [self.title + f" ({len(self.articles)} article{'s' if len(self.articles) != 1 else ''})."]
        if (filled := self.filled_by) is not None:
            lines.append(f"Filled{': ' + filled.person if filled.person else ''} ({filled.published or 'undated'}).")
        lines += [f"{a.published or 'undated'} {a.url}: {a.sentence}" for a in self.articles]
        return "\n".join(lines)

    def html(self) -> str:
        """The content as HTML, every value escaped (article text and urls are untrusted)."""
        parts = []
        if (filled := self.filled_by) is not None:
            who = f" by {escape(filled.person)}" if filled.person else ""
            parts.append(f"<p><strong>Filled{who}</strong> ({escape(str(filled.published or 'undated'))}).</p>")
        items = []
        for a in self.articles:
            name = escape(a.title or a.url)
            link = f'<a href="{escape(a.url, quote=True)}">{name}</a>' if a.linkable else name
            items.append(f"<li>{link} ({escape(str(a.published or 'undated'))}): {escape(a.sentence)}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
        return "".join(parts)


def story_alerts(con: duckdb.DuckDBPyConnection, *, org: str | None = None,
                 since: date | None = None, limit: int = MAX_ENTRIES) -> list[StoryAlert]:
    """Stories that had a failed search (failed, or filled since), newest change first.
    *org* matches the alias-resolved id or part of the name, literally ("%" is a character);
    *since* keeps stories with an event on or after that day."""
    stories = con.execute("""
        SELECT s.story_id, s.organisation, s.post, s.status, s.opened, s.last_event, s.updated
        FROM stories s
        WHERE EXISTS (SELECT 1 FROM events e WHERE e.story_id = s.story_id AND e.event_type = 'NO_APPOINTMENT')
          AND ($org IS NULL OR s.org_id = $org_id OR contains(lower(s.organisation), lower($org)))
          AND ($since IS NULL OR s.last_event >= $since)
        ORDER BY s.updated DESC, s.last_event DESC NULLS LAST, s.story_id
        LIMIT $limit
    """, {"org": org, "org_id": org_id(org), "since": since, "limit": limit}).fetchall()
    if not stories:
        return []
    articles: dict[str, list[StoryArticle]] = {}
    for story_id, url, title, published, sentence, event_type, person in con.execute("""
        -- one line per article: its most telling event (a failure, then an appointment, then the rest)
        SELECT story_id, url, title, published, sentence, event_type, person FROM (
            SELECT e.story_id, a.url, a.title, coalesce(e.event_date, a.published) AS published, e.sentence,
                   e.event_type, e.person, a.first_seen,
                   row_number() OVER (PARTITION BY e.story_id, e.article_id ORDER BY
                       CASE e.event_type WHEN 'NO_APPOINTMENT' THEN 0 WHEN 'APPOINTMENT' THEN 1 ELSE 2 END,
                       e.start_char) AS n
            FROM events e JOIN articles a USING (article_id)
            WHERE e.story_id IN (SELECT unnest($ids)))
        WHERE n = 1 ORDER BY story_id, published NULLS LAST, first_seen, url
    """, {"ids": [row[0] for row in stories]}).fetchall():
        articles.setdefault(story_id, []).append(StoryArticle(url, title, published, sentence, event_type, person))
    return [StoryAlert(story_id, organisation, post, status, opened, last_event, feed_time(updated),
                       articles.get(story_id, []))
            for story_id, organisation, post, status, opened, last_event, updated in stories]


def last_updated(items: list[StoryAlert]) -> datetime:
    return max((s.updated for s in items), default=EPOCH)


def stories_feed(con: duckdb.DuckDBPyConnection, *, self_url: str | None = None, org: str | None = None,
                 since: date | None = None, fmt: str = "atom") -> bytes:
    """The story feed document, *fmt* "atom" or "json"."""
    return {"atom": render_atom, "json": render_json}[fmt](story_alerts(con, org=org, since=since), self_url=self_url)


def render_atom(items: list[StoryAlert], *, self_url: str | None = None) -> bytes:
    fg = FeedGenerator()
    for setting, value in (("id", FEED_ID), ("title", TITLE), ("subtitle", SUBTITLE),
                           ("author", {"name": "postwatch"}), ("language", "en")):
        getattr(fg, setting)(value)
    fg.link(href=self_url or FEED_ID, rel="self")
    for story in reversed(items):  # feedgen puts the last added entry first
        entry = fg.add_entry()
        for setting, value in (("id", story.entry_id), ("title", story.title), ("summary", story.text()),
                               ("published", story.published), ("updated", story.updated)):
            getattr(entry, setting)(value)
        entry.content(story.html(), type="html")
        if story.link:
            entry.link(href=story.link)
        for term in (story.post, story.organisation, story.status):
            entry.category(term=term)
    fg.updated(last_updated(items))
    return fg.atom_str(pretty=True)


def render_json(items: list[StoryAlert], *, self_url: str | None = None) -> bytes:
    """The same entries as JSON Feed 1.1; each item's ``_postwatch`` extension lists its articles."""
    document = {"version": "https://jsonfeed.org/version/1.1", "title": TITLE, "description": SUBTITLE,
                "authors": [{"name": "postwatch"}], "language": "en", "items": [_json_item(s) for s in items],
                **({"feed_url": self_url} if self_url else {})}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _json_item(story: StoryAlert) -> dict:
    articles = [{"url": a.url, "published": a.published.isoformat() if a.published else None, "sentence": a.sentence}
                for a in story.articles]
    return {"id": story.entry_id, **({"url": story.link} if story.link else {}), "title": story.title,
            "content_html": story.html(), "content_text": story.text(),
            "date_published": story.published.isoformat(), "date_modified": story.updated.isoformat(),
            "tags": [story.post, story.organisation, story.status],
            "_postwatch": {"status": story.status, "articles": articles}}

