"""Turns one extracted article into warehouse rows, with ids that stay the same on re-runs."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from .identity import article_id, org_id, person_id, stable_id  # callers take ids from here too

TABLES = ("people", "organisations", "mentions", "posts", "salaries", "events")


def article_row(item: dict, *, now: datetime | None = None) -> dict:
    now = now or naive_utc()
    return {
        "article_id": article_id(item["url"]),
        "url": item["url"],
        "title": item.get("title"),
        "published": as_date(item.get("published")),
        "source": item.get("source"),
        "text": item["text"],
        "content_hash": item.get("content_hash"),
        "etag": item.get("etag"),
        "last_modified": item.get("last_modified"),
        "fetched_at": as_timestamp(item.get("fetched_at")) or now,
        "first_seen": now,
        "last_seen": now,
        "extracted_at": now,
    }


def extraction_rows(item: dict, doc: Any) -> dict[str, list[dict]]:
    """Rows for one article from what the extractors left on *doc*, read by attribute only
    (``doc._.people`` and its siblings, spans with ``start_char``/``text``), so that the
    warehouse needs no spaCy and any object of that shape will do."""
    aid = article_id(item["url"])
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    for entity in doc._.people or []:
        rows["people"].append({"person_id": person_id(entity.name), "name": entity.name})
        rows["mentions"] += [_mention(aid, "PERSON", person_id(entity.name), m) for m in entity.mentions]
    for entity in doc._.organisations or []:
        rows["organisations"].append({"org_id": org_id(entity.name), "name": entity.name})
        rows["mentions"] += [_mention(aid, "ORG", org_id(entity.name), m) for m in entity.mentions]
    for post in doc._.posts or []:
        if post.plural:
            continue
        rows["posts"].append({
            "article_id": aid, "title": post.title, "organisation": post.organisation, "person": post.person,
            "org_id": org_id(post.organisation), "person_id": person_id(post.person), "interim": post.interim, "sentence": post.sentence.text.strip(),
            "start_char": post.span.start_char, "end_char": post.span.end_char,
        })
    for salary in doc._.salaries or []:
        rows["salaries"].append({
            "article_id": aid, "post": salary.post, "amount_gbp": salary.amount_gbp,
            "amount_gbp_max": salary.amount_gbp_max, "sentence": salary.sentence.text.strip(),
            "start_char": salary.span.start_char, "end_char": salary.span.end_char,
        })
    for event in doc._.events or []:
        rows["events"].append({
            "event_id": stable_id("event", item["url"], event.type, event.post, event.person),
            "article_id": aid, "event_type": event.type, "post": event.post, "organisation": event.organisation,
            "person": event.person, "org_id": org_id(event.organisation), "person_id": person_id(event.person),
            "interim": event.interim, "event_date": event.date,
            "sentence": event.sentence.text.strip(), "start_char": event.cue.start_char, "end_char": event.cue.end_char,
        })
    return rows


def _mention(aid: str, kind: str, entity_id: str, span) -> dict:
    return {"article_id": aid, "entity_type": kind, "entity_id": entity_id,
            "start_char": span.start_char, "end_char": span.end_char, "text": span.text}


def as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return naive_utc(parsed)


def naive_utc(when: datetime | None = None) -> datetime:
    """*when* (default: now) as naive UTC, the form every warehouse TIMESTAMP holds; a naive
    *when* is taken to be UTC already. DuckDB would otherwise store an aware time in the
    session's zone."""
    when = when or datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when
