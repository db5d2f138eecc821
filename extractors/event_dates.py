"""When an event happens: the DATE entity nearest its cue, read against the article's
publication date. The usual forms ("1 April", "January 2025") are read here; dateparser,
which is slow to import and to run, only gets the rest ("next month", "this week")."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache

from spacy.tokens import Span

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def event_date(cue: Span, published: date | None) -> date | None:
    dates = [e for e in cue.sent.ents if e.label_ == "DATE" and (
        any(c.isdigit() for c in e.text) or any(w in e.text.lower() for w in ("next", "this", *MONTHS)))]
    if not dates:
        return None
    ent = min(dates, key=lambda e: abs(e.start - cue.start))
    base = published or date.today()
    return plain_date(ent.text, base) or parsed_date(ent.text, base)


_DAY_MONTH_YEAR = re.compile(r"^(?:(?:the\s+)?(?:start|end|beginning|middle)\s+of\s+)?(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?"
                             r"(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?$")


def plain_date(text: str, base: date) -> date | None:
    """"1 April", "January 2025", "end of December": the usual forms without dateparser, which
    is slow. With no year, the reading nearest the published date wins."""
    m = _DAY_MONTH_YEAR.match(" ".join(text.lower().replace(",", " ").split()))
    if m is None:
        return None
    day, month, year = int(m.group(1) or 1), MONTHS.index(m.group(2)) + 1, m.group(3)
    month_end = text.lower().startswith(("end", "the end")) and not m.group(1)  # "the end of December": its last day
    try:
        years = [int(year)] if year else [base.year + k for k in (-1, 0, 1)]
        options = [date(y, month, calendar.monthrange(y, month)[1] if month_end else day) for y in years]
    except ValueError:
        return None
    return min(options, key=lambda d: abs((d - base).days))


@lru_cache(maxsize=4096)
def parsed_date(text: str, base: date) -> date | None:
    import dateparser  # slow to import; most articles never need it

    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": datetime.combine(base, datetime.min.time()), "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY"})
    return parsed.date() if parsed else None
