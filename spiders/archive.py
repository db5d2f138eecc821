"""Load articles from local archives through the same checks as a crawl.

Gold sets, back-issues and pages saved by hand arrive as files, not URLs, but they
must come out exactly like crawled articles: same ``ArticleItem`` fields, same
validation, same de-duplication. So this module runs ``ValidatePipeline``,
``StampPipeline`` and ``DedupePipeline`` itself, without the Scrapy engine (which
would need a reactor, see spiders/run.py).

Two inputs are accepted:

* a ``.jsonl`` file, one article a line: ``id``, ``url``, ``published``, ``title``,
  ``text`` (other keys such as gold labels are ignored; a null url becomes
  ``archive://<file stem>/<id>``, and any other url must be an http(s) address with a
  host: the url becomes the feed entry's link, so ``javascript:`` or ``file:`` is
  refused with its line number, like any other bad line);
* a folder of saved ``.html`` pages (searched recursively), extracted with
  ``spiders.article_page``; the url is the page's canonical link, else its ``file://`` path.

Input that is wrong raises :class:`ArchiveError` with one line saying what is wrong
and what to do. A JSONL file is checked completely before the first article is
returned, so a bad line loads nothing; both passes read line by line, so files of
any size stream, and a line longer than ``POSTWATCH_MAX_LINE_BYTES`` (default 8 MiB,
far above any article) is refused by its number before it is read whole, so a
runaway file (a symlink to /dev/zero, a binary dump) cannot exhaust memory. Articles
the pipelines drop (no text, too short, duplicate) are logged and skipped, not errors,
and *on_skip* hears of each, with its reason, so the caller can count them.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem

from spiders.article_page import MIN_ARTICLE_WORDS, analyse_page
from spiders.items import ArticleItem
from spiders.pipelines import DedupePipeline, StampPipeline, ValidatePipeline
from spiders.urls import canonicalize, site_host

logger = logging.getLogger(__name__)

USAGE = "give a .jsonl file or a folder of .html pages"
HTML_SUFFIXES = (".html", ".htm")
DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_LINE_BYTES = 8 * 1024 * 1024  # POSTWATCH_MAX_LINE_BYTES overrides
SkipHandler = Callable[[str, str], None]


class SkipReason(str):
    """Why an input was skipped (the message), with a short machine name in ``kind``
    ("duplicate", "empty", "too_short", "not_article") to count skips by."""

    kind: str

    def __new__(cls, message: str, kind: str) -> "SkipReason":
        reason = super().__new__(cls, message)
        reason.kind = kind
        return reason


class ArchiveError(Exception):
    """The archive cannot be loaded; ``str(error)`` is one line for the user."""


def iter_archive(path: Path | str, *, min_words: int = MIN_ARTICLE_WORDS,
                 on_skip: SkipHandler | None = None) -> Iterator[ArticleItem]:
    """Articles from a ``.jsonl`` file or a folder of ``.html`` pages, validated,
    stamped and de-duplicated like crawled ones.

    The input is checked when this is *called* (not at the first ``next()``), so
    ``ArchiveError`` surfaces before any article is used. *on_skip(where, reason)*
    is called for every page or line that is skipped, besides logging it.
    """
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"no such file or folder: {path}; {USAGE}")
    if path.is_dir():
        pages = sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
        if not pages:
            raise ArchiveError(f"folder {path} has no .html pages; {USAGE}")
        return _through_pipelines(_items_from_html(path, pages, on_skip), min_words, on_skip)
    if path.suffix.lower() != ".jsonl":
        raise ArchiveError(f"{path.name} is not a .jsonl file; {USAGE}")
    if not path.is_file():
        raise ArchiveError(f"{path} is not a regular file (a device or a pipe); {USAGE}")
    if _check_jsonl(path) == 0:
        raise ArchiveError(f"{path.name} has no articles (it is empty); {USAGE}")
    return _through_pipelines(_items_from_jsonl(path), min_words, on_skip)


# -- JSONL ------------------------------------------------------------------------------
def _check_jsonl(path: Path) -> int:
    """First pass: parse and check every line; return how many articles there are."""
    count = 0
    for _number, _record in _jsonl_records(path):
        count += 1
    return count


def archive_url(path: Path, record: dict[str, Any]) -> str:
    """The url an archive line is stored under: its own, canonical, else one made from its id."""
    url = record.get("url")
    return canonicalize(url) if url else f"archive://{path.stem}/{record['id']}"


def _items_from_jsonl(path: Path) -> Iterator[ArticleItem]:
    for _number, record in _jsonl_records(path):
        yield ArticleItem(
            url=archive_url(path, record),
            title=record.get("title"),
            published=_date(record.get("published")),
            text=record.get("text"),
            source=f"archive:{path.name}",
            etag=None,
            last_modified=None,
        )


def _jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, checked record) for each non-blank line; ArchiveError on the first bad one."""
    limit = max_line_bytes()
    with path.open("rb") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(limit + 1), b""), start=1):
            where = f"{path.name} line {number}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise ArchiveError(f"{where} is longer than {limit} bytes (POSTWATCH_MAX_LINE_BYTES); an article "
                                   f"is far shorter, so check that this is the right file, or split the line")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise ArchiveError(f"{where} is not UTF-8 text; save the file as UTF-8 and run again") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ArchiveError(
                    f"{where} is not valid JSON ({error.msg}); fix or remove that line and run again"
                ) from None
            _check_record(record, where)
            yield number, record


