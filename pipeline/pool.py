"""Local extraction processes: Prefect's own process-pool task runner, fitted to a command.

Extraction is CPU-bound Python, so a big archive is shared out over processes. Measured
on 1,500 articles against plain two-process ``nlp.pipe``, a local Dask cluster reached
0.67 of its rate (its workers spent about a sixth more CPU an article, on the event loop,
heartbeats and the task thread beside the extraction); Prefect's process pool reaches
0.74 to 0.75 (``python -m tests.benchmarks.default_ingest``). A Dask cluster elsewhere
is still there for ``--dask-address``.
"""

from __future__ import annotations

import contextvars
import os
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner


class WorkerLost(RuntimeError):
    """A worker process died mid-run (killed, or out of memory). What was loaded stays."""


class LocalProcesses(ProcessPoolTaskRunner):
    """Prefect's process pool, with three fixes for a command that a person may stop.

    - The workers' log lines and events reach this run's API. Prefect relays them from a
      thread of this process, and a new thread reads the settings Prefect had when it was
      imported, before postwatch's API server answered: left alone, that thread starts a
      temporary server of its own (seconds of CPU) and files the workers' lines there.
    - A run that ends in an error or Ctrl-C stops its workers at once. Prefect would wait
      for each running chunk to finish (seconds each) before the command could end.
    - A worker does not build a pool of its own for every chunk. Prefect rebuilds the flow
      run's context around each task, its task runner included, and a pool entered in a
      worker makes a queue and a thread, whose semaphores a stopped worker leaves behind
      (with a warning on the terminal). A worker gets a thread runner instead.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._home = os.getpid()  # the command's process; a copy unpickled in a worker keeps it

    def duplicate(self) -> TaskRunner:
        if os.getpid() != self._home:
            return ThreadPoolTaskRunner(max_workers=1)
        return super().duplicate()

    @property
    def workers(self) -> int:
        return self._max_workers

    def __enter__(self) -> LocalProcesses:
        self._run_context = contextvars.copy_context()  # the flow run's settings, with its API URL
        return super().__enter__()

    def _forward_subprocess_messages(self) -> None:
        self._run_context.run(super()._forward_subprocess_messages)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        if exc_type is not None and self._executor is not None:
            for process in list((getattr(self._executor, "_processes", None) or {}).values()):
                process.terminate()  # a chunk half-extracted is redone by the next run
        super().__exit__(exc_type, exc_value, traceback)
