"""Whether an event is in postwatch's scope: health and care leadership. Real appointments
elsewhere (a party leader, a tech company's chief executive) are still events, marked out of
scope, so that they never reach the alert feed.

Decided from words (data: event_scope.csv). An event is in scope when its organisation or
its post is a health or care one ("NHS", "hospital", "ICB", "care trust"; "medical director",
"chief nurse"), or when the article is a health and care article: one of its organisations
is, or its text uses health words ("NHS", "patients", "clinical", ...) at least
`article_words` times. Organisation names are often cut short by the entity finder
("Cardiff" for a Cardiff trust), so the article decides more often than the event itself.
"trust", "care" and "social" count in names only: in running text they are ordinary words."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..extensions import Event
from ..lexicon import read_csv

_WORD = re.compile(r"[a-z]+")


class Scope:
    def __init__(self, table: str, article_words: int) -> None:
        rows = read_csv(table)
        self.text_words = frozenset(r["word"].strip().lower() for r in rows if r["kind"] == "health")
        self.name_words = self.text_words | {r["word"].strip().lower() for r in rows if r["kind"] == "name"}
        self.article_words = article_words

    def health(self, name: str | None) -> bool:
        return bool(name) and not self.name_words.isdisjoint(_WORD.findall(name.lower()))

    def health_article(self, doc: Doc) -> bool:
        if any(self.health(o.name) for o in doc._.organisations or []):
            return True
        return sum(1 for t in doc if t.lower_ in self.text_words) >= self.article_words

    def __call__(self, doc: Doc, events: list[Event]) -> None:
        if not events:
            return
        article = self.health_article(doc)
        for event in events:
            event.in_scope = article or self.health(event.organisation) or self.health(event.post)
