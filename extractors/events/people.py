"""Linking a cue to the people it happens to, by grammatical role: "Jo Kay has resigned"
(subject), "the trust appointed Jo Kay" (object), "Jo Kay's appointment" (possessor), and
through appositions, conjuncts, relative pronouns and pronouns to a named person."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..clauses import proper_name, subjects_of
from .spans import NOT_NAMES
from .state import DocState
from .words import EventWords


class PeopleLinker:
    def __init__(self, words: EventWords, antecedent_sentences: int) -> None:
        self.words = words
        self.antecedent_sentences = antecedent_sentences

    def __call__(self, state: DocState, cue: Span, meta: dict) -> list[str] | None:
        """The people a cue happens to; None when the role is filled by something that is not a
        person (then the cue is about an organisation, not an event)."""
        w = self.words
        root = cue.root
        if meta.get("new_post"):  # "new chief executive Jo Kay"
            head = root.head
            holder = head.head if head.dep_ == "compound" else None
            if holder is not None and holder.ent_type_ == "PERSON":
                return self.resolve(state, holder)
            named = [n for c in head.children if c.dep_ == "appos" for n in self.resolve(state, c) or []]
            return named or self.holder(state, head)  # "to replace outgoing medical director Jo Kay"
        if root.pos_ in {"NOUN", "PROPN"} and root.dep_ != "ROOT" or meta.get("nominal"):
            args = [c for c in root.children if c.dep_ == "poss"]
            args += [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                     if g.dep_ == "pobj"]
            people: list[str] = []
            for arg in args:
                people += self.resolve(state, arg) or []
            return people
        if root.dep_ == "amod" and meta.get("person") == "object":  # "the newly appointed chair, Jo Kay"
            return self.resolve(state, root.head) or []
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in root.children)
        if meta.get("person") == "agent":  # "the role has been filled by Jo Kay"
            agents = [g for c in root.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return [n for a in agents for n in self.resolve(state, a) or []]
        if meta.get("person") == "object" and not passive:
            objects = [c for t in cue for c in t.children if c.dep_ in {"dobj"} and c not in cue]
            if not objects:
                return []
            people = []
            for obj in objects:
                found = self.resolve(state, obj)
                if found is None:
                    return None
                people += found
            return people
        if meta.get("needs_org_object"):  # "will chair NHS Improvement", not "chair meetings"
            if not any(c.dep_ == "dobj" and c.ent_type_ == "ORG" for c in root.children):
                return []
        if any(c.dep_ == "dobj" and c.lemma_ in w.not_a_post for c in root.children):
            return []
        if meta.get("object_is_workplace") and any(
                c.dep_ == "dobj" and c.ent_type_ != "ORG" and c.lemma_.lower() not in w.workplaces | w.role_nouns
                and c.lower_ not in w.heads and state.post_at(c) is None for c in root.children):
            return []  # "leaves big shoes to fill" is not leaving a job
        people = []
        for subject in subjects_of(root, through_gerund=meta["label"] == "APPOINTMENT"):
            people += self.resolve(state, subject) or []
        return people

    def succession(self, state: DocState, cue: Span) -> tuple[list[str], list[tuple[str, Token]]]:
        """Who comes in and who goes out (with the token naming them) for "X succeeds Y", "X took
        over from Y", "X fills in for Y" and the passive "Y was replaced by X"."""
        root = cue.root
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in root.children)
        preps = [t for t in cue if t.dep_ == "prep"] + [c for t in cue for c in t.children if c.dep_ == "prep"]
        if passive:
            agents = [g for c in root.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            coming = agents
            going = [c for c in root.children if c.dep_ == "nsubjpass"]
        else:
            coming = subjects_of(root)
            going = [c for t in cue for c in t.children if c.dep_ == "dobj" and c not in cue]
            going += [g for p in preps if p.lower_ in {"from", "for"} for g in p.children if g.dep_ == "pobj"]
        incoming = [n for t in coming for n in self.resolve(state, t) or []]
        outgoing = [(n, t) for t in going for n in self.resolve(state, t) or self.holder(state, t) if n not in incoming]
        return incoming, outgoing

    def members(self, state: DocState, verb: Token) -> list[str]:
        """"Jo Kay and Ada Quist are among those who resigned": everyone the subject names."""
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}] if verb.lemma_ == "be" else []
        names = [state.person_at(t) for s in subjects for t in s.subtree]
        return list(dict.fromkeys(n for n in names if n))

    @staticmethod
    def holder(state: DocState, token: Token) -> list[str]:
        """"took over from current chair, Jo Kay,": a title the posts component already gave its holder."""
        post = state.titled_holder(token)
        return [post.person] if post is not None else []

    def resolve(self, state: DocState, token: Token, depth: int = 0) -> list[str] | None:
        """The named people a noun phrase token stands for: itself, its appositions and conjuncts,
        the noun a relative pronoun stands for, or a pronoun's antecedent."""
        w = self.words
        if depth > 3:
            return []
        doc = token.doc
        if token.lower_ in w.org_nouns or any(c.lower_ in w.org_nouns for c in token.children
                                               if c.dep_ in {"compound", "amod", "nmod"}):
            return None
        names: list[str] = []
        ent = state.person_at(token)
        if ent is not None:
            names.append(ent)
        elif token.lower_ in w.relatives and token.head.dep_ in {"relcl", "acl"}:
            return self.resolve(state, token.head.head, depth + 1)
        elif token.lower_ in w.groups and token.head.lower_ == "among":
            return self.members(state, token.head.head)
        elif token.pos_ == "PRON" and token.lower_ in w.pronouns:
            antecedent = state.antecedent(token, self.antecedent_sentences)
            if antecedent:
                names.append(antecedent)
        elif token.pos_ == "PROPN" and token.is_title and token.ent_type_ in NOT_NAMES and \
                (token.dep_ == "conj" and depth > 0 or len(proper_name(token).split()) >= 2) and \
                not all(word.lower() in w.modifiers for word in proper_name(token).split()):
            names.append(proper_name(token))  # "Ines Calloway resigned": the role says it is a person
        else:
            for child in token.children:
                if child.dep_ in {"appos", "compound"} and state.person_at(child):
                    names += self.resolve(state, child, depth + 1) or []
                    break
        for child in token.children:
            if child.dep_ == "conj":
                names += self.resolve(state, child, depth + 1) or []
        if doc[token.i].ent_type_ == "ORG" and not names:
            return None
        return list(dict.fromkeys(names))
