"""The `postwatch` command: a thin layer over the library. User mistakes end as one line
that says what is wrong and what to do, with a non-zero exit and no stack trace.

Commands that run no flow answer at once: this module imports neither spaCy nor Scrapy
nor Prefect, and each command imports what it uses inside its own body."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click

from warehouse.db import WarehouseError, connect, resolve_path

DEMO_PORT = 8765
# "module:Class" of the errors whose message is meant for the user; looked up only in modules
# the command has imported (one it never imported cannot have raised).
USER_ERRORS = ("spiders.archive:ArchiveError", "warehouse.db:WarehouseError", "extractors.build:ModelNotInstalled",
               "pipeline.prefect_api:PrefectUnavailable")
PARALLEL_MIN_ARTICLES = 300  # below this a worker's start-up costs more than it saves
DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                         help="Warehouse file (default: $POSTWATCH_DB, else ./postwatch.duckdb).")


def OUTPUT_OPTIONS(command):  # noqa: N802  (used like the option constants above)
    """--verbose and --quiet for the commands that run a flow."""
    command = click.option("--quiet", "-q", is_flag=True, help="No progress bars; only the summary and errors.")(command)
    return click.option("--verbose", "-v", is_flag=True,
                        help="Show Prefect's log lines here too (they always go to the run log).")(command)


class Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _stopped()
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            runtime = sys.modules.get("pipeline.runtime")
            if runtime is not None and runtime.interrupted():  # Ctrl-C, in a library's own words
                _stopped()
            if isinstance(exc, _user_errors()):
                raise click.ClickException(str(exc)) from None
            _unexpected(exc, ctx)


def _user_errors() -> tuple[type[BaseException], ...]:
    found = []
    for name in USER_ERRORS:
        module, _, cls = name.partition(":")
        if module in sys.modules:
            found.append(getattr(sys.modules[module], cls))
    return tuple(found)


def _stopped() -> None:
    """Ctrl-C: one line, and what was loaded stays (chunks commit one by one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the way out
    progress = sys.modules.get("pipeline.progress")
    loaded = progress.loaded() if progress else 0
    click.echo(f"stopped; {loaded} articles loaded, the next run resumes", err=True)
    sys.exit(130)


def _unexpected(exc: Exception, ctx: click.Context) -> None:
    """Anything postwatch did not expect: one line here, the traceback in a log file
    (beside the warehouse the command writes, else in the user's state folder)."""
    from .runtime import record_unexpected

    log = record_unexpected(exc, ctx.meta.get("postwatch.db"))
    text = str(exc).strip().splitlines()
    raise click.ClickException(f"unexpected {type(exc).__name__}: {text[0] if text else ''} "
                               f"(the traceback is in {log}; please report it)") from None


@click.group(cls=Group)
@click.version_option(package_name="postwatch")
def main() -> None:
    """postwatch: who runs the NHS, and where senior recruitment fails.

    Crawl news sites or load archives into a DuckDB warehouse of people, organisations,
    posts, salaries and recruitment events, and publish failed recruitments as a feed.
    """


@main.command()
@click.argument("urls", nargs=-1, required=True)
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after this many pages.")
@OUTPUT_OPTIONS
def crawl(urls: tuple[str, ...], db: str | None, feed_path: str | None, max_pages: int | None,
          verbose: bool, quiet: bool) -> None:
    """Crawl sites from their home, listing, RSS or sitemap URLs, and load what is new.

    Example: postwatch crawl https://news.example.org/ --db news.duckdb
    """
    _check_urls(urls)
    path = _writable(db)
    from .runtime import flow_session

    with flow_session(path, verbose=verbose, quiet=quiet) as session:
        from .flows import crawl_flow

        summary = session.run(crawl_flow, list(urls), str(path), feed_path, max_pages=max_pages)
    _print_summary(summary, path)
    if summary.unreachable and summary.articles == 0:
        raise click.ClickException(
            f"could not reach {', '.join(summary.unreachable)}; check the address and that the site is up, then run again"
        )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extract in this many processes on a local Dask cluster; 1 keeps one process "
                   f"[default: one per idle core from {PARALLEL_MIN_ARTICLES} articles, else 1].")
@click.option("--dask-address", default=None, metavar="tcp://HOST:PORT",
              help="Extract on an existing Dask cluster; this process alone writes the warehouse.")
