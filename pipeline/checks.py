"""Inputs checked at the door, before Prefect starts or the warehouse is written: a typo
costs a second, not a run. Each check raises a one-line ClickException naming the fix."""

from __future__ import annotations

import os
from pathlib import Path

import click

from warehouse.db import connect, resolve_path

PARALLEL_MIN_ARTICLES = 150  # below this a worker's start-up costs more than it saves (100: a tie; 200: 18 s on two, 24 s on one)
BIG_ARCHIVE_ARTICLES = 1000  # from here a worker per core, busy cores included (default_workers)


def article_count(path: Path) -> int:
    """Articles in a checked archive: its lines, or its pages (for the progress total)."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def default_workers(articles: int, load: float | None = None) -> int:
    """Every core for an archive big enough to repay the workers' start-up, unless other
    programs keep the machine very busy; one process for a small archive.

    Each worker imports spaCy and loads the model in a process of its own, and on
    cores other programs keep busy that start-up crawls (400 articles with three other busy
    processes: 83 s on two workers, 53 s on one), so a mid-sized archive takes only the idle
    cores (from the 1-minute load average). A big one repays the start-up: the kernel shares
    busy cores out per process, so a worker per core gets the larger share of them (1,500
    articles at load average 2.2: 79 s on two workers, 122 s on one), until the others
    outnumber the cores twice over (at 4.5: 160 s on two, 149 s on one). Those figures were
    measured on the Dask workers of an earlier version; the process pool starts faster, and
    on an idle machine two workers tie with one at 100 articles and win from 200."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if articles < PARALLEL_MIN_ARTICLES:
        return 1
    busy = os.getloadavg()[0] if load is None else load
    if articles >= BIG_ARCHIVE_ARTICLES and busy < 2 * cores:
        return cores
    return max(1, min(cores, round(cores - busy + 0.25)))  # +0.25: a core busy a quarter of the time still counts


def check_scheduler(address: str) -> None:
    """A wrong --dask-address fails here in a second, not after Prefect has started and
    Dask has retried for half a minute."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if parts.scheme not in {"tcp", "tls"} or not host or not port:
        raise click.ClickException(f"{address!r} is not a Dask scheduler address; give one like tcp://10.0.0.5:8786")
    import socket

    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        raise click.ClickException(f"no Dask scheduler answers at {address}; start one with `dask scheduler` "
                                   f"or check the address") from None


def check_urls(urls: tuple[str, ...]) -> None:
    """Start URLs are checked here, before Prefect starts: a scheme, a host, and not an
    address the crawler refuses anyway (spiders.urls.AddressPolicy; names are resolved
    and judged by the crawler itself)."""
    from urllib.parse import urlsplit

    from spiders.urls import FORBIDDEN, address_class, literal_address

    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise click.ClickException(f"{bad[0]!r} is not a web address; give URLs that start with http:// or https://")
    for url in urls:
        try:
            host = urlsplit(url).hostname
            urlsplit(url).port
        except ValueError as exc:
            raise click.ClickException(f"{url!r} is not a valid web address ({exc}); check it and run again") from None
        if not host:
            raise click.ClickException(f"{url!r} has no host name; give a full address like https://news.example.org/")
        if (address := literal_address(host)) is not None and address_class(address) == FORBIDDEN:
            raise click.ClickException(f"{url!r} is a link-local, metadata or reserved address, which postwatch "
                                       f"never crawls; give a news site's address")


def check_cookies(path: str) -> None:
    from spiders.cookies import CookiesFileError, read_cookies

    try:
        read_cookies(path)
    except CookiesFileError as error:
        raise click.ClickException(str(error)) from None


def writable(db: str | None) -> Path:
    """Opens the warehouse once before any flow starts, so a locked or bad file fails fast."""
    path = resolve_path(db)
    check_output(path, "--db")
    connect(path).close()
    click.get_current_context().meta["postwatch.db"] = path
    return path


def check_output(path: Path, option: str) -> None:
    """An output file's folder must exist and be writable, checked before any work, so a
    typo costs a second and not a whole run whose result then has nowhere to go."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise click.ClickException(f"{option} {path} is a folder; give a file name inside it")
    if not folder.is_dir():
        raise click.ClickException(f"{option} {path}: folder {folder} does not exist; create it or give another path")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise click.ClickException(f"{option} {path} cannot be written (permission denied); give a path you can write")
