"""Counts of a long run, shown as progress bars when a person is watching.

The flow code reports what it has done (:func:`advance`, :func:`expect`) without caring
who listens; the command line decides with :func:`shown` whether bars are drawn (a
terminal, and no ``--quiet``). The counts are kept either way: the line printed when a
run is stopped says how many articles were loaded from them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STAGES = ("fetched", "extracted", "loaded")


class Progress:
    """Counts per stage, drawn with rich when *show* is true."""

    def __init__(self, show: bool = False):
        self.counts: Counter[str] = Counter()
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}
        if show:
            self._bars = _rich_bars()

    def __enter__(self) -> Progress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    def expect(self, stage: str, total: int | None) -> None:
        """The number of articles *stage* will reach, once known (it gives the time left)."""
        if self._bars is not None:
            self._bars.update(self._task(stage), total=total)

    def advance(self, stage: str, count: int = 1) -> None:
        self.counts[stage] += count
        if self._bars is not None and count:
            self._bars.update(self._task(stage), advance=count)

    def _task(self, stage: str) -> Any:
        if stage not in self._tasks:
            self._tasks[stage] = self._bars.add_task(stage, total=None)
        return self._tasks[stage]


def _rich_bars() -> Any:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bars, ProgressColumn, Task, TextColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")

    return Bars(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                TimeRemainingColumn(), console=Console(stderr=True), transient=False)


current = Progress()


def advance(stage: str, count: int = 1) -> None:
    current.advance(stage, count)


def expect(stage: str, total: int | None) -> None:
    current.expect(stage, total)


@contextmanager
def shown(show: bool) -> Iterator[Progress]:
    """Counts (and, if *show*, bars) for the run inside the block. The counts stay readable
    after it, for the line that reports a stopped run."""
    global current
    current = Progress(show)
    with current:
        yield current


def loaded() -> int:
    return current.counts["loaded"]