@OUTPUT_OPTIONS
def ingest(path: Path, db: str | None, feed_path: str | None, workers: int | None, dask_address: str | None,
           verbose: bool, quiet: bool) -> None:
    """Load a local archive: a JSONL file of articles, or a folder of saved .html pages.

    Example: postwatch ingest archive.jsonl --db news.duckdb --workers 2
    """
    from .runtime import flow_session

    target = resolve_path(db)
    with flow_session(target, verbose=verbose, quiet=quiet) as session:  # Prefect boots while the input is read
        from spiders.archive import iter_archive

        iter_archive(path)  # checks the whole input before anything is loaded
        if dask_address:
            if workers and workers > 1:
                raise click.ClickException("give --workers (a local cluster) or --dask-address (an existing one), not both")
            _check_scheduler(dask_address)
        total = _article_count(path)
        workers = workers or _default_workers(total)
        target = _writable(db)
        from . import progress
        from .flows import ingest_flow, on_dask

        for stage in ("extracted", "loaded"):
            progress.expect(stage, total)
        session.ready()  # before a Dask cluster is made: its workers report to this API
        run = ingest_flow if workers == 1 and not dask_address else on_dask(ingest_flow, workers=workers, address=dask_address)
        summary = session.run(run, str(path), str(target), feed_path, expected=total)
    _print_summary(summary, target)


def _article_count(path: Path) -> int:
    """Articles in a checked archive: its lines, or its pages (for the progress total)."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _default_workers(articles: int, load: float | None = None) -> int:
    """Every idle core for an archive big enough to repay the workers' start-up; one process
    otherwise. A core other programs keep busy is no gain: each Dask worker imports spaCy and
    loads the model in a process of its own, and on a shared core that start-up and the work
    both crawl (400 articles with three other busy processes: 83 s on two workers, 53 s on one)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if articles < PARALLEL_MIN_ARTICLES:
        return 1
    busy = os.getloadavg()[0] if load is None else load
    return max(1, min(cores, round(cores - busy + 0.25)))  # +0.25: a core busy a quarter of the time still counts


