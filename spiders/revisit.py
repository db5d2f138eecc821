"""When a crawl fetches an article it already holds: the revisit policy.

A newsroom crawler runs every hour for years. Fetching the whole archive every run is
impolite and grows without bound, and most sites send no validators to make a re-fetch
cheap. So the entry points (home, listings, feeds, sitemaps) are fetched every run,
new article URLs are fetched, and a known article is fetched again only when there is
a reason:

* ``lastmod``: its sitemap ``<lastmod>`` is newer than our last fetch;
* ``updated``: its feed entry's ``<updated>`` is newer than our last fetch;
* ``scheduled``: it is due on a decaying schedule (``POSTWATCH_REVISIT_AFTER``, by
  default 1 hour, 1 day and 7 days after it first appeared, then never unless a
  signal says it changed), because stories are corrected and updated mostly while
  they are young;
* ``recheck``: the user asked for a full pass (``--recheck all``).

A new article is fetched with reason ``new``; a start URL always with ``start``.
"When it first appeared" is the earlier of its published day and when we first saw
it, so an archive met for the first time is not re-fetched three times over.
The reason and the next due time travel with the item into ``articles.fetch_reason``
and ``articles.next_due`` (warehouse/crawl_state.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from spiders.urls import canonicalize

DEFAULT_SCHEDULE = "1h,1d,7d"
UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
STEP = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
RECHECK_CHOICES = ("all",)
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of ours a site's clock may be


@dataclass(frozen=True)
class KnownArticle:
    """What the warehouse holds about an article, as far as revisiting goes (UTC times)."""

    fetched_at: datetime | None
    first_seen: datetime | None
    next_due: datetime | None
    published: str | None = None  # "YYYY-MM-DD" as stored


def parse_schedule(text: str) -> tuple[timedelta, ...]:
    """``"1h,1d,7d"`` -> the revisit points after an article first appeared; ``""`` or
    ``"never"`` -> none. Raises ValueError naming the bad step."""
    if text.strip().lower() in ("", "never"):
        return ()
    steps = []
    for part in text.split(","):
        match = STEP.match(part)
        if not match:
            raise ValueError(f"revisit schedule step {part.strip()!r} is not like 30m, 1h, 1d or 2w; "
                             f"set POSTWATCH_REVISIT_AFTER like {DEFAULT_SCHEDULE!r}")
        steps.append(int(match.group(1)) * UNITS[match.group(2)])
    return tuple(sorted(steps))


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time or date (sitemaps, Atom, the warehouse) or an RFC 822 date (RSS),
    as aware UTC; a value without a zone is taken as UTC. None when unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def read_known_articles(path: Path | str) -> dict[str, KnownArticle]:
    """``{canonical url: KnownArticle}`` from the known-articles JSONL file the
    warehouse exports (warehouse.crawl_state.export_known)."""
    known: dict[str, KnownArticle] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record.get("url"):
                    known[canonicalize(record["url"])] = KnownArticle(
                        parse_time(record.get("fetched_at")), parse_time(record.get("first_seen")),
                        parse_time(record.get("next_due")), record.get("published"))
    return known


class RevisitPolicy:
    """Decides, URL by URL, whether this run fetches an article and why."""

    def __init__(self, known: dict[str, KnownArticle], schedule: tuple[timedelta, ...], *,
                 recheck_all: bool = False, now: datetime | None = None) -> None:
        self.known, self.schedule, self.recheck_all = known, schedule, recheck_all
        self.now = now or datetime.now(timezone.utc)

    def reason_to_fetch(self, url: str, changed_at: datetime | None = None, signal: str = "lastmod") -> str | None:
        """Why *url* is fetched this run, or None to leave it alone. *changed_at* is
        when a sitemap or feed says the page last changed (its *signal*)."""
        stored = self.known.get(url)
        if stored is None:
            return "new"
        if self.recheck_all:
            return "recheck"
        credible = changed_at is not None and changed_at <= self.now + CLOCK_SKEW  # a future lastmod is no signal
        if credible and (stored.fetched_at is None or changed_at > stored.fetched_at):
            return signal
        if stored.next_due is not None and stored.next_due <= self.now:
            return "scheduled"
        return None

    def next_due(self, url: str, published: str | None) -> datetime | None:
        """The first revisit point after now, counted from when the article first
        appeared (*published*, else the stored published day, or when first seen);
        None when every point has passed (only a signal brings it back)."""
        stored = self.known.get(url)
        first = stored.first_seen if stored is not None and stored.first_seen else self.now
        published = published or (stored.published if stored is not None else None)
        day = parse_time(published[:10]) if published else None
        anchor = min(first, day) if day is not None else first
        for step in self.schedule:
            if anchor + step > self.now:
                return anchor + step
        return None
