"""Peak resident memory, of this process and of a command and the processes it starts.

``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` would give the largest descendant,
but for `postwatch ingest` that can be Prefect's temporary API server rather than the
pipeline whose memory must stay flat. So a command is watched through /proc instead:
every process in its tree is sampled for ``VmHWM`` (the kernel's own peak RSS, so a
spike between samples is not missed while the process lives), and the peaks are kept
by command line.
"""

from __future__ import annotations

import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.2
# Prefect's temporary API server: infrastructure, reported apart from the pipeline.
INFRASTRUCTURE_MARKERS = ("uvicorn", "prefect.server")


def self_peak_mib() -> float:
    """Peak RSS of this process and (separately) its waited-for children, whichever is larger."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


@dataclass
class TreePeaks:
    """Peak RSS (MiB) seen for each process of a tree, by pid, with its command line."""

    peaks: dict[int, float] = field(default_factory=dict)
    commands: dict[int, str] = field(default_factory=dict)

    def pipeline_mib(self) -> float:
        """Largest peak among the processes that are not Prefect's API server."""
        return max((mib for pid, mib in self.peaks.items() if not self._infrastructure(pid)), default=0.0)

    def infrastructure_mib(self) -> float:
        return max((mib for pid, mib in self.peaks.items() if self._infrastructure(pid)), default=0.0)

    def _infrastructure(self, pid: int) -> bool:
        return any(marker in self.commands.get(pid, "") for marker in INFRASTRUCTURE_MARKERS)


def run_watched(command: list[str], *, log: Path, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> tuple[int, float, TreePeaks]:
    """Runs *command* (output to *log*); returns (exit status, wall seconds, peaks)."""
    peaks = TreePeaks()
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=env, cwd=cwd)
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, peaks, stop), daemon=True)
        sampler.start()
        status = process.wait()
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
    return status, wall, peaks


def _sample(root: int, peaks: TreePeaks, stop: threading.Event) -> None:
    while not stop.is_set():
        for pid in _tree(root):
            hwm = _vm_hwm_mib(pid)
            if hwm is not None:
                peaks.peaks[pid] = max(hwm, peaks.peaks.get(pid, 0.0))
                if pid not in peaks.commands:
                    peaks.commands[pid] = _command(pid)
        stop.wait(SAMPLE_SECONDS)


def _tree(root: int) -> list[int]:
    """*root* and its descendants, from the parent pid of every process in /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # the command name in parentheses may hold spaces; fields after it are fixed
        fields = text[text.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _vm_hwm_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
