"""Recruitment events: a cue in the text (data: event_cues.jsonl), linked through the
dependency parse to the person it happens to, the post it concerns, and the surrounding
sentences when the clause itself does not say ("the role", "who retired in May").

Why the parse and not proximity: a sentence such as "She succeeds Jo Kay, who retired"
names two people and one cue each; only the subject/object relation says who is appointed
and who left. The linking order for each event type is written out in `_appointment_post`,
`_departure_post` and `_open_post`; guards (event_guards.csv) drop hypotheticals, negations,
patients' appointments and past career history before any linking is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from . import extensions  # noqa: F401
from .clauses import (CLAUSE_LINKS, SUBJECTS, clause_heads, clause_of, governing_clause, is_counted,
                      list_intro, nearest_org, org_object, overlaps, own_subtree, proper_name, subjects_of,
                      tree_distance)
from .event_dates import event_date
from .extensions import Event, Post
from .lexicon import read_csv, read_jsonl, title_terms

ANAPHOR = "anaphor"  # "the role", "the post": a post named earlier
GENERIC = "generic"  # "a post", "any role": no particular post


@Language.factory(
    "postwatch_events",
    default_config={"cues": "event_cues.jsonl", "guards": "event_guards.csv", "implied_vacancy": True,
                    "antecedent_sentences": 3, "list_window": 3},
    assigns=["doc._.events", "doc._.posts"],
    requires=["doc._.posts", "doc._.people", "doc._.organisations"],
)
def make_events(nlp: Language, name: str, *, cues: str, guards: str, implied_vacancy: bool,
                antecedent_sentences: int, list_window: int) -> "EventFinder":
    return EventFinder(nlp, cues=cues, guards=guards, implied_vacancy=implied_vacancy,
                       antecedent_sentences=antecedent_sentences, list_window=list_window)


@dataclass
class _Pending:
    """A cue that names a post but no person ("the trust's chief executive is to retire"):
    not an event itself, but the post a later sentence's "he will leave" refers to."""

    type: str
    post: Post
    sent_start: int


