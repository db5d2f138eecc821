"""Salaries: pound figures that pay a post. Budgets, deficits and contract values are
money too, so a figure counts only where the context says pay, or where it stands
beside a post title as in a list of advertised jobs."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401
from .extensions import Post, Salary
from .lexicon import read_csv

_MONEY = re.compile(
    r"""(?P<upto>up\s+to\s+)?(?P<between>between\s+)?
    £\s?(?P<a>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<au>k|m|bn|million|billion|thousand)?\b
    (?:\s*(?(between)(?:and|-|–|—|to)|(?:-|–|—|to))\s*
       £?\s?(?P<b>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<bu>k|m|bn|million|billion|thousand)?\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}


@Language.factory(
    "postwatch_salaries",
    default_config={"min_gbp": 15000, "max_gbp": 500000, "window": 6},
    assigns=["doc._.salaries"],
    requires=["doc._.posts"],
)
def make_salaries(nlp: Language, name: str, *, min_gbp: int, max_gbp: int, window: int) -> "SalaryFinder":
    return SalaryFinder(min_gbp=min_gbp, max_gbp=max_gbp, window=window)


class SalaryFinder:
    def __init__(self, *, min_gbp: int, max_gbp: int, window: int) -> None:
        rows = read_csv("money_context.csv")
        self.pay_words = {r["word"] for r in rows if r["kind"] == "pay"}
        self.not_pay_words = {r["word"] for r in rows if r["kind"] == "not_pay"}
        self.min_gbp, self.max_gbp, self.window = min_gbp, max_gbp, window

    def __call__(self, doc: Doc) -> Doc:
        salaries: list[Salary] = []
        for m in _MONEY.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            low = _amount(m["a"], m["au"] or m["bu"])
            high = _amount(m["b"], m["bu"]) if m["b"] else None
            if high is not None and high <= low:
                high = None
            if not all(v is None or self.min_gbp <= v <= self.max_gbp for v in (low, high)):
                continue
            post = self._beside_post(doc, span)
            if post is None and not self._pay_context(doc, span):
                continue
            if post is None:
                post = _nearest_post(doc, span)
            salaries.append(Salary(amount_gbp=low, amount_gbp_max=high, post=post.title if post else None, span=span))
        doc._.salaries = salaries
        return doc

    def _pay_context(self, doc: Doc, span: Span) -> bool:
        sent = span.sent
        before = [t.lower_ for t in doc[max(sent.start, span.start - self.window):span.start]]
        after = [t.lower_ for t in doc[span.end:min(sent.end, span.end + 3)]]
        if any(w in self.not_pay_words for w in before + after):
            return False
        return any(t.lower_ in self.pay_words for t in sent)

    def _beside_post(self, doc: Doc, span: Span) -> Post | None:
        """"Director of insight - £102,500": a post ending just before the figure, on the same line."""
        for post in doc._.posts or []:
            gap = doc.text[post.span.end_char:span.start_char]
            if 0 <= len(gap) <= 40 and "\n" not in gap and re.fullmatch(r"[\s\-–—:,(]*(?:\([^)]*\))?[\s\-–—:,(]*(?:at|on|of)?\s*", gap):
                return post
        return None


def _amount(number: str, unit: str | None) -> int:
    value = float(number.replace(",", ""))
    return int(round(value * _SCALE.get((unit or "").lower(), 1)))


def _nearest_post(doc: Doc, span: Span) -> Post | None:
    in_sentence = [p for p in doc._.posts or [] if p.span.sent == span.sent]
    if in_sentence:
        return min(in_sentence, key=lambda p: abs(p.span.start - span.start))
    earlier = [p for p in doc._.posts or [] if p.span.end <= span.start]
    return earlier[-1] if earlier else None
