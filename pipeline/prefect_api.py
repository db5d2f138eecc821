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
the test harness) is used as it is, once it answers. Next comes a server that ``postwatch
server`` keeps running (:class:`KeptServer`, found through a small state file): a command
that finds one skips the server's boot, most of its fixed start-up. This module imports
nothing of Prefect until the flow is about to run.
"""

from __future__ import annotations

import json
import os
import signal
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
    # A one-command server needs no automations: their services load them at boot (about 0.5 s).
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    # Nor block types: registering them imports every installed Prefect collection (Dask's
    # included, about 0.4 s) on every boot. Flows run without them.
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}
FIX = ("set PREFECT_API_URL to a running Prefect server (start one with `prefect server start`), "
       f"or give it longer on a busy machine with {TIMEOUT_ENV}=600, or keep one running with `postwatch server`")


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

    follows_profile = True  # a server named by a Prefect profile wins over one of ours

    def __init__(self, server_log: Path | None = None):
        self.server_log = server_log
        self.url: str | None = _configured_url()
        self.kept = False  # the server `postwatch server` keeps, not ours to stop
        if self.url is None and (kept := KeptServer.running()) is not None:
            self.url, self.kept = kept, True
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
        if self.follows_profile and (self.process is not None or self.kept) and (profile_url := _configured_url(after_import=True)):
            if self.process is not None:
                stop(self.process)  # a Prefect profile names a server: use that one, not ours
            self.process, self.url, self.kept = None, profile_url, False
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
            time.sleep(0.05)  # a refused connection costs microseconds: poll often, start sooner

    @property
    def owned(self) -> bool:
        """True when the API is a server this command started (and will stop)."""
        return self.process is not None

    @property
    def ours(self) -> bool:
        """True when postwatch started the server, for this command or to keep: it runs the
        Prefect installed here and no service that watches flow runs' heartbeats."""
        return self.owned or self.kept

    def close(self) -> None:
        if self.process is not None:
            _drain_prefect_clients()
            stop(self.process)
            self.process, self.ready = None, False

    def _spawn(self, port: int | None = None, env: dict[str, str] | None = None) -> None:
        port = port or _free_port()
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
                env={**os.environ, **SERVER_ENV, **(env or {})}, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=die_with_parent())
        finally:
            if out is not subprocess.DEVNULL:
                out.close()

    def _see_log(self) -> str:
        return f" (its log: {self.server_log})" if self.process is not None and self.server_log else ""


class KeptServer(PrefectApi):
    """The Prefect API server that ``postwatch server`` keeps running for later commands.

    Its database lives in the user's data folder (``~/.local/share/postwatch/prefect.db``),
    so its flow runs outlast it; its address and the keeping command's pid are in a state
    file (``~/.local/state/postwatch/prefect-server.json``) that flow commands read. The
    server still dies with the command that keeps it, and that command removes the file
    on the way out; a file left by ``kill -9`` names a dead pid and is ignored."""

    follows_profile = False  # always a server of its own: that is what it is for

    def __init__(self, server_log: Path | None = None):
        super().__init__(server_log)
        self.url, self.kept = None, False

    def start_kept(self, port: int | None = None) -> str:
        """Starts the server, waits for it and writes the state file; returns its URL."""
        if (running := KeptServer.running()) is not None:
            raise PrefectUnavailable(f"postwatch already keeps a Prefect API server at {running} "
                                     f"(pid {_read_state().get('pid')}); use that one, or stop it first")
        if port is not None and not _free(port):
            raise PrefectUnavailable(f"port {port} on 127.0.0.1 is taken; pass another --port, or leave it out")
        database = data_dir() / "prefect.db"
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrefectUnavailable(f"cannot make {database.parent} ({exc.strerror}); "
                                     "set XDG_DATA_HOME to a folder you can write") from None
        self._spawn(port, {"PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{database}"})
        url = self.wait()
        path = state_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"url": url, "pid": os.getpid(), "database": str(database)}), encoding="utf-8")
        return url

    def serve(self) -> None:
        """Blocks while the server runs; Ctrl-C or ``kill`` (SIGTERM) ends it as KeyboardInterrupt."""
        def stop_serving(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop_serving)
        status = self.process.wait()
        raise PrefectUnavailable(f"the Prefect API server postwatch kept exited with status {status}"
                                 f"{self._see_log()}; start it again with `postwatch server`")

    def close(self) -> None:
        try:
            if _read_state().get("pid") == os.getpid():
                state_file().unlink()
        except OSError:
            pass
        super().close()

    @staticmethod
    def running() -> str | None:
        """The URL of the server ``postwatch server`` keeps, if its command lives and it answers."""
        state = _read_state()
        url, pid = state.get("url"), state.get("pid")
        if not isinstance(url, str) or not isinstance(pid, int) or not _alive(pid):
            return None
        return url if _healthy(url, timeout=1) else None


def state_dir() -> Path:
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "postwatch"


def data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "postwatch"


def state_file() -> Path:
    return state_dir() / "prefect-server.json"


def _read_state() -> dict:
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or another user's: not a server this user keeps
        return False
    return True


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


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=timeout) as response:
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
