"""Both cores by default: an archive big enough to repay the workers' start-up gets a
worker per core even when other programs keep the cores somewhat busy (the kernel shares
them out per process, so one process would get the smaller share), but not when they
outnumber the cores twice over; a mid-sized one gets the idle cores only; a small one one
process. The figures behind the numbers: ``python -m tests.benchmarks.default_ingest``."""

from __future__ import annotations

import os

from click.testing import CliRunner

from pipeline.checks import BIG_ARCHIVE_ARTICLES, PARALLEL_MIN_ARTICLES, default_workers
from pipeline.cli import main

CORES = len(os.sched_getaffinity(0))


def test_a_big_archive_takes_every_core_on_a_somewhat_busy_machine():
    assert default_workers(BIG_ARCHIVE_ARTICLES, load=0.0) == CORES
    assert default_workers(BIG_ARCHIVE_ARTICLES, load=CORES + 0.5) == CORES  # no idle core, still worth it


def test_a_very_busy_machine_keeps_one_process_even_for_a_big_archive():
    assert default_workers(10 * BIG_ARCHIVE_ARTICLES, load=2 * CORES + 0.5) == 1


def test_a_mid_sized_archive_takes_only_the_idle_cores():
    assert PARALLEL_MIN_ARTICLES < BIG_ARCHIVE_ARTICLES
    assert default_workers(BIG_ARCHIVE_ARTICLES - 1, load=CORES + 0.5) == 1
    assert default_workers(BIG_ARCHIVE_ARTICLES - 1, load=0.0) == CORES


def test_ingest_help_states_the_default():
    shown = " ".join(CliRunner().invoke(main, ["ingest", "--help"], terminal_width=200).output.split())
    assert f"one per core from {BIG_ARCHIVE_ARTICLES} articles unless the machine is very busy" in shown
