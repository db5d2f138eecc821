"""Per-article state shared by every cue: token -> post and person lookups, the events found so
far (merged one per type, person and post), and posts that cues named without a person."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..entity_names import canonical_name
from ..extensions import Entity, Event, Post
from .cues import Cue
from .merging import merge_into
from .spans import is_former, same_title
from .words import EventWords


@dataclass
class Pending:
    """A cue that names a post but no person ("the trust's chief executive is to retire"):
    not an event itself, but the post a later sentence's "he will leave" refers to."""

    type: str
    post: Post
    sent_start: int


class DocState:
    def __init__(self, doc: Doc, cues: list[Cue], words: EventWords) -> None:
        self.doc = doc
        self.cues = cues
        self.words = words
        self.events: list[Event] = []
        self.mentions: list[tuple[int, int, Event]] = []  # (sentence start, cue start, event)
        self.pending: list[Pending] = []
        self.sents = list(doc.sents)
        self._sent_starts = [s.start for s in self.sents]
        self._posts: dict[int, Post] = {}
        for post in doc._.posts or []:
            if self.honorific(post.title, post.span.end):
                continue
            for i in range(post.span.start, post.span.end):
                self._posts.setdefault(i, post)
        self._orgs: dict[int, Entity] = {}
        self._org_names: dict[str, Entity] = {}
        for entity in doc._.organisations or []:
            self._org_names.setdefault(entity.name.lower(), entity)
            for mention in entity.mentions:
                self._org_names.setdefault(mention.text.lower(), entity)
                for i in range(mention.start, mention.end):
                    self._orgs[i] = entity
        self._people: dict[int, str] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                for i in range(ent.start, ent.end):
                    self._people[i] = canonical_name(ent)
        self._name_parts(doc)

    def _name_parts(self, doc: Doc) -> None:
        """"Wynne trained as a nurse" after "Dame Wynne Ferrabee": a first name or surname on its
        own, which the model often leaves untagged, is the one person in the article it belongs to."""
        owners: dict[str, set[str]] = {}
        for name in set(self._people.values()):
            words = name.split()
            if len(words) > 1:
                for word in (words[0], words[-1]):
                    owners.setdefault(word, set()).add(name)
        if not owners:
            return
        for token in doc:
            names = owners.get(token.text, set())  # first: most words are no one's name
            if len(names) != 1 or token.i in self._people or token.pos_ != "PROPN" or not token.is_title \
                    or token.ent_type_ not in {"", "PERSON"}:
                continue
            neighbours = [doc[j] for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc)]
            if not any(t.pos_ == "PROPN" and t.i not in self._people for t in neighbours):
                self._people[token.i] = next(iter(names))

    def honorific(self, title: str, after: int) -> bool:
        """"Professor Sir Jo Kay": a one-word title written before a name as a form of address
        ("professor", "dr") is not the post an event concerns."""
        doc = self.doc
        while after < len(doc) and doc[after].lower_.strip(".") in self.words.honorifics:
            after += 1
        return title.lower() in self.words.honorifics and after < len(doc) and doc[after].ent_type_ == "PERSON"

    def same_title(self, a: str, b: str) -> bool:
        return same_title(a, b, self.words.ranks)

    def add(self, event: Event) -> None:
        """Keep one event per (type, person, post) and remember every sentence that reported it."""
        merged = merge_into(self.events, event, self.words.ranks)
        self.mentions.append((event.cue.sent.start, event.cue.start, merged))

    def is_cue(self, token: Token, kind: str) -> bool:
        return any(c.start <= token.i < c.end and m["label"] == kind for c, m in self.cues)

    def post_at(self, token: Token) -> Post | None:
        return self._posts.get(token.i)

    def titled_holder(self, token: Token) -> Post | None:
        """"current chair, Jo Kay": the post a title token stands for, when the posts component
        gave it a holder in the same sentence."""
        post = self._posts.get(token.i)
        return post if post is not None and post.person and post.span.sent == token.sent else None

    def person_at(self, token: Token) -> str | None:
        return self._people.get(token.i)

    def posts_in(self, tokens: list[Token]) -> list[Post]:
        seen: dict[int, Post] = {}
        for token in tokens:
            post = self._posts.get(token.i)
            if post is not None:
                seen[id(post)] = post
        return list(seen.values())

    def sent_index(self, span: Span | Token) -> int:
        start = span.start if isinstance(span, Span) else span.i
        return bisect_right(self._sent_starts, start) - 1

    def antecedent(self, pronoun: Token, sentences: int) -> str | None:
        """The last person named before a pronoun, within a few sentences."""
        first = self.sents[max(0, self.sent_index(pronoun) - sentences)].start
        quoted = False  # inside a quotation, "her" is not the speaker
        i = pronoun.i - 1
        while i >= first:
            token = self.doc[i]
            if token.is_quote or token.text in {"“", "”", '"'}:
                quoted = True
            if i in self._people:
                return None if quoted else self._people[i]
            if token.lower_ == pronoun.lower_ and not quoted:  # "In 2007 he ... In 2008 he ...": one chain
                first = min(first, self.sents[max(0, self.sent_index(token) - sentences)].start)
            i -= 1
        return None

    def pending_post(self, kind: str, sent_start: int, *, sentences: int | None) -> Post | None:
        here = self.sent_index(self.doc[sent_start])
        for pending in reversed(self.pending):
            if pending.type != kind or pending.sent_start > sent_start:
                continue
            if sentences is None or here - self.sent_index(self.doc[pending.sent_start]) <= sentences:
                return pending.post
        return None

    def earlier_appointment(self, person: str | None) -> Post | None:
        for event in reversed(self.events):
            if event.type == "APPOINTMENT" and event.person == person and event.post:
                return self.post_titled(event.post)
        return None

    def earlier_departure(self, person: str | None) -> Post | None:
        for event in reversed(self.events):
            if event.type == "DEPARTURE" and event.person == person and event.post:
                return self.post_titled(event.post)
        return None

    def sentence_appointment(self, cue: Span, person: str) -> Post | None:
        """The post someone else is appointed to in the same sentence: the one this person left."""
        for sent_start, _, event in reversed(self.mentions):
            if event.type == "APPOINTMENT" and event.person != person and event.post and sent_start == cue.sent.start:
                return self.post_titled(event.post)
        for pending in reversed(self.pending):
            if pending.type == "APPOINTMENT" and pending.sent_start == cue.sent.start:
                return pending.post
        return None

    def org_name(self, token: Token) -> str | None:
        for ent in self.doc.ents:
            if ent.start <= token.i < ent.end:
                return canonical_name(ent)
        return None

    def held_by(self, person: str, cue: Span, at: str | None = None) -> Post | None:
        """A post the article links to the person (at the organisation they leave, if named),
        other than one they are moving to."""
        appointed = {e.post for e in self.events if e.type == "APPOINTMENT" and e.person == person}
        # nearest the cue first (the same sentence, then the closest before it), at the body left if named
        posts = sorted(self.doc._.posts or [], key=lambda p: (p.span.sent != cue.sent, abs(cue.start - p.span.start)))
        if at is not None:
            posts = sorted(posts, key=lambda p: not (p.organisation and self.same_title(p.organisation, at)))
        for post in posts:
            if post.person != person or post.plural or post.title in appointed:
                continue
            if post.span.sent == cue.sent and post.span.start > cue.start:
                continue  # "left to become X": X is where they go
            if any(c.dep_ == "amod" and c.lower_ in self.words.new_post and c.i < post.span.start
                   for c in post.span.root.children):
                continue  # "to serve as its next chief executive": a post not yet held
            return post
        return None

    def topic(self, cue: Span) -> Post | None:
        """The post an article is about when a sentence only says "no appointment was made"."""
        for sent_start, start, event in reversed(self.mentions):  # "recruit a permanent successor"
            if event.post and sent_start == cue.sent.start and start < cue.start:
                return self.post_titled(event.post)
        for kinds in ({"VACANCY", "NO_APPOINTMENT"}, {"DEPARTURE"}):
            for _, start, event in reversed(self.mentions):
                if event.post and event.type in kinds and start < cue.start:
                    return self.post_titled(event.post)
        for pending in reversed(self.pending):
            if pending.type == "DEPARTURE":
                return pending.post
        for _, start, event in reversed(self.mentions):
            if event.post and event.type == "APPOINTMENT" and start < cue.start:
                return self.post_titled(event.post)
        candidates = [p for p in self.doc._.posts or [] if p.person is None and not p.plural]
        earlier = [p for p in candidates if p.span.start < cue.start]
        if earlier:
            return earlier[-1]
        later = [p for p in candidates if not is_former(p, self.words.former)]  # "no appointment was made to the post of X"
        return later[0] if later else None

    def topic_org(self) -> str | None:
        orgs = self.doc._.organisations or []
        return orgs[0].name if orgs else None

    def org_at(self, token: Token) -> Entity | None:
        return self._orgs.get(token.i)

    def org_named(self, name: str) -> Entity | None:
        """The organisation entity a name stands for, if the article has one by that name."""
        return self._org_names.get(name.lower())

    def main_org(self) -> Entity | None:
        """The organisation the article is about: news names it first."""
        orgs = self.doc._.organisations or []
        if not orgs:
            return None
        return min(orgs, key=lambda e: min(m.start for m in e.mentions))

    def post_titled(self, title: str) -> Post | None:
        for post in self.doc._.posts or []:
            if post.title == title:
                return post
        for event in self.events:
            if event.post == title:
                return Post(title=title, span=event.cue, organisation=event.organisation, interim=event.interim)
        return None