class EventFinder:
    def __init__(self, nlp: Language, *, cues: str, guards: str, implied_vacancy: bool,
                 antecedent_sentences: int = 3, list_window: int = 3) -> None:
        # One small Matcher per word a cue can start with, run only from the tokens holding that
        # word: a single Matcher of every cue over every sentence spent most of its time starting
        # states that fail on the next token.
        self.cues: dict[str, dict] = {}
        self.by_first: dict[int, Matcher] = {}
        self.reach: dict[int, int | None] = {}  # longest match from a first word; None: to the sentence end
        for n, row in enumerate(read_jsonl(cues)):
            key = f"{row['label']}#{n}"
            self.cues[key] = row
            length = None if any(t.get("OP") in {"*", "+"} for t in row["pattern"]) else len(row["pattern"])
            for pattern in _exact_first(row["pattern"]):
                for word in _first_words(pattern):
                    first = nlp.vocab.strings.add(word)
                    self.by_first.setdefault(first, Matcher(nlp.vocab)).add(key, [pattern])
                    known = self.reach.get(first, 0)
                    self.reach[first] = None if known is None or length is None else max(known, length)
        self.triggers = numpy.array(sorted(self.by_first), dtype="uint64")
        words: dict[str, set[str]] = {}
        for row in read_csv(guards):
            words.setdefault(row["kind"], set()).add(row["word"].lower())
        self.hypothetical = words.get("hypothetical", set())
        self.modals = words.get("modal", set())
        self.not_a_post = words.get("not_a_post", set())
        self.past = words.get("past", set())
        self.org_nouns = words.get("org_noun", set())
        self.role_nouns = words.get("role_noun", set())
        self.former = words.get("former", set())
        self.workplaces = words.get("workplace", set())
        self.heads = title_terms("head")
        self.modifiers = title_terms("modifier") | self.heads
        self.interim_words = title_terms("interim")
        self.stops = title_terms("stop")
        self.implied_vacancy = implied_vacancy
        self.antecedent_sentences = antecedent_sentences
        self.max_distance = 4  # edges from cue to post in its clause; further is another topic
        self.list_window = list_window

    def __call__(self, doc: Doc) -> Doc:
        state = _DocState(doc, self._cues(doc), self.former)
        for cue, meta in state.cues:
            if self._guarded(cue, meta, doc._.published):
                continue
            for event in self._events(state, cue, meta):
                state.add(event)
        events = state.events
        if self.implied_vacancy:
            for event in [e for e in events if e.type == "NO_APPOINTMENT"]:
                state.add(Event("VACANCY", event.cue, event.post, event.organisation, None, event.interim, None))
        self._holders_of_pending(state)
        self._listed_vacancies(state)
        _drop_filled_vacancies(state)
        doc._.events = state.events
        _posts_from_events(doc, state.events)
        return doc

    # -- finding and guarding cues ----------------------------------------------------------
    def _cues(self, doc: Doc) -> list[tuple[Span, dict]]:
        found: list[tuple[Span, dict]] = []
        for i, first in self._trigger_tokens(doc):
            sent_end = doc[i].sent.end
            reach = self.reach[first]
            window = doc[i:sent_end if reach is None else min(sent_end, i + reach)]
            for key, start, end in self.by_first[first](window):
                if start:
                    continue  # starts at another trigger, which has its own window
                meta = self.cues[doc.vocab.strings[key]]
                if _fits(doc[i], meta):
                    found.append((doc[i:i + end], meta))
        # One cue, one type: the more specific reading wins ("no appointment" is not an appointment,
        # "re-advertised" is a failed round before it is an advert).
        outranks = {"NO_APPOINTMENT": {"APPOINTMENT", "VACANCY"}, "DEPARTURE": {"VACANCY", "APPOINTMENT"}}
        kept = [(c, m) for c, m in found
                if not any(m["label"] in outranks.get(om["label"], ()) and overlaps(c, oc) for oc, om in found)]
        kept.sort(key=lambda cm: (cm[0].start, -len(cm[0])))
        out: list[tuple[Span, dict]] = []
        for cue, meta in kept:  # one event per cue span and type: drop contained repeats
            if not any(m["label"] == meta["label"] and o.start <= cue.start and cue.end <= o.end for o, m in out):
                out.append((cue, meta))
        return out

    def _trigger_tokens(self, doc: Doc) -> list[tuple[int, int]]:
        """(token index, first word) for each token whose lower form or lemma starts a cue."""
        if not len(doc):
            return []
        values = doc.to_array([LOWER, LEMMA])
        hits = numpy.isin(values, self.triggers)
        out = []
        for i, column in zip(*numpy.nonzero(hits)):
            first = int(values[i, column])
            if column == 1 and hits[i, 0] and int(values[i, 0]) == first:
                continue  # lower form and lemma are the same word: one window
            out.append((int(i), first))
        return out

    def _guarded(self, cue: Span, meta: dict, published: date | None) -> bool:
        """True when the cue does not report a real, current recruitment event."""
        sent, root = cue.sent, cue.root
        clause = [root, *clause_heads(root)]
        if any(c.dep_ == "mark" and c.lower_ in self.hypothetical for t in clause for c in t.children):
            return True
        if any(t.lower_ in {"if", "unless"} for t in cue.doc[sent.start:cue.start]):
            return True
        if any(c.dep_ == "aux" and c.lower_ in self.modals for t in clause[:2] for c in t.children):
            return True
        if meta["label"] != "NO_APPOINTMENT" and any(c.dep_ == "neg" for t in cue for c in t.children):
            return True
        if any(t.lemma_ == "appointment" for t in sent) and any(t.lower_ in self.not_a_post for t in sent):
            return True  # patients' appointments, bookings and backlogs
        if meta.get("not_compound") and root.dep_ == "compound" and root.head.lower_ not in self.org_nouns:
            return True  # "vacancy rates", "vacancy control panel"
        if meta["label"] in {"APPOINTMENT", "DEPARTURE"} and self._past_history(root, published):
            return True
        return False

    def _past_history(self, verb: Token, published: date | None) -> bool:
        """Career history, not news: "she previously ran", "he had left", "appointed in 2009"."""
        heads = [verb, verb.head] if verb.dep_ in {"xcomp", "conj"} else [verb]
        for head in heads:
            for child in head.children:
                if child.dep_ == "advmod" and child.lower_ in self.past:
                    return True
        if published is not None:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"in", "during"}:
                    years = [t for t in child.subtree if t.like_num and len(t.text) == 4 and t.text.isdigit()]
                    if years and all(int(t.text) < published.year - 1 for t in years):
                        return True
        return False

    # -- building events from one cue ------------------------------------------------------
    def _events(self, state: "_DocState", cue: Span, meta: dict) -> list[Event]:
        kind = meta["label"]
        if kind in {"VACANCY", "NO_APPOINTMENT"}:
            post = self._open_post(state, cue, meta)
            if post is None:
                return []
            return [self._make(state, kind, cue, post, None)]
        people = self._people(state, cue, meta)
        if people is None:
            return []  # the cue's object is an organisation ("appointed search firm X")
        if not people:
            post = self._appointment_post(state, cue, meta, None, own_only=True) if kind == "APPOINTMENT" \
                else self._own_post(state, cue)
            if isinstance(post, Post):
                state.pending.append(_Pending(kind, post, cue.sent.start))
            return []
        events = []
        for person in people:
            if kind == "APPOINTMENT":
                post = self._appointment_post(state, cue, meta, person)
                if post is None and meta.get("needs_post"):
                    continue
                if post is None and cue.root.dep_ in CLAUSE_LINKS and self._is_cue(state, cue.root.head, "DEPARTURE"):
                    continue  # "left to take up a national position": only a named post is news
            else:
                post = self._departure_post(state, cue, meta, person)
            events.append(self._make(state, kind, cue, post, person))
        return events

    def _make(self, state: "_DocState", kind: str, cue: Span, post: Post | None, person: str | None) -> Event:
        organisation = post.organisation if post else nearest_org(cue)
        interim = bool(post and post.interim) or (kind == "APPOINTMENT" and self._interim_near(cue, post))
        return Event(kind, cue, post.title if post else None, organisation, person, interim,
                     event_date(cue, state.doc._.published))

    def _is_cue(self, state: "_DocState", token: Token, kind: str) -> bool:
        return any(c.start <= token.i < c.end and m["label"] == kind for c, m in state.cues)

    # -- people -------------------------------------------------------------------------------
    def _people(self, state: "_DocState", cue: Span, meta: dict) -> list[str] | None:
        """The people a cue happens to, by grammatical role; None when the role is filled by
        something that is not a person (then the cue is about an organisation, not an event)."""
        root = cue.root
        if meta.get("new_post"):  # "new chief executive Jo Kay"
            head = root.head
            holder = head.head if head.dep_ == "compound" else None
            if holder is not None and holder.ent_type_ == "PERSON":
                return self._resolve(state, holder)
            return [n for c in head.children if c.dep_ == "appos" for n in self._resolve(state, c) or []]
        if root.pos_ in {"NOUN", "PROPN"} and root.dep_ != "ROOT" or meta.get("nominal"):
            args = [c for c in root.children if c.dep_ == "poss"]
            args += [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                     if g.dep_ == "pobj"]
            people: list[str] = []
            for arg in args:
                people += self._resolve(state, arg) or []
            return people
        if root.dep_ == "amod" and meta.get("person") == "object":  # "the newly appointed chair, Jo Kay"
            return self._resolve(state, root.head) or []
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in root.children)
        if meta.get("person") == "object" and not passive:
            objects = [c for t in cue for c in t.children if c.dep_ in {"dobj"} and c not in cue]
            if not objects:
                return []
            people = []
            for obj in objects:
                found = self._resolve(state, obj)
                if found is None:
                    return None
                people += found
            return people
        if meta.get("needs_org_object"):  # "will chair NHS Improvement", not "chair meetings"
            if not any(c.dep_ == "dobj" and c.ent_type_ == "ORG" for c in root.children):
                return []
        if any(c.dep_ == "dobj" and c.lemma_ in self.not_a_post for c in root.children):
            return []
        if meta.get("object_is_workplace") and any(
                c.dep_ == "dobj" and c.ent_type_ != "ORG" and c.lemma_.lower() not in self.workplaces | self.role_nouns
                and c.lower_ not in self.heads and state.post_at(c) is None for c in root.children):
            return []  # "leaves big shoes to fill" is not leaving a job
        people = []
        for subject in subjects_of(root):
            people += self._resolve(state, subject) or []
        return people

    def _resolve(self, state: "_DocState", token: Token, depth: int = 0) -> list[str] | None:
        """The named people a noun phrase token stands for: itself, its appositions and conjuncts,
        the noun a relative pronoun stands for, or a pronoun's antecedent."""
        if depth > 3:
            return []
        doc = token.doc
        if token.lower_ in self.org_nouns or any(c.lower_ in self.org_nouns for c in token.children
                                                  if c.dep_ in {"compound", "amod", "nmod"}):
            return None
        names: list[str] = []
        ent = state.person_at(token)
        if ent is not None:
            names.append(ent)
        elif token.lower_ in {"who", "that", "whom"} and token.head.dep_ in {"relcl", "acl"}:
            return self._resolve(state, token.head.head, depth + 1)
        elif token.pos_ == "PRON" and token.lower_ in {"he", "she", "him", "her", "his", "hers"}:
            antecedent = state.antecedent(token, self.antecedent_sentences)
            if antecedent:
                names.append(antecedent)
        elif token.pos_ == "PROPN" and token.is_title and token.ent_type_ in _NOT_NAMES and \
                (token.dep_ == "conj" and depth > 0 or len(proper_name(token).split()) >= 2):
            names.append(proper_name(token))  # "Ines Calloway resigned": the role says it is a person
        else:
            for child in token.children:
                if child.dep_ in {"appos", "compound"} and state.person_at(child):
                    names += self._resolve(state, child, depth + 1) or []
                    break
        for child in token.children:
            if child.dep_ == "conj":
                names += self._resolve(state, child, depth + 1) or []
        if doc[token.i].ent_type_ == "ORG" and not names:
            return None
        return list(dict.fromkeys(names))

    # -- posts ---------------------------------------------------------------------------------
    def _arg_tokens(self, cue: Span, deps: set[str], preps: set[str]) -> list[Token]:
        out: list[Token] = []
        for token in cue:
            if token.dep_ == "prep" and token.lower_ in preps:  # "act up as", "search for": the prep is the cue
                out += [g for g in token.children if g.dep_ == "pobj"]
            for child in token.children:
                if child in cue:
                    continue
                if child.dep_ in deps:
                    out.append(child)
                elif child.dep_ == "prep" and child.lower_ in preps:
                    out += [g for g in child.children if g.dep_ == "pobj"]
        return out

    def _post_of(self, state: "_DocState", token: Token, *, plural: bool = False) -> Post | str | None:
        """The post a noun names: a found post, a bare title head, or ANAPHOR for "the role"."""
        post = state.post_at(token)
        if post is not None:
            if post.plural and not (plural and is_counted(post.span.root)):
                return None
            if self._modifier_only(post.span.root):
                return None
            if self._former(post):
                return None
            return post
        lemma = token.lemma_.lower()
        if lemma in self.role_nouns or lemma in {"successor", "replacement", "predecessor"}:
            for child in token.children:
                if child.dep_ in {"compound", "nmod", "amod"}:
                    found = state.post_at(child)
                    if found is not None:
                        return found
                if child.dep_ == "prep" and child.lower_ == "of":
                    for g in child.children:
                        found = self._post_of(state, g, plural=plural)
                        if isinstance(found, Post):
                            return found
            if token.dep_ == "appos":  # "a non-executive director, a position she will give up"
                found = state.post_at(token.head)
                if found is not None:
                    return found
            if any(c.dep_ == "det" and c.lower_ in {"a", "an", "another", "any", "every"} for c in token.children):
                return GENERIC
            return ANAPHOR
        if (token.lower_ in self.heads or (plural and lemma in self.heads and is_counted(token))) \
                and token.ent_type_ not in {"PERSON", "ORG"} and token.pos_ in {"NOUN", "PROPN"} \
                and not self._modifier_only(token):
            return self._bare_post(token)
        return None

    def _bare_post(self, head: Token) -> Post:
        """A title the posts component left alone because it stands bare ("resigned as chair")."""
        words, interim = [], False
        for child in sorted((c for c in head.children if c.i < head.i), key=lambda c: c.i):
            low = child.lower_
            if low in self.interim_words:
                interim = True
            elif child.dep_ in {"amod", "compound", "nmod"} and low in self.modifiers and low not in self.stops:
                words.append(low)
        title = " ".join([*words, head.lemma_.lower() if head.tag_ == "NNS" else head.lower_])
        return Post(title=title, span=head.doc[head.i:head.i + 1], organisation=org_object(head), interim=interim)

    def _modifier_only(self, head: Token) -> bool:
        """"senior manager guidance", "director recruitment": a title used to describe a thing."""
        return head.dep_ == "compound" and head.head.lemma_.lower() not in self.role_nouns and \
            head.head.lower_ not in self.heads and head.head.ent_type_ != "PERSON"

    def _former(self, post: Post) -> bool:
        return _is_former(post, self.former)

    def _first_post(self, state: "_DocState", tokens: list[Token], *, plural: bool = False) -> Post | str | None:
        """The first token that names a post; else ANAPHOR or GENERIC if one of them was a role noun."""
        anaphor = None
        for token in tokens:
            found = self._post_of(state, token, plural=plural)
            if isinstance(found, Post):
                return found
            anaphor = anaphor if anaphor == ANAPHOR else (found or anaphor)
        return anaphor

    def _appointment_post(self, state: "_DocState", cue: Span, meta: dict, person: str | None, *,
                          own_only: bool = False) -> Post | None:
        """"as <post>", "to <post>", "become <post>", "appointed <post>"; "take up the role" is the
        post recently named; never the post the person already holds."""
        root = cue.root
        if meta.get("new_post"):
            found = self._post_of(state, root.head)
            return found if isinstance(found, Post) else None
        if meta.get("post_from_cue"):
            return self._bare_post(cue[-1])
        deps = {"attr", "oprd"}
        if meta.get("person") != "object":
            deps.add("dobj")
        found = self._first_post(state, self._arg_tokens(cue, deps, {"as", "to", "into"}))
        if root.dep_ == "amod":
            found = found or self._post_of(state, root.head)
        if isinstance(found, Post) or own_only:
            return found if isinstance(found, Post) else None
        recent = state.pending_post("APPOINTMENT", cue.sent.start, sentences=2)
        if recent is not None:
            return recent
        if found == ANAPHOR:
            return state.earlier_appointment(person) or state.topic(cue)
        return state.earlier_appointment(person)

    def _own_post(self, state: "_DocState", cue: Span) -> Post | None:
        """The post of a cue with no person ("the trust's chief executive is to retire")."""
        root = cue.root
        tokens = self._arg_tokens(cue, {"dobj", "poss"}, {"as", "from", "of"}) + subjects_of(root)
        found = self._first_post(state, tokens)
        return found if isinstance(found, Post) else None

    def _departure_post(self, state: "_DocState", cue: Span, meta: dict, person: str) -> Post | None:
        """"resigned as chair", "left the director role", the post in the person's own phrase
        ("Jo Kay, chief executive of X, will retire"), the post a same-sentence appointment fills
        ("stepped up as chair when Jo Kay left"), the post of the clause it explains ("the post
        became vacant when ..."), then what the article already says the person held."""
        root = cue.root
        tokens = [root.head] if root.dep_ == "relcl" else []
        tokens += self._arg_tokens(cue, {"dobj"}, {"as", "from"})
        tokens += [t for t in own_subtree(root) if t.dep_ == "pobj" and (
            t.head.lower_ == "as" or t.head.lower_ in {"in", "from"} and t.lemma_.lower() in self.role_nouns)]
        found = self._first_post(state, tokens)
        if isinstance(found, Post):
            return found
        for subject in subjects_of(root) + [c for c in root.children if c.dep_ in {"poss", "nsubjpass"}]:
            own = state.post_at(subject)
            if own is not None and not self._former(own):
                return own  # "Non-executive directors A and B will step down"
            held = self._held_post(state, subject)
            if held is not None:
                return held
        replaced = state.sentence_appointment(cue, person)
        if replaced is not None:
            return replaced
        governing = governing_clause(root)
        if governing is not None:
            args = [c for c in governing.children if c.dep_ in {"nsubj", "nsubjpass", "dobj", "attr"}]
            args += [g for c in governing.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            clause_post = self._first_post(state, [a for a in args if a.i != root.i])
            if isinstance(clause_post, Post) and clause_post.person in {None, person}:
                return clause_post
            found = found or clause_post
        if found == ANAPHOR:
            topic = state.topic(cue)
            if topic is not None:
                return topic
        left = [t for t in self._arg_tokens(cue, {"dobj"}, {"from"}) if t.ent_type_ == "ORG"]
        known = state.held_by(person, cue, at=state.org_name(left[0]) if left else None)
        if known is not None:
            return known
        return state.pending_post("DEPARTURE", cue.sent.start, sentences=None)

    def _held_post(self, state: "_DocState", subject: Token) -> Post | None:
        """The post in a person's own noun phrase: apposition, title compound or "who has been X"."""
        for token in subject.subtree:
            if token.i == subject.i:
                continue
            if token.dep_ in {"appos", "compound", "attr", "nmod"} or token.head.dep_ == "appos":
                found = self._post_of(state, token, plural=True)
                if isinstance(found, Post) and not (found.plural and token.dep_ == "appos"):
                    return found
        return None

    def _open_post(self, state: "_DocState", cue: Span, meta: dict) -> Post | None:
        """The post a vacancy or failed round is for: the cue's own argument, a post in its
        clause that nobody named holds, then (strong cues only) the post the article is about."""
        root = cue.root
        args = self._arg_tokens(cue, {"dobj", "nsubjpass", "nsubj", "attr", "oprd", "pobj"},
                                {"for", "to", "as", "of", "on"})
        if root.dep_ in {"acomp", "oprd", "xcomp", "amod"} or root.pos_ == "ADJ":
            args += [c for c in root.head.children if c.dep_ in SUBJECTS]
            args += [root.head] if root.dep_ == "amod" else []
        for token in cue:
            for child in token.children:
                if child.dep_ == "xcomp" and child not in cue:  # "enlisted headhunters to find a director"
                    args += [g for g in child.children if g.dep_ in {"dobj", "attr"}]
                if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "for" for g in child.children):
                    args += [g for g in child.children if g.dep_ == "nsubj"]  # "advertising for two X to ..."
        found = self._first_post(state, args, plural=True)
        if isinstance(found, Post):
            return found
        clause = clause_of(root)
        candidates = [p for p in state.posts_in(clause) if p.person is None and not self._former(p)
                      and (not p.plural or is_counted(p.span.root)) and not self._modifier_only(p.span.root)]
        candidates += [self._bare_post(t) for t in clause if t.lower_ in self.heads and state.post_at(t) is None
                       and t.pos_ == "NOUN" and t.ent_type_ not in {"PERSON", "ORG"}
                       and not any(c.dep_ in {"appos", "compound"} and state.person_at(c) for c in t.children)]
        candidates = [p for p in candidates if tree_distance(root, p.span.root) <= self.max_distance]
        if candidates:
            return min(candidates, key=lambda p: tree_distance(root, p.span.root))
        if found == GENERIC:
            return None  # "when a post falls vacant": no post in particular
        if meta["strength"] == "weak" and not meta.get("topic_post") and found != ANAPHOR:
            return None  # a weak cue ("seek") needs its post in its own clause
        if found != ANAPHOR and root.pos_ in {"NOUN", "PROPN"} and not meta.get("topic_post") and \
                not any(c.dep_ in {"det", "poss"} and c.lower_ not in {"a", "an", "another"} for c in root.children):
            if meta["label"] != "NO_APPOINTMENT":
                return None  # "an advert going out": no article says which post
        return state.topic(cue)

    def _interim_near(self, cue: Span, post: Post | None) -> bool:
        sent = cue.sent
        if post is not None:
            window = cue.doc[max(sent.start, post.span.start - 3):post.span.start]
            if any(t.lower_ in self.interim_words for t in window):
                return True
        text = sent.text.lower()
        return "interim basis" in text or "acting basis" in text

    # -- article-level steps -------------------------------------------------------------------
    def _holders_of_pending(self, state: "_DocState") -> None:
        """"The trust's medical director is to leave" and, later, "Dr Jo Kay, the medical director":
        the departure is Jo Kay's."""
        for pending in state.pending:
            if pending.type != "DEPARTURE":
                continue
            if any(e.type == "DEPARTURE" and e.post and _same_title(e.post, pending.post.title) for e in state.events):
                continue
            appointed = {e.person for e in state.events if e.type == "APPOINTMENT" and e.post
                         and _same_title(e.post, pending.post.title)}
            holders = [p for p in state.doc._.posts or [] if p.person and p.person not in appointed
                       and not p.plural and _same_title(p.title, pending.post.title)]
            if holders:
                cue = pending.post.span
                state.add(Event("DEPARTURE", cue, pending.post.title, pending.post.organisation, holders[0].person,
                                pending.post.interim, event_date(cue, state.doc._.published)))

    def _listed_vacancies(self, state: "_DocState") -> None:
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
            if any(n - self.list_window <= k <= n for k in cue_sents):
                state.add(Event("VACANCY", post.span, post.title, post.organisation or _topic_org(state),
                                None, post.interim, None))


