"""Recruitment events: a cue in the text (cues.py, data: event_cues.jsonl), dropped when a
guard says it is not a real, current event (guards.py), linked through the dependency parse
to the person it happens to (people.py) and the post it concerns (posts.py), then merged and
completed at article level (merging.py).

Why the parse and not proximity: a sentence such as "She succeeds Jo Kay, who retired" names
two people and one cue each; only the subject/object relation says who is appointed and who
left.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions  # noqa: F401
from ..clauses import CLAUSE_LINKS
from ..event_dates import event_date
from ..extensions import Event, Post
from .cues import CueFinder
from .guards import Guards
from .listed_bodies import ListedBodies
from .orgs import OrgLinker
from .merging import (drop_filled_vacancies, holders_of_pending, implied_vacancies, listed_vacancies,
                      generic_vacancies, posts_from_events, repeated_departures, shared_failures, vacated_posts)
from .people import PeopleLinker
from .posts import PostLinker
from .relevance import Relevance
from .scope import Scope
from .state import DocState, Pending
from .words import load_words


@Language.factory(
    "postwatch_events",
    default_config={"cues": "event_cues.jsonl", "guards": "event_guards.csv", "scope": "event_scope.csv",
                    "scope_words": 3, "implied_vacancy": True, "antecedent_sentences": 3, "list_window": 3},
    assigns=["doc._.events", "doc._.posts"],
    requires=["doc._.posts", "doc._.people", "doc._.organisations"],
)
def make_events(nlp: Language, name: str, *, cues: str, guards: str, scope: str, scope_words: int,
                implied_vacancy: bool, antecedent_sentences: int, list_window: int) -> "EventFinder":
    return EventFinder(nlp, cues=cues, guards=guards, scope=scope, scope_words=scope_words,
                       implied_vacancy=implied_vacancy, antecedent_sentences=antecedent_sentences,
                       list_window=list_window)


class EventFinder:
    def __init__(self, nlp: Language, *, cues: str, guards: str, scope: str = "event_scope.csv",
                 scope_words: int = 3, implied_vacancy: bool = True, antecedent_sentences: int = 3,
                 list_window: int = 3) -> None:
        self.words = load_words(guards)
        self.find_cues = CueFinder(nlp, cues)
        self.guarded = Guards(self.words)
        self.people = PeopleLinker(self.words, antecedent_sentences)
        self.posts = PostLinker(self.words)
        self.orgs = OrgLinker(self.words.workplaces, self.words.recruiters)
        self.listed_bodies = ListedBodies()
        self.relevant = Relevance(self.words)
        self.scope = Scope(scope, scope_words)
        self.implied_vacancy = implied_vacancy
        self.list_window = list_window

    def __call__(self, doc: Doc) -> Doc:
        state = DocState(doc, self.find_cues(doc), self.words)
        for cue, meta in state.cues:
            if not self.guarded(cue, meta, doc._.published):
                for event in self._events(state, cue, meta):
                    state.add(event)
        repeated_departures(state)
        shared_failures(state)
        self.listed_bodies(state)
        if self.implied_vacancy:
            implied_vacancies(state)
        holders_of_pending(state)
        listed_vacancies(state, self.list_window)
        vacated_posts(state)
        drop_filled_vacancies(state)
        generic_vacancies(state)
        self.scope(doc, state.events)
        doc._.events = state.events
        posts_from_events(doc, state.events)
        return doc

    def _events(self, state: DocState, cue: Span, meta: dict) -> list[Event]:
        """The events one cue reports: one per person it happens to, or one open post."""
        kind = meta["label"]
        if kind in {"VACANCY", "NO_APPOINTMENT"}:
            if not self.relevant(state, cue, meta):
                return []
            post = self.posts.open_post(state, cue, meta)
            if post is None:
                return []
            # "recruiting a medical director and a chief nurse": a post each
            posts = [post, *self.posts.conjoined(state, post)]
            if kind == "VACANCY":
                posts += self.posts.included(state, cue, post)  # "advertised for three NEDs, including the chair of X"
            return [e for p in posts for e in self._make(state, kind, cue, p, None)]
        if meta.get("replaces"):
            return self._succession(state, cue, meta)
        people = self.people(state, cue, meta)
        if people is None:
            return []  # the cue's object is an organisation ("appointed search firm X")
        if not people:
            post = self.posts.appointment_post(state, cue, meta, None, own_only=True) if kind == "APPOINTMENT" \
                else self.posts.own_post(state, cue)
            if isinstance(post, Post):
                state.pending.append(Pending(kind, post, cue.sent.start))
            return []
        events = []
        for person in people:
            if kind == "APPOINTMENT":
                post = self.posts.appointment_post(state, cue, meta, person)
                if post is None and meta.get("needs_post"):
                    continue
                if meta.get("needs_interim") and not (post is not None and post.interim):
                    continue  # "will stay on as interim chair" is news; "will remain as chair" is not
                if post is None and cue.root.dep_ in CLAUSE_LINKS and state.is_cue(cue.root.head, "DEPARTURE") \
                        and not self.relevant.joins_organisation(state, cue, kind, named_only=True):
                    continue  # "left to take up a national position": only a named post or body is news
            else:
                post = self.posts.departure_post(state, cue, meta, person)
            if post is None and kind == "APPOINTMENT" and not self.relevant.joins_organisation(state, cue, kind):
                continue  # an appointment fills a post or moves someone to a named body
            made = self._make(state, kind, cue, post, person)
            if post is not None and post.span.sent == cue.sent:
                for other in self.posts.conjoined(state, post, person):  # "will become X and Y", "X, a Y and Z, resigned"
                    made += self._make(state, kind, cue, other, person)
            events.extend(made)
            left = None
            if meta.get("also_leaves") and not self.keeps_post(cue):  # "seconded to X": the old post is left
                left = self.posts.departure_post(state, cue, meta, person)
            elif meta.get("leaves_held"):  # "returns to her role as X": the (acting) post held till now is left
                left = state.held_by(person, cue)
            elif kind == "APPOINTMENT" and post is not None:
                left = self.moved_from(state, cue, made)
            if left is not None and (post is None or not state.same_title(left.title, post.title)):
                events.extend(self._make(state, "DEPARTURE", cue, left, person))
        return events

    def keeps_post(self, cue: Span) -> bool:
        """"will be seconded to X and will remain dean": a verb of staying joined to the cue."""
        return any(t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in self.words.stays
                   for t in [*cue.root.conjuncts, *cue.root.children])

    def moved_from(self, state: DocState, cue: Span, made: list[Event]) -> Post | None:
        """A move inside one organisation leaves the post held now ("X, currently deputy chair,
        will become chair"); one to another body says nothing of the old post's fate."""
        held = self.posts.current_post(state, cue)
        if held is None or held.organisation is None:
            return held
        body = state.org_named(held.organisation)
        return held if body is not None and any(e.organisation == body.name for e in made) else None

    def _succession(self, state: DocState, cue: Span, meta: dict) -> list[Event]:
        """"X replaces / succeeds / takes over from Y": an appointment for X and a departure for Y,
        from the post X takes unless the article names Y's own ("X was replaced by Y" turns
        the roles round)."""
        incoming, outgoing = self.people.succession(state, cue)
        events = []
        taken = [self.posts.appointment_post(state, cue, meta, person) for person in incoming]
        titled = [state.titled_holder(token) for _, token in outgoing]  # "took over from current Chair, Jo Kay"
        left = [self.posts.held_post(state, token) or (own if own and own.person == person else None)
                or state.held_by(person, cue) for (person, token), own in zip(outgoing, titled)]
        known = next((p for p in taken + left if p is not None), None)  # one office changes hands
        if known is None and outgoing:  # "took over from current Chair, Jo Kay": the title beside the name
            titles = [self.posts.post_of(state, g) for t in cue for c in t.children if c.dep_ == "prep"
                      and c.lower_ == "from" for g in c.children if g.dep_ == "pobj"]
            known = next((p for p in titles if isinstance(p, Post)), None)
        for person, post in zip(incoming, taken):
            post = post or known
            if post is not None or self.relevant.joins_organisation(state, cue, "APPOINTMENT"):
                events.extend(self._make(state, "APPOINTMENT", cue, post, person))
        for (person, _), post in zip(outgoing, left):
            if post or known:
                events.extend(self._make(state, "DEPARTURE", cue, post or known, person))
        return events

    def _make(self, state: DocState, kind: str, cue: Span, post: Post | None, person: str | None) -> list[Event]:
        """One event, or one per organisation when the sentence names several for it (a joint
        post, "adverts for A and B were posted")."""
        interim = bool(post and post.interim) or (kind == "APPOINTMENT" and self.posts.interim_near(cue, post))
        title = self.posts.as_written(post) if post else None
        when = event_date(cue, state.doc._.published)
        return [Event(kind, cue, title, organisation, person, interim, when)
                for organisation in self.orgs.all(state, kind, cue, post, person)]
