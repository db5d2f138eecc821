"""Recruitment events: a cue in the text (data: event_cues.jsonl), linked through the
parse and the surrounding sentences to its post, organisation, person and date."""

from __future__ import annotations

from datetime import date, datetime

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token

from . import extensions  # noqa: F401
from .extensions import Event, Post
from .lexicon import read_csv, read_jsonl, title_terms

_PRONOUNS = {"he", "she", "they", "his", "her", "their", "him", "them"}
_OUTRANKS = {"NO_APPOINTMENT": {"APPOINTMENT", "VACANCY"}, "DEPARTURE": {"VACANCY"}}


@Language.factory(
    "postwatch_events",
    default_config={"cues": "event_cues.jsonl", "guards": "event_guards.csv", "implied_vacancy": True},
    assigns=["doc._.events", "doc._.posts"],
    requires=["doc._.posts", "doc._.people", "doc._.organisations"],
)
def make_events(nlp: Language, name: str, *, cues: str, guards: str, implied_vacancy: bool) -> "EventFinder":
    return EventFinder(nlp, cues=cues, guards=guards, implied_vacancy=implied_vacancy)


class EventFinder:
    def __init__(self, nlp: Language, *, cues: str, guards: str, implied_vacancy: bool) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.dep_matcher = DependencyMatcher(nlp.vocab)
        self.cues: dict[str, dict] = {}
        for n, row in enumerate(read_jsonl(cues)):
            key = f"{row['label']}#{n}"
            self.cues[key] = row
            if "pattern" in row:
                self.matcher.add(key, [row["pattern"]])
            else:
                self.dep_matcher.add(key, [row["dep_pattern"]])
        rows = read_csv(guards)
        self.hypothetical = {r["word"] for r in rows if r["kind"] == "hypothetical"}
        self.not_a_post = {r["word"] for r in rows if r["kind"] == "not_a_post"}
        self.interim_words = title_terms("interim")
        self.implied_vacancy = implied_vacancy

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        for cue, meta in self._cues(doc):
            event = self._event(doc, cue, meta, events)
            if event is not None:
                _add(events, event)
                if self.implied_vacancy and event.type == "NO_APPOINTMENT":
                    _add(events, Event("VACANCY", cue, event.post, event.organisation, None, event.interim, None))
        doc._.events = events
        _posts_from_events(doc, events)
        return doc

    # -- finding cues --------------------------------------------------------------
    def _cues(self, doc: Doc) -> list[tuple[Span, dict]]:
        found: list[tuple[Span, dict]] = []
        for key, start, end in self.matcher(doc):
            found.append((doc[start:end], self.cues[doc.vocab.strings[key]]))
        for key, token_ids in self.dep_matcher(doc):
            i = token_ids[0]
            found.append((doc[i:i + 1], self.cues[doc.vocab.strings[key]]))
        strong = [(c, m) for c, m in found if m["label"] in _OUTRANKS]
        kept = [
            (c, m) for c, m in found
            if not any(m["label"] in _OUTRANKS.get(sm["label"], ()) and _overlaps(c, sc) for sc, sm in strong)
        ]
        kept.sort(key=lambda cm: (cm[0].start, -len(cm[0])))
        return kept

    def _guarded(self, cue: Span, meta: dict) -> bool:
        sent = cue.sent
        before = cue.doc[sent.start:cue.start]
        if any(t.lower_ in self.hypothetical and t.lower_ in {"if", "unless", "whether"} for t in before):
            return True
        root = cue.root
        if any(c.lower_ in self.hypothetical for c in root.children if c.dep_ == "aux"):
            return True
        if meta["label"] != "NO_APPOINTMENT" and any(c.dep_ == "neg" for c in root.children):
            return True
        if any(t.lemma_ == "appointment" for t in sent) and any(t.lower_ in self.not_a_post for t in sent):
            return True  # patients' appointments, bookings and backlogs
        return False

    # -- building one event -------------------------------------------------------------
    def _event(self, doc: Doc, cue: Span, meta: dict, events: list[Event]) -> Event | None:
        if self._guarded(cue, meta):
            return None
        kind = meta["label"]
        person = None
        if kind in {"APPOINTMENT", "DEPARTURE"}:
            person = _person_for(cue, arg_only=meta.get("needs_person_arg", False))
            if person is None:
                return None
        post = self._post_for(doc, cue, meta, kind, person, events)
        if post is None and kind in {"VACANCY", "NO_APPOINTMENT"}:
            return None  # a recruitment is always to some post
        if meta.get("post_right_after") and (post is None or post.span.start != cue.end or post.person is None):
            return None
        if meta.get("post_from_cue") and post is None:
            title = cue[-1].lower_
            post = Post(title=title, span=cue[-1:], organisation=_org_object(cue[-1]), person=person)
        organisation = post.organisation if post else _nearest_org(cue)
        interim = bool(post and post.interim) or self._interim_near(cue, post)
        return Event(kind, cue, post.title if post else None, organisation, person, interim,
                     _event_date(cue, doc._.published))

    def _post_for(self, doc: Doc, cue: Span, meta: dict, kind: str, person: str | None,
                  events: list[Event]) -> Post | None:
        posts = [p for p in doc._.posts or [] if p.span.sent == cue.sent]
        if kind in {"APPOINTMENT", "DEPARTURE"}:
            posts = [p for p in posts if not p.plural]
            if meta.get("post_right_after"):
                return next((p for p in posts if p.span.start == cue.end), None)
            held = [p for p in posts if p.person == person]
            if kind == "APPOINTMENT":
                after = [p for p in posts if p.span.start >= cue.start and p.person in {None, person}]
                if after:
                    return after[0]
            if held:
                return held[0]
            if kind == "DEPARTURE":
                known = [p for p in doc._.posts or [] if p.person == person and not p.plural]
                if known:
                    return known[0]
            free = [p for p in posts if p.person in {None, person}]
            if free:
                return min(free, key=lambda p: _distance(cue.root, p.span.root))
            return _recent_post(doc, cue, person)
        # VACANCY and NO_APPOINTMENT: the open post, never one a named person holds.
        open_posts = [p for p in posts if p.person is None and not (meta["strength"] == "weak" and p.plural)]
        if open_posts:
            return min(open_posts, key=lambda p: _distance(cue.root, p.span.root))
        if meta["strength"] == "weak" and not meta.get("topic_post"):
            return None  # a weak cue ("seek") needs its post in the same sentence
        return _topic_post(doc, cue, events)

    def _interim_near(self, cue: Span, post: Post | None) -> bool:
        sent = cue.sent
        if post is not None:
            window = cue.doc[max(sent.start, post.span.start - 3):post.span.start]
            if any(t.lower_ in self.interim_words for t in window):
                return True
        return "interim basis" in sent.text.lower() or "acting basis" in sent.text.lower()


