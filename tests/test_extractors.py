"""Each extraction component on invented sentences: one behaviour per test, negatives too."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.build import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def run(nlp, text: str, published: date = date(2025, 3, 10)):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


# Entity, post and salary tests live in tests/test_entities.py, test_posts.py and test_salaries.py.


# Event tests live in tests/test_events.py.