def max_line_bytes() -> int:
    try:
        return max(1, int(os.environ.get("POSTWATCH_MAX_LINE_BYTES") or MAX_LINE_BYTES))
    except ValueError:
        raise ArchiveError("POSTWATCH_MAX_LINE_BYTES must be a whole number of bytes; fix it or unset it") from None


def _check_record(record: Any, where: str) -> None:
    fix = "fix or remove that line and run again"
    if not isinstance(record, dict):
        raise ArchiveError(f"{where} is a JSON {type(record).__name__}, not an object with id, url, published, "
                           f"title and text; {fix}")
    for key in ("id", "text"):
        if key not in record:
            raise ArchiveError(f'{where} has no "{key}"; {fix}')
    if not isinstance(record["id"], (str, int)) or isinstance(record["id"], bool) or record["id"] == "":
        raise ArchiveError(f'{where} has id {record["id"]!r}; an id must be a non-empty string or a number; {fix}')
    for key in ("url", "title", "text"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ArchiveError(f'{where} has a "{key}" that is not a string or null; {fix}')
        if isinstance(record.get(key), str) and not _is_text(record[key]):
            raise ArchiveError(f'{where} has a "{key}" with a broken \\u escape (an unpaired surrogate); {fix}')
    if record.get("url") and not _web_address(record["url"]):
        raise ArchiveError(f'{where} has url {record["url"][:80]!r}, not an http(s) address with a host; correct it, '
                           f'or set it to null to store the article under its id, and run again')
    published = record.get("published")
    if published is not None and _date(published) is None:
        raise ArchiveError(f'{where} has published {published!r}, not a YYYY-MM-DD date; '
                           f"correct it or set it to null and run again")


def _web_address(url: str) -> bool:
    try:
        return url.strip().lower().startswith(("http://", "https://")) and bool(site_host(url.strip()))
    except ValueError:  # an unparsable host or port
        return False


def _is_text(value: str) -> bool:
    """JSON can spell characters that are not text ("\\ud800"); they break hashing and loading."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _date(value: Any) -> str | None:
    """'YYYY-MM-DD' from a date or ISO timestamp string; None when absent or invalid."""
    if not isinstance(value, str) or not DATE_PREFIX.match(value):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


# -- saved HTML -------------------------------------------------------------------------
def _items_from_html(folder: Path, pages: list[Path], on_skip: SkipHandler | None) -> Iterator[ArticleItem]:
    for page in pages:
        try:
            html = page.read_bytes()
        except OSError as error:
            raise ArchiveError(f"cannot read {page} ({error.strerror}); check the file and run again") from None
        analysis = analyse_page(html, page.resolve().as_uri())
        if analysis.article is None:
            _skipped(str(page), SkipReason(f"not an article: {analysis.reason}", "not_article"), logging.INFO, on_skip)
            continue
        article = analysis.article
        yield ArticleItem(url=article["canonical"], title=article["title"], published=article["published"],
                          text=article["text"], source=f"archive:{folder.name}", etag=None, last_modified=None)


# -- shared -----------------------------------------------------------------------------
def _through_pipelines(items: Iterable[ArticleItem], min_words: int,
                       on_skip: SkipHandler | None) -> Iterator[ArticleItem]:
    stages = (ValidatePipeline(min_words), StampPipeline(), DedupePipeline())
    for item in items:
        try:
            for stage in stages:
                item = stage.process_item(item)
        except DropItem as dropped:
            level = logging.getLevelName(dropped.log_level) if dropped.log_level else logging.WARNING
            _skipped(item.get("url") or "?", SkipReason(str(dropped), getattr(dropped, "kind", "dropped")), level, on_skip)
            continue
        yield item


def _skipped(where: str, reason: SkipReason, level: int, on_skip: SkipHandler | None) -> None:
    logger.log(level, "skipped %s: %s", where, reason)
    if on_skip is not None:
        on_skip(where, reason)
