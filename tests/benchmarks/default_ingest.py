"""`python -m tests.benchmarks.default_ingest [--articles 1500] [--repeat 2]`: the default
`postwatch ingest` against plain two-process ``nlp.pipe`` over the same texts, start-up included.

A user with an archive types ``postwatch ingest archive.jsonl``, not ``--workers 2``, and
waits from the prompt to the summary. So both sides are timed that way, as fresh
processes from launch to exit on the same generated archive:

- A: ``postwatch ingest ARCHIVE --db <new file> -q`` with its default workers, which
  includes the Prefect API, the workers' start-up and model loads, and the warehouse;
- B: ``nlp.pipe(texts, n_process=2)`` of the same model in a fresh interpreter
  (``tests.benchmarks.measure extract --impl plain --processes 2``), model load included.

A and B run back to back, *repeat* times (B first in odd pairs, A first in even ones: the
default reads the 1-minute load average, which B's two busy processes raise for a while),
so other work on the machine weighs on both alike (``--workers default,1,2`` runs A once per variant after each B,
to compare the default with chosen counts); each pair prints its ratio B/A (A's rate as a share of B's: the
target is at least 0.70) with the load average at its start. A one-article ingest
runs first, untimed, so Prefect's database is made before any timed run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.checks import default_workers

from .endtoend import postwatch_command
from .generate import write_archive

TARGET = 0.70


def timed(command: list[str], env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed (status {done.returncode}); see {log}")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.default_ingest",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1500, help="archive size (default 1500)")
    parser.add_argument("--repeat", type=int, default=2, help="pairs of runs (default 2)")
    parser.add_argument("--workers", default="default", metavar="LIST",
                        help="ingest variants after each plain run: 'default' and/or worker counts, comma-separated "
                             "(e.g. default,1,2; default: default)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the archive and logs in this folder")
    opts = parser.parse_args(argv)
    variants = [v.strip() for v in opts.workers.split(",") if v.strip()]
    if not variants or any(v != "default" and not v.isdigit() for v in variants):
        parser.error(f"--workers {opts.workers!r}: give 'default' and/or whole numbers, e.g. default,1,2")
    with tempfile.TemporaryDirectory(prefix="postwatch-default-ingest-") as tmp:
        work = opts.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home")}
        env.pop("PREFECT_API_URL", None)
        archive = work / f"bench-{opts.articles}.jsonl"
        write_archive(archive, opts.articles)
        one = work / "one.jsonl"
        write_archive(one, 1)
        timed([*postwatch_command(), "ingest", str(one), "--db", str(work / "warm.duckdb"), "-q"], env,
              work / "warm.log")
        plain = [sys.executable, "-m", "tests.benchmarks.measure", "extract", str(archive), "--limit",
                 str(opts.articles), "--impl", "plain", "--processes", "2"]
        print(f"{opts.articles} articles; {os.cpu_count()} cores; B = plain nlp.pipe(n_process=2), "
              "A = postwatch ingest; wall seconds from launch to exit")
        ratios: dict[str, list[float]] = {v: [] for v in variants}
        for run in range(opts.repeat):
            load = os.getloadavg()[0]
            timings: dict[str, float] = {}
            shown = []
            # B first in odd pairs, last in even ones: the default reads the 1-minute load average,
            # which a plain run that has just used both cores raises for the ingest after it
            order = ["plain", *variants] if run % 2 == 0 else [*variants, "plain"]
            for variant in order:
                if variant == "plain":
                    timings[variant] = timed(plain, env, work / f"plain-{run}.log")
                    continue
                extra = [] if variant == "default" else ["--workers", variant]
                if variant == "default":
                    shown.append(f"default picks {default_workers(opts.articles)} at load {os.getloadavg()[0]:.2f}")
                timings[variant] = timed([*postwatch_command(), "ingest", str(archive), "--db",
                                          str(work / f"fresh-{run}-{variant}.duckdb"), "-q", *extra], env,
                                         work / f"ingest-{run}-{variant}.log")
            b = timings["plain"]
            shown.insert(0, f"plain {b:6.1f} s")
            for variant in variants:
                ratios[variant].append(b / timings[variant])
                shown.append(f"ingest {_label(variant)} {timings[variant]:6.1f} s: ratio {b / timings[variant]:.2f}")
            print(f"pair {run + 1} ({' then '.join(order)}): load average {load:.2f} -> {os.getloadavg()[0]:.2f}; "
                  f"{'; '.join(shown)}", flush=True)
        for variant, got in ratios.items():
            median = statistics.median(got)
            verdict = f"  target >= {TARGET:.2f}: {'met' if median >= TARGET else 'MISSED'}" if variant == "default" else ""
            print(f"ingest {_label(variant)} / plain two-process nlp.pipe, start-up included: {median:.2f} "
                  f"(median of {len(got)}){verdict}")
    return 0


def _label(variant: str) -> str:
    return "(default workers)" if variant == "default" else f"--workers {variant}"


if __name__ == "__main__":
    sys.exit(main())
