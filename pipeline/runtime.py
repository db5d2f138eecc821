"""What a flow command does around its flow: a Prefect API that is sure to be there,
Prefect's log lines in a run log instead of the terminal, and progress bars.

Logs are kept beside the warehouse, in ``<warehouse>.logs/``: the run log (Prefect's
and the libraries' lines), the crawl's Scrapy log, and the traceback of any error
postwatch did not expect. The Prefect server's own log, which belongs to no warehouse,
is in the user's state folder (``~/.local/state/postwatch/logs/``). A user who reads one
line on the terminal can open the file it names.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from . import progress
from .prefect_api import PrefectApi, state_dir

T = TypeVar("T")
QUIET_LIBRARIES = ("distributed",)  # Dask's cluster chatter, for the run log too
CHILD_ENV = ("PREFECT_API_URL", "PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_LOGGING_LEVEL")  # set for child processes


def logs_dir(db: Path | str | None) -> Path:
    """``<warehouse>.logs`` when there is a warehouse, else the user's state folder."""
    if db is not None:
        return Path(f"{Path(db).resolve()}.logs")
    return state_dir() / "logs"


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


class FlowSession:
    """One command's Prefect API, log files and progress display."""

    def __init__(self, logs: Path, *, verbose: bool = False):
        self.logs = logs
        self.run_log = logs / f"run-{stamp()}.log"
        self.verbose = verbose
        self.api = PrefectApi(server_log=logs_dir(None) / "prefect-server.log")  # one for every warehouse

    def ready(self) -> str:
        """Waits for the Prefect API (PrefectUnavailable if it does not answer) and hands it
        to the processes this command starts from now on (extraction workers)."""
        _import_flow_engine()  # while the server boots, not after
        url = self.api.wait()
        self.logs.mkdir(parents=True, exist_ok=True)  # only now: a mistyped --db has been refused by here
        os.environ["PREFECT_API_URL"] = url
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no route to Prefect's telemetry
        if not self.verbose:  # a worker's Prefect lines would land on this terminal: keep its warnings only
            os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        return url

    def run(self, flow: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs *flow* once the Prefect API answers (PrefectUnavailable if it does not)."""
        url = self.ready()
        from prefect.settings import PREFECT_API_URL, temporary_settings

        updates: dict[Any, Any] = {PREFECT_API_URL: url}
        if self.api.ours:
            updates["flows.heartbeat_frequency"] = None  # nothing watches our servers for crashed runs
            updates["client.server_version_check_enabled"] = False  # they run the very Prefect installed here
            updates["client.csrf_support_enabled"] = False  # nor do they ask for CSRF tokens: a request saved
        with _logs_to(self.run_log, self.verbose), temporary_settings(updates=updates):
            return flow(*args, **kwargs)


def _import_flow_engine() -> None:
    """What Prefect imports only once a flow is called (its engine, and FastAPI's encoder for
    the parameters: about 0.2 s), imported while this command waits for its API server."""
    import fastapi.encoders  # noqa: F401
    import prefect.flow_engine  # noqa: F401
    import prefect.task_engine  # noqa: F401
    import prefect.utilities.visualization  # noqa: F401


@contextmanager
def flow_session(db: Path | str, *, verbose: bool = False, quiet: bool = False) -> Iterator[FlowSession]:
    """Starts the Prefect API at once, so it boots while the caller imports the flows;
    stops it on the way out, whatever happened."""
    logs = logs_dir(db)
    saved = {name: os.environ.get(name) for name in CHILD_ENV}
    session = FlowSession(logs, verbose=verbose)
    session.api.start()
    try:
        with _one_interrupt(), progress.shown(not quiet and not verbose and sys.stderr.isatty()):
            yield session
    finally:
        session.api.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_interrupted = False


def interrupted() -> bool:
    """True once Ctrl-C stopped the run, even where a library turned the KeyboardInterrupt
    into an error of its own (DuckDB raises "Query interrupted")."""
    return _interrupted


@contextmanager
def _one_interrupt() -> Iterator[None]:
    """The first Ctrl-C stops the run; more while it winds down (reporting the crashed run,
    closing the warehouse) are ignored rather than breaking that with tracebacks."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        global _interrupted
        _interrupted = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is stop:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def _logs_to(path: Path, verbose: bool) -> Iterator[None]:
    """Prefect's console handler sits on the root logger: swap it for the run log (or,
    with *verbose*, add the run log beside it) for as long as the flow runs."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    terminal = [h for h in root.handlers if _is_terminal(h)]
    # the lines as Prefect would print them ("Task run 'load-3f1' - Finished in state Completed()")
    handler.setFormatter(next((h.formatter for h in terminal if h.formatter), None)
                         or logging.Formatter("%(asctime)s %(levelname)-7s %(name)s - %(message)s"))
    console = [] if verbose else terminal
    for h in console:
        root.removeHandler(h)
    quieted = [] if verbose else [logging.getLogger(name) for name in QUIET_LIBRARIES]
    saved = [(lg, lg.handlers[:], lg.propagate) for lg in quieted]
    for lg in quieted:
        lg.handlers = [h for h in lg.handlers if not _is_terminal(h)]
        lg.propagate = True
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()
        for h in console:
            root.addHandler(h)
        for lg, handlers, propagate in saved:
            lg.handlers, lg.propagate = handlers, propagate


def _is_terminal(handler: logging.Handler) -> bool:
    if type(handler).__name__ == "PrefectConsoleHandler":
        return True
    return isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler) \
        and getattr(handler, "stream", None) in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)


def record_unexpected(exc: BaseException, db: Path | str | None) -> Path:
    """Writes *exc*'s traceback to a file in the logs folder and returns its path."""
    import traceback

    for folder in (logs_dir(db), logs_dir(None)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"error-{stamp()}.log"
            path.write_text(f"postwatch {' '.join(sys.argv[1:])}\n\n"
                            + "".join(traceback.format_exception(exc)), encoding="utf-8")
            return path
        except OSError:
            continue
    raise exc