# -- linking helpers ---------------------------------------------------------------------
def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (through their lowest common ancestor)."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 100 + abs(a.i - b.i)


def _person_for(cue: Span, *, arg_only: bool) -> str | None:
    sent, doc = cue.sent, cue.doc
    people = [e for e in sent.ents if e.label_ == "PERSON"]
    if people:
        best = min(people, key=lambda e: (_distance(cue.root, e.root), abs(e.start - cue.start)))
        if arg_only and _distance(cue.root, best.root) > 3:
            return None
        return best._.canonical or best.text
    subjects = [t for t in sent if t.dep_ in {"nsubj", "nsubjpass", "poss"} and t.lower_ in _PRONOUNS]
    if subjects:
        earlier = [e for e in doc.ents if e.label_ == "PERSON" and e.end <= sent.start]
        if earlier:
            return earlier[-1]._.canonical or earlier[-1].text
    return None


def _recent_post(doc: Doc, cue: Span, person: str | None, sentences: int = 2) -> Post | None:
    """The post a person's move refers to when the sentence names none ("She will leave in
    March"): the nearest earlier one, in the last few sentences, that nobody else holds."""
    sents = list(doc.sents)
    index = next(n for n, s in enumerate(sents) if s.start == cue.sent.start)
    window_start = sents[max(0, index - sentences)].start
    earlier = [p for p in doc._.posts or [] if window_start <= p.span.start < cue.sent.start
               and not p.plural and p.person in {None, person}]
    return earlier[-1] if earlier else None


def _topic_post(doc: Doc, cue: Span, events: list[Event]) -> Post | None:
    """The post an article is about when a sentence only says "no appointment was made"."""
    for event in reversed(events):
        if event.post and event.type in {"VACANCY", "NO_APPOINTMENT", "DEPARTURE"}:
            return next((p for p in doc._.posts if p.title == event.post), None)
    candidates = [p for p in doc._.posts or [] if p.person is None and not p.plural]
    earlier = [p for p in candidates if p.span.start < cue.start]
    if earlier:
        return earlier[-1]
    return candidates[0] if candidates else None


def _nearest_org(cue: Span) -> str | None:
    orgs = [e for e in cue.sent.ents if e.label_ == "ORG"]
    if not orgs:
        return None
    best = min(orgs, key=lambda e: _distance(cue.root, e.root))
    return best._.canonical or best.text


def _org_object(token: Token) -> str | None:
    for child in token.subtree:
        if child.ent_type_ == "ORG":
            ent = next(e for e in token.doc.ents if e.start <= child.i < e.end)
            return ent._.canonical or ent.text
    return None


def _event_date(cue: Span, published: date | None) -> date | None:
    dates = [e for e in cue.sent.ents if e.label_ == "DATE" and any(c.isdigit() for c in e.text) or
             e.label_ == "DATE" and any(w in e.text.lower() for w in ("next", "this", "january", "february", "march",
                                                                      "april", "may", "june", "july", "august",
                                                                      "september", "october", "november", "december"))]
    if not dates:
        return None
    import dateparser  # slow to import; most articles never need it

    ent = min(dates, key=lambda e: abs(e.start - cue.start))
    base = datetime.combine(published, datetime.min.time()) if published else datetime.now()
    parsed = dateparser.parse(ent.text, languages=["en"],
                              settings={"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"})
    return parsed.date() if parsed else None


def _add(events: list[Event], event: Event) -> None:
    for other in events:
        if other.type == event.type and other.person == event.person:
            if other.post == event.post or event.post is None:
                return
            if other.post is None:
                other.post, other.organisation = event.post, other.organisation or event.organisation
                return
    events.append(event)


def _posts_from_events(doc: Doc, events: list[Event]) -> None:
    """"Jo Kay has been appointed chief executive" also tells who holds the post."""
    for event in events:
        if event.type != "APPOINTMENT" or not event.post or not event.person:
            continue
        if any(p.title == event.post and p.person == event.person for p in doc._.posts):
            continue
        bare = next((p for p in doc._.posts if p.title == event.post and p.person is None and not p.plural), None)
        if bare is not None and event.cue.sent == bare.sentence:
            bare.person = event.person
        else:
            doc._.posts.append(Post(event.post, event.cue, event.organisation, event.person, event.interim))
