"""Linking an event to its organisation. An alert that says a post failed to fill but not
where is of little use, so every event gets one when the article gives one, nearest first:
the organisation its post names (when the post is named in the same sentence), one in
the cue's own clause, the one beside the person's
post elsewhere in the article (for a departure), then the organisation the article is about.

Every answer is one of the article's organisation entities, by its fullest name: a post's
"organisation" that the entity finder did not take for one ("head of operations") is no
answer."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..clauses import clause_of, subjects_of, tree_distance
from ..extensions import Entity, Post
from ..lexicon import read_csv
from .article_body import ArticleBody
from .state import DocState


def national_bodies() -> frozenset[str]:
    """The gazetteer's bodies, by name and alias: regulators and national bodies that appoint
    to other bodies' boards as well as their own."""
    rows = read_csv("organisations.csv")
    return frozenset(r["name"].lower() for r in rows) | frozenset(r["name"].lower() for r in read_csv("organisation_aliases.csv"))


class OrgLinker:
    def __init__(self, workplaces: frozenset[str], recruiters: frozenset[str] = frozenset()) -> None:
        self.workplaces = workplaces
        self.recruiters = recruiters
        self.main = ArticleBody()
        self.national = national_bodies()

    def recruiter(self, state: DocState, token: Token) -> bool:
        """"engaged search firm X", "X, the headhunters": a body hired to find someone is where
        the search happens, not where the post is."""
        entity = state.org_at(token)
        span = next((m for m in entity.mentions if m.start <= token.i < m.end), None) if entity else None
        if span is None:
            return False
        inside = range(span.start, span.end)
        near = [c for t in span for c in t.children if c.i not in inside and c.dep_ in {"compound", "appos", "amod"}]
        head = span.root.head
        if span.root.dep_ in {"appos", "compound"} and head.i not in inside:
            near.append(head)
        doc = token.doc
        if span.start > 0 and doc[span.start - 1].dep_ == "compound":
            near.append(doc[span.start - 1])
        return any(t.lower_ in self.recruiters for t in near)

    def all(self, state: DocState, kind: str, cue: Span, post: Post | None, person: str | None) -> list[str | None]:
        """Every organisation the event happens at: one, or several coordinated in the sentence
        ("chair in common of A and B", "adverts for A and B"), each its own event."""
        own = None
        if kind in {"VACANCY", "NO_APPOINTMENT"} and post is not None and post.span.sent != cue.sent:
            own = self.in_clause(state, cue, None, skip_asides=False)  # "X also advertised for one": X's post
        elif kind == "APPOINTMENT" and post is not None and self.borrowed(post, cue):
            own = self.in_clause(state, cue, None, skip_asides=True)  # "..., while Y has been appointed for X"
        own = own or (self.attached(state, post) if post is not None else None)
        noun = self.definite_subject(state, cue) or (self.of_the_body(post) if post is not None else None)
        if own is None and noun is not None:  # "the trust advertised ...": a body named before
            own = self.named_before(state, noun) or self.main(state.doc)
        if own is None and post is not None:  # "X announced it had recruited Y as its chief executive"
            own = self.its_subject(state, post)
        if own is None:
            own = self.in_clause(state, cue, post, skip_asides=kind == "APPOINTMENT")
        if own is not None:
            return [e.name for e in self.coordinated(state, own, cue)]
        return [self(state, kind, cue, post, person)]

    @staticmethod
    def place(token: Token) -> bool:
        """"a Kennet doctor's surgery", "in Kennet": a place name the resolver tied to a body
        (its "Kennet" CCG), written as a place, not as the body."""
        modifier = token.dep_ in {"compound", "amod", "nmod"} and token.head.is_lower
        if modifier and token.i > 0 and token.doc[token.i - 1].lower_ in {"a", "an", "another"}:
            return True  # "a Kennet trust" is some trust in Kennet, not one named
        return token.ent_type_ in {"GPE", "LOC"} and (modifier or token.dep_ == "pobj" and token.head.lower_ == "in")

    def definite_subject(self, state: DocState, cue: Span) -> Token | None:
        """The cue's subject is "the trust", "the regulator", "its board": a body named before."""
        return next((s for s in subjects_of(cue.root) if state.org_at(s) is None and self.definite_body(s)), None)

    def of_the_body(self, post: Post) -> Token | None:
        """"chief executive of the ambulance trust", "the trust's chair", "lead for the system":
        the post's body is one named before."""
        root = post.span.root
        owners = [g for c in root.children if c.dep_ == "prep" and c.lower_ in {"of", "at", "for"} for g in c.children
                  if g.dep_ == "pobj" and (c.lower_ != "for" or any(d.lower_ == "the" for d in g.children))
                  ] + [c for c in root.children if c.dep_ == "poss"]  # "for its board" is the holder's own
        return next((t for t in owners if self.definite_body(t)), None)

    @staticmethod
    def borrowed(post: Post, cue: Span) -> bool:
        """The post is named in another clause than the cue's own: "A has been appointed chief
        executive for Kennet, while B has been appointed for Tarn" (B's post is A's title)."""
        return post.span.sent == cue.sent and post.span.root.i not in {t.i for t in clause_of(cue.root)} \
            and not any(t.i in range(cue.start, cue.end) for t in post.span.root.ancestors)

    @staticmethod
    def its_subject(state: DocState, post: Post) -> Entity | None:
        """"its chief executive", "their chair": the body that is the subject earlier in the
        sentence, not one named beside a person in between ("recruited Jo Kay, X's deputy, as
        its chief executive")."""
        owner = next((c for c in post.span.root.children if c.dep_ == "poss" and c.lower_ in {"its", "their"}), None)
        if owner is None:
            return None
        named = [(m.start, e) for e in state.doc._.organisations or [] for m in e.mentions
                 if m.sent == owner.sent and m.end <= owner.i and m.root.dep_ in {"nsubj", "nsubjpass"}]
        return max(named, key=lambda se: se[0])[1] if named else None

    def named_before(self, state: DocState, noun: Token) -> Entity | None:
        """"X, lead for Kennet ICS, becomes chief executive for the system": a body of that kind
        named earlier in the same sentence is the one meant; otherwise the article's own."""
        named = [(m.start, e) for e in state.doc._.organisations or [] for m in e.mentions
                 if m.sent == noun.sent and m.end <= noun.i and self.main.fits(noun.lower_, e)]
        return max(named, key=lambda se: se[0])[1] if named else None

    def definite_body(self, token: Token) -> bool:
        return (token.lemma_.lower() in self.workplaces or token.lower_ in self.main.nouns) and token.ent_type_ != "ORG" and any(
            c.dep_ in {"det", "poss"} and c.lower_ in {"the", "its", "their"} for c in token.children)

    def coordinated(self, state: DocState, entity: Entity, cue: Span) -> list[Entity]:
        """The entity and the organisations joined to it by "and" in the cue's sentence."""
        here = [m for m in entity.mentions if m.sent == cue.sent]
        if not here:
            return [entity]
        mention = min(here, key=lambda m: abs(m.start - cue.start))  # a long sentence may name it twice
        out = {id(entity): entity}
        for token in mention.root.conjuncts:
            other = state.org_at(token)
            if other is not None:
                out.setdefault(id(other), other)
        return list(out.values())

    def __call__(self, state: DocState, kind: str, cue: Span, post: Post | None, person: str | None) -> str | None:
        own = self.attached(state, post) if post is not None else None
        if own is not None:
            return own.name
        near = self.in_clause(state, cue, post, skip_asides=kind == "APPOINTMENT")
        if near is not None:
            return near.name
        if kind == "DEPARTURE" and person is not None:
            for held in state.doc._.posts or []:
                if held.person == person and held.organisation and state.org_named(held.organisation):
                    return state.org_named(held.organisation).name
        main = self.main(state.doc)
        return main.name if main else None

    def attached(self, state: DocState, post: Post) -> Entity | None:
        """The organisation the post's own phrase names: "chief executive of X", "X's chair",
        "the X chief executive" (not one a relative clause or apposition beside it names)."""
        span = post.span
        for token in span:
            if (entity := state.org_at(token)) is not None:
                return entity
        stack = [c for c in span.root.children if c.i < span.start or c.i >= span.end]
        while stack:
            token = stack.pop()
            if token.dep_ in {"relcl", "acl", "conj", "cc", "punct"} or token.dep_ == "appos" and token.head == span.root:
                continue  # an apposition to the title names its holder; one to its body names the body
            if (entity := state.org_at(token)) is not None:
                return entity
            if token.dep_ == "prep" and token.lower_ not in {"of", "at", "for", "in"}:
                continue  # "director of finance with X": X is not the post's body
            if token.dep_ in {"prep", "pobj", "poss", "compound", "nmod", "case", "appos"}:
                stack.extend(token.children)
        return None

    @staticmethod
    def approver(state: DocState, token: Token) -> bool:
        """"subject to approval by X", "after a review by X": a body that approves or reviews,
        named after a noun of the clause, is not the body whose post it is (read at the top of
        the name the token is in)."""
        entity = state.org_at(token)
        mention = next((m for m in entity.mentions if m.start <= token.i < m.end), None) if entity else None
        root = mention.root if mention is not None else token
        return root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.pos_ == "NOUN"

    def appointer(self, state: DocState, cue: Span, token: Token, entity: Entity) -> bool:
        """"The regulator appointed Jo Kay as interim chair" in an article about a trust: a
        national body (one of the gazetteer's) that appoints is not the body whose post it is,
        unless the article is about that body itself."""
        if entity.name.lower() not in self.national or entity is self.main(state.doc):
            return False
        mention = next((m for m in entity.mentions if m.start <= token.i < m.end), None)
        return mention is not None and mention.root.dep_ == "nsubj" and mention.root.head == cue.root

    @staticmethod
    def names_object(aside: Token, cue: Span) -> bool:
        """"to head a new watchdog, Kennet Health": an apposition naming the body the cue's
        object is, unlike one describing the person appointed."""
        return (aside.dep_ == "appos" and aside.head.dep_ in {"dobj", "attr", "oprd"} and aside.head.head == cue.root
                and aside.head.ent_type_ != "PERSON")  # "recruited Jo Kay, X's deputy": where she comes from

    def in_clause(self, state: DocState, cue: Span, post: Post | None, *, skip_asides: bool) -> Entity | None:
        """The organisation in the cue's own clause (not one a subordinate clause names:
        "left the trust to run X" does not leave X), nearest the post if the clause has it.
        With *skip_asides*, not one in an apposition either: "X, deputy chief of Y, has been
        appointed" is an appointment elsewhere than Y."""
        clause = clause_of(cue.root) + [t for s in subjects_of(cue.root) for t in s.subtree]
        verb = clause[0]
        if verb.dep_ == "relcl" and any(t.lower_ in {"which", "where"} for t in clause):
            clause.append(verb.head)  # "X, of which she became director": the relative stands for X
        if skip_asides:
            clause = [t for t in clause if not any(a.dep_ in {"appos", "relcl"} and not self.names_object(a, cue)
                                                   for a in [t, *t.ancestors] if cue.root not in a.subtree)]
        found = {id(e): (e, t) for t in clause if (e := state.org_at(t)) is not None and not self.recruiter(state, t)
                 and not self.place(t) and not self.approver(state, t) and not (skip_asides and self.appointer(state, cue, t, e))}
        if not found:
            return None
        anchor = post.span.root if post is not None and post.span.sent == cue.sent else cue.root
        return min(found.values(), key=lambda et: tree_distance(anchor, et[1]))[0]
