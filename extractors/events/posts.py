"""Linking a cue to the post it concerns. The order for each event type is written out in
`appointment_post`, `departure_post` and `open_post`: the cue's own argument first, then the
person's own phrase or the clause, then what the article said before."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..clauses import SUBJECTS, clause_of, governing_clause, is_counted, org_object, own_subtree, subjects_of, tree_distance
from ..extensions import Post
from ..lexicon import count_value
from .spans import ANAPHOR, GENERIC, is_former
from .state import DocState
from .words import EventWords

MAX_DISTANCE = 4  # edges from cue to post in its clause; further is another topic
MAX_COUNTED_POSTS = 9  # "six GP vacancies" at one practice are posts; "40 nurse vacancies" a statistic


class PostLinker:
    def __init__(self, words: EventWords) -> None:
        self.words = words
        self.max_distance = MAX_DISTANCE

    # -- what a noun names ------------------------------------------------------------------
    def arg_tokens(self, cue: Span, deps: set[str], preps: set[str]) -> list[Token]:
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

    def post_of(self, state: DocState, token: Token, *, plural: bool = False,
                any_plural: bool = False) -> Post | str | None:
        """The post a noun names: a found post, a bare title head, or ANAPHOR for "the role".
        A plural title names posts when counted ("two directors"), or with *any_plural* when it
        is what a recruitment is for ("failed to recruit GP partners")."""
        w = self.words
        post = state.post_at(token)
        if post is not None:
            if post.plural and not (plural and (any_plural or is_counted(post.span.root))):
                return None
            if self.modifier_only(post.span.root):
                return None
            if self.former(post):
                return None
            return post
        lemma = token.lemma_.lower()
        if lemma in w.role_nouns or lemma in w.role_links:
            for child in token.children:
                if child.dep_ in {"compound", "nmod", "amod"}:
                    found = state.post_at(child)
                    if found is not None:
                        return found
                    if self.clinical_posts(token, child):
                        return self.bare_post(child)  # "failed to fill two consultant posts"
                if child.dep_ == "prep" and child.lower_ == "of":
                    for g in child.children:
                        found = self.post_of(state, g, plural=plural)
                        if isinstance(found, Post):
                            return found
            if token.dep_ == "appos":  # "a non-executive director, a position she will give up"
                found = state.post_at(token.head)
                if found is not None:
                    return found
            if any(c.dep_ == "det" and c.lower_ in w.indefinite for c in token.children):
                return GENERIC
            return ANAPHOR
        if (token.lower_ in w.heads or (plural and lemma in w.heads and (any_plural or is_counted(token)))) \
                and token.ent_type_ not in {"PERSON", "ORG"} and token.pos_ in {"NOUN", "PROPN"} \
                and not self.modifier_only(token) and not state.honorific(token.lower_, token.i + 1):
            return self.bare_post(token)
        return None

    def clinical_posts(self, noun: Token, title: Token) -> bool:
        """"two consultant posts", "GP vacancies": a clinical title naming the kind of post a few
        vacancies are for ("five director posts" in a restructure stay a count of roles)."""
        return title.dep_ == "compound" and title.lower_ in self.words.clinical and \
            title.pos_ in {"NOUN", "PROPN"} and not self.statistic(noun)

    def statistic(self, noun: Token) -> bool:
        """"1,200 nurse vacancies", "forty consultant posts": a count too large for particular posts."""
        for count in (c for c in noun.children if c.dep_ == "nummod" or c.like_num and c.dep_ in {"compound", "amod"}):
            if (value := count_value(count.text)) is not None and value > MAX_COUNTED_POSTS:
                return True
        return False

    def conjoined(self, state: DocState, post: Post, holder: str | None = None) -> list[Post]:
        """Other posts joined to this one by "and"/"or" ("a medical director and a chief nurse";
        "will become director of operations and lead for mental health", one *holder*'s two posts)."""
        out = []
        span = post.span  # "director of operations and executive lead": parsed as joined to "operations"
        for token in [c for t in span for c in t.conjuncts if not span.start <= c.i < span.end]:
            found = self.post_of(state, token)
            if isinstance(found, Post) and found is not post and found.person in {None, holder} \
                    and found.title != post.title:
                out.append(found)
        return out

    def included(self, state: DocState, cue: Span, post: Post) -> list[Post]:
        """"advertised for three non-executive directors, including the chair of X": a post named as
        one of several counted ones being recruited is open too."""
        if not (post.plural or is_counted(post.span.root)):
            return []
        nouns = [g for t in cue.sent if t.lower_ == "including" for g in t.children if g.dep_ == "pobj"]
        found = [self.post_of(state, g) for g in nouns]
        return [p for p in found if isinstance(p, Post) and p.person is None and p.title != post.title]

    def bare_post(self, head: Token) -> Post:
        """A title the posts component left alone because it stands bare ("resigned as chair")."""
        w = self.words
        words, interim = [], False
        for child in sorted((c for c in head.children if c.i < head.i), key=lambda c: c.i):
            low = child.lower_
            if low in w.interim:
                interim = True
            elif child.dep_ in {"amod", "compound", "nmod"} and low in w.modifiers and low not in w.stops:
                words.append(low)
        title = " ".join([*words, head.lemma_.lower() if head.tag_ == "NNS" else head.lower_])
        return Post(title=title, span=head.doc[head.i:head.i + 1], organisation=org_object(head), interim=interim)

    def modifier_only(self, head: Token) -> bool:
        """"senior manager guidance", "director recruitment": a title used to describe a thing."""
        return head.dep_ == "compound" and head.head.lemma_.lower() not in self.words.role_nouns and \
            head.head.lower_ not in self.words.heads and head.head.ent_type_ != "PERSON"

    def former(self, post: Post) -> bool:
        return is_former(post, self.words.former)

    def first_post(self, state: DocState, tokens: list[Token], *, plural: bool = False,
                   any_plural: bool = False) -> Post | str | None:
        """The first token that names a post; else ANAPHOR or GENERIC if one of them was a role noun."""
        anaphor = None
        for token in tokens:
            found = self.post_of(state, token, plural=plural, any_plural=any_plural)
            if isinstance(found, Post):
                return found
            anaphor = anaphor if anaphor == ANAPHOR else (found or anaphor)
        return anaphor

    # -- the post of each kind of event -------------------------------------------------------
    def appointment_post(self, state: DocState, cue: Span, meta: dict, person: str | None, *,
                         own_only: bool = False) -> Post | None:
        """"as <post>", "to <post>", "become <post>", "appointed <post>"; "take up the role" is the
        post recently named; never the post the person already holds."""
        root = cue.root
        if meta.get("new_post"):
            found = self.post_of(state, root.head)
            return found if isinstance(found, Post) else None
        if meta.get("post_from_cue"):
            return self.bare_post(cue[-1])
        deps = {"attr", "oprd"}
        if meta.get("person") != "object":
            deps.add("dobj")
        if meta.get("person") == "agent":
            deps.add("nsubjpass")  # "the role has been filled by X": the role is the post
        args = self.arg_tokens(cue, deps, {"as", "to", "into"})
        if root.pos_ == "NOUN":  # "the appointment of Jo Kay as chair": "as" parsed under the name
            named = [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
            args += [a for g in named for c in g.children if c.dep_ == "prep" and c.lower_ == "as"
                     for a in c.children if a.dep_ == "pobj"]
        found = self.first_post(state, args)
        if root.dep_ == "amod":
            found = found or self.post_of(state, root.head)
        if isinstance(found, Post) or own_only:
            return found if isinstance(found, Post) else None
        recent = state.pending_post("APPOINTMENT", cue.sent.start, sentences=2)
        if recent is not None:
            return recent
        if found is None and not args and len(cue) == 1 and meta.get("person") == "object":
            # "X has been appointed Y for A, while Z has been appointed for B": the same post
            parallel = state.sentence_appointment(cue, person)
            if parallel is not None:
                return parallel
        if found == ANAPHOR:
            return state.earlier_appointment(person) or state.topic(cue)
        return state.earlier_appointment(person)

    def own_post(self, state: DocState, cue: Span) -> Post | None:
        """The post of a cue with no person ("the trust's chief executive is to retire"); only a
        post someone owns is a post ("the officer left" is a person walking out)."""
        root = cue.root
        tokens = self.arg_tokens(cue, {"dobj", "poss"}, {"as", "from", "of"}) + subjects_of(root)
        found = self.first_post(state, tokens)
        if not isinstance(found, Post):
            return None
        owned = found.organisation or len(found.title.split()) > 1 or any(
            c.dep_ in {"poss", "compound"} for c in found.span.root.children)
        return found if owned else None

    def departure_post(self, state: DocState, cue: Span, meta: dict, person: str) -> Post | None:
        """"resigned as chair", "left the director role", the post in the person's own phrase
        ("Jo Kay, chief executive of X, will retire"), the post a same-sentence appointment fills
        ("stepped up as chair when Jo Kay left"), the post of the clause it explains ("the post
        became vacant when ..."), then what the article already says the person held."""
        root = cue.root
        if meta.get("new_post"):  # "outgoing chair Jo Kay": the title the word describes
            found = self.post_of(state, root.head)
            return found if isinstance(found, Post) else None
        tokens = [root.head] if root.dep_ == "relcl" else []
        tokens += self.arg_tokens(cue, {"dobj"}, {"as", "from"})
        tokens += [t for t in own_subtree(root) if t.dep_ == "pobj" and (
            t.head.lower_ == "as" or t.head.lower_ in {"in", "from"} and t.lemma_.lower() in self.words.role_nouns)]
        found = self.first_post(state, tokens)
        if isinstance(found, Post):
            return found
        for subject in subjects_of(root) + [c for c in root.children if c.dep_ in {"poss", "nsubjpass"}]:
            own = state.post_at(subject)
            if own is not None and not self.former(own):
                return own  # "Non-executive directors A and B will step down"
            held = self.held_post(state, subject)
            if held is not None:
                return held
        own = state.held_by(person, cue)
        if own is not None and own.span.sent == cue.sent:
            return own  # "chair Jo Kay said she would step down": her own post, not the one searched for
        replaced = state.sentence_appointment(cue, person)
        if replaced is not None:
            return replaced
        governing = governing_clause(root)
        if governing is not None:
            args = [c for c in governing.children if c.dep_ in {"nsubj", "nsubjpass", "dobj", "attr"}]
            args += [g for c in governing.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            clause_post = self.first_post(state, [a for a in args if a.i != root.i])
            if isinstance(clause_post, Post) and clause_post.person in {None, person}:
                return clause_post
            found = found or clause_post
        if found == ANAPHOR:
            topic = state.topic(cue)
            if topic is not None:
                return topic
        left = [t for t in self.arg_tokens(cue, {"dobj"}, {"from"}) if t.ent_type_ == "ORG"]
        if not left:
            earlier = state.earlier_departure(person)
            if earlier is not None:
                return earlier  # "X has left the council ... now he has moved on": one move told twice
        known = state.held_by(person, cue, at=state.org_name(left[0]) if left else None)
        if known is not None:
            return known
        return state.pending_post("DEPARTURE", cue.sent.start, sentences=None)

    def held_post(self, state: DocState, subject: Token) -> Post | None:
        """The post in a person's own noun phrase: apposition, title compound or "who has been X"."""
        for token in subject.subtree:
            if token.i == subject.i:
                continue
            if token.dep_ in {"appos", "compound", "attr", "nmod"} or token.head.dep_ == "appos":
                found = self.post_of(state, token, plural=True)
                if isinstance(found, Post) and not (found.plural and token.dep_ == "appos"):
                    return found
        return None

    def current_post(self, state: DocState, cue: Span) -> Post | None:
        """"X, currently deputy chair, will become chair", "X, who is at present Y, will become Z":
        the post its holder is said to hold now, which a move leaves."""
        for subject in subjects_of(cue.root):
            if any(t.lower_ in self.words.current for t in subject.subtree if t.i != subject.i):
                held = self.held_post(state, subject)
                if held is not None:
                    return held
        return None

    def open_post(self, state: DocState, cue: Span, meta: dict) -> Post | None:
        """The post a vacancy or failed round is for: the cue's own argument, a post in its
        clause that nobody named holds, then (strong cues only) the post the article is about."""
        w = self.words
        root = cue.root
        if meta.get("post_is_object"):  # "has been without a chair since May": only the object will do
            found = self.first_post(state, [c for t in cue for c in t.children if c.dep_ == "pobj"])
            return found if isinstance(found, Post) else None
        if meta.get("new_post_object"):  # "while they find a permanent chief executive": a post not yet held
            if root.dep_ in {"xcomp", "advcl", "relcl"} and any(state.is_cue(root.head, k) for k in ("VACANCY", "NO_APPOINTMENT")):
                return None  # "engaged headhunters to find a X": the head cue reads it
            wanted = [c for c in root.children if c.dep_ == "dobj"]
            # "wants a new chief executive to turn it round": parsed as the subject of a clause
            wanted += [g for c in root.children if c.dep_ in {"ccomp", "xcomp"} for g in c.children if g.dep_ == "nsubj"]
            found = self.first_post(state, wanted)
            if not isinstance(found, Post):
                return None
            span = found.span  # "permanent" must say the post is not yet held, not be part of its title
            return found if any(a.dep_ == "amod" and a.lower_ in self.words.new_post and not span.start <= a.i < span.end
                                for a in span.root.children) else None
        args = self.arg_tokens(cue, {"dobj", "nsubjpass", "nsubj", "attr", "oprd", "pobj"},
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
        found = self.first_post(state, args, plural=True, any_plural=meta["label"] == "NO_APPOINTMENT")
        if isinstance(found, Post):
            return found
        clause = clause_of(root)
        candidates = [p for p in state.posts_in(clause) if p.person is None and not self.former(p)
                      and (not p.plural or is_counted(p.span.root)) and not self.modifier_only(p.span.root)]
        candidates += [self.bare_post(t) for t in clause if t.lower_ in w.heads and state.post_at(t) is None
                       and t.pos_ == "NOUN" and t.ent_type_ not in {"PERSON", "ORG"}
                       and not any(c.dep_ in {"appos", "compound"} and state.person_at(c) for c in t.children)
                       and not (t.dep_ == "compound" and t.lower_ in w.clinical and self.statistic(t.head))]
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

    def as_written(self, post: Post) -> str:
        """The event's title as written beside it: "interim"/"acting" stay in it."""
        doc, start = post.span.doc, post.span.start
        before = doc[start - 1] if start > post.span.sent.start else None
        if before is not None and before.lower_ in self.words.interim and before.lower_ not in post.title.split():
            return f"{before.lower_} {post.title}"
        return post.title

    def interim_near(self, cue: Span, post: Post | None) -> bool:
        sent = cue.sent
        if post is not None:
            window = cue.doc[max(sent.start, post.span.start - 3):post.span.start]
            if any(t.lower_ in self.words.interim for t in window):
                return True
        text = sent.text.lower()
        return any(phrase in text for phrase in self.words.interim_phrases)