class _DocState:
    """Per-article lookups shared by every cue: token -> post, token -> person, sentence index."""

    def __init__(self, doc: Doc, cues: list[tuple[Span, dict]], former: set[str]) -> None:
        self.doc = doc
        self.cues = cues
        self.former = former
        self.events: list[Event] = []
        self.mentions: list[tuple[int, int, Event]] = []  # (sentence start, cue start, event)
        self.pending: list[_Pending] = []
        self.sents = list(doc.sents)
        self._sent_starts = [s.start for s in self.sents]
        self._posts: dict[int, Post] = {}
        for post in doc._.posts or []:
            for i in range(post.span.start, post.span.end):
                self._posts.setdefault(i, post)
        self._people: dict[int, str] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                for i in range(ent.start, ent.end):
                    self._people[i] = ent._.canonical or ent.text

    def add(self, event: Event) -> None:
        """Keep one event per (type, person, post) and remember every sentence that reported it."""
        merged = _merge_into(self.events, event)
        self.mentions.append((event.cue.sent.start, event.cue.start, merged))

    def post_at(self, token: Token) -> Post | None:
        return self._posts.get(token.i)

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
        from bisect import bisect_right

        start = span.start if isinstance(span, Span) else span.i
        return bisect_right(self._sent_starts, start) - 1

    def antecedent(self, pronoun: Token, sentences: int) -> str | None:
        """The last person named before a pronoun, within a few sentences."""
        first = self.sents[max(0, self.sent_index(pronoun) - sentences)].start
        quoted = False  # inside a quotation, "her" is not the speaker
        for i in range(pronoun.i - 1, first - 1, -1):
            token = self.doc[i]
            if token.is_quote or token.text in {"“", "”", '"'}:
                quoted = True
            if i in self._people:
                return None if quoted else self._people[i]
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
                return self._post_titled(event.post)
        return None

    def sentence_appointment(self, cue: Span, person: str) -> Post | None:
        """The post someone else is appointed to in the same sentence: the one this person left."""
        for sent_start, _, event in reversed(self.mentions):
            if event.type == "APPOINTMENT" and event.person != person and event.post and sent_start == cue.sent.start:
                return self._post_titled(event.post)
        for pending in reversed(self.pending):
            if pending.type == "APPOINTMENT" and pending.sent_start == cue.sent.start:
                return pending.post
        return None

    def org_name(self, token: Token) -> str | None:
        for ent in self.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent._.canonical or ent.text
        return None

    def held_by(self, person: str, cue: Span, at: str | None = None) -> Post | None:
        """A post the article links to the person (at the organisation they leave, if named),
        other than one they are moving to."""
        appointed = {e.post for e in self.events if e.type == "APPOINTMENT" and e.person == person}
        posts = self.doc._.posts or []
        if at is not None:
            posts = sorted(posts, key=lambda p: not (p.organisation and _same_title(p.organisation, at)))
        for post in posts:
            if post.person != person or post.plural or post.title in appointed:
                continue
            if post.span.sent == cue.sent and post.span.start > cue.start:
                continue  # "left to become X": X is where they go
            return post
        return None

    def topic(self, cue: Span) -> Post | None:
        """The post an article is about when a sentence only says "no appointment was made"."""
        for sent_start, start, event in reversed(self.mentions):  # "recruit a permanent successor"
            if event.post and sent_start == cue.sent.start and start < cue.start:
                return self._post_titled(event.post)
        for kinds in ({"VACANCY", "NO_APPOINTMENT"}, {"DEPARTURE"}):
            for _, start, event in reversed(self.mentions):
                if event.post and event.type in kinds and start < cue.start:
                    return self._post_titled(event.post)
        for pending in reversed(self.pending):
            if pending.type == "DEPARTURE":
                return pending.post
        for _, start, event in reversed(self.mentions):
            if event.post and event.type == "APPOINTMENT" and start < cue.start:
                return self._post_titled(event.post)
        candidates = [p for p in self.doc._.posts or [] if p.person is None and not p.plural]
        earlier = [p for p in candidates if p.span.start < cue.start]
        if earlier:
            return earlier[-1]
        later = [p for p in candidates if not _is_former(p, self.former)]  # "no appointment was made to the post of X"
        return later[0] if later else None

    def _post_titled(self, title: str) -> Post | None:
        for post in self.doc._.posts or []:
            if post.title == title:
                return post
        for event in self.events:
            if event.post == title:
                return Post(title=title, span=event.cue, organisation=event.organisation, interim=event.interim)
        return None


