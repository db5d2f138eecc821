"""Scheduled crawls as Prefect deployments.

`postwatch schedule` serves one with Prefect's own runner (``prefect.serve``): the
process stays up, and Prefect starts a crawl flow run at each cron tick. With a Prefect
server and a work pool the same flow deploys from ``prefect.yaml`` instead. Either way
the schedule is Prefect's, visible and pausable in its UI and CLI.
"""

from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from .flows import crawl_flow


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says how to fix it."""


def crawl_deployment(urls: list[str], cron: str, *, db: str, feed_path: str | None = None,
                     name: str = "scheduled", timezone: str = "Europe/London") -> RunnerDeployment:
    """The crawl flow for *urls* on *cron*, writing the warehouse *db* (an absolute path:
    the runner may start flow runs from another working directory)."""
    try:
        schedule = Cron(cron, timezone=timezone)
    except ValueError:
        raise ScheduleError(f"{cron!r} is not a cron schedule; write five fields, e.g. \"0 * * * *\" for hourly") from None
    return crawl_flow.to_deployment(
        name=name,
        schedule=schedule,
        parameters={"urls": urls, "db": db, "feed_path": feed_path},
        description=f"Crawl {', '.join(urls)} on {cron!r} ({timezone}) into {db}",
        tags=["postwatch"],
    )
