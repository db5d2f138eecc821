"""The main job runs every time: commands that run no flow start without the heavy
libraries, a flow starts on a busy machine and a new Prefect home, a missing Prefect API
is one line that loses nothing, Ctrl-C is one line that keeps what was loaded, and no
child process outlives the command, ``kill -9`` included. Every command here is a real
``postwatch`` process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from click.testing import CliRunner

from pipeline.checks import PARALLEL_MIN_ARTICLES, default_workers
from pipeline.cli import main

HEAVY = ("spacy", "scrapy", "prefect")
POSTWATCH = [sys.executable, "-m", "pipeline.cli"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A never-used Prefect home and no configured API: what a new user has (nor a kept
    `postwatch server` that a developer may be running on this machine)."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHONUNBUFFERED": "1", **extra}
    env.pop("PREFECT_API_URL", None)
    return env


def write_archive(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def count(db: Path, table: str = "articles") -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


# -- commands that run no flow --------------------------------------------------------
def test_importing_the_cli_imports_no_spacy_scrapy_or_prefect():
    code = "import sys, json, pipeline.cli; print(json.dumps([m for m in %r if m in sys.modules]))" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_flows_import_no_spacy_until_this_process_extracts_a_chunk():
    """A flow begins sooner without it, and an ingest whose workers extract every chunk never needs it."""
    code = "import sys, pipeline.flows; print('spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("args", [["--help"], ["sql", "SELECT 1 AS one"], ["feed", "--format", "json"],
                                  ["upgrade"], ["serve", "--help"]])
def test_commands_that_run_no_flow_import_none_of_them(args, tmp_path):
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    subprocess.run(POSTWATCH + ["upgrade", "--db", str(db)], check=True, capture_output=True)
    if args[0] not in ("--help", "serve"):
        args = args + ["--db", str(db)]
    # serve's start: the modules it imports before it listens
    code = textwrap.dedent(f"""
        import json, sys
        from pipeline.cli import main
        import pipeline.feed_server
        try:
            main({args!r}, standalone_mode=False)
        finally:
            print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_importing_the_package_sets_no_environment_variable():
    code = "import os, json; before = dict(os.environ); import pipeline, pipeline.cli; print(json.dumps(dict(os.environ) == before))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) is True


