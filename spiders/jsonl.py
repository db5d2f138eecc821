"""JSON Lines, the one file format every stage hands on: crawl outputs, known-article
lists, gold sets and archives are one JSON object a line. One reader, so a blank line or
a byte-order mark means the same thing wherever a file is read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_jsonl(path: Path | str) -> Iterator[Any]:
    """Each non-blank line of *path*, parsed, streaming (files of any size)."""
    with Path(path).open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
