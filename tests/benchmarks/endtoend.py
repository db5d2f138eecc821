"""End-to-end runs of the real command line: `postwatch ingest` of a JSONL archive and
`postwatch crawl` of the same articles served by the demo site on 127.0.0.1.

Each command pays a fixed start-up before its first article: the interpreter and its
imports, Prefect's temporary API server, the spaCy model, and (for a crawl) the Scrapy
subprocess. That is measured as the same command on a one-article input, and reported
on its own; the rate is the articles over the time left after it. A re-run on the same
input into the same warehouse shows what an unchanged archive costs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.demo.site import DemoSite
from spiders.jsonl import read_jsonl

from .memory import run_watched

NOISE_SECONDS = 0.5
SUMMARY = re.compile(r"articles: (\d+) seen, (\d+) new, (\d+) changed, (\d+) unchanged")


@dataclass
class Run:
    """One command: its exit status, wall seconds, articles seen and extracted, peak MiB."""

    status: int
    seconds: float
    seen: int
    extracted: int
    peak_mib: float
    prefect_server_mib: float
    log: str


def postwatch_command() -> list[str]:
    script = Path(sys.executable).with_name("postwatch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]


def supports_workers() -> bool:
    """Whether this postwatch has `ingest --workers` (the Dask path)."""
    shown = subprocess.run([*postwatch_command(), "ingest", "--help"], capture_output=True, text=True)
    return "--workers" in shown.stdout


def run_postwatch(args: list[str], log: Path) -> Run:
    status, seconds, peaks = run_watched([*postwatch_command(), *args], log=log)
    text = log.read_text(encoding="utf-8", errors="replace")
    found = SUMMARY.search(text)
    seen, new, changed = (int(found.group(i)) for i in (1, 2, 3)) if found else (0, 0, 0)
    return Run(status, seconds, seen, new + changed, peaks.pipeline_mib(), peaks.infrastructure_mib(), str(log))


def ingest(archive: Path, db: Path, logs: Path, name: str, workers: int = 1) -> dict[str, Any]:
    """Start-up (one-article archive, fresh then unchanged), first run and re-run of *archive*."""
    one = logs / f"{name}-one.jsonl"
    with archive.open(encoding="utf-8") as source:
        one.write_text(source.readline(), encoding="utf-8")
    extra = ["--workers", str(workers)]  # always said: ingest's default now depends on the input's size

    def run(path: Path, target: Path, label: str) -> Run:
        return run_postwatch(["ingest", str(path), "--db", str(target), *extra], logs / f"{name}-{label}.log")

    return _measured(lambda label, target: run(one, target, label), lambda label: run(archive, db, label), db, name)


def ingest_on_cluster(archive: Path, db: Path, logs: Path, name: str, workers: int) -> dict[str, Any]:
    """`postwatch ingest --dask-address` against a Dask cluster that already runs: a
    LocalCluster of *workers* one-thread processes on 127.0.0.1, started afresh for each
    command so every run meets cold workers (each loads the model on its first chunk)."""
    from distributed import LocalCluster

    one = logs / f"{name}-one.jsonl"
    with archive.open(encoding="utf-8") as source:
        one.write_text(source.readline(), encoding="utf-8")

    def run(path: Path, target: Path, label: str) -> Run:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            return run_postwatch(["ingest", str(path), "--db", str(target), "--dask-address",
                                  cluster.scheduler_address], logs / f"{name}-{label}.log")

    return _measured(lambda label, target: run(one, target, label), lambda label: run(archive, db, label), db, name)


def crawl(articles: list[dict], db: Path, logs: Path, name: str) -> dict[str, Any]:
    """The same as :func:`ingest`, crawling the demo site from its sitemap. The full site
    stays up on one port for both runs, so the re-run sees the same urls."""
    # every article, plus listing pages, sitemaps and the site's few other pages
    budget = len(articles) + len(articles) // 10 + len(articles) // 500 + 50

    def run(site: DemoSite, target: Path, label: str) -> Run:
        return run_postwatch(["crawl", f"{site.url}/sitemap.xml", "--db", str(target), "--max-pages", str(budget)],
                             logs / f"{name}-{label}.log")

    with DemoSite(articles[:1]) as small, DemoSite(articles) as site:
        return _measured(lambda label, target: run(small, target, label), lambda label: run(site, db, label), db, name)


def _measured(one: Callable[[str, Path], Run], full: Callable[[str], Run], db: Path, name: str) -> dict[str, Any]:
    startup_db = db.with_name(f"{db.stem}-startup.duckdb")
    startup = one("startup", startup_db)
    startup_unchanged = one("startup-again", startup_db)
    first = full("first")
    second = full("again")
    for run in (startup, startup_unchanged, first, second):
        if run.status != 0:
            raise RuntimeError(f"{name}: postwatch exited with status {run.status}; see {run.log}")
    work = max(first.seconds - startup.seconds, 1e-9)
    again = second.seconds - startup_unchanged.seconds
    flows = flow_seconds(db)
    return {
        "startup": startup.seconds, "startup_unchanged": startup_unchanged.seconds,
        "first": asdict(first), "second": asdict(second),
        "articles_per_s": first.extracted / work,
        "rerun_ratio": first.seconds / second.seconds,
        # below half a second the re-run's own work is lost in start-up noise
        "rerun_ratio_net": work / again if again >= NOISE_SECONDS else None,
        # the flow runs' own time, from the warehouse's `runs` rows: start-up stays out by construction
        "flow_seconds": flows,
        "rerun_ratio_flow": flows[0] / flows[1] if len(flows) == 2 and flows[1] > 0 else None,
    }


def flow_seconds(db: Path) -> list[float]:
    """Seconds from start to finish of each flow run recorded in *db*, oldest first. A run's
    row is written when its flow starts and when it ends, so interpreter, imports and
    Prefect's API server (all before the flow starts) are not in it; the model load is."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT epoch(finished - started) FROM runs WHERE finished IS NOT NULL "
                           "ORDER BY started").fetchall()
    finally:
        con.close()
    return [float(seconds) for (seconds,) in rows]


def read_articles(archive: Path, limit: int) -> list[dict]:
    """The first *limit* articles of *archive*: the demo site serves them from memory."""
    return list(islice(read_jsonl(archive), limit))
