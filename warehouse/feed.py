"""The alert feed: every NO_APPOINTMENT event as an Atom entry. Entry ids come from the
event id, so a feed reader never sees the same failed recruitment twice."""

from __future__ import annotations

from datetime import datetime, time, timezone

import duckdb
from feedgen.feed import FeedGenerator

FEED_ID = "urn:postwatch:alerts:no-appointment"


def alerts_feed(con: duckdb.DuckDBPyConnection, *, self_url: str | None = None) -> bytes:
    rows = con.execute("""
        SELECT event_id, post, organisation, person, sentence, url, title, published, first_seen
        FROM no_appointment_alerts
        ORDER BY coalesce(published, CAST(first_seen AS DATE)) DESC, event_id
    """).fetchall()
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title("postwatch: failed NHS senior recruitments")
    fg.subtitle("NO_APPOINTMENT events found in health-service leadership news")
    fg.author({"name": "postwatch"})
    fg.link(href=self_url or FEED_ID, rel="self")
    fg.language("en")
    newest = None
    for event_id, post, organisation, person, sentence, url, title, published, first_seen in reversed(rows):
        updated = _moment(published, first_seen)
        newest = max(newest, updated) if newest else updated
        entry = fg.add_entry()
        entry.id(f"urn:postwatch:event:{event_id}")
        entry.title(f"No appointment: {post or 'a senior post'}" + (f" at {organisation}" if organisation else ""))
        entry.link(href=url)
        entry.summary(sentence)
        entry.updated(updated)
        entry.published(updated)
        for term in (post, organisation):
            if term:
                entry.category(term=term)
        if title:
            entry.content(f"From the article “{title}”: {sentence}", type="text")
    fg.updated(newest or datetime(1970, 1, 1, tzinfo=timezone.utc))
    return fg.atom_str(pretty=True)


def _moment(published, first_seen) -> datetime:
    """A stable time for an entry: when the article was published, else when first seen."""
    if published is not None:
        return datetime.combine(published, time(0, 0), tzinfo=timezone.utc)
    return first_seen.replace(tzinfo=timezone.utc)
