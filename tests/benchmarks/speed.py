"""`python -m tests.benchmarks.speed ARTICLES.jsonl [--model NAME]... [--repeat N] [--components]`:
articles per second through the extraction pipeline, for each model setting, and with
``--components`` the CPU time each pipe takes (where an extraction ratio goes).

The model is a setting (POSTWATCH_MODEL) because a larger one may pay in accuracy; this
prints what it costs in speed, with the model alone beside the whole pipeline so the
share of postwatch's own components is visible. Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extractors.build import COMPONENTS, build_nlp, model_name
from spiders.jsonl import read_jsonl


def measure(model: str, texts: list[str], repeat: int) -> dict[str, float]:
    started = time.perf_counter()
    nlp = build_nlp(model)
    load_s = time.perf_counter() - started
    list(nlp.pipe(texts[:2]))  # warm-up: first calls build caches
    rates = {}
    for label, disabled in (("model only", list(COMPONENTS)), ("full pipeline", [])):
        with nlp.select_pipes(disable=disabled):
            started = time.perf_counter()
            for _ in range(repeat):
                for _doc in nlp.pipe(texts, batch_size=32):
                    pass
            rates[label] = repeat * len(texts) / (time.perf_counter() - started)
    return {"load_s": load_s, **rates}


def component_seconds(model: str, texts: list[str], batch_size: int = 16) -> dict[str, float]:
    """CPU seconds per pipe over *texts*, each pipe run over the whole batch of docs in turn,
    in pipeline order (so a pipe sees what the ones before it set)."""
    nlp = build_nlp(model)
    list(nlp.pipe(texts[:2]))
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {"tokenizer": time.process_time() - started}
    for name, pipe in nlp.pipeline:
        started = time.process_time()
        docs = list(pipe.pipe(docs, batch_size=batch_size)) if hasattr(pipe, "pipe") else [pipe(d) for d in docs]
        seconds[name] = time.process_time() - started
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path, help="a JSONL file with a 'text' per line (the gold files will do)")
    parser.add_argument("--model", action="append", help="a model setting; repeat to compare (default: the setting)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the articles (default 3)")
    parser.add_argument("--components", action="store_true", help="also print each pipe's share of CPU time")
    args = parser.parse_args(argv)
    if not args.articles.is_file():
        parser.error(f"{args.articles} does not exist; give a JSONL file of articles")
    texts = [article["text"] for article in read_jsonl(args.articles)]
    print(f"{len(texts)} articles x {args.repeat} passes, {sum(map(len, texts)) // len(texts)} characters on average")
    print(f"{'model':<28}{'load s':>8}{'model only art/s':>18}{'full art/s':>12}")
    for model in args.model or [model_name()]:
        r = measure(model, texts, args.repeat)
        print(f"{model:<28}{r['load_s']:>8.1f}{r['model only']:>18.1f}{r['full pipeline']:>12.1f}")
        if args.components:
            seconds = component_seconds(model, texts)
            total = sum(seconds.values())
            for name, spent in seconds.items():
                print(f"    {name:<24}{spent:>8.2f} s{100 * spent / total:>7.1f}%")
            ours = sum(spent for name, spent in seconds.items() if name in COMPONENTS)
            print(f"    {'postwatch components':<24}{ours:>8.2f} s{100 * ours / total:>7.1f}%")


if __name__ == "__main__":
    main()