def test_an_unexpected_error_is_one_line_and_a_log_with_the_traceback(tmp_path, monkeypatch):
    import warehouse.query

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire\nsecond line")

    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    CliRunner().invoke(main, ["upgrade", "--db", str(db)], catch_exceptions=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(warehouse.query, "run_query", broken)
    result = CliRunner().invoke(main, ["sql", "SELECT 1", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: unexpected RuntimeError: the disk is on fire (the traceback is in ")
    log = Path(lines[0].split("the traceback is in ")[1].split(";")[0])
    assert log.parent == tmp_path / "state" / "postwatch" / "logs"
    assert "Traceback" in log.read_text() and "second line" in log.read_text()


# -- both cores by default --------------------------------------------------------------
def test_workers_default_to_every_idle_core_only_for_a_big_enough_input():
    cores = len(os.sched_getaffinity(0))
    assert default_workers(PARALLEL_MIN_ARTICLES - 1, load=0.0) == 1
    assert default_workers(PARALLEL_MIN_ARTICLES, load=0.1) == cores
    assert default_workers(PARALLEL_MIN_ARTICLES, load=cores + 3.0) == 1  # every core taken by others
    if cores >= 2:
        assert default_workers(PARALLEL_MIN_ARTICLES, load=1.0) == cores - 1


# -- the Prefect API --------------------------------------------------------------------
@pytest.fixture()
def loaded(articles, tmp_path):
    """A warehouse holding two articles, loaded without Prefect, and a new archive of three."""
    from pipeline.process import process_items
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    process_items(iter(articles[:2]), con)
    con.close()
    return db, write_archive(tmp_path / "more.jsonl", articles[2:5])


@pytest.mark.slow
def test_a_prefect_server_that_does_not_start_in_time_is_one_line_and_loses_nothing(loaded, tmp_path):
    db, archive = loaded
    done = subprocess.run(POSTWATCH + ["ingest", str(archive), "--db", str(db)], capture_output=True, text=True,
                          env=env_for(tmp_path, POSTWATCH_PREFECT_TIMEOUT="0.01"), timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: postwatch could not reach its own Prefect API server within 0.01 s")
    assert "set PREFECT_API_URL to a running Prefect server" in done.stderr
    assert "POSTWATCH_PREFECT_TIMEOUT=600" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert count(db) == 2 and count(db, "runs") == 0


@pytest.mark.slow
def test_an_unreachable_prefect_api_url_is_one_line_and_loses_nothing(loaded, tmp_path):
    db, archive = loaded
    with __import__("socket").socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/api"
    env = {**env_for(tmp_path, POSTWATCH_PREFECT_TIMEOUT="1"), "PREFECT_API_URL": url}
    done = subprocess.run(POSTWATCH + ["ingest", str(archive), "--db", str(db)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"Error: postwatch could not reach the Prefect API at {url} within 1 s; "
                                   "set PREFECT_API_URL to a running Prefect server (start one with `prefect server "
                                   "start`), or give it longer on a busy machine with POSTWATCH_PREFECT_TIMEOUT=600, "
                                   "or keep one running with `postwatch server`")
    assert count(db) == 2 and count(db, "runs") == 0


@pytest.mark.slow
def test_a_flow_completes_on_a_busy_machine_with_a_new_prefect_home(articles, tmp_path):
    """Three CPU-bound processes on the two cores (each stops by itself after four minutes)."""
    busy = [subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + 240\nwhile time.time() < end: pass"])
            for _ in range(3)]
    try:
        archive = write_archive(tmp_path / "five.jsonl", articles[:5])
        db = tmp_path / "w.duckdb"
        done = subprocess.run(POSTWATCH + ["ingest", str(archive), "--db", str(db)], capture_output=True, text=True,
                              env=env_for(tmp_path), timeout=400)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert done.returncode == 0, done.stderr
    assert count(db) == 5
    assert "articles   5 seen: 5 new, 0 changed, 0 unchanged" in done.stdout
    assert "{" not in done.stdout and "Task run" not in done.stdout + done.stderr  # a table; Prefect's lines in the log
    assert list((tmp_path / "w.duckdb.logs").glob("run-*.log"))


@pytest.mark.slow
def test_two_worker_processes_report_to_the_commands_own_prefect_api(articles, tmp_path):
    """Prefect relays the workers' log lines from a thread that would otherwise start a
    temporary API server of its own (pipeline.pool.LocalProcesses)."""
    db = tmp_path / "w.duckdb"
    done = subprocess.run(POSTWATCH + ["ingest", str(write_archive(tmp_path / "a.jsonl", articles)), "--db", str(db),
                                       "--workers", "2"], capture_output=True, text=True, env=env_for(tmp_path),
                          timeout=400)
    assert done.returncode == 0, done.stderr
    assert count(db) == len(articles)
    assert done.stderr == "" and "Traceback" not in done.stdout
    (log,) = (tmp_path / "w.duckdb.logs").glob("run-*.log")
    assert "Starting temporary server" not in log.read_text(encoding="utf-8")


# -- stopping and killing -------------------------------------------------------------------
def start_ingest(archive: Path, db: Path, tmp_path: Path, workers: int = 1) -> subprocess.Popen:
    """An ingest in its own process group, as a terminal runs it."""
    return subprocess.Popen(POSTWATCH + ["ingest", str(archive), "--db", str(db), "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env_for(tmp_path, POSTWATCH_CHUNK_SIZE="4"), start_new_session=True)


def copies(articles: list[dict], times: int) -> list[dict]:
    """*times* as many articles, each copy at an address of its own: enough work that two
    worker processes are still busy when the test stops them."""
    return [{**a, "id": f"{a['id']}-{k}", "url": f"{a['url']}?copy={k}", "text": f"{a['text']}\n\nCopy {k}."}
            for k in range(times) for a in articles]


def is_worker(process: psutil.Process) -> bool:
    return "multiprocessing.spawn" in command_line(process)


def wait_for_log(process: subprocess.Popen, db: Path, needle: str, also: str = "", within: float = 240) -> None:
    """Waits until the command's run log (beside the warehouse) has a line with *needle* and *also*."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for log in Path(f"{db}.logs").glob("run-*.log"):
            if any(needle in line and also in line for line in log.read_text(encoding="utf-8").splitlines()):
                return
        assert process.poll() is None, f"the command ended first: {process.stdout.read()[-2000:]}"
        time.sleep(0.05)
    raise AssertionError(f"no {needle!r} in the run log within {within} s")


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def command_line(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def interrupt(process: subprocess.Popen, to_group: bool = True) -> tuple[str, float]:
    """Ctrl-C (SIGINT to the group, or to the process alone); returns its output and how long
    it took to end. Killed if it has not ended within 30 s."""
    os.killpg(process.pid, signal.SIGINT) if to_group else process.send_signal(signal.SIGINT)
    started = time.monotonic()
    try:
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return out, time.monotonic() - started


def wait_for_scrapy(crawl: subprocess.Popen, within: float = 240) -> list[psutil.Process]:
    """The crawl command's child processes, once its Scrapy subprocess is among them."""
    deadline = time.monotonic() + within
    children = descendants(crawl.pid)
    while not any("spiders.run" in command_line(p) for p in children):
        assert crawl.poll() is None and time.monotonic() < deadline, "no Scrapy subprocess was seen"
        time.sleep(0.05)
        children = descendants(crawl.pid)
    return children


def gone(processes: list[psutil.Process], within: float = 15) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.slow
@pytest.mark.parametrize("to_group, workers", [(True, 1), (False, 1), (True, 2)],
                         ids=["ctrl-c-in-a-terminal", "sigint-to-the-process", "ctrl-c-with-two-worker-processes"])
def test_ctrl_c_stops_with_one_line_and_keeps_the_loaded_chunks(articles, tmp_path, to_group, workers):
    db = tmp_path / "w.duckdb"
    articles = copies(articles, 4) if workers > 1 else articles
    ingest = start_ingest(write_archive(tmp_path / "a.jsonl", articles), db, tmp_path, workers)
    try:
        wait_for_log(ingest, db, "Task run 'load-", also="Completed")  # the first chunk is in
        children = descendants(ingest.pid)
        assert sum(map(is_worker, children)) == (workers if workers > 1 else 0)
    except BaseException:
        interrupt(ingest, to_group)
        raise
    rest, took = interrupt(ingest, to_group)
    last = rest.strip().splitlines()[-1]
    assert ingest.returncode == 130, rest
    assert last.startswith("stopped; ") and last.endswith(" articles loaded, the next run resumes")
    assert "Traceback" not in rest and len(rest.strip().splitlines()) == 1
    loaded = int(last.split()[1])
    assert 4 <= loaded < len(articles) and count(db) == loaded
    assert took < 15
    assert children and gone(children)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-worker-processes"])
def test_kill_9_of_an_ingest_takes_its_prefect_server_and_workers_with_it(articles, tmp_path, workers):
    db = tmp_path / "w.duckdb"
    articles = copies(articles, 4) if workers > 1 else articles
    ingest = start_ingest(write_archive(tmp_path / "a.jsonl", articles), db, tmp_path, workers)
    try:
        if workers > 1:
            wait_for_log(ingest, db, "Task run 'load-", also="Completed")  # the workers are up
        else:
            wait_for_log(ingest, db, "Beginning flow run")  # the Prefect API server is up
        children = descendants(ingest.pid)
        assert any("uvicorn" in command_line(p) for p in children)
        assert sum(map(is_worker, children)) == (workers if workers > 1 else 0)
        ingest.kill()  # the command alone, as `kill -9 PID` does
        ingest.wait(timeout=30)
    finally:
        ingest.stdout.close()
    assert gone(children)


@pytest.mark.slow
def test_a_worker_process_that_dies_is_one_line_and_the_next_run_resumes(articles, tmp_path):
    """The kernel's out-of-memory killer, or a person, ends one worker mid-run."""
    db, archive = tmp_path / "w.duckdb", write_archive(tmp_path / "a.jsonl", copies(articles, 4))
    ingest = start_ingest(archive, db, tmp_path, workers=2)
    try:
        wait_for_log(ingest, db, "Task run 'load-", also="Completed")
        next(p for p in descendants(ingest.pid) if is_worker(p)).kill()
        out, _ = ingest.communicate(timeout=120)
    finally:
        if ingest.poll() is None:
            os.killpg(ingest.pid, signal.SIGKILL)
            ingest.wait()
    loaded = count(db)
    assert ingest.returncode == 1
    assert out.strip() == (f"Error: a worker process died (killed, or out of memory?); the {loaded} articles loaded "
                           "stay: run the same command again to resume, with --workers 1 if memory is short")
    assert 4 <= loaded < 4 * len(articles)
    again = subprocess.run(POSTWATCH + ["ingest", str(archive), "--db", str(db), "--workers", "2"], capture_output=True,
                           text=True, env=env_for(tmp_path), timeout=400)
    assert again.returncode == 0, again.stderr
    assert count(db) == 4 * len(articles)


@pytest.mark.slow
def test_kill_9_of_a_crawl_takes_scrapy_and_prefect_with_it(demo_site, tmp_path):
    crawl = subprocess.Popen(POSTWATCH + ["crawl", demo_site.url + "/", "--db", str(tmp_path / "w.duckdb")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env_for(tmp_path))
    try:
        children = wait_for_scrapy(crawl)
        commands = [command_line(p) for p in children]
        crawl.kill()
        crawl.wait(timeout=30)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
    assert any("uvicorn" in c for c in commands)
    assert gone(children)


@pytest.mark.slow
def test_ctrl_c_during_a_crawl_stops_scrapy_and_prefect_with_one_line(demo_site, tmp_path):
    crawl = subprocess.Popen(POSTWATCH + ["crawl", demo_site.url + "/", "--db", str(tmp_path / "w.duckdb")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_for(tmp_path),
                             start_new_session=True)
    try:
        children = wait_for_scrapy(crawl)
    except BaseException:
        interrupt(crawl)
        raise
    out, took = interrupt(crawl)  # Ctrl-C in the terminal
    assert crawl.returncode == 130, out
    assert out.strip() == "stopped; 0 articles loaded, the next run resumes"
    assert took < 15 and gone(children)
