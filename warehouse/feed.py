"""The alert feed: every NO_APPOINTMENT event as an entry, in Atom (feedgen) or JSON Feed
1.1. Entry ids come from the event id, so a feed reader never sees the same failed
recruitment twice; an entry's `updated` time moves only when its article is re-extracted.

An entry links to its article only when the article's url is a web address (http or
https, with a host). Archives and saved pages can carry other urls (``archive://``,
``file://``), and a feed reader renders whatever is in ``<link href>`` as a link, so
``javascript:`` or ``file:`` must never get there, whatever the loader let in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from urllib.parse import urlsplit

import duckdb
from feedgen.feed import FeedGenerator

from .rows import org_id

FEED_ID = "urn:postwatch:alerts:no-appointment"
TITLE = "postwatch: failed NHS senior recruitments"
SUBTITLE = "NO_APPOINTMENT events found in health-service leadership news"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Alert:
    event_id: str
    post: str | None
    organisation: str | None
    sentence: str
    url: str
    article_title: str | None
    published: datetime
    updated: datetime

    @property
    def entry_id(self) -> str:
        return f"urn:postwatch:event:{self.event_id}"

    @property
    def title(self) -> str:
        return f"No appointment: {self.post or 'a senior post'}" + (f" at {self.organisation}" if self.organisation else "")

    @property
    def link(self) -> str | None:
        """The article's url if a reader may follow it, else None (the entry has no link)."""
        return web_link(self.url)

    @property
    def tags(self) -> list[str]:
        return [term for term in (self.post, self.organisation) if term]


def alerts(con: duckdb.DuckDBPyConnection, *, org: str | None = None, since: date | None = None) -> list[Alert]:
    """Newest first. *org* matches the organisation by alias-aware id or by part of its
    name ("Kestrel" finds "Kestrel Coast ICB"; the text is literal, so "%" finds only a
    "%"); *since* keeps articles published (or, if
    undated, first seen) on or after that day."""
    rows = con.execute("""
        SELECT event_id, post, organisation, sentence, url, title, published, first_seen, extracted_at
        FROM no_appointment_alerts
        WHERE ($org IS NULL OR org_id = $org_id OR contains(lower(organisation), lower($org)))
          AND ($since IS NULL OR coalesce(published, CAST(first_seen AS DATE)) >= $since)
        ORDER BY coalesce(published, CAST(first_seen AS DATE)) DESC, event_id
    """, {"org": org, "org_id": org_id(org), "since": since}).fetchall()
    return [Alert(event_id, post, organisation, sentence, url, title,
                  published=_moment(published, first_seen), updated=feed_time(extracted_at or first_seen))
            for event_id, post, organisation, sentence, url, title, published, first_seen, extracted_at in rows]


def web_link(url: str | None) -> str | None:
    """*url* when it is an http(s) address with a host, else None."""
    try:
        parts = urlsplit(url or "")
        host = parts.hostname
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


def last_updated(items: list[Alert]) -> datetime:
    return max((a.updated for a in items), default=EPOCH)


def alerts_feed(con: duckdb.DuckDBPyConnection, *, self_url: str | None = None, org: str | None = None,
                since: date | None = None, fmt: str = "atom") -> bytes:
    """The feed document, *fmt* "atom" or "json"."""
    render = {"atom": render_atom, "json": render_json}[fmt]
    return render(alerts(con, org=org, since=since), self_url=self_url)


def render_atom(items: list[Alert], *, self_url: str | None = None) -> bytes:
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title(TITLE)
    fg.subtitle(SUBTITLE)
    fg.author({"name": "postwatch"})
    fg.link(href=self_url or FEED_ID, rel="self")
    fg.language("en")
    for alert in reversed(items):  # feedgen puts the last added entry first
        entry = fg.add_entry()
        entry.id(alert.entry_id)
        entry.title(alert.title)
        if alert.link:
            entry.link(href=alert.link)
        entry.summary(alert.sentence)
        entry.published(alert.published)
        entry.updated(alert.updated)
        for term in alert.tags:
            entry.category(term=term)
        if alert.article_title:
            entry.content(f"From the article “{alert.article_title}”: {alert.sentence}", type="text")
    fg.updated(last_updated(items))
    return fg.atom_str(pretty=True)


def render_json(items: list[Alert], *, self_url: str | None = None) -> bytes:
    """The same entries as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": TITLE,
        "description": SUBTITLE,
        "authors": [{"name": "postwatch"}],
        "language": "en",
        "items": [{
            "id": alert.entry_id,
            **({"url": alert.link} if alert.link else {}),
            "title": alert.title,
            "content_text": alert.sentence,
            "summary": alert.sentence,
            "date_published": alert.published.isoformat(),
            "date_modified": alert.updated.isoformat(),
            "tags": alert.tags,
        } for alert in items],
    }
    if self_url:
        document["feed_url"] = self_url
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _moment(published: date | None, first_seen: datetime) -> datetime:
    """When the event became news: the article's publication day, else when first seen."""
    return day_start(published) or feed_time(first_seen)


def day_start(day: date | None) -> datetime | None:
    """A date as the feed's moment for it: midnight UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc) if day else None


def feed_time(moment: datetime | None) -> datetime:
    """A warehouse timestamp (naive UTC) as feeds and HTTP dates carry it: aware, whole
    seconds; none at all is the epoch."""
    return moment.replace(tzinfo=timezone.utc, microsecond=0) if moment else EPOCH
