"""The one short table a flow command ends with."""

from __future__ import annotations

from pathlib import Path

import click


def print_summary(summary, db: Path) -> None:
    """One short table at the end of a flow command."""
    stats = summary.load
    rows = [("articles", f"{stats.seen} seen: {stats.new} new, {stats.changed} changed, {stats.unchanged} unchanged")]
    if summary.requests:
        rows.append(("requests", f"{summary.requests} ({summary.not_modified} articles answered 304 Not Modified, "
                                 f"{summary.left_alone} known articles left alone: no sign of change, not due)"))
    if skipped := summary.skipped:
        reasons = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(skipped.items()))
        rows.append(("skipped", f"{sum(skipped.values())} inputs not loaded ({reasons}; see runs.skipped_reasons)"))
    if stats.quarantined:
        rows.append(("quarantined", f"{stats.quarantined} articles could not be extracted or loaded "
                                    "(see the quarantine table; the next run tries them again)"))
    if summary.budget_hit:
        rows.append(("page budget", "reached: the crawl stopped at --max-pages (default POSTWATCH_MAX_PAGES) "
                                    "before it ran out of pages; run again with a larger --max-pages to go further"))
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
