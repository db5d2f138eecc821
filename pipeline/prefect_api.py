"""The Prefect API that a flow command reports its runs to.

Left alone, Prefect starts a temporary API server per process and gives it 20 seconds;
on a busy machine, or with a new Prefect home whose database must first be created, that
is not enough and every flow dies. Its server also shares the command's process group
(Ctrl-C in a terminal kills it mid-run, and the flow then hangs reporting to it) and is
orphaned by ``kill -9``. So postwatch starts that same server itself:

- before the command imports spaCy, Scrapy and Prefect, so the two start-ups overlap;
- in a session of its own, out of reach of the terminal's Ctrl-C, and armed to die
  with the command (:func:`pipeline.children.die_with_parent`), ``kill -9`` included;
- waiting for it as long as ``POSTWATCH_PREFECT_TIMEOUT`` says (default 180 s), and
  failing with one line that names the fix.

A Prefect API that is already configured (``PREFECT_API_URL``, a Prefect profile, or
the test harness) is used as it is, once it answers. This module imports nothing of
Prefect until the flow is about to run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .children import die_with_parent, stop

START_TIMEOUT = 180.0
TIMEOUT_ENV = "POSTWATCH_PREFECT_TIMEOUT"
PORT_IN_USE = 3  # uvicorn's exit status when the port was taken in between
SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",  # the same app Prefect's temporary server runs: no background services
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # no route to Prefect's telemetry here; asking only logs errors
}
FIX = ("set PREFECT_API_URL to a running Prefect server (start one with `prefect server start`), "
       f"or give it longer on a busy machine with {TIMEOUT_ENV}=600")


class PrefectUnavailable(RuntimeError):
    """No Prefect API to run flows against; the message says what to do."""


def start_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV)
    if not raw:
        return START_TIMEOUT
    try:
        return max(float(raw), 0.0)
    except ValueError:
        raise PrefectUnavailable(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds; "
                                 f"set it to e.g. 180, or unset it") from None


class PrefectApi:
    """A Prefect API for one command: the configured one, or a server of our own.

    :meth:`start` returns at once; :meth:`wait` blocks until the API answers and returns
    its URL; :meth:`close` stops the server if we started it.
    """

    def __init__(self, server_log: Path | None = None):
        self.server_log = server_log
        self.url: str | None = _configured_url()
        self.process: subprocess.Popen | None = None
        self.ready = False

    def start(self) -> PrefectApi:
        if self.url is None:
            self._spawn()
        return self

    def wait(self, timeout: float | None = None) -> str:
        """The API's URL once its /health answers; PrefectUnavailable after *timeout* s."""
        if self.ready:
            return self.url
        timeout = start_timeout() if timeout is None else timeout
        if self.process is not None and (profile_url := _configured_url(after_import=True)):
            stop(self.process)  # a Prefect profile names a server: use that one, not ours
            self.process, self.url = None, profile_url
        assert self.url is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                if self.process.returncode != PORT_IN_USE:
                    raise PrefectUnavailable(f"Prefect's API server exited with status {self.process.returncode}"
                                             f"{self._see_log()}; {FIX}")
                self._spawn()
            if _healthy(self.url):
                self.ready = True
                return self.url
            if time.monotonic() >= deadline:
                where = "its own Prefect API server" if self.process is not None else f"the Prefect API at {self.url}"
                raise PrefectUnavailable(f"postwatch could not reach {where} within {timeout:g} s{self._see_log()}; {FIX}")
            time.sleep(0.2)

    @property
    def owned(self) -> bool:
        """True when the API is a server this command started (and will stop)."""
        return self.process is not None

    def close(self) -> None:
        if self.process is not None:
            _drain_prefect_clients()
            stop(self.process)
            self.process, self.ready = None, False

    def _spawn(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        out = subprocess.DEVNULL
        if self.server_log is not None:
            try:
                self.server_log.parent.mkdir(parents=True, exist_ok=True)
                out = self.server_log.open("ab")
            except OSError:  # no writable state folder: the server runs all the same
                self.server_log = None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
                env={**os.environ, **SERVER_ENV}, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=die_with_parent())
        finally:
            if out is not subprocess.DEVNULL:
                out.close()

    def _see_log(self) -> str:
        return f" (its log: {self.server_log})" if self.process is not None and self.server_log else ""


def _configured_url(after_import: bool = False) -> str | None:
    """PREFECT_API_URL from the environment; once Prefect is imported (or *after_import*),
    also from its settings, which see profiles and the test harness."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    if after_import or "prefect" in sys.modules:
        from prefect.settings import get_current_settings

        return get_current_settings().api.url or None
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _drain_prefect_clients(timeout: float = 5) -> None:
    """Sends the log lines and events Prefect still holds before its server goes, instead
    of retrying against a closed port at exit."""
    if "prefect.logging.handlers" in sys.modules:
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=timeout)
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=timeout)
