"""Small questions about titles and spans that every step of event finding asks."""

from __future__ import annotations

from ..extensions import Post

ANAPHOR = "anaphor"  # "the role", "the post": a post named earlier
GENERIC = "generic"  # "a post", "any role": no particular post
NOT_NAMES = {"", "LOC", "GPE", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"}  # NER labels a person's name can get


def same_title(a: str, b: str, ranks: frozenset[str]) -> bool:
    """"community chief executive" is the chief executive; "deputy chief executive" is not."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if short not in long:
        return False
    extra = set(long.replace(short, " ").replace("-", " ").split())
    return not extra & ranks


def is_former(post: Post, words: frozenset[str]) -> bool:
    """"a former public health consultant": a post the person no longer holds."""
    doc, start = post.span.doc, post.span.start
    return any(t.lower_ in words for t in doc[max(post.span.sent.start, start - 3):start])
