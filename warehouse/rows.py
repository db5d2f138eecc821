"""Turns one extracted article into warehouse rows, with ids that stay the same on re-runs."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from .identity import article_id, org_id, person_id, stable_id  # callers take ids from here too


TABLES = ("people", "organisations", "mentions", "posts", "salaries", "events")
# The columns each table's rows carry, written by the loader (warehouse/load.py); a key a row
# leaves out is loaded as null. A column not listed is never written by a load: it is filled
# later (articles.next_due and fetch_reason by the crawl state, events.story_id by story
# grouping) or by its DEFAULT. The types are the table's own (warehouse/sql/*.sql).
COLUMNS = {
    "articles": ("article_id", "url", "title", "published", "source", "text", "content_hash", "fetched_at",
                 "first_seen", "last_seen", "extracted_at", "etag", "last_modified"),
    "people": ("person_id", "name"),
    "organisations": ("org_id", "name"),
    "mentions": ("article_id", "entity_type", "entity_id", "start_char", "end_char", "text"),
    "posts": ("article_id", "title", "organisation", "person", "interim", "sentence", "start_char", "end_char",
              "person_id", "org_id"),
    "salaries": ("article_id", "post", "amount_gbp", "amount_gbp_max", "sentence", "start_char", "end_char"),
    "events": ("event_id", "article_id", "event_type", "post", "organisation", "person", "interim", "event_date",
               "sentence", "start_char", "end_char", "person_id", "org_id", "in_scope", "cue", "sentence_start",
               "person_start", "person_end", "post_start", "post_end", "org_start", "org_end", "link_rule"),
    "crawl_errors": ("url", "kind", "status", "message", "time"),
    "quarantine": ("url", "article_id", "stage", "error", "time", "run_id"),
}


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
            "interim": event.interim, "event_date": event.date, "in_scope": event.in_scope,
            "sentence": event.sentence.text.strip(), "start_char": event.cue.start_char, "end_char": event.cue.end_char,
            **evidence_parts(doc, event),
        })
    return rows


def evidence_parts(doc: Any, event: Any) -> dict:
    """Where the cue, person, post and organisation sit in the event's sentence, and how each
    part was linked: named in the sentence itself, or carried from elsewhere in the article
    (a pronoun, an earlier sentence, the article's topic). `postwatch explain` and the page
    mark the sentence from these offsets, so they never re-run spaCy."""
    sentence = event.sentence
    text = sentence.text
    start = sentence.start_char + (len(text) - len(text.lstrip()))
    person = _part_in(sentence, event.person, doc._.people)
    post = _part_in(sentence, event.post, [p for p in (doc._.posts or []) if not p.plural], posts=True)
    org = _part_in(sentence, event.organisation, doc._.organisations)
    rules = [f"cue: '{event.cue.text}' matched a pattern for {event.type} in extractors/patterns/event_cues.jsonl"]
    for name, value, found in (("person", event.person, person), ("post", event.post, post),
                               ("organisation", event.organisation, org)):
        if value:
            rules.append(f"{name}: " + ("named in the sentence" if found else "not named in the sentence; "
                                        "linked from elsewhere in the article (an earlier mention, a pronoun "
                                        "or the article's subject)"))
    return {
        "cue": event.cue.text, "sentence_start": start,
        "person_start": person[0] if person else None, "person_end": person[1] if person else None,
        "post_start": post[0] if post else None, "post_end": post[1] if post else None,
        "org_start": org[0] if org else None, "org_end": org[1] if org else None,
        "link_rule": "; ".join(rules),
    }


def _part_in(sentence, value: str | None, found: list | None, *, posts: bool = False) -> tuple[int, int] | None:
    """The article offsets of *value* in *sentence*: a span the extractors found for it there,
    else its words as written in the sentence; None when the sentence does not name it."""
    if not value:
        return None
    lo, hi = sentence.start_char, sentence.end_char
    for item in found or []:
        if posts:
            if item.title.lower() == value.lower() and lo <= item.span.start_char and item.span.end_char <= hi:
                return item.span.start_char, item.span.end_char
            continue
        if item.name != value:
            continue
        for mention in item.mentions:
            if lo <= mention.start_char and mention.end_char <= hi:
                return mention.start_char, mention.end_char
    written = re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", sentence.text, re.IGNORECASE)
    return (lo + written.start(), lo + written.end()) if written else None


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
