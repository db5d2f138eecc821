"""The README works as written: `postwatch demo` (what `make demo` runs) makes a
warehouse, then every `postwatch …` command the README shows runs as shown, by a shell
that finds `postwatch` on its PATH as the quick start's `source .venv/bin/activate` does.

The only commands not run name the reader's own news site or cluster (placeholders
like news.example.org): they would send traffic off this machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import pytest

pytestmark = pytest.mark.slow
README = Path(__file__).resolve().parents[2] / "README.md"
BIN = Path(sys.executable).parent
OFF_THIS_MACHINE = re.compile(r"https?://(?!127\.0\.0\.1)|tcp://(?!127\.0\.0\.1)")


def readme_commands() -> list[str]:
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)
    lines = (line.split("  #")[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line.startswith("postwatch ")]


RUNNABLE = [c for c in readme_commands() if not OFF_THIS_MACHINE.search(c)]


def test_the_readme_shows_commands_and_only_placeholders_are_left_out():
    left_out = [c for c in readme_commands() if c not in RUNNABLE]
    assert len(RUNNABLE) >= 5
    assert all("example.org" in c or "10.0.0.5" in c for c in left_out), left_out


@pytest.fixture(scope="module")
def demo(tmp_path_factory, articles) -> Path:
    """A folder as `make demo` leaves it, with the archive the backfill example loads."""
    where = tmp_path_factory.mktemp("readme")
    done = subprocess.run([str(BIN / "postwatch"), "demo"], cwd=where, env=shell_env(where), capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Try next" in done.stdout and 'postwatch sql "SELECT' in done.stdout
    assert (where / "postwatch.duckdb").exists() and (where / "alerts.xml").exists()
    (where / "archive.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return where


def shell_env(where: Path) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PREFECT_HOME": str(where / "prefect-home")}
    for name in ("PREFECT_API_URL", "POSTWATCH_DB"):
        env.pop(name, None)
    return env


@pytest.mark.parametrize("command", [c for c in RUNNABLE if " serve" not in c])
def test_readme_command_runs_as_shown(demo, command):
    done = subprocess.run(["bash", "-c", command], cwd=demo, env=shell_env(demo), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() or ">" in command or "--out " in command, "the command printed nothing"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [c for c in RUNNABLE if " serve" in c])
def test_readme_serve_command_serves_the_feed(demo, command):
    port = int(re.search(r"--port (\d+)", command).group(1))
    server = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=demo, env=shell_env(demo),
                              stderr=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()
        if "cannot listen" in first:
            pytest.skip(f"port {port} is taken on this machine: {first.strip()}")
        assert first.startswith("serving "), first
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/alerts.atom", timeout=5) as response:
                    body = response.read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the feed server never answered"
                time.sleep(0.2)
        assert feedparser.parse(body).entries
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