def _check_scheduler(address: str) -> None:
    """A wrong --dask-address fails here in a second, not after Prefect has started and
    Dask has retried for half a minute."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if parts.scheme not in {"tcp", "tls"} or not host or not port:
        raise click.ClickException(f"{address!r} is not a Dask scheduler address; give one like tcp://10.0.0.5:8786")
    import socket

    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        raise click.ClickException(f"no Dask scheduler answers at {address}; start one with `dask scheduler` "
                                   f"or check the address") from None


@main.command()
@DB_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the feed to this file instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["atom", "json"]), default="atom", show_default=True,
              help="Atom, or JSON Feed 1.1.")
@click.option("--org", default=None, help="Only this organisation (any alias, or part of its name).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Only articles published on or after this day.")
def feed(db: str | None, out: Path | None, fmt: str, org: str | None, since) -> None:
    """Write the feed of failed recruitments (NO_APPOINTMENT events).

    Example: postwatch feed --org "Kestrel Coast" --since 2024-01-01 --out alerts.xml
    """
    from warehouse.feed import alerts_feed

    con = connect(db, read_only=True)
    try:
        document = alerts_feed(con, org=org, since=since.date() if since else None, fmt=fmt)
    finally:
        con.close()
    if out is None:
        sys.stdout.buffer.write(document)
    else:
        out.write_bytes(document)
        click.echo(f"wrote {out}", err=True)


@main.command()
@DB_OPTION
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8080, show_default=True)
def serve(db: str | None, port: int) -> None:
    """Serve the alert feed on 127.0.0.1: /alerts.atom and /alerts.json, with ?org= and ?since=.

    Example: postwatch serve --port 8080   (then subscribe to http://127.0.0.1:8080/alerts.atom)
    """
    from .feed_server import FeedServer

    path = resolve_path(db)
    connect(path, read_only=True).close()  # a missing or old warehouse fails now, not at the first poll
    try:
        server = FeedServer(path, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); pass another --port") from None
    click.echo(f"serving {server.url}/alerts.atom and {server.url}/alerts.json; Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row, for scripts and spreadsheets.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of objects, for scripts.")
def sql(query: str, db: str | None, as_csv: bool, as_json: bool) -> None:
    """Run a SQL query on the warehouse, read-only, and print the result.

    Example: postwatch sql "SELECT post, organisation, happened FROM failed_recruitments ORDER BY happened DESC"
    """
    from warehouse.query import QueryError, run_query, to_csv, to_json, to_table

    if as_csv and as_json:
        raise click.ClickException("choose one of --csv and --json")
    con = connect(db, read_only=True)
    try:
        result = run_query(con, query)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        con.close()
    click.echo(to_csv(result) if as_csv else to_json(result) if as_json else to_table(result), nl=not as_csv)


@main.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--cron", required=True, help='When to crawl, in cron syntax, e.g. "0 * * * *" for hourly.')
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
@click.option("--name", default="scheduled", show_default=True, help="Deployment name, unique per flow.")
def schedule(urls: tuple[str, ...], cron: str, db: str | None, feed_path: str | None, name: str) -> None:
    """Crawl URLs on a schedule until stopped, with Prefect serving the deployment.

    Example: postwatch schedule --cron "0 * * * *" https://news.example.org/ --db news.duckdb
    """
    from prefect import serve as prefect_serve

    from .schedule import ScheduleError, crawl_deployment, prefect_api

    _check_urls(urls)
    path = _writable(db)
    try:
        deployment = crawl_deployment(list(urls), cron, db=str(path.resolve()),
                                      feed_path=str(Path(feed_path).resolve()) if feed_path else None, name=name)
        with prefect_api() as api:
            click.echo(f"serving deployment postwatch-crawl/{name} on cron {cron!r} with the Prefect API at {api}; "
                       "Ctrl-C stops", err=True)
            prefect_serve(deployment)
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@DB_OPTION
def upgrade(db: str | None) -> None:
    """Bring a warehouse written by an older postwatch up to this version's schema, keeping its rows.

    Example: postwatch upgrade --db news.duckdb
    """
    from warehouse.db import schema_version

    path = resolve_path(db)
    if not path.exists():
        raise click.ClickException(f"no warehouse at {path}; pass --db with the file to upgrade")
    con = connect(path)
    try:
        click.echo(f"{path}: schema version {schema_version(con)}")
    finally:
        con.close()


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures as JSON.")
@click.option("--misses", is_flag=True, help="List every missed and spurious item by slot.")
def evaluate(gold: Path, json_out: Path | None, misses: bool) -> None:
    """Score extraction against a gold file (GOLD_FORMAT.md) loaded into a temporary warehouse.

    Example: postwatch evaluate pipeline/gold/dev.jsonl --misses
    """
    from extractors.scoring import format_misses, format_table

    from .evaluation import evaluate as run

    report = run(gold)
    click.echo(format_table(report, str(gold)))
    if misses:
        click.echo(format_misses(report))
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


@main.command()
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default="alerts.xml", show_default=True)
@OUTPUT_OPTIONS
def demo(db: str | None, feed_path: str, verbose: bool, quiet: bool) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it, load the warehouse, write the feed.

    Example: postwatch demo
    """
    from .demo_site import DemoSite, load_gold_articles
    from .runtime import flow_session

    path = _writable(db)
    with flow_session(path, verbose=verbose, quiet=quiet) as session:
        from .flows import crawl_flow

        # A fixed port keeps the demo's article URLs the same from run to run (a free one if it is taken).
        try:
            site = DemoSite(load_gold_articles(), port=DEMO_PORT).start()
        except OSError:
            site = DemoSite(load_gold_articles()).start()
        try:
            click.echo(f"crawling the demo site at {site.url}/ (served by this command while it runs)", err=True)
            summary = session.run(crawl_flow, [site.url + "/"], str(path), feed_path)
        finally:
            site.stop()
    _print_summary(summary, path)
    click.echo(f"alert feed: {feed_path}")
    db_flag = "" if db is None else f" --db {db}"
    click.echo("\nTry next (with .venv/bin/ in front, or after `source .venv/bin/activate`):\n"
               f"  postwatch sql \"SELECT post, organisation, happened FROM failed_recruitments\"{db_flag}\n"
               f"  postwatch feed --format json{db_flag}\n"
               f"  postwatch serve{db_flag}     (then open http://127.0.0.1:8080/alerts.atom)")


def _check_urls(urls: tuple[str, ...]) -> None:
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise click.ClickException(f"{bad[0]!r} is not a web address; give URLs that start with http:// or https://")


def _writable(db: str | None) -> Path:
    """Opens the warehouse once before any flow starts, so a locked or bad file fails fast."""
    path = resolve_path(db)
    connect(path).close()
    click.get_current_context().meta["postwatch.db"] = path
    return path


def _print_summary(summary, db: Path) -> None:
    """One short table at the end of a flow command."""
    stats = summary.load
    rows = [("articles", f"{stats.seen} seen: {stats.new} new, {stats.changed} changed, {stats.unchanged} unchanged")]
    if summary.requests:
        rows.append(("requests", f"{summary.requests} ({summary.not_modified} answered 304 Not Modified)"))
    if stats.quarantined:
        rows.append(("quarantined", f"{stats.quarantined} could not be extracted or loaded "
                                    "(see the quarantine table; the next run tries them again)"))
    if summary.crawl_errors:
        rows.append(("crawl errors", f"{summary.crawl_errors} (see the crawl_errors table, and the crawl log)"))
    rows.append(("events", ", ".join(f"{k} {v}" for k, v in sorted(stats.events.items())) or "none"))
    rows.append(("alerts", f"{summary.alerts} NO_APPOINTMENT in the warehouse"))
    if summary.crawl_log:
        rows.append(("crawl log", summary.crawl_log))
    rows.append(("warehouse", str(db)))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
