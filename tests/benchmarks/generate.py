"""Deterministic benchmark articles made from our own gold articles.

A throughput figure is only worth something on text like the real thing: HSJ-length
news (about 465 words) full of people, trusts, posts, salaries and dates. The gold
articles are that, but there are only 64 of them and they are shorter, and 10,000
copies of 64 texts would be de-duplicated by content hash. So each benchmark article
takes one gold article as its template, extends it with paragraphs of another until
it reaches its length, and replaces every named person, local organisation, salary,
money figure and year with invented ones drawn from a seeded random generator.

Article *i* depends only on (seed, i), so the same seed gives the same archive, any
slice can be made without the rest, and writing N articles holds one in memory.

    python -m tests.benchmarks.generate 1000 bench-1k.jsonl --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.demo.site import GOLD_DIR
from spiders.jsonl import read_jsonl

DEFAULT_SEED = 7
# Paragraphs are added until an article reaches a target drawn from this range; the
# last paragraph overshoots by about half a paragraph, so the mean lands near 465.
TARGET_WORDS = (400, 500)

# Invented names: 48 first names x 20 x 12 surname parts; 20 x 12 place names.
FIRST_NAMES = (
    "Alistair", "Bronwen", "Caspar", "Delphine", "Emrys", "Fenella", "Gideon", "Hester", "Idris", "Juno",
    "Kieran", "Lowri", "Magnus", "Niamh", "Orla", "Percival", "Rosalind", "Soren", "Tabitha", "Ulric",
    "Verity", "Wilfred", "Yasmin", "Zachary", "Adaeze", "Bartholomew", "Chidinma", "Dev", "Esme", "Farid",
    "Greer", "Hamish", "Ines", "Jasper", "Kalinda", "Lorcan", "Mehreen", "Nico", "Ottilie", "Priyanka",
    "Quentin", "Rhiannon", "Sunil", "Thea", "Ugo", "Vivienne", "Winifred", "Xander",
)
SURNAME_HEADS = ("Ash", "Black", "Brad", "Cal", "Dal", "Ember", "Fair", "Gold", "Hart", "Kings",
                 "Lang", "Mor", "Norr", "Pem", "Red", "Stan", "Thorn", "Wether", "Whit", "Yar")
SURNAME_TAILS = ("well", "by", "croft", "ley", "more", "ton", "worth", "field", "gate", "hurst", "shaw", "wood")
PLACE_HEADS = ("Alder", "Bex", "Carn", "Dover", "Elms", "Fal", "Glen", "Harrow", "Ivy", "Kil",
               "Lyn", "Mere", "Nether", "Ock", "Pol", "Quarr", "Ros", "Sed", "Tarn", "Wend")
PLACE_TAILS = ("bridge", "brook", "combe", "dale", "den", "ford", "haven", "holme", "mouth", "stow", "thorpe", "wick")

# Words of an organisation's name that say what it is, not where: they stay as written.
GENERIC_ORG_WORDS = frozenset("""
    NHS Trust Foundation University Universities Hospital Hospitals Teaching Integrated Care Board Community
    Mental Health Healthcare Partnership Group General Commissioning Support Unit Council County Borough City
    Search Associates Partners Executive Homes Surgery Digital Analytics Services Mid Greater South North East
    West Vale Valleys Coast Fells Moor Bay Estuary and of the The &
