"""The `postwatch` command: a thin layer over the library. User mistakes end as one line
that says what is wrong and what to do, with a non-zero exit and no stack trace.

Commands that run no flow answer at once: this module imports neither spaCy nor Scrapy
nor Prefect, and each command imports what it uses inside its own body."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from warehouse.db import connect, resolve_path

from .checks import (PARALLEL_MIN_ARTICLES, article_count, check_cookies, check_output, check_scheduler, check_urls,
                     default_workers, writable, BIG_ARCHIVE_ARTICLES)
from .errors import Group
from .summary import print_summary

DEMO_PORT = 8765
DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                         help="Warehouse file (default: $POSTWATCH_DB, else ./postwatch.duckdb).")


def OUTPUT_OPTIONS(command):  # noqa: N802  (used like the option constants above)
    """--verbose and --quiet for the commands that run a flow."""
    command = click.option("--quiet", "-q", is_flag=True, help="No progress bars; only the summary and errors.")(command)
    return click.option("--verbose", "-v", is_flag=True,
                        help="Show Prefect's log lines here too (they always go to the run log).")(command)


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
@click.option("--recheck", type=click.Choice(["all"]), default=None,
              help="Fetch every known article again this run (conditionally), not only new, changed or due ones.")
@click.option("--cookies", "cookies", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Your browser's cookies.txt (Netscape format) for subscriber sites; each cookie goes to its own site only.")
@OUTPUT_OPTIONS
def crawl(urls: tuple[str, ...], db: str | None, feed_path: str | None, max_pages: int | None,
          recheck: str | None, cookies: str | None, verbose: bool, quiet: bool) -> None:
    """Crawl sites from their home, listing, RSS or sitemap URLs, and load what is new.

    Each run fetches the entry points and new articles; a known article only when a
    sitemap or feed says it changed or it is due again (see README, "How postwatch
    revisits a site").

    Example: postwatch crawl https://news.example.org/ --db news.duckdb --cookies cookies.txt
    """
    check_urls(urls)
    if feed_path:
        check_output(Path(feed_path), "--feed")
    path = writable(db)
    from .runtime import flow_session

    if cookies:
        check_cookies(cookies)
    with flow_session(path, verbose=verbose, quiet=quiet) as session:
        from .flows import crawl_flow

        summary = session.run(crawl_flow, list(urls), str(path), feed_path, max_pages=max_pages,
                              recheck=recheck, cookies=cookies)
    print_summary(summary, path)
    if summary.unreachable and summary.articles == 0:
        raise click.ClickException(
            f"could not reach {', '.join(summary.unreachable)}; check the address and that the site is up, then run again"
        )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extract in this many local processes; 1 keeps one process "
                   f"[default: one per core from {BIG_ARCHIVE_ARTICLES} articles unless the machine is very busy, "
                   f"one per idle core from {PARALLEL_MIN_ARTICLES}, else 1].")
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
    check_output(target, "--db")  # before the session makes a log folder beside it
    with flow_session(target, verbose=verbose, quiet=quiet) as session:  # Prefect boots while the input is read
        from spiders.archive import iter_archive

        iter_archive(path)  # checks the whole input before anything is loaded
        if feed_path:
            check_output(Path(feed_path), "--feed")
        if dask_address:
            if workers and workers > 1:
                raise click.ClickException("give --workers (local processes) or --dask-address (an existing Dask cluster), not both")
            check_scheduler(dask_address)
        total = article_count(path)
        workers = workers or default_workers(total)
        target = writable(db)
        from . import progress
        from .flows import ingest_flow, on_dask, on_processes

        for stage in ("extracted", "loaded"):
            progress.expect(stage, total)
        session.ready()  # before any worker process starts: the workers report to this API
        if dask_address:
            run = on_dask(ingest_flow, address=dask_address)
        elif workers > 1:
            run = on_processes(ingest_flow, workers=workers)
        else:
            run = ingest_flow
        summary = session.run(run, str(path), str(target), feed_path, expected=total)
    print_summary(summary, target)


@main.command()
@DB_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the feed to this file instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["atom", "json"]), default="atom", show_default=True,
              help="Atom, or JSON Feed 1.1.")
@click.option("--org", default=None, help="Only this organisation (any alias, or part of its name).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Only articles published on or after this day.")
@click.option("--by", "by", type=click.Choice(["event", "story"]), default="event", show_default=True,
              help="One entry per NO_APPOINTMENT event (urn:postwatch:event:…), or one per recruitment story "
                   "(urn:postwatch:story:…) listing every article that reports it.")
def feed(db: str | None, out: Path | None, fmt: str, org: str | None, since, by: str) -> None:
    """Write the feed of failed recruitments (NO_APPOINTMENT events, or stories with --by story).

    Example: postwatch feed --org "Kestrel Coast" --since 2024-01-01 --out alerts.xml
    """
    from warehouse.db import reading

    if by == "story":
        from warehouse.story_feed import stories_feed as alerts_feed
    else:
        from warehouse.feed import alerts_feed

    if out is not None:
        check_output(out, "--out")
    path = resolve_path(db)
    con = connect(path, read_only=True)
    try:
        with reading(path):
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
    """Serve the page and the feeds on 127.0.0.1: / (the page), /alerts.atom, /alerts.json, /stories.atom,
    /stories.json, with ?org= and ?since=.

    Example: postwatch serve --port 8080   (then open http://127.0.0.1:8080/ in a browser)
    """
    from .feed_server import FeedServer

    path = resolve_path(db)
    connect(path, read_only=True).close()  # a missing or old warehouse fails now, not at the first poll
    try:
        server = FeedServer(path, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); pass another --port") from None
    click.echo(f"serving the page at {server.url}/ and the feeds {server.url}/stories.atom, /stories.json, "
               f"/alerts.atom and /alerts.json; Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@main.command()
@click.argument("event_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="The same as one JSON object, for scripts.")
def explain(event_id: str, db: str | None, as_json: bool) -> None:
    """Show how an event was found: its sentence with the cue, person, post and organisation
    marked, which rule linked each part, and the article's url.

    Example: postwatch explain 3f2a9c0d1e4b5a67   (event ids: postwatch sql "SELECT event_id, post FROM events")
    """
    from warehouse.evidence import explain as find

    con = connect(db, read_only=True)
    try:
        evidence = find(con, event_id.strip())
    finally:
        con.close()
    if evidence is None:
        raise click.ClickException(f"no event {event_id!r} in {resolve_path(db)}; list the ids with "
                                   f"postwatch sql \"SELECT event_id, event_type, post FROM events\"")
    if as_json:
        click.echo(json.dumps(evidence.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{evidence.event_type} {evidence.event_id}: " + ", ".join(
        f"{name} {value}" for name, value in (("person", evidence.person), ("post", evidence.post),
                                              ("organisation", evidence.organisation), ("date", evidence.happened))
        if value) + (" (interim)" if evidence.interim else ""))
    click.echo(evidence.plain())
    for part in evidence.parts:
        click.echo(f"  {part.label:<7} {part.text!r} at {part.start}-{part.end}")
    for part, rule in evidence.rules.items():
        click.echo(f"  {part}: {rule}")
    if evidence.story_id:
        click.echo(f"story: {evidence.story_id}")
    click.echo(f"article: {evidence.url}")


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row, for scripts and spreadsheets.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of objects, for scripts.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=5.0, show_default=True,
              envvar="POSTWATCH_SQL_TIMEOUT", help="Stop the query after this many seconds ($POSTWATCH_SQL_TIMEOUT).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              envvar="POSTWATCH_SQL_MAX_ROWS", help="Print at most this many rows ($POSTWATCH_SQL_MAX_ROWS).")
def sql(query: str, db: str | None, as_csv: bool, as_json: bool, timeout: float, max_rows: int) -> None:
    """Run a SQL query on the warehouse in a sandbox and print the result: read-only, no
    other files, no ATTACH/COPY/INSTALL, a time limit and a row cap.

    Example: postwatch sql "SELECT post, organisation, happened FROM failed_recruitments ORDER BY happened DESC"
    """
    from warehouse.db import reading
    from warehouse.query import QueryError, run_query, to_csv, to_json, to_table

    if as_csv and as_json:
        raise click.ClickException("choose one of --csv and --json")
    path = resolve_path(db)
    con = connect(path, sandbox=True)
    try:
        with reading(path):
            result = run_query(con, query, timeout=timeout, max_rows=max_rows)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        con.close()
    click.echo(to_csv(result) if as_csv else to_json(result) if as_json else to_table(result), nl=not as_csv)
    if result.truncated:
        click.echo(f"only the first {max_rows} rows are shown; pass --max-rows to see more", err=True)


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

    check_urls(urls)
    path = writable(db)
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
    from warehouse.db import schema_version, verify

    path = resolve_path(db)
    if not path.exists():
        raise click.ClickException(f"no warehouse at {path}; pass --db with the file to upgrade")
    verify(path)  # every stored value read back (damage is one line) before a migration writes to the file
    from warehouse.stories import refresh_stories

    con = connect(path)
    try:
        refresh_stories(con)  # a warehouse from before stories gets them now, not at its next load
        click.echo(f"{path}: schema version {schema_version(con)}")
    finally:
        con.close()


@main.command()
@click.option("--port", type=click.IntRange(min=1, max=65535), default=None, help="Listen on this port [default: a free one].")
def server(port: int | None) -> None:
    """Keep one Prefect API server running on 127.0.0.1 for the flow commands, until Ctrl-C.

    A flow command (crawl, ingest, demo) otherwise starts a Prefect server of its own and
    waits a few seconds for it; while this runs they find it and use it instead. Its flow
    runs are kept in ~/.local/share/postwatch/prefect.db.

    Example: postwatch server &   (then: postwatch ingest archive.jsonl --db news.duckdb)
    """
    from .prefect_api import KeptServer, PrefectUnavailable
    from .runtime import logs_dir

    kept = KeptServer(server_log=logs_dir(None) / "prefect-server.log")
    try:
        url = kept.start_kept(port)
        click.echo(f"keeping a Prefect API server at {url} for postwatch's flow commands; Ctrl-C stops", err=True)
        kept.serve()
    except KeyboardInterrupt:
        pass
    except PrefectUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        kept.close()


@main.command()
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures as JSON.")
@click.option("--misses", is_flag=True, help="List every missed and spurious item by slot.")
def evaluate(gold: Path, json_out: Path | None, misses: bool) -> None:
    """Score extraction against a gold file (GOLD_FORMAT.md) loaded into a temporary warehouse.
    A folder of .html pages that report no recruitment gives its events and (false) alerts.

    Example: postwatch evaluate pipeline/demo/gold/dev.jsonl --misses
    """
    from .evaluation.scoring import format_misses, format_table

    from .evaluation.run import evaluate as run

    if gold.is_dir():
        from .evaluation.run import false_alarms, format_pages

        click.echo(format_pages(false_alarms(gold), str(gold), listing=misses))
        return

    from spiders.archive import iter_archive

    if json_out:
        check_output(json_out, "--json")
    iter_archive(gold)  # a malformed line is one line naming it, before any work
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
    from .demo.site import DemoSite, load_gold_articles
    from .runtime import flow_session

    path = writable(db)
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
    print_summary(summary, path)
    click.echo(f"alert feed: {feed_path}")
    db_flag = "" if db is None else f" --db {db}"
    click.echo("\nTry next (with .venv/bin/ in front, or after `source .venv/bin/activate`):\n"
               f"  postwatch serve{db_flag}     (then open http://127.0.0.1:8080/ in a browser: the page)\n"
               f"  postwatch sql \"SELECT post, organisation, happened FROM failed_recruitments\"{db_flag}\n"
               f"  postwatch feed --format json{db_flag}\n"
               f"  postwatch explain EVENT_ID{db_flag}     (an event_id from the page or from the events table)")


if __name__ == "__main__":
    main()
