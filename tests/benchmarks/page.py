"""How fast the page answers on a large warehouse: ``python -m tests.benchmarks.page``.

Extracting 10,000 articles takes about 12 minutes, and the page only reads the warehouse,
so the warehouse is built the way the load benchmark builds its input: a slice of
generated articles (tests/benchmarks/generate.py) is extracted once, then its rows are
repeated under new urls until there are N articles. Unlike the load benchmark, each copy
also gets its own organisations and people (ids and names), so stories, organisation
pages and searches grow as they would with N different articles, instead of one story
collecting every copy. Stories are then rebuilt once (that time is printed too), and
each page is fetched over HTTP from the real server on 127.0.0.1: one warm-up, then
``--repeat`` timed requests, median and 95th percentile printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

TARGET_MS = 200


def build(db: Path, articles: int, seed_articles: int) -> dict[str, float]:
    """A warehouse of *articles* articles at *db*; returns the seconds each step took."""
    from tests.benchmarks.generate import iter_articles
    from pipeline.process import _chunks
    from pipeline.worker import extract_batch, pipeline_for
    from spiders.archive import iter_archive
    from warehouse.db import connect
    from warehouse.load import load_batch
    from warehouse.stories import refresh_stories

    begun = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "seed.jsonl"
        archive.write_text("".join(json.dumps(a) + "\n" for a in iter_articles(seed_articles)), encoding="utf-8")
        nlp = pipeline_for(None)
        batches = [extract_batch(chunk, nlp) for chunk in _chunks(iter_archive(archive), 128)]
    extracted = time.perf_counter()
    con = connect(db)
    try:
        count, copy = 0, 0
        while count < articles:
            for batch in batches:
                take = min(len(batch.parts), articles - count)
                if take <= 0:
                    break
                load_batch(con, _copied(batch, take, copy) if copy else batch)
                count += take
            copy += 1
        loaded = time.perf_counter()
        stories = refresh_stories(con)
        refreshed = time.perf_counter()
    finally:
        con.close()
    return {"extract_s": extracted - begun, "load_s": loaded - extracted, "stories_s": refreshed - loaded,
            "stories": stories, "articles": count}


def _copied(batch, take: int, copy: int):
    """The first *take* articles of *batch* as copy *copy*: new urls, and organisations and
    people of their own (a copy of a story about trust X is a story about trust "X 3")."""
    from warehouse.load import Batch
    from warehouse.rows import article_id, stable_id

    def ids(value):
        return stable_id(value, copy) if value else value

    def name(value):
        return f"{value} {copy}" if value else value

    out = Batch()
    for article, rows in batch.parts[:take]:
        url = f"{article['url']}#copy{copy}"
        aid = article_id(url)
        moved = {
            "people": [{"person_id": ids(r["person_id"]), "name": name(r["name"])} for r in rows["people"]],
            "organisations": [{"org_id": ids(r["org_id"]), "name": name(r["name"])} for r in rows["organisations"]],
            "mentions": [{**r, "article_id": aid, "entity_id": ids(r["entity_id"])} for r in rows["mentions"]],
            "salaries": [{**r, "article_id": aid} for r in rows["salaries"]],
        }
        for table in ("posts", "events"):
            moved[table] = [{**r, "article_id": aid, "org_id": ids(r["org_id"]), "person_id": ids(r["person_id"]),
                             "organisation": name(r["organisation"]), "person": name(r["person"]),
                             **({"event_id": ids(r["event_id"])} if "event_id" in r else {})}
                            for r in rows[table]]
        out.add({**article, "article_id": aid, "url": url}, moved)
    return out


def pages(db: Path) -> list[tuple[str, str]]:
    """(label, path) of the pages to time: the home page plain and filtered, a search, the
    busiest organisation and person, and the story feed."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        (org_id, org_name), = con.execute(
            "SELECT org_id, any_value(organisation) FROM events WHERE org_id IS NOT NULL "
            "GROUP BY org_id ORDER BY count(*) DESC LIMIT 1").fetchall()
        (person_id,), = con.execute(
            "SELECT person_id FROM events WHERE person_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()
    finally:
        con.close()
    word = org_name.split()[0]
    return [("/", "/"), ("/?org=…&since=…", "/?" + urllib.parse.urlencode({"org": word, "since": "2020-01-01"})),
            ("/search?q=…", "/search?" + urllib.parse.urlencode({"q": word})),
            ("/organisation/… (busiest)", f"/organisation/{org_id}"), ("/person/… (busiest)", f"/person/{person_id}"),
            ("/stories.atom", "/stories.atom")]


def time_pages(db: Path, repeat: int) -> list[dict]:
    """Each page cold (rendered afresh: the first request after the warehouse changed) and
    warm (the same request again on an unchanged warehouse, answered from what was rendered).
    CPU time (this process: the server's thread and the client) is printed beside wall time,
    because on a shared machine the wall time also counts other people's work."""
    from pipeline.feed_server import FeedServer
    from pipeline.web.app import forget_rendered

    server = FeedServer(db, 0)
    server.httpd.RequestHandlerClass.log_message = lambda *args: None  # the bench prints its own lines
    server.start()
    results = []
    try:
        for label, path in pages(db):
            row: dict = {"page": label}
            for kind in ("cold", "warm"):
                times, cpu = [], []
                for n in range(repeat + 1):
                    if kind == "cold":
                        forget_rendered()
                    begun, cpu_begun = time.perf_counter(), time.process_time()
                    with urllib.request.urlopen(server.url + path) as response:
                        row["bytes"] = len(response.read())
                    if n:  # the first request compiles the templates
                        times.append((time.perf_counter() - begun) * 1000)
                        cpu.append((time.process_time() - cpu_begun) * 1000)
                times.sort()
                row[f"{kind}_cpu_ms"] = statistics.median(cpu)
                row[f"{kind}_median_ms"] = statistics.median(times)
                row[f"{kind}_p95_ms"] = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            results.append(row)
    finally:
        server.stop()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.page", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the warehouse (default 10,000)")
    parser.add_argument("--seed-articles", type=int, default=256,
                        help="generated articles actually extracted, then repeated (default 256)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--db", type=Path, default=None, help="keep the warehouse here (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "page-bench.duckdb"
        if not db.exists():
            built = build(db, args.articles, args.seed_articles)
            print(f"warehouse: {built['articles']:,} articles ({args.seed_articles} extracted in "
                  f"{built['extract_s']:.0f} s, loaded in {built['load_s']:.1f} s); "
                  f"{built['stories']:,} stories rebuilt in {built['stories_s'] * 1000:.0f} ms")
        print(f"load average before: {_loadavg()}")
        for row in time_pages(db, args.repeat):
            verdict = "met" if row["cold_median_ms"] < TARGET_MS else "missed"
            print(f"{row['page']:<26} cold: median {row['cold_median_ms']:6.1f} ms, p95 {row['cold_p95_ms']:6.1f} ms, "
                  f"CPU {row['cold_cpu_ms']:5.1f} ms; warm: median {row['warm_median_ms']:5.1f} ms, "
                  f"p95 {row['warm_p95_ms']:5.1f} ms; "
                  f"{row['bytes'] / 1024:5.0f} KiB (target < {TARGET_MS} ms cold: {verdict})")
        print(f"load average after: {_loadavg()}")


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
