"""Shared fixtures: invented NHS leadership articles and a live demo site serving them.

The articles are generated from templates so there are enough of them to paginate
(23 > two listing pages of 10), each is 150+ words in several paragraphs, and every
person and trust is invented. One article has no published date and one headline
carries characters that must be escaped in HTML and XML; one has a paragraph of
single-newline lines (a bullet list written as text).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pipeline.demo.site import DemoSite

FIRST = ["Marguerite", "Oluwaseun", "Declan", "Harriet", "Rajinder", "Bethan", "Ivo", "Leonie", "Fergus",
         "Anjali", "Thaddeus", "Wren"]
LAST = ["Quillfeather", "Abernathy-Cole", "Okonkwo-Reyes", "Templeman", "Varsani", "Llewellyn-Pryce",
        "Dunmore", "Hartigan", "Marchbank", "Sowerby", "Fairweather", "Kettleborough"]
TRUSTS = ["Eastmarsh Hospitals NHS Foundation Trust", "North Wealdshire Community Healthcare NHS Trust",
          "Brackenford and Tolley University Hospitals", "Severnvale Mental Health Partnership",
          "Kestrel Coast Integrated Care Board", "Mid Harrowmere Acute NHS Trust"]
ROLES = ["chief executive", "chief nurse", "medical director", "chief finance officer", "chair",
         "chief operating officer"]
EVENTS = [
    ("{name} appointed {role} at {trust}", "has been appointed {role} of {trust}, the organisation confirmed on"),
    ("{trust} {role} {name} to step down", "is to step down as {role} of {trust} after"),
    ("Interim {role} named at {trust} as {name} takes over", "will take over as interim {role} at {trust}, the board said on"),
    ("{trust} fails to recruit {role} after second search", "was the only shortlisted candidate, but {trust} has again failed to appoint a {role} and said on"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
COUNT = 23


def _article(i: int) -> dict[str, Any]:
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 5 + i // len(FIRST)) % len(LAST)]}"
    chair = f"{FIRST[(i + 3) % len(FIRST)]} {LAST[(i * 7 + 2) % len(LAST)]}"
    trust, role = TRUSTS[(i + i // len(TRUSTS)) % len(TRUSTS)], ROLES[(i * 5) % len(ROLES)]
    headline_tpl, lead_tpl = EVENTS[i % len(EVENTS)]
    fields = {"name": name, "role": role, "trust": trust}
    title = headline_tpl.format(**fields)
    title = title[0].upper() + title[1:]
    if i == 4:
        title += " as A&E waits hit <four-hour> \"low\""
    years = 3 + i % 9
    paragraphs = [
        f"{name} {lead_tpl.format(**fields)} {WEEKDAYS[i % 5]}. The decision follows a period of close scrutiny "
        f"of the organisation's leadership, and staff were told in a briefing that morning. Article {i} of the "
        f"fixture set covers this change.",
        f"{name.split()[0]} has spent {years} years in senior roles across the region, most recently leading a "
        f"programme to reduce waiting lists for planned care. Colleagues describe a manager who prefers to "
        f"settle difficult questions in the open rather than behind closed doors.",
        f"The chair, {chair}, said: \"This is an important moment for our patients and our staff. We need steady "
        f"leadership through a demanding winter, and I am confident the board has made the right choice for the "
        f"next stage of our improvement plan.\"",
        f"{trust} reported a deficit of {10 + i * 3} million pounds last year and remains under enhanced "
        f"oversight by the regional team. Inspectors rated its urgent care services as requiring improvement, "
        f"citing long handover delays and gaps in senior cover at night.",
        f"A spokesperson for the regional team said the appointment process had followed national guidance "
        f"and that a fit and proper person test had been completed. The board will publish its updated "
        f"leadership structure at its next public meeting, expected within {4 + i % 6} weeks.",
    ]
    if i == 10:  # line breaks inside a paragraph, as gold articles have for lists of posts
        paragraphs.insert(3, "The posts advertised alongside it are:\n- chief nurse: £150,000\n"
                             "- director of strategy: £125,000")
    day = 1 + (i * 3) % 28
    month = 1 + i % 12
    published = None if i == 7 else f"2024-{month:02d}-{day:02d}"
    slug = "-".join(title.lower().replace("&", "and").split()[:6]).strip(".,\"<>")
    return {
        "id": f"fx-{i:03d}",
        "url": f"https://www.hsj.example/leadership/{slug}/{7030000 + i}.article",
        "published": published,
        "title": title,
        "text": "\n\n".join(paragraphs),
        "gold": {"events": []},  # extra key, as gold files have; loaders must ignore it
    }


@pytest.fixture(scope="session")
def articles() -> list[dict[str, Any]]:
    """23 invented articles in gold format (id, url, published, title, text, + an extra key)."""
    made = [_article(i) for i in range(COUNT)]
    assert len({a["title"] for a in made}) == COUNT, "fixture headlines must differ"
    return made


@pytest.fixture(scope="session")
def demo_site(articles: list[dict[str, Any]]) -> Iterator[DemoSite]:
    """The demo site serving the fixture articles on a free port of 127.0.0.1."""
    with DemoSite(articles) as site:
        yield site


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def loopback() -> Callable[[type[BaseHTTPRequestHandler]], AbstractContextManager[str]]:
    """``with loopback(Handler) as base:`` serves a hand-written handler on a free port of
    127.0.0.1 (a thread per request, so a slow page holds up no other) and stops it after."""
    return _serving


@pytest.fixture(scope="session")
def prefect():
    """Real Prefect flow runs against a temporary API server, started once per session."""
    import os

    from prefect.testing.utilities import prefect_test_harness

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no route to Prefect's telemetry here
    with prefect_test_harness():
        yield