""".split())
# National bodies and publications keep their real-sounding names in every article.
NATIONAL_PREFIXES = ("NHS ", "Royal College", "British ", "The ", "Department of", "Care Quality", "Nuffield")

MONEY_FULL = re.compile(r"£(\d{1,3}(?:,\d{3})+)")
MONEY_SHORT = re.compile(r"£(\d+(?:\.\d+)?)(k|m|bn)\b")
YEAR = re.compile(r"\b(?:19[89]\d|20[0-3]\d)\b")


def load_templates(gold_dir: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """The gold articles (with their gold people and organisations), in file order."""
    templates = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        templates += read_jsonl(path)
    if not templates:
        raise FileNotFoundError(f"no gold articles in {gold_dir}; the generator needs them as templates")
    return templates


@lru_cache(maxsize=1)
def _templates() -> tuple[dict[str, Any], ...]:
    return tuple(load_templates())


def _shared_orgs(templates: Sequence[dict[str, Any]]) -> frozenset[str]:
    counts = Counter(org for t in templates for org in set(t["gold"].get("organisations", [])))
    return frozenset(org for org, n in counts.items() if n > 1)


def _replacements(template: dict[str, Any], rng: random.Random, shared: frozenset[str]) -> dict[str, str]:
    """Old name or name part -> invented one, consistent within one article."""
    mapping: dict[str, str] = {}
    for org in template["gold"].get("organisations", []):
        if org in shared or org.startswith(NATIONAL_PREFIXES) or org.isupper():
            continue
        for word in re.findall(r"[A-Z][\w'-]+", org):
            if word not in GENERIC_ORG_WORDS and word not in mapping:
                mapping[word] = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
    for person in template["gold"].get("people", []):
        parts = person.split()
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)
        mapping.setdefault(person, f"{first} {last}")
        if len(parts) > 1:
            mapping.setdefault(parts[0], first)
            mapping.setdefault(parts[-1], last)
    return mapping


def _substitute(text: str, mapping: dict[str, str], rng: random.Random, year_shift: int) -> str:
    if mapping:
        # One pass over the text, longest names first, so an invented name is never replaced again.
        names = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
                           + r")(?![\w-])")
        text = names.sub(lambda m: mapping[m.group(1)], text)
    text = MONEY_FULL.sub(lambda m: f"£{_scaled(int(m.group(1).replace(',', '')), rng, 500):,}", text)
    text = MONEY_SHORT.sub(lambda m: _short_money(m, rng), text)
    return YEAR.sub(lambda m: str(int(m.group(0)) + year_shift), text)


def _scaled(amount: int, rng: random.Random, step: int) -> int:
    return max(step, round(amount * rng.uniform(0.8, 1.25) / step) * step)


def _short_money(match: re.Match, rng: random.Random) -> str:
    figure, unit = match.group(1), match.group(2)
    value = float(figure) * rng.uniform(0.8, 1.25)
    shown = f"{value:.1f}" if "." in figure else str(max(1, round(value)))
    return f"£{shown}{unit}"


def make_article(i: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Benchmark article *i* of the archive made with *seed*: GOLD_FORMAT article fields."""
    templates = _templates()
    shared = _shared_orgs(templates)
    rng = random.Random(f"postwatch-bench/{seed}/{i}")
    base = templates[i % len(templates)]
    year_shift = rng.randint(-6, 0)
    mapping = _replacements(base, rng, shared)
    title = _substitute(base.get("title") or "", mapping, rng, year_shift)
    paragraphs = [_substitute(p, mapping, rng, year_shift) for p in base["text"].split("\n\n")]
    target, words = rng.randint(*TARGET_WORDS), sum(len(p.split()) for p in paragraphs)
    while words < target:
        filler = templates[rng.randrange(len(templates))]
        if filler is base:
            continue
        extra = _replacements(filler, rng, shared)
        for paragraph in filler["text"].split("\n\n")[1:]:
            paragraphs.append(_substitute(paragraph, extra, rng, year_shift))
            words += len(paragraph.split())
            if words >= target:
                break
    slug = "-".join(re.findall(r"[a-z0-9]+", title.lower())[:7]) or "article"
    section = base["url"].split("/")[3] if base.get("url") and base["url"].count("/") > 4 else "news"
    return {
        "id": f"bench-{seed}-{i:06d}",
        "url": f"https://news.postwatch.test/{section}/{slug}/{900000 + i}.article",
        "published": _published(base.get("published"), rng, year_shift),
        "title": title,
        "text": "\n\n".join(paragraphs),
    }


def _published(value: str | None, rng: random.Random, year_shift: int) -> str | None:
    if not value:
        return None
    day = date.fromisoformat(value[:10])
    moved = day.replace(year=day.year + year_shift, day=min(day.day, 28)) + timedelta(days=rng.randint(-60, 60))
    return moved.isoformat()


def iter_articles(count: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[dict[str, Any]]:
    """Articles start .. start+count-1, one at a time."""
    for i in range(start, start + count):
        yield make_article(i, seed)


def write_archive(path: Path | str, count: int, seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Streams *count* articles to a JSONL archive; returns its article and word counts."""
    words = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for article in iter_articles(count, seed):
            words += len(article["text"].split())
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return {"articles": count, "words": words, "mean_words": words / count if count else 0.0}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.generate",
                                     description="Write N invented benchmark articles to a JSONL archive.")
    parser.add_argument("count", type=int, help="how many articles")
    parser.add_argument("out", type=Path, help="the .jsonl file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"same seed, same articles (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    figures = write_archive(args.out, args.count, args.seed)
    print(f"wrote {figures['articles']} articles, {figures['mean_words']:.0f} words on average, to {args.out}")


if __name__ == "__main__":
    main()
