"""`postwatch server` keeps one Prefect API server for the flow commands: a flow command
finds it through its state file and reports its run there instead of booting a server of
its own; a second `postwatch server` is refused in one line; Ctrl-C or ``kill`` stops it
and removes the state file; a state file left by a killed server is ignored. Every
command here is a real ``postwatch`` process; nothing here imports Prefect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import psutil
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.prefect_api import KeptServer, PrefectApi, state_file
from tests.pipeline.test_runtime import interrupt

POSTWATCH = [sys.executable, "-m", "pipeline.cli"]


def env_for(tmp_path: Path) -> dict[str, str]:
    """A user of their own: state, data and Prefect home in *tmp_path*, no configured API."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_API_URL", None)
    return env


def start_server(tmp_path: Path, within: float = 180) -> tuple[subprocess.Popen, dict]:
    server = subprocess.Popen(POSTWATCH + ["server"], env=env_for(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    state = tmp_path / "state" / "postwatch" / "prefect-server.json"
    deadline = time.monotonic() + within
    while not state.exists():
        assert server.poll() is None, f"postwatch server ended: {server.stdout.read()}"
        assert time.monotonic() < deadline, "postwatch server wrote no state file"
        time.sleep(0.1)
    return server, json.loads(state.read_text())


def flow_run_ids(url: str) -> set[str]:
    request = urllib.request.Request(f"{url}/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return {run["id"] for run in json.load(response)}


def test_server_help_has_an_example():
    result = CliRunner().invoke(main, ["server", "--help"])
    assert result.exit_code == 0 and "Example: postwatch server" in result.output


def test_a_state_file_whose_server_is_gone_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    state_file().parent.mkdir(parents=True)
    state_file().write_text(json.dumps({"url": "http://127.0.0.1:9/api", "pid": gone.pid}))
    assert KeptServer.running() is None
    api = PrefectApi()
    assert not api.kept and api.url != "http://127.0.0.1:9/api"  # its own server (or the harness's), not that one
    state_file().write_text("not json")
    assert KeptServer.running() is None


def test_a_taken_port_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(POSTWATCH + ["server", "--port", str(port)], env=env_for(tmp_path),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: port {port} on 127.0.0.1 is taken; pass another --port, or leave it out"


@pytest.mark.slow
def test_a_kept_server_is_used_by_flows_refused_twice_and_stopped_cleanly(articles, tmp_path):
    server, state = start_server(tmp_path)
    try:
        children = psutil.Process(server.pid).children(recursive=True)
        assert any("uvicorn" in " ".join(p.cmdline()) for p in children)
        assert Path(state["database"]) == tmp_path / "data" / "postwatch" / "prefect.db"

        again = subprocess.run(POSTWATCH + ["server"], env=env_for(tmp_path), capture_output=True, text=True,
                               timeout=60)
        assert again.returncode == 1
        assert again.stderr.strip() == (f"Error: postwatch already keeps a Prefect API server at {state['url']} "
                                        f"(pid {server.pid}); use that one, or stop it first")

        archive = tmp_path / "a.jsonl"
        archive.write_text("".join(json.dumps(a) + "\n" for a in articles[:2]), encoding="utf-8")
        db = tmp_path / "w.duckdb"
        ingest = subprocess.Popen(POSTWATCH + ["ingest", str(archive), "--db", str(db), "-q"], env=env_for(tmp_path),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        own_servers = set()
        while ingest.poll() is None:  # the ingest boots no server of its own
            try:
                own_servers |= {p.pid for p in psutil.Process(ingest.pid).children(recursive=True)
                                if "uvicorn" in " ".join(p.cmdline())}
            except psutil.Error:
                pass
            time.sleep(0.05)
        out = ingest.stdout.read()
        assert ingest.returncode == 0, out
        assert not own_servers
        con = duckdb.connect(str(db), read_only=True)
        run_id = con.execute("SELECT run_id FROM runs").fetchone()[0]
        con.close()
        assert run_id in flow_run_ids(state["url"])  # a real Prefect flow run, on the kept server
    finally:
        out, _ = interrupt(server)  # Ctrl-C in its terminal
    assert server.returncode == 0, out
    assert not (tmp_path / "state" / "postwatch" / "prefect-server.json").exists()
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive


@pytest.mark.slow
def test_kill_stops_a_kept_server_and_removes_its_state_file(tmp_path):
    server, _ = start_server(tmp_path)
    children = psutil.Process(server.pid).children(recursive=True)
    server.terminate()  # `kill PID`
    assert server.wait(timeout=30) == 0
    assert not (tmp_path / "state" / "postwatch" / "prefect-server.json").exists()
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive
