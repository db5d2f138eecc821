"""Doc and Span extensions: registered once, at import, so every component agrees on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span


@dataclass
class Entity:
    """One real person or organisation in an article, with every span that names it."""

    name: str
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Post:
    """A job or office named in the text, with what the text says about who and where."""

    title: str
    span: Span
    organisation: str | None = None
    person: str | None = None
    interim: bool = False
    plural: bool = False

    @property
    def sentence(self) -> Span:
        return self.span.sent


@dataclass
class Salary:
    amount_gbp: int
    amount_gbp_max: int | None
    post: str | None
    span: Span

    @property
    def sentence(self) -> Span:
        return self.span.sent


@dataclass
class Event:
    type: str  # VACANCY, APPOINTMENT, NO_APPOINTMENT, DEPARTURE
    cue: Span
    post: str | None
    organisation: str | None
    person: str | None
    interim: bool
    date: date | None
    in_scope: bool = True  # health and care; other appointments never reach the alert feed

    @property
    def sentence(self) -> Span:
        return self.cue.sent


_DOC_EXTENSIONS = {
    "published": None,  # datetime.date the article was published, set by the caller
    "people": None,  # list[Entity]
    "organisations": None,  # list[Entity]
    "posts": None,  # list[Post]
    "salaries": None,  # list[Salary]
    "events": None,  # list[Event]
}
for _name, _default in _DOC_EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("canonical"):
    # The entity a PERSON/ORG span refers to, after coreference ("Ms Kaur" -> "Priya Kaur").
    Span.set_extension("canonical", default=None)
