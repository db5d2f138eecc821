"""From post mentions to posts: a plural title or a joint post split into one post per
holder or organisation, titles nested in longer ones dropped, and repeated mentions folded
into one post per (title, organisation, person)."""

from __future__ import annotations

from .entity_names import canonical_name
from .extensions import Post


def coordinated(post: Post, honorific_words: frozenset[str]) -> list[Post]:
    """"Non-executive directors Jo Kay and Sam Lee": one post for each person named after a
    plural title, each a post in the singular (``plural`` means no particular holder)."""
    doc = post.span.doc
    if not post.plural or post.person is None or post.span.end >= len(doc):
        return []
    post.plural = False
    ent = next((e for e in doc.ents if e.label_ == "PERSON" and post.span.end <= e.start <= post.span.end + 2
                and all(t.text in {",", "."} or t.lower_ in honorific_words for t in doc[post.span.end:e.start])), None)
    more = []
    while ent is not None and ent.label_ == "PERSON" and ent.end + 1 < len(doc) and doc[ent.end].lower_ in {",", "and"}:
        i = ent.end + 1 + (doc[ent.end + 1].lower_ == "and")
        while i < len(doc) and (doc[i].lower_.rstrip(".") in honorific_words or doc[i].text == "."):
            i += 1
        ent = next((e for e in doc.ents if e.start == i and e.label_ == "PERSON"), None)
        if ent is not None:
            more.append(Post(title=post.title, span=post.span, organisation=post.organisation,
                             person=canonical_name(ent), interim=post.interim))
    return more


def joint(post: Post) -> list[Post]:
    """"chief executive of Kennet Vale NHS Trust and Wharfe NHS Trust": a joint post is
    one post per organisation."""
    if post.organisation is None or post.plural:
        return []
    doc, sent = post.span.doc, post.span.sent
    orgs = [e for e in doc.ents if e.label_ == "ORG" and post.span.end <= e.start <= post.span.end + 3
            and e.end <= sent.end and canonical_name(e) == post.organisation]
    if not orgs:
        return []
    ent, chain, joined = orgs[0], [], False
    while True:
        i = ent.end
        while i < sent.end and doc[i].lower_ in {",", "and", "&", "the", "both"}:
            i += 1
        if i == ent.end or not any(t.lower_ in {"and", "&", ","} for t in doc[ent.end:i]):
            break
        joined = joined or any(t.lower_ in {"and", "&"} for t in doc[ent.end:i])
        ent = next((e for e in doc.ents if e.start == i and e.label_ == "ORG"), None)
        if ent is None:
            break
        chain.append(ent)
    if not joined:
        return []  # "chief executive of Kennet Vale NHS Trust, Jo Kay,": an apposition, not a second body
    return [Post(title=post.title, span=post.span, organisation=canonical_name(e), person=post.person,
                 interim=post.interim) for e in chain]


def outermost(posts: list[Post]) -> list[Post]:
    """"director of the chief executive's private office" holds a "chief executive" that is
    no post of its own."""
    return [p for p in posts if not any(o is not p and o.span.start <= p.span.start and p.span.end <= o.span.end
                                        and len(o.span) > len(p.span) for o in posts)]


def _base(title: str, interim_words: frozenset[str]) -> str:
    words = title.split()
    while words and words[0] in interim_words:
        words = words[1:]
    return " ".join(words)


def merge(posts: list[Post], interim_words: frozenset[str]) -> list[Post]:
    """One post per (title, organisation, person): a mention that adds nothing to an earlier
    one ("the chief executive" after "chief executive Jo Kay") folds into it."""
    merged: list[Post] = []
    for post in posts:
        same = [m for m in merged if m.title == post.title and m.plural == post.plural]
        host = next((m for m in reversed(same) if _adds_nothing(post, m)), None)
        host = host or next((m for m in reversed(same) if _same_holder(post, m)), None)
        host = host or next((m for m in reversed(merged) if post.person is not None and m.person == post.person
                             and _base(m.title, interim_words) == _base(post.title, interim_words)
                             and post.organisation in {None, m.organisation}), None)
        if host is None:
            merged.append(post)
        else:
            host.interim = host.interim or post.interim
            host.organisation = host.organisation or post.organisation
    return merged


def _adds_nothing(post: Post, to: Post) -> bool:
    return post.organisation in {None, to.organisation} and post.person in {None, to.person}


def _same_holder(post: Post, to: Post) -> bool:
    """"Jo Kay, chief nurse" and later "the trust's chief nurse, Jo Kay": one post, now
    with its organisation."""
    return post.person is not None and post.person == to.person and None in {post.organisation, to.organisation}
