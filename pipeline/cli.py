"""The `postwatch` command: a thin layer over the library. User mistakes end as one line
that says what is wrong and what to do, with a non-zero exit and no stack trace."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from extractors.build import ModelNotInstalled
from spiders.archive import ArchiveError, iter_archive
from warehouse.db import WarehouseError, connect, resolve_path

DEMO_PORT = 8765
USER_ERRORS = (ArchiveError, WarehouseError, ModelNotInstalled)
DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                         help="Warehouse file (default: $POSTWATCH_DB, else ./postwatch.duckdb).")


class Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from None


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
def crawl(urls: tuple[str, ...], db: str | None, feed_path: str | None, max_pages: int | None,
          recheck: str | None, cookies: str | None) -> None:
    """Crawl sites from their home, listing, RSS or sitemap URLs, and load what is new.

    Each run fetches the entry points and new articles; a known article only when a
    sitemap or feed says it changed or it is due again (see README, "How postwatch
    revisits a site").

    Example: postwatch crawl https://news.example.org/ --db news.duckdb --cookies cookies.txt
    """
    _check_urls(urls)
    path = _writable(db)
    from .flows import crawl_flow

    if cookies:
        _check_cookies(cookies)
    summary = crawl_flow(list(urls), str(path), feed_path, max_pages=max_pages, recheck=recheck, cookies=cookies)
    _print_summary(summary, path)
    if summary.unreachable and summary.articles == 0:
        raise click.ClickException(
            f"could not reach {', '.join(summary.unreachable)}; check the address and that the site is up, then run again"
        )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract on a local Dask cluster of this many processes (a backfill on a multi-core machine).")
@click.option("--dask-address", default=None, metavar="tcp://HOST:PORT",
              help="Extract on an existing Dask cluster; this process alone writes the warehouse.")
def ingest(path: Path, db: str | None, feed_path: str | None, workers: int, dask_address: str | None) -> None:
    """Load a local archive: a JSONL file of articles, or a folder of saved .html pages.

    Example: postwatch ingest archive.jsonl --db news.duckdb --workers 2
    """
    iter_archive(path)  # checks the whole input before anything is loaded
    if dask_address:
        if workers > 1:
            raise click.ClickException("give --workers (a local cluster) or --dask-address (an existing one), not both")
        _check_scheduler(dask_address)
    target = _writable(db)
    from .flows import ingest_flow, on_dask

    run = ingest_flow if workers == 1 and not dask_address else on_dask(ingest_flow, workers=workers, address=dask_address)
    _print_summary(run(str(path), str(target), feed_path), target)


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
def demo(db: str | None, feed_path: str) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it, load the warehouse, write the feed.

    Example: postwatch demo
    """
    from .demo_site import DemoSite, load_gold_articles
    from .flows import crawl_flow

    path = _writable(db)
    # A fixed port keeps the demo's article URLs the same from run to run (a free one if it is taken).
    try:
        site = DemoSite(load_gold_articles(), port=DEMO_PORT).start()
    except OSError:
        site = DemoSite(load_gold_articles()).start()
    try:
        click.echo(f"demo site at {site.url}/", err=True)
        summary = crawl_flow([site.url + "/"], str(path), feed_path)
    finally:
        site.stop()
    _print_summary(summary, path)
    click.echo(f"alert feed: {feed_path}")


def _check_urls(urls: tuple[str, ...]) -> None:
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise click.ClickException(f"{bad[0]!r} is not a web address; give URLs that start with http:// or https://")


def _check_cookies(path: str) -> None:
    from spiders.cookies import CookiesFileError, read_cookies

    try:
        read_cookies(path)
    except CookiesFileError as error:
        raise click.ClickException(str(error)) from None


def _writable(db: str | None) -> Path:
    """Opens the warehouse once before any flow starts, so a locked or bad file fails fast."""
    path = resolve_path(db)
    connect(path).close()
    return path


def _print_summary(summary, db: Path) -> None:
    stats = summary.load
    if summary.requests:
        click.echo(f"requests: {summary.requests} ({summary.not_modified} articles answered 304 Not Modified, "
                   f"{summary.left_alone} known articles left alone: no sign of change, not due)")
    click.echo(f"articles: {stats.seen} seen, {stats.new} new, {stats.changed} changed, {stats.unchanged} unchanged")
    if stats.quarantined:
        click.echo(f"quarantined: {stats.quarantined} articles could not be extracted or loaded "
                   f"(see the quarantine table; the next run tries them again)")
    if summary.crawl_errors:
        click.echo(f"crawl errors: {summary.crawl_errors} (see the crawl_errors table)")
    events = ", ".join(f"{k} {v}" for k, v in sorted(stats.events.items())) or "none"
    click.echo(f"events loaded: {events}")
    click.echo(f"NO_APPOINTMENT alerts in the warehouse: {summary.alerts}")
    click.echo(f"warehouse: {db}")


if __name__ == "__main__":
    main()
