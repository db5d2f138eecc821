"""Reading spaCy's dependency parse: which clause a word sits in, a verb's subject, how far
two words are apart in the tree, and bulleted lists. Event linking asks these questions of
every cue; they know nothing of recruitment."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .entity_names import canonical_name

SUBJECTS = {"nsubj", "nsubjpass"}
CLAUSE_LINKS = {"xcomp", "conj", "advcl", "ccomp"}  # a verb that shares its head's subject when it has none
SUBCLAUSES = {"xcomp", "advcl", "ccomp", "relcl", "conj", "acl", "parataxis"}
BULLETS = ("•", "-", "–", "*", "·", "▪")


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree (through their lowest common ancestor)."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 100 + abs(a.i - b.i)


def clause_heads(token: Token) -> list[Token]:
    """The verbs a token's clause hangs from, nearest first."""
    return [t for t in token.ancestors if t.pos_ in {"VERB", "AUX"}]


def subjects_of(verb: Token, *, through_gerund: bool = False) -> list[Token]:
    """A verb's subject, borrowed from the verb it depends on when it has none of its own
    ("is to retire", "will leave ... and join", "succeeding Jo Kay"), or that verb's object
    when it is one of control ("the board asked Jo Kay to step in"). With *through_gerund*, a
    gerund after a preposition borrows the main clause's ("prior to returning as X, she ...")."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
        if subjects:
            return subjects
        objects = [c for c in verb.head.children if c.dep_ == "dobj" and (c.ent_type_ == "PERSON" or c.pos_ == "PRON")
                   ] if verb.dep_ == "xcomp" or _infinitive_of_purpose(verb) else []  # a person asked, not a body left ("left X to join Y")
        if objects:
            return objects  # object control: "asked Jo Kay to step in", "invited her to become"
        if verb.dep_ in CLAUSE_LINKS:
            verb = verb.head
            continue
        if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"PROPN", "NOUN"}:
            return [verb.head]
        if through_gerund and verb.dep_ == "pcomp" and verb.tag_ == "VBG":  # "after joining X as Y, she ..."
            head = verb.head
            while head.dep_ in {"prep", "advmod"} and head.head is not head and head.pos_ != "VERB":
                head = head.head
            if head.pos_ in {"VERB", "AUX"} and head is not verb:
                verb = head
                continue
        break
    return []


def _infinitive_of_purpose(verb: Token) -> bool:
    """"recruited Jo Kay, then at X, to serve as Y": parsed as an adverbial clause, read as control."""
    return verb.dep_ == "advcl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def own_subtree(verb: Token) -> list[Token]:
    """A verb's subtree without the clauses it governs ("left to become X" keeps "left")."""
    out, stack = [], [c for c in verb.children if c.dep_ not in SUBCLAUSES]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in SUBCLAUSES)
    return out


def governed_by(token: Token, lemmas: frozenset[str], *, through: set[str], steps: int) -> bool:
    """Whether a word up the tree, reached only through *through* relations and within *steps*
    edges, has one of *lemmas* ("a search for a successor": successor <- for <- search)."""
    for _ in range(steps):
        if token.dep_ not in through or token.head is token:
            return False
        token = token.head
        if token.lemma_.lower() in lemmas:
            return True
    return False


def governing_clause(verb: Token) -> Token | None:
    """The clause a subordinate cue explains: "the post became vacant [when X left]", "the post
    was held by X, [who left]"."""
    if verb.dep_ not in {"advcl", "relcl", "conj"}:
        return None
    head = verb.head
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"}:
            return head
        if head.dep_ == "ROOT":
            return None
        head = head.head
    return None


def clause_of(token: Token) -> list[Token]:
    """The tokens of the clause a cue sits in: its verb and that verb's arguments, without the
    other clauses hanging from it ("... since X left to become director of Y" is not the post)."""
    head = token
    while head.pos_ not in {"VERB", "AUX"} and head.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "prep",
                                                             "compound", "amod", "acomp", "oprd"}:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return list(token.subtree)
    if head.dep_ in {"xcomp", "aux"} and head.head.pos_ in {"VERB", "AUX"}:
        head = head.head
    inside = {t.i for t in token.ancestors} | {token.i}
    out, stack = [head], list(head.children)
    while stack:
        t = stack.pop()
        if t.dep_ in SUBCLAUSES and t.i not in inside:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


def bullet_before(doc: Doc, i: int) -> int | None:
    """The index of the line-opening bullet right before token i, if there is one."""
    j = i - 1
    while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
        j -= 1
    if j < 0 or doc[j].text not in BULLETS:
        return None
    if j == 0 or "\n" in doc[j - 1].text_with_ws:
        return j
    return None


def list_intro(doc: Doc, i: int) -> Token | None:
    """For a post opening a bulleted line, the ":" that introduces the list, if any."""
    bullet = bullet_before(doc, i)
    while bullet is not None:
        j = bullet - 1
        while j >= 0 and doc[j].is_space:
            j -= 1
        if j < 0:
            return None
        if doc[j].text == ":":
            return doc[j]
        k = j  # the previous line: it must be a list item too
        while k > 0 and "\n" not in doc[k - 1].text_with_ws:
            k -= 1
        nxt = k + 1 if doc[k].text in BULLETS else None
        if nxt is None:
            return None
        bullet = k if bullet_before(doc, nxt) == k else None
    return None


def proper_name(token: Token) -> str:
    parts = [c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < token.i]
    return " ".join(t.text for t in sorted([*parts, token], key=lambda t: t.i))


def is_counted(token: Token) -> bool:
    """"two non-executive directors": a plural title with a number names posts, not a class."""
    return any(c.dep_ == "nummod" for c in token.children)


def nearest_org(cue: Span) -> str | None:
    orgs = [e for e in cue.sent.ents if e.label_ == "ORG"]
    if not orgs:
        return None
    best = min(orgs, key=lambda e: tree_distance(cue.root, e.root))
    return canonical_name(best)


def org_object(token: Token) -> str | None:
    for child in token.subtree:
        if child.ent_type_ == "ORG":
            ent = next(e for e in token.doc.ents if e.start <= child.i < e.end)
            return canonical_name(ent)
    return None
