"""`python -m tests.benchmarks.startup`: how long postwatch takes before it does any work.

Prints one line per figure, each the median of a few runs of the real command in a
fresh process (wall time, as a person waits for it):

- ``postwatch --help`` and ``postwatch sql`` (target under 0.5 s: they import no spaCy,
  Scrapy or Prefect);
- a flow command's fixed start-up: from launching ``postwatch ingest`` of one article
  that is already stored until its flow begins (the ``started`` time of its row in
  ``runs``): starting Prefect's API and importing the flows (target under 4 s); and the
  whole of that command, which adds the flow run's bookkeeping and stopping;
- the same with a never-used Prefect home, where Prefect first creates its database
  (for information: it is paid once per home);
- the flow command's fixed start-up again while ``postwatch server`` keeps a Prefect API
  server for it (for information: what a user who keeps one waits; the target is for
  the command on its own, which boots a server of its own).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from .generate import write_archive

SCRIPT = Path(sys.executable).with_name("postwatch")  # the installed command, as a user runs it
POSTWATCH = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pipeline.cli"]
TARGETS = {"help": 0.5, "sql": 0.5, "flow": 4.0}


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(POSTWATCH + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"postwatch {' '.join(args)} failed (status {done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed


def median_of(runs: int, args: list[str], env: dict[str, str]) -> float:
    return statistics.median(timed(args, env) for _ in range(runs))


def until_flow_starts(args: list[str], env: dict[str, str], db: str) -> tuple[float, float]:
    """(seconds from launch until the flow run began, seconds for the whole command)."""
    import duckdb

    launched = datetime.now(timezone.utc).replace(tzinfo=None)
    whole = timed(args, env)
    con = duckdb.connect(db, read_only=True)
    try:
        started = con.execute("SELECT max(started) FROM runs").fetchone()[0]
    finally:
        con.close()
    return (started - launched).total_seconds(), whole


def kept_server(env: dict[str, str], within: float = 180) -> subprocess.Popen:
    """`postwatch server`, once its state file says where it listens."""
    server = subprocess.Popen(POSTWATCH + ["server"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, start_new_session=True)
    state = Path(env["XDG_STATE_HOME"]) / "postwatch" / "prefect-server.json"
    deadline = time.monotonic() + within
    while not (state.exists() and json.loads(state.read_text() or "{}").get("pid") == server.pid):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"postwatch server did not start: {server.communicate()[1].strip()[-500:]}")
        time.sleep(0.1)
    return server


def line(name: str, seconds: float, target: float | None, note: str) -> str:
    verdict = "" if target is None else f"  target < {target:g} s: {'met' if seconds < target else 'MISSED'}"
    return f"{name:<34} {seconds:6.2f} s{verdict}  ({note})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is printed)")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="postwatch-startup-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "XDG_STATE_HOME": str(work / "state"),
               "XDG_DATA_HOME": str(work / "data")}
        env.pop("PREFECT_API_URL", None)
        archive, db = work / "one.jsonl", str(work / "w.duckdb")
        write_archive(archive, 1)
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; median of {opts.runs} runs",
              file=sys.stderr)
        first = timed(["ingest", str(archive), "--db", db], env)  # also stores the article
        print(line("flow start, new Prefect home", first, None, "first ingest: creates Prefect's database, "
                                                             "loads the model, extracts one article"))
        print(line("postwatch --help", median_of(opts.runs, ["--help"], env), TARGETS["help"], "no flow"))
        print(line("postwatch sql", median_of(opts.runs, ["sql", "SELECT count(*) FROM articles", "--db", db], env),
                   TARGETS["sql"], "no flow"))
        flows = [until_flow_starts(["ingest", str(archive), "--db", db], env, db) for _ in range(opts.runs)]
        print(line("flow command fixed start-up", statistics.median(f[0] for f in flows), TARGETS["flow"],
                   "launch of an ingest of one stored article until its flow run begins"))
        print(line("that whole command", statistics.median(f[1] for f in flows), None,
                   "the same, plus the flow run's bookkeeping and stopping"))
        server = kept_server(env)
        try:
            until_flow_starts(["ingest", str(archive), "--db", db], env, db)  # its first flow run warms it
            kept = [until_flow_starts(["ingest", str(archive), "--db", db], env, db) for _ in range(opts.runs)]
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=60)
        print(line("the same, `postwatch server` running", statistics.median(f[0] for f in kept), None,
                   "a Prefect API server kept by `postwatch server`, found and used by the command"))
        print(f"load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