# -- cue patterns and titles -----------------------------------------------------------------
def _first_words(pattern: list[dict]) -> set[str]:
    """The words a token pattern can start with (its first token's LOWER/LEMMA/ORTH values)."""
    first = pattern[0]
    if first.get("OP") in {"?", "*"} or not ({"LOWER", "LEMMA", "ORTH"} & set(first)):
        raise ValueError(f"an event cue must start with a fixed word: {pattern}")
    words: set[str] = set()
    for key in ("LOWER", "LEMMA", "ORTH"):
        value = first.get(key)
        if isinstance(value, str):
            words.add(value)
        elif isinstance(value, dict):
            if set(value) - {"IN"}:
                raise ValueError(f"an event cue must start with a word list, not {value}")
            words |= set(value["IN"])
    return words


def _exact_first(pattern: list[dict]) -> list[list[dict]]:
    """One pattern per first word, so that each goes to the Matcher of its own first word (and an
    exact attribute is matched natively, where an "IN" set would be a Python predicate)."""
    first, rest = pattern[0], pattern[1:]
    key = next((k for k in ("LOWER", "LEMMA", "ORTH") if isinstance(first.get(k), dict)), None)
    if key is None:
        return [pattern]
    return [[{**first, key: word}, *rest] for word in first[key]["IN"]]


