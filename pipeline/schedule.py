"""Scheduled crawls as Prefect deployments.

`postwatch schedule` serves one with Prefect's own runner (``prefect.serve``): the
process stays up, and Prefect starts a crawl flow run at each cron tick. With a Prefect
server and a work pool the same flow deploys from ``pipeline/prefect.yaml`` instead.
Either way the schedule is Prefect's, visible and pausable in its UI and CLI.

Cron ticks become flow runs in the Prefect server's scheduler service, which the
temporary API that Prefect starts when no server is configured does not run. So when
PREFECT_API_URL is not set, :func:`prefect_api` starts a real Prefect server on
127.0.0.1 for as long as the schedule is served.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from .children import die_with_parent, stop
from .flows import crawl_flow
from .prefect_api import start_timeout


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


@contextmanager
def prefect_api(startup_timeout: float | None = None) -> Iterator[str]:
    """The configured Prefect API, or a Prefect server (scheduler included) started here
    and stopped on exit, given POSTWATCH_PREFECT_TIMEOUT (default 180 s) to answer."""
    configured = get_current_settings().api.url
    if configured:
        yield configured
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT__SERVER")}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"  # no route to Prefect's telemetry here
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port), "--no-ui", "--analytics-off"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True, preexec_fn=die_with_parent())  # Ctrl-C is ours to handle; kill -9 takes it too
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_until_healthy(url, server, start_timeout() if startup_timeout is None else startup_timeout)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        stop(server, grace=15)


def _wait_until_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScheduleError(f"the Prefect server exited with status {server.returncode}; "
                                "start one with `prefect server start` and set PREFECT_API_URL")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise ScheduleError(f"no Prefect server answered within {timeout:.0f} s; "
                        "start one with `prefect server start` and set PREFECT_API_URL")
