"""`python -m tests.benchmarks.serve [--clients 200]`: a crowd of feed readers polling
`postwatch serve` at the same moment, on 127.0.0.1.

Every client connects at once (a barrier releases them together), asks for
``/alerts.atom`` and reads the whole answer; the run prints how many were answered,
the status codes, the latency percentiles, and the kernel's listen-queue overflow
count over the run (``ListenOverflows`` in /proc/net/netstat, when readable). It is a
measurement, not a test: nothing here passes or fails. The warehouse is a temporary
one holding invented failed recruitments, unless ``--db`` names one.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from pipeline.feed_server import FeedServer
from warehouse.db import connect
from warehouse.load import Batch, load_batch
from warehouse.rows import article_id, article_row, org_id, stable_id

ORGS = ("Fenwold Valley NHS Trust", "Marrowby Integrated Care Board", "Tarnhollow Community Health")


def invented_warehouse(path: Path, articles: int = 60) -> Path:
    """A warehouse of *articles* invented articles, each with one NO_APPOINTMENT event."""
    batch = Batch()
    for n in range(articles):
        url = f"https://news.example.test/leadership/{n}"
        org = ORGS[n % len(ORGS)]
        article = article_row({"url": url, "title": f"Search for a director ends without a hire ({n})",
                               "published": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
                               "text": "Invented text.", "content_hash": f"h{n}"})
        event = {"event_id": stable_id("event", url, n), "article_id": article_id(url), "event_type": "NO_APPOINTMENT",
                 "post": "director of operations", "organisation": org, "org_id": org_id(org), "person": None,
                 "person_id": None, "interim": False, "event_date": None, "start_char": 0, "end_char": 9,
                 "sentence": f"{org} said its search for a director of operations ended without an appointment."}
        batch.add(article, {"people": [], "organisations": [{"org_id": org_id(org), "name": org}],
                            "mentions": [], "posts": [], "salaries": [], "events": [event]})
    con = connect(path)
    try:
        load_batch(con, batch)
    finally:
        con.close()
    return path


def listen_overflows() -> int | None:
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            fields = dict(zip(names.split()[1:], values.split()[1:]))
            return int(fields.get("ListenOverflows", 0))
    return None


def poll(host: str, port: int, path: str, start: threading.Barrier, timeout: float) -> tuple[str, float]:
    """One reader: connect when released, GET *path*, read to the end; (status, seconds)."""
    start.wait()
    began = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head = b"".join(chunks).split(b"\r\n", 1)[0].decode("latin-1")
        status = head.split()[1] if len(head.split()) > 1 else "no answer"
    except OSError as exc:
        status = type(exc).__name__
    return status, time.perf_counter() - began


def measure(db: Path, clients: int, timeout: float) -> dict:
    server = FeedServer(db, port=0).start()
    host, port = server.httpd.server_address[:2]
    try:
        poll(host, port, "/alerts.atom", threading.Barrier(1), timeout)  # warm: the first answer loads modules
        start = threading.Barrier(clients)
        results: list[tuple[str, float]] = []
        lock = threading.Lock()

        def reader() -> None:
            outcome = poll(host, port, "/alerts.atom", start, timeout)
            with lock:
                results.append(outcome)

        before = listen_overflows()
        began = time.perf_counter()
        threads = [threading.Thread(target=reader, daemon=True) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout + 5)
        wall = time.perf_counter() - began
        after = listen_overflows()
    finally:
        server.stop()
    seconds = sorted(s for _, s in results)
    return {"clients": clients, "answered": sum(1 for status, _ in results if status == "200"),
            "statuses": Counter(status for status, _ in results), "wall": wall,
            "p50": statistics.median(seconds), "p95": seconds[max(0, int(len(seconds) * 0.95) - 1)],
            "max": seconds[-1], "overflows": None if before is None or after is None else after - before}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="readers polling at once (default 200)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a reader waits (default 60)")
    parser.add_argument("--db", type=Path, default=None, help="warehouse to serve (default: an invented one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="postwatch-serve-bench-") as tmp:
        db = args.db or invented_warehouse(Path(tmp) / "alerts.duckdb")
        figures = measure(db, args.clients, args.timeout)
    statuses = ", ".join(f"{status} x{n}" for status, n in sorted(figures["statuses"].items()))
    overflows = "n/a" if figures["overflows"] is None else figures["overflows"]
    print(f"{figures['clients']} concurrent readers of /alerts.atom: {figures['answered']} answered 200 "
          f"({statuses}); p50 {figures['p50']:.3f} s, p95 {figures['p95']:.3f} s, max {figures['max']:.3f} s; "
          f"all done in {figures['wall']:.2f} s; listen-queue overflows: {overflows}")


if __name__ == "__main__":
    main()