def _has(token: Token, spec: dict) -> bool:
    """Whether a token has the attributes a cue row asks of a neighbour: {"dep": [...], "lemma": [...]}."""
    values = {"dep": token.dep_, "lemma": token.lemma_.lower(), "lower": token.lower_, "pos": token.pos_}
    return all(values[key] in allowed for key, allowed in spec.items())


def _fits(token: Token, meta: dict) -> bool:
    """The parse conditions of a cue row, checked only where the token pattern matched (cheaper than
    a DependencyMatcher over every sentence): "child" of the cue, its "head", and the head's child."""
    if "child" in meta and not any(_has(c, meta["child"]) for c in token.children):
        return False
    if meta.get("neg") and not any(c.dep_ == "neg" for t in (token, token.head) for c in t.children):
        return False  # "did not attract", "was not appointable"
    if "head" in meta:
        head = token.head
        if head is token or not _has(head, meta["head"]):
            return False
        if "head_child" in meta and not any(_has(c, meta["head_child"]) for c in head.children):
            return False
    return True


def _is_former(post: Post, words: set[str]) -> bool:
    """"a former public health consultant": a post the person no longer holds."""
    doc, start = post.span.doc, post.span.start
    return any(t.lower_ in words for t in doc[max(post.span.sent.start, start - 3):start])


