"""`python -m tests.benchmarks [--sizes 1000,10000]`: every measurement for every size,
then one table on standard output (progress goes to standard error).

A 10,000-article pass through a ~15 articles/s model takes over ten minutes, so the
run is planned to finish within about an hour: the four extraction variants and the
load run on a slice (``--slice``, the first 2,000 articles), and so does `postwatch
crawl` (``--crawl-slice``), while `postwatch ingest` takes every article: that is where
streaming memory and the end-to-end rate are tested at full size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import endtoend
from .generate import DEFAULT_SEED, write_archive
from .report import format_table

DEFAULT_SIZES = (1000, 10_000)
DEFAULT_SLICE = 2000
PARTS = ("extract", "load", "ingest", "workers", "crawl", "cluster")
DEFAULT_PARTS = PARTS[:-1]  # "cluster" repeats the Dask path on an existing cluster: asked for by name


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of whole numbers, e.g. 200,1000")
    if not sizes or sizes[0] < 2:
        raise argparse.ArgumentTypeError("give sizes of at least 2 articles, e.g. --sizes 200,1000")
    return sizes


def _parts(text: str) -> set[str]:
    parts = {p.strip() for p in text.split(",") if p.strip()}
    unknown = parts - set(PARTS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part {sorted(unknown)[0]!r}; choose from {', '.join(PARTS)}")
    return parts


def _progress(message: str, started: float) -> None:
    print(f"[bench {time.perf_counter() - started:7.0f} s] {message}", file=sys.stderr, flush=True)


def _measure(args: list[str], log: Path) -> dict[str, Any]:
    """Runs one `tests.benchmarks.measure` subprocess and returns its JSON line."""
    with log.open("w", encoding="utf-8") as errors:
        done = subprocess.run([sys.executable, "-m", "tests.benchmarks.measure", *args], stdout=subprocess.PIPE,
                              stderr=errors, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"measurement {' '.join(args[:2])} failed (status {done.returncode}); see {log}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(n: int, opts: argparse.Namespace, work: Path, started: float) -> dict[str, Any]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    archive = work / f"bench-{n}.jsonl"
    result: dict[str, Any] = {"slice": min(n, opts.slice), "generate": write_archive(archive, n, opts.seed)}
    _progress(f"N={n}: wrote {archive} ({result['generate']['mean_words']:.0f} words on average)", started)
    limit = str(result["slice"])
    batches = work / f"batches-{n}.pickle"
    if "extract" in opts.parts or "load" in opts.parts:
        result["extract"] = {}
        variants = [("postwatch", 1), ("plain", 1), ("postwatch", 2), ("plain", 2)]
        if "extract" not in opts.parts:
            variants = variants[:1]  # the load needs the prepared batches
        for impl, procs in variants:
            args = ["extract", str(archive), "--limit", limit, "--impl", impl, "--processes", str(procs)]
            if (impl, procs) == ("postwatch", 1):
                args += ["--save-batches", str(batches)]
            key = f"{impl}-{procs}"
            result["extract"][key] = _measure(args, logs / f"extract-{n}-{key}.log")
            _progress(f"N={n}: extraction {key}: {result['extract'][key]['articles_per_s']:.1f} articles/s", started)
    if "load" in opts.parts:
        result["load"] = _measure(["load", str(batches), "--articles", str(n), "--db", str(work / f"load-{n}.duckdb")],
                                  logs / f"load-{n}.log")
        _progress(f"N={n}: load {result['load']['rows_per_s']:,.0f} rows/s", started)
    if "ingest" in opts.parts:
        result["ingest"] = endtoend.ingest(archive, work / f"ingest-{n}.duckdb", logs, f"ingest-{n}")
        _progress(f"N={n}: ingest {result['ingest']['articles_per_s']:.1f} articles/s", started)
    if "workers" in opts.parts and endtoend.supports_workers():
        result["ingest_workers"] = endtoend.ingest(archive, work / f"workers-{n}.duckdb", logs, f"workers-{n}",
                                                   workers=2)
        _progress(f"N={n}: ingest --workers 2 {result['ingest_workers']['articles_per_s']:.1f} articles/s", started)
    if "cluster" in opts.parts:
        result["cluster_articles"] = min(n, opts.slice)
        sliced = work / f"cluster-{n}.jsonl"
        sliced.write_text("".join(json.dumps(a) + "\n" for a in endtoend.read_articles(archive, min(n, opts.slice))),
                          encoding="utf-8")
        for workers in (1, 2):
            key = f"cluster_{workers}"
            result[key] = endtoend.ingest_on_cluster(sliced, work / f"{key}-{n}.duckdb", logs, f"{key}-{n}", workers)
            _progress(f"N={n}: ingest on a {workers}-worker cluster {result[key]['articles_per_s']:.1f} articles/s",
                      started)
        sliced.unlink()
    if "crawl" in opts.parts:
        result["crawl_articles"] = min(n, opts.crawl_slice)
        result["crawl"] = endtoend.crawl(endtoend.read_articles(archive, result["crawl_articles"]),
                                         work / f"crawl-{n}.duckdb", logs, f"crawl-{n}")
        _progress(f"N={n}: crawl {result['crawl']['articles_per_s']:.1f} articles/s", started)
    archive.unlink()
    return result


def machine() -> dict[str, Any]:
    import spacy

    from extractors.build import model_name

    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        pages = 0
    return {"cores": os.cpu_count(), "memory_gib": pages / 2**30, "python": platform.python_version(),
            "spacy": spacy.__version__, "model": model_name()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES),
                        help="archive sizes, comma-separated (default 1000,10000; try 100,300 for a quick run)")
    parser.add_argument("--slice", type=int, default=DEFAULT_SLICE,
                        help=f"articles the extraction variants and the load run on (default {DEFAULT_SLICE})")
    parser.add_argument("--crawl-slice", type=int, default=DEFAULT_SLICE,
                        help=f"articles the demo site serves to `postwatch crawl` (default {DEFAULT_SLICE})")
    parser.add_argument("--parts", type=_parts, default=set(DEFAULT_PARTS),
                        help=f"which measurements, comma-separated (default {','.join(DEFAULT_PARTS)}; "
                             f"add cluster for `ingest --dask-address` on a 1- and a 2-worker Dask cluster)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--workdir", type=Path, default=None, help="keep archives, warehouses and logs here")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure as JSON")
    parser.add_argument("--results", type=Path, default=None,
                        help="also write the table as a Markdown page (make bench: tests/benchmarks/RESULTS.md)")
    opts = parser.parse_args(argv)
    if opts.slice < 1 or opts.crawl_slice < 1:
        parser.error("--slice and --crawl-slice must be at least 1")
    if opts.workdir is not None and opts.workdir.exists() and not opts.workdir.is_dir():
        parser.error(f"--workdir {opts.workdir} is a file; give a folder")

    started = time.perf_counter()
    work = opts.workdir or Path(tempfile.mkdtemp(prefix="postwatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = {**machine(), "load_before": _loadavg(), "command": "python -m tests.benchmarks " + " ".join(
        sys.argv[1:] if argv is None else argv)}
    results: dict[str, Any] = {"machine": info, "sizes": {}}
    try:
        for n in opts.sizes:
            results["sizes"][str(n)] = bench_size(n, opts, work, started)
    except RuntimeError as failure:  # the logs stay in the work folder for a look
        print(f"bench failed: {failure}", file=sys.stderr)
        return 1
    if opts.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    info.update(load_after=_loadavg(), minutes=(time.perf_counter() - started) / 60)
    if opts.json:
        opts.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    table = format_table(results)
    if opts.results:
        opts.results.write_text(results_page(table, info["command"]), encoding="utf-8")
    print(table)
    return 0


def results_page(table: str, command: str) -> str:
    """The table as the page the README links, so its figures come from a run, not from a paste."""
    return (f"# Benchmark results\n\nWritten by `{command}` (`make bench`); a new run replaces this page, "
            f"so edit the benchmark, not the figures. What the figures mean and what moved them: the README's "
            f"Benchmarks section.\n\n{table}\n")


def _loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
