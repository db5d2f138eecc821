"""Files the page loads: its stylesheet and script from ``static/``, and plotly.js from the
installed ``plotly`` wheel (PyPI), served from here so the page needs no CDN. Finding
the file does not import plotly."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timezone
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path

from .app import TEXT, Answer

STATIC_DIR = Path(__file__).parent / "static"
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png"}


def plotly_js() -> Path | None:
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "plotly.min.js"
    return path if path.exists() else None


def answer(name: str) -> Answer:
    path = plotly_js() if name == "plotly.min.js" else STATIC_DIR / name
    if path is None or name.startswith(".") or "/" in name or not path.is_file() or path.suffix not in TYPES:
        return Answer(HTTPStatus.NOT_FOUND, b"no such file\n", TEXT)
    stat = path.stat()
    body, modified = _read(path, stat.st_mtime_ns)
    return Answer(HTTPStatus.OK, body, TYPES[path.suffix], {"Cache-Control": "max-age=3600"}, modified,
                  tag=f"{stat.st_size:x}-{stat.st_mtime_ns:x}")


@lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> tuple[bytes, datetime]:
    """Read once per version of the file (plotly.min.js is 4.6 MB)."""
    return path.read_bytes(), datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0)
