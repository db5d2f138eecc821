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
def crawl(urls: tuple[str, ...], db: str | None, feed_path: str | None, max_pages: int | None) -> None:
    """Crawl sites from their home, listing, RSS or sitemap URLs, and load what is new.

    Example: postwatch crawl https://news.example.org/ --db news.duckdb
    """
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise click.ClickException(f"{bad[0]!r} is not a web address; give URLs that start with http:// or https://")
    path = _writable(db)
    from .flows import crawl_flow

    summary = crawl_flow(list(urls), str(path), feed_path, max_pages=max_pages)
    _print_summary(summary, path)
    if summary.unreachable and summary.articles == 0:
        raise click.ClickException(
            f"could not reach {', '.join(summary.unreachable)}; check the address and that the site is up, then run again"
        )


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), default=None, help="Also write the alert feed here.")
def ingest(path: Path, db: str | None, feed_path: str | None) -> None:
    """Load a local archive: a JSONL file of articles, or a folder of saved .html pages.

    Example: postwatch ingest archive.jsonl --db news.duckdb
    """
    iter_archive(path)  # checks the whole input before anything is loaded
    target = _writable(db)
    from .flows import ingest_flow

    _print_summary(ingest_flow(str(path), str(target), feed_path), target)


@main.command()
@DB_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the feed to this file instead of standard output.")
def feed(db: str | None, out: Path | None) -> None:
    """Write the Atom feed of failed recruitments (NO_APPOINTMENT events).

    Example: postwatch feed --out alerts.xml
    """
    from warehouse.feed import alerts_feed

    con = connect(db, read_only=True)
    try:
        xml = alerts_feed(con)
    finally:
        con.close()
    if out is None:
        sys.stdout.buffer.write(xml)
    else:
        out.write_bytes(xml)
        click.echo(f"wrote {out}", err=True)


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


def _writable(db: str | None) -> Path:
    """Opens the warehouse once before any flow starts, so a locked or bad file fails fast."""
    path = resolve_path(db)
    connect(path).close()
    return path


def _print_summary(summary, db: Path) -> None:
    stats = summary.load
    click.echo(f"articles: {stats.seen} seen, {stats.new} new, {stats.changed} changed, {stats.unchanged} unchanged")
    if summary.crawl_errors:
        click.echo(f"crawl errors: {summary.crawl_errors} (see the crawl_errors table)")
    events = ", ".join(f"{k} {v}" for k, v in sorted(stats.events.items())) or "none"
    click.echo(f"events loaded: {events}")
    click.echo(f"NO_APPOINTMENT alerts in the warehouse: {summary.alerts}")
    click.echo(f"warehouse: {db}")


if __name__ == "__main__":
    main()
