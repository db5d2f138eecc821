"""Turns one extracted article into warehouse rows, with ids that stay the same on re-runs."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from functools import lru_cache

from spacy.tokens import Doc

from extractors.lexicon import read_csv
from extractors.scoring import normalise

TABLES = ("people", "organisations", "mentions", "posts", "salaries", "events")


def stable_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def article_id(url: str) -> str:
    return stable_id("article", url)


def person_id(name: str | None) -> str | None:
    """The same id for "Dr Jane Roe" in one article and "Jane Roe" in another."""
    return stable_id("person", normalise(name, person=True)) if name else None


def org_id(name: str | None) -> str | None:
    """The same id for an organisation under any alias in the gazetteer (organisations.csv)."""
    return stable_id("org", _org_aliases().get(normalise(name), normalise(name))) if name else None


@lru_cache(maxsize=1)
def _org_aliases() -> dict[str, str]:
    return {normalise(row["alias"]): normalise(row["name"]) for row in read_csv("organisations.csv") if row["alias"].strip()}


def article_row(item: dict, *, now: datetime | None = None) -> dict:
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
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


def extraction_rows(item: dict, doc: Doc) -> dict[str, list[dict]]:
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
            "interim": event.interim, "event_date": event.date, "in_scope": event.in_scope,
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
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed
