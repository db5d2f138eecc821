"""Child processes that never outlive the command that started them.

A command killed with ``kill -9`` runs no cleanup, so its Prefect API server or Scrapy
crawl would keep running (and holding memory, ports and files) until someone found it.
Linux can tell a child to die with its parent (``PR_SET_PDEATHSIG``); the child asks
for that itself, between fork and exec, so no window is left where it could be orphaned.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` for :class:`subprocess.Popen`: the child gets *sig* when this process
    (or *parent*, for a child that arms itself) dies. Does nothing where ``prctl`` is missing (not Linux)."""
    parent = os.getpid() if parent is None else parent
    prctl = getattr(ctypes.CDLL(None), "prctl", None)  # looked up here: the child runs no more than it must

    def arm() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm


def stop(process: subprocess.Popen, grace: float = 5) -> None:
    """Terminates *process*, then kills it if it has not ended after *grace* seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
