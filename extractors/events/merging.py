"""Article-level steps, after every cue has given its events: one event per (type, person,
post), vacancies a failed round implies, departures of a post's holder named later, posts
listed under a vacancy cue, and vacancies the same article reports filled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from ..clauses import list_intro
from ..event_dates import event_date
from ..extensions import Event, Post
from .spans import same_title

if TYPE_CHECKING:
    from .state import DocState


def merge_into(events: list[Event], event: Event, ranks: frozenset[str]) -> Event:
    """One event per (type, person, post): a later mention that adds nothing folds into the
    earlier one, and one that names the post an earlier mention lacked completes it. A
    sentence that names several organisations for one post (a joint post) keeps one each."""
    for other in events:
        if other.type != event.type or other.person != event.person:
            continue
        if other.organisation and event.organisation and other.organisation != event.organisation \
                and (event.person is None or other.cue == event.cue):
            # an open post at two bodies is two vacancies (a joint post too: one event each);
            # but one person's two cues ("succeeded X, who left ahead of a report by Y") are one move
            continue
        if other.post == event.post or event.post is None or (other.post and same_title(other.post, event.post, ranks)):
            if event.post and other.post and len(event.post) > len(other.post) and event.person is None:
                other.post = event.post
            other.organisation = other.organisation or event.organisation
            other.date = other.date or event.date
            other.interim = other.interim or event.interim
            return other
        if other.post is None:
            other.post, other.organisation = event.post, other.organisation or event.organisation
            return other
    events.append(event)
    return event


def shared_failures(state: DocState) -> None:
    """"Adverts for A and B were posted, with no appointments made": a failed round with no body
    of its own, beside vacancies for the same post at several bodies, failed at each of them."""
    for failure in [e for e in state.events if e.type == "NO_APPOINTMENT" and e.post]:
        bodies = list(dict.fromkeys(
            v.organisation for v in state.events if v.type == "VACANCY" and v.cue.sent == failure.cue.sent
            and v.organisation and v.post and state.same_title(v.post, failure.post)))
        if len(bodies) < 2 or failure.organisation in bodies:
            continue
        failure.organisation = bodies[0]
        for body in bodies[1:]:
            state.events.append(Event("NO_APPOINTMENT", failure.cue, failure.post, body, None, failure.interim,
                                      failure.date))


def generic_vacancies(state: DocState) -> None:
    """"recruiting a new medical director ... looking for a visionary leader": a generic word for
    the person wanted names no second post when the article names the post being filled."""
    named = {e.organisation for e in state.events if e.type in {"VACANCY", "NO_APPOINTMENT"} and e.post
             and e.post not in state.words.generic_titles}
    state.events = [e for e in state.events if not (
        e.type == "VACANCY" and e.post in state.words.generic_titles and e.organisation in named)]


def repeated_departures(state: DocState) -> None:
    """"health board boss X has been suspended" and later "X, chief executive of the board, had been
    suspended": one departure told twice, first with an informal title; the formal one is kept."""
    vague = state.words.vague
    kept: list[Event] = []
    for event in state.events:
        twin = next((k for k in kept if k.type == event.type == "DEPARTURE" and k.person and k.person == event.person
                     and k.post and event.post and k.cue.root.lemma_ == event.cue.root.lemma_
                     and (k.post.split()[-1] in vague) != (event.post.split()[-1] in vague)), None)
        if twin is None:
            kept.append(event)
        elif twin.post.split()[-1] in vague:
            twin.post, twin.organisation = event.post, twin.organisation or event.organisation
    state.events = kept


def implied_vacancies(state: DocState) -> None:
    """A failed round means the post is open: every NO_APPOINTMENT has its VACANCY."""
    for event in [e for e in state.events if e.type == "NO_APPOINTMENT"]:
        state.add(Event("VACANCY", event.cue, event.post, event.organisation, None, event.interim, None))


def holders_of_pending(state: DocState) -> None:
    """"The trust's medical director is to leave" and, later, "Dr Jo Kay, the medical director":
    the departure is Jo Kay's."""
    for pending in state.pending:
        if pending.type != "DEPARTURE":
            continue
        if any(e.type == "DEPARTURE" and e.post and state.same_title(e.post, pending.post.title) for e in state.events):
            continue
        appointed = {e.person for e in state.events if e.type == "APPOINTMENT" and e.post
                     and state.same_title(e.post, pending.post.title)}
        holders = [p for p in state.doc._.posts or [] if p.person and p.person not in appointed
                   and not p.plural and state.same_title(p.title, pending.post.title)]
        if holders:
            cue = pending.post.span
            state.add(Event("DEPARTURE", cue, pending.post.title, pending.post.organisation, holders[0].person,
                            pending.post.interim, event_date(cue, state.doc._.published)))


def vacated_posts(state: DocState) -> None:
    """A departure with no post named: in an article about filling a post, the post left is the
    one being filled ("unable to find a chairman since X stepped down"); with none, it is no
    event (a departure leaves a post)."""
    open_posts = [e for e in state.events if e.type in {"VACANCY", "NO_APPOINTMENT"} and e.post]
    kept = []
    for event in state.events:
        if event.type == "DEPARTURE" and event.post is None:
            same = [e for e in open_posts if e.organisation == event.organisation] or open_posts
            # the post open in the departure's own sentence, else the one named nearest before it
            same = sorted(same, key=lambda e: (e.cue.sent != event.cue.sent, abs(e.cue.start - event.cue.start)))
            if not same or any(e.type == "DEPARTURE" and e.person == event.person and e.post for e in state.events):
                continue
            event.post, event.organisation = same[0].post, event.organisation or same[0].organisation
        kept.append(event)
    state.events = kept


def listed_vacancies(state: DocState, window: int) -> None:
    """A vacancy cue shortly before a bulleted list of posts ("The posts are:" and one line
    each): every listed post is open."""
    doc = state.doc
    cue_sents = {state.sent_index(c) for c, m in state.cues if m["label"] == "VACANCY"}
    for post in doc._.posts or []:
        if post.person is not None:
            continue
        colon = list_intro(doc, post.span.start)
        if colon is None:
            continue
        n = state.sent_index(colon)
        if any(n - window <= k <= n for k in cue_sents):
            state.add(Event("VACANCY", post.span, post.title, post.organisation or state.topic_org(),
                            None, post.interim, None))


def drop_filled_vacancies(state: DocState) -> None:
    """A vacancy for a post the same article reports substantively filled is history, not an
    open post ("the post became vacant when ..."; "a successor" once named). Vacancies implied
    by a failed round stay: the failure is the news."""
    published = state.doc._.published
    filled = [e for e in state.events if e.type == "APPOINTMENT" and e.post and not e.interim
              and not (published and e.date and (published - e.date).days > 365)]  # a career line years ago fills nothing open now
    failed = {e.post for e in state.events if e.type == "NO_APPOINTMENT" and e.post}
    kept = []
    for event in state.events:
        if event.type == "VACANCY" and event.post and event.post not in failed and any(
                state.same_title(a.post, event.post) and a.organisation in {None, event.organisation} | {a.organisation}
                for a in filled):
            continue
        kept.append(event)
    state.events = kept


def posts_from_events(doc: Doc, events: list[Event]) -> None:
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