_NOT_NAMES = {"", "LOC", "GPE", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"}  # NER labels a person's name can get
_RANKS = {"deputy", "associate", "assistant", "vice", "joint", "co", "senior", "lead"}


def _same_title(a: str, b: str) -> bool:
    """"community chief executive" is the chief executive; "deputy chief executive" is not."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if short not in long:
        return False
    extra = set(long.replace(short, " ").replace("-", " ").split())
    return not extra & _RANKS


def _topic_org(state: _DocState) -> str | None:
    orgs = state.doc._.organisations or []
    return orgs[0].name if orgs else None


# -- merging ---------------------------------------------------------------------------------
def _merge_into(events: list[Event], event: Event) -> Event:
    """One event per (type, person, post): a later mention that adds nothing folds into the
    earlier one, and one that names the post an earlier mention lacked completes it."""
    for other in events:
        if other.type != event.type or other.person != event.person:
            continue
        if other.post == event.post or event.post is None or (other.post and _same_title(other.post, event.post)):
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


def _drop_filled_vacancies(state: _DocState) -> None:
    """A vacancy for a post the same article reports substantively filled is history, not an
    open post ("the post became vacant when ..."; "a successor" once named). Vacancies implied
    by a failed round stay: the failure is the news."""
    filled = [e for e in state.events if e.type == "APPOINTMENT" and e.post and not e.interim]
    failed = {e.post for e in state.events if e.type == "NO_APPOINTMENT" and e.post}
    kept = []
    for event in state.events:
        if event.type == "VACANCY" and event.post and event.post not in failed and any(
                _same_title(a.post, event.post) and a.organisation in {None, event.organisation} | {a.organisation}
                for a in filled):
            continue
        kept.append(event)
    state.events = kept


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
