"""Run a crawl in its own process, and read its results back.

Twisted's reactor can be started only once per process, so a long-lived caller (the
Prefect flow, the test suite) cannot run Scrapy twice in-process. Each crawl is
therefore a subprocess:

    python -m spiders.run --items OUT.jsonl --errors ERR.jsonl [--not-modified NM.jsonl]
        [--stats STATS.json] [--known KNOWN.jsonl] [--max-pages N] [--max-depth N]
        [--left-alone LA.jsonl] [--recheck all] [--cookies COOKIES.txt] [--set NAME=JSON ...] URL...

and :func:`run_crawl` starts that with the current interpreter and returns where the
results are. Articles, crawl errors and known articles the server said were not
modified (304) arrive as JSON lines written by ``JsonlStorePipeline``; Scrapy's final
stats are dumped as JSON; the Scrapy log goes to ``crawl.log`` beside them.

Incremental crawls: *known* is a JSONL file of ``{url, etag, last_modified, fetched_at,
first_seen, next_due, published}`` for the articles the caller already holds (see
``warehouse.crawl_state.export_known``); the revisit policy (spiders/revisit.py) fetches
those only with a reason, conditionally; the ones that come back 304 are listed by
``CrawlOutput.iter_not_modified()`` so the caller can mark them seen, and
``CrawlOutput.iter_fetched()`` says why and when each article was fetched.
*cookies* is the user's Netscape cookies.txt for subscriber sites: its path is passed
on, never its contents, and nothing the crawl writes holds a cookie value.

Exit status: 0 when the crawl ran (pages that failed are in the errors file, not a
failure of the run), 1 when the crawl itself broke, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spiders.jsonl import read_jsonl
from spiders.items import ArticleItem, CrawlErrorItem
from spiders.revisit import RECHECK_CHOICES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STDERR_TAIL_LINES = 40
GRACE_SECONDS = 15.0  # after a timeout, how long Scrapy gets to close files before a kill


@dataclass(frozen=True)
class CrawlOutput:
    """Where one crawl's results are, and how the process ended.

    ``returncode`` is the subprocess's exit status (negative: killed by a signal);
    ``timed_out`` says the crawl was stopped at the *timeout*. What was found before
    that is in the files all the same, since they are flushed line by line.
    """

    items_path: Path
    errors_path: Path
    log_path: Path
    returncode: int
    stderr_tail: str
    timed_out: bool = False
    not_modified_path: Path | None = None
    stats_path: Path | None = None
    left_alone_path: Path | None = None

    @property
    def stats(self) -> dict[str, Any]:
        """Scrapy's final stats (e.g. ``downloader/request_count``,
        ``downloader/response_status_count/304``, ``postwatch/articles_stored``);
        empty when the crawl died before writing them. Timestamps are ISO strings."""
        if self.stats_path is None or not self.stats_path.exists():
            return {}
        return json.loads(self.stats_path.read_text(encoding="utf-8"))

    def iter_fetched(self) -> Iterator[dict[str, Any]]:
        """``{url, fetch_reason, next_due, fetched_at or time}`` for every article fetched
        this run, in full or answered 304: what ``record_revisits`` stores."""
        for record in _read_jsonl(self.items_path):
            yield {key: record.get(key) for key in ("url", "fetch_reason", "next_due", "fetched_at")}
        if self.not_modified_path is not None:
            for record in _read_jsonl(self.not_modified_path):
                yield {key: record.get(key) for key in ("url", "fetch_reason", "next_due", "time")}

    def iter_left_alone(self) -> Iterator[str]:
        """URLs of known articles still listed on the site that the revisit policy did
        not fetch this run: seen, unchanged as far as any signal says."""
        if self.left_alone_path is not None:
            for record in _read_jsonl(self.left_alone_path):
                yield record["url"]

    def iter_not_modified(self) -> Iterator[str]:
        """URLs of known articles the server answered 304 Not Modified: seen, unchanged."""
        if self.not_modified_path is not None:
            for record in _read_jsonl(self.not_modified_path):
                yield record["url"]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def iter_articles(self) -> Iterator[ArticleItem]:
        """The stored articles, one at a time (the file can be large)."""
        for record in _read_jsonl(self.items_path):
            yield ArticleItem(**record)

    def iter_errors(self) -> Iterator[CrawlErrorItem]:
        """The recorded crawl errors, one at a time."""
        for record in _read_jsonl(self.errors_path):
            yield CrawlErrorItem(**record)


def run_crawl(urls: list[str], workdir: Path, *, max_pages: int | None = None, timeout: float = 600,
              max_depth: int | None = None, known: Path | None = None, recheck: str | None = None,
              cookies: Path | None = None, overrides: Mapping[str, Any] | None = None,
              preexec_fn: Callable[[], None] | None = None) -> CrawlOutput:
    """Crawl *urls* in a subprocess and return where its results are.

    Writes ``items.jsonl``, ``errors.jsonl``, ``not_modified.jsonl``, ``stats.json`` and
    ``crawl.log`` in *workdir* (created if needed; earlier results there are replaced).
    *max_pages* / *max_depth* override the settings for this run; *known* is a JSONL
    file of the articles already held (revisited by policy, conditionally); *recheck*
    ``"all"`` fetches every known article this run; *cookies* is a Netscape cookies.txt
    whose cookies go to their own sites only; *overrides* sets any other Scrapy setting for this run (values must be JSON, e.g.
    ``{"DOWNLOAD_TIMEOUT": 2}``). After *timeout* seconds the crawl is asked to stop
    (SIGINT, as Ctrl-C would), then killed if it does not; a KeyboardInterrupt here
    kills it at once. *preexec_fn* runs in the child before Scrapy starts (e.g. to make
    it die with the caller). Raises ValueError for no URLs, a URL that is not http(s),
    or a *known* or *cookies* file that does not exist.
    """
    if not urls:
        raise ValueError("no start URLs given")
    bad = [url for url in urls if not _is_web_url(url)]
    if bad:
        raise ValueError(f"not an http(s) URL: {bad[0]!r}")
    if known is not None and not Path(known).is_file():
        raise ValueError(f"no known-articles file at {known}")
    if cookies is not None and not Path(cookies).is_file():
        raise ValueError(f"no cookies file at {cookies}")
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    items_path, errors_path, log_path = workdir / "items.jsonl", workdir / "errors.jsonl", workdir / "crawl.log"
    not_modified_path, stats_path = workdir / "not_modified.jsonl", workdir / "stats.json"
    left_alone_path = workdir / "left_alone.jsonl"
    stats_path.unlink(missing_ok=True)  # stale stats must not pass for this run's
    command = [sys.executable, "-m", "spiders.run", "--items", str(items_path), "--errors", str(errors_path),
               "--not-modified", str(not_modified_path), "--stats", str(stats_path),
               "--left-alone", str(left_alone_path)]
    if max_pages is not None:
        command += ["--max-pages", str(max_pages)]
    if max_depth is not None:
        command += ["--max-depth", str(max_depth)]
    if known is not None:
        command += ["--known", str(Path(known).resolve())]
    if recheck is not None:
        command += ["--recheck", recheck]
    if cookies is not None:
        command += ["--cookies", str(Path(cookies).resolve())]
    for name, value in (overrides or {}).items():
        command += ["--set", f"{name}={json.dumps(value)}"]
    command += ["--", *urls]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))

    timed_out = False
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec_fn)
        try:
            returncode = process.wait(timeout=timeout)
        except KeyboardInterrupt:  # the caller is stopping: the crawl must not run on without it
            process.kill()
            process.wait()
            raise
        except subprocess.TimeoutExpired:
            timed_out = True
            process.send_signal(signal.SIGINT)
            try:
                returncode = process.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                returncode = process.wait()
    tail = _tail(log_path, STDERR_TAIL_LINES)
    if timed_out:
        tail += f"\n[run_crawl] stopped after the {timeout:g} s timeout"
    return CrawlOutput(items_path, errors_path, log_path, returncode, tail, timed_out, not_modified_path, stats_path,
                       left_alone_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: run one crawl with spiders/settings.py in this process."""
    parser = argparse.ArgumentParser(prog="python -m spiders.run", description="Crawl news sites into JSON lines.")
    parser.add_argument("--items", type=Path, required=True, help="where to write articles (JSONL)")
    parser.add_argument("--errors", type=Path, required=True, help="where to write crawl errors (JSONL)")
    parser.add_argument("--max-pages", type=int, help="page budget for this run (default: POSTWATCH_MAX_PAGES or 500)")
    parser.add_argument("--max-depth", type=int, help="link depth limit (default: POSTWATCH_MAX_DEPTH or 5)")
    parser.add_argument("--not-modified", type=Path, help="where to write known articles answered 304 (JSONL)")
    parser.add_argument("--stats", type=Path, help="where to write Scrapy's final stats (JSON)")
    parser.add_argument("--left-alone", type=Path, help="where to write known articles not fetched this run (JSONL)")
    parser.add_argument("--known", type=Path, help="JSONL of the articles already held (export_known)")
    parser.add_argument("--recheck", choices=RECHECK_CHOICES, help="'all': fetch every known article this run")
    parser.add_argument("--cookies", type=Path, help="Netscape cookies.txt to send to its own sites")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=JSON", dest="overrides",
                        help="override a setting for this run, e.g. --set DOWNLOAD_TIMEOUT=5")
    parser.add_argument("urls", nargs="+", metavar="URL", help="start URLs: home, listing, feed or sitemap pages")
    args = parser.parse_args(argv)
    for url in args.urls:
        if not _is_web_url(url):
            parser.error(f"not an http(s) URL: {url!r}")
    if args.known is not None and not args.known.is_file():
        parser.error(f"no known-articles file at {args.known}")
    if args.cookies is not None and not args.cookies.is_file():
        parser.error(f"no cookies file at {args.cookies}")
    overrides: dict[str, Any] = {}
    for pair in args.overrides:
        name, _, raw = pair.partition("=")
        try:
            overrides[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            parser.error(f"--set {pair!r}: the value after = must be JSON (a number, true/false, or a quoted string)")

    # Imported here so that `run_crawl` callers do not load Scrapy's crawler machinery.
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from spiders.news import NewsSpider

    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    overrides.update(POSTWATCH_ITEMS_PATH=str(args.items), POSTWATCH_ERRORS_PATH=str(args.errors))
    if args.not_modified is not None:
        overrides["POSTWATCH_NOT_MODIFIED_PATH"] = str(args.not_modified)
    if args.left_alone is not None:
        overrides["POSTWATCH_LEFT_ALONE_PATH"] = str(args.left_alone)
    if args.known is not None:
        overrides["POSTWATCH_KNOWN_PATH"] = str(args.known)
    if args.recheck is not None:
        overrides["POSTWATCH_RECHECK"] = args.recheck
    if args.cookies is not None:
        overrides["POSTWATCH_COOKIES_PATH"] = str(args.cookies)
    if args.max_pages is not None:
        overrides["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    if args.max_depth is not None:
        overrides["DEPTH_LIMIT"] = args.max_depth
    settings.setdict(overrides, priority="cmdline")

    process = CrawlerProcess(settings)
    _quiet_repeated_loggers()
    crawler = process.create_crawler(NewsSpider)
    failures: list[str] = []
    process.crawl(crawler, urls=args.urls).addErrback(lambda failure: failures.append(failure.getTraceback()))
    process.start()

    stats = crawler.stats.get_stats() if crawler.stats else {}
    if args.stats is not None:
        args.stats.write_text(json.dumps(stats, default=_json_value, sort_keys=True, indent=1), encoding="utf-8")
    reason = stats.get("finish_reason")
    errors = sum(value for key, value in stats.items() if key.startswith("postwatch/errors_stored/"))
    print(f"postwatch crawl finished ({reason}): {stats.get('postwatch/articles_stored', 0)} articles, "
          f"{errors} crawl errors, {stats.get('item_dropped_count', 0)} items dropped, "
          f"{stats.get('response_received_count', 0)} responses", file=sys.stderr)
    if failures or reason is None:
        print("".join(failures) or "crawl did not finish", file=sys.stderr)
        return 1
    return 0


def _quiet_repeated_loggers() -> None:
    """Each failed page is reported once, by the spider's ``crawl error`` line; these
    loggers would say the same thing again (a refused status, an oversized body,
    a page trafilatura could not parse) at INFO to ERROR level."""
    for name, level in (("scrapy.spidermiddlewares.httperror", logging.WARNING),
                        ("scrapy.core.downloader.handlers.http11", logging.ERROR),
                        ("trafilatura", logging.CRITICAL), ("htmldate", logging.CRITICAL)):
        logging.getLogger(name).setLevel(level)


def _json_value(value: Any) -> Any:
    # Stats hold datetimes (start_time, finish_time); everything else is JSON already.
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _read_jsonl(path: Path) -> Iterator[dict]:
    """A crawl output file; one the crawl never wrote (nothing of that kind happened) is empty."""
    if path.exists():
        yield from read_jsonl(path)


def _tail(path: Path, lines: int) -> str:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 64 * 1024))
        return "\n".join(handle.read().decode("utf-8", "replace").splitlines()[-lines:])


if __name__ == "__main__":
    sys.exit(main())
