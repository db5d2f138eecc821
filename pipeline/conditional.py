"""Conditional GET for the servers postwatch runs: the feed server and the demo site.

Both answer a client that sends back the validators it was given with 304 and no body,
and both must read the request headers the same way, so the rule lives here once.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str,
                 modified: datetime) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since counts only without it.

    HTTP dates have whole seconds, so ``modified`` is compared without its microseconds (a
    client sending back the Last-Modified it was given must get 304); an unparseable or
    zone-less date is ignored, as the RFC says.
    """
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified.replace(microsecond=0) <= since
    return False
