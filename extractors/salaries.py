"""Salaries: pound figures that pay a post. Budgets, deficits and contract values are
money too, so a figure counts only where the context says pay, or where it stands
beside a post title as in a list of advertised jobs."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

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
_LINE_TAIL = re.compile(r"(?:\s*\([^)]*\))?[\s\-–—:,(]*(?:at|on|of)?\s*$")
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}


@Language.factory(
    "postwatch_salaries",
    default_config={"min_gbp": 5000, "max_gbp": 500000, "window": 6},
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
        self.bound_words = {r["word"] for r in rows if r["kind"] == "bound"}
        self.period_words = {r["word"] for r in rows if r["kind"] == "period"}
        self.annual_words = {r["word"] for r in rows if r["kind"] == "annual"}
        self.comparison_words = {r["word"] for r in rows if r["kind"] == "comparison"}
        self.quantity_words = {r["word"] for r in rows if r["kind"] == "quantity"}
        self.min_gbp, self.max_gbp, self.window = min_gbp, max_gbp, window

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[Salary, bool]] = []
        text = doc.text  # spaCy joins every token's text on each read: read it once
        for m in _MONEY.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            low = _amount(m["a"], m["au"] or m["bu"])
            high = _amount(m["b"], m["bu"]) if m["b"] else None
            if high is not None and high <= low:
                high = None
            if not all(v is None or self.min_gbp <= v <= self.max_gbp for v in (low, high)):
                continue
            post = self._beside_post(doc, text, span)
            listed = post is not None
            if post is None and not self._pay_context(doc, span):
                continue
            if post is None:
                post = _nearest_post(doc, span)
            found.append((Salary(amount_gbp=low, amount_gbp_max=high, post=post.title if post else None, span=span),
                          listed))
        doc._.salaries = _without_repeats(found)
        return doc

    def _pay_context(self, doc: Doc, span: Span) -> bool:
        sent = span.sent
        if span.start > sent.start and doc[span.start - 1].lower_ in self.bound_words:
            return False  # "posts paying over £100,000": a threshold, not any post's pay
        if not self._per_year(doc, span):
            return False
        if span.end < sent.end and doc[span.end].lower_ in self.comparison_words:
            return False  # "earning £20,000 more": a difference between two salaries
        if any(t.lower_ in self.pay_words for t in doc[max(sent.start, span.start - 2):span.start]):
            return True  # "a fixed-term contract, paying £140k": the nearest word decides
        before = [t.lower_ for t in doc[max(sent.start, span.start - self.window):span.start]]
        after = [t.lower_ for t in doc[span.end:min(sent.end, span.end + 3)]]
        if any(w in self.not_pay_words for w in before + after):
            return False
        return any(t.lower_ in self.pay_words for t in sent)

    def _per_year(self, doc: Doc, span: Span) -> bool:
        """Pay for less than a year is no salary: "£950 a day", "£9,000 a month", "paid £40,000
        for three months"; "a year" after the figure settles it the other way."""
        after = [t.lower_ for t in doc[span.end:min(span.sent.end, span.end + 3)]]
        rate = after[1:2] if after[:1] in (["a"], ["per"], ["each"], ["every"], ["-"]) else after[:1]
        if any(w in self.annual_words for w in rate):
            return True
        if any(w in self.period_words for w in rate):
            return False
        return not any(t.lower_ in self.period_words and _duration(t, self.quantity_words) for t in span.sent)

    def _beside_post(self, doc: Doc, text: str, span: Span) -> Post | None:
        """"Director of insight - £102,500": a post ending just before the figure, on the same
        line. A post named twice keeps only its first span, so the line is also read as text."""
        line = text[text.rfind("\n", 0, span.start_char) + 1:span.start_char]
        line = _LINE_TAIL.sub("", line).strip().lower()
        for post in doc._.posts or []:
            if line.endswith(post.title) and (len(line) == len(post.title) or not line[-len(post.title) - 1].isalnum()):
                return post
        for post in doc._.posts or []:
            if post.span.end_char > span.start_char:
                continue  # a post after the figure is not the one it pays
            gap = text[post.span.end_char:span.start_char]
            if 0 <= len(gap) <= 40 and "\n" not in gap and re.fullmatch(r"[\s\-–—:,(]*(?:\([^)]*\))?[\s\-–—:,(]*(?:at|on|of)?\s*", gap):
                return post
        return None


def _duration(period: Token, quantity_words: set[str]) -> bool:
    """"for two-and-a-half months", "for six weeks": a span of time the pay covered."""
    i = period.i - 1
    while i >= period.sent.start and (period.doc[i].like_num or period.doc[i].lower_ in quantity_words):
        i -= 1
    return i < period.i - 1 and i >= period.sent.start and period.doc[i].lower_ == "for"


def _without_repeats(found: list[tuple[Salary, bool]]) -> list[Salary]:
    """A figure said twice ("the top job pays £165,000" and later "Chief finance officer -
    £165,000") is one salary. A figure beside its post in a list is surer of its post than
    one attached to the nearest post, so a repeat of a listed figure goes, as does a
    later repeat of the same figure for the same post. Two posts listed at the same pay
    stay two salaries."""
    kept: list[Salary] = []
    for salary, listed in found:
        amounts = (salary.amount_gbp, salary.amount_gbp_max)
        twins = [s for s, l in found if s is not salary and (s.amount_gbp, s.amount_gbp_max) == amounts
                 and (l or s.span.start < salary.span.start)]
        if not listed and twins:
            continue
        if any((k.amount_gbp, k.amount_gbp_max, k.post) == (*amounts, salary.post) for k in kept):
            continue
        kept.append(salary)
    return kept


def _amount(number: str, unit: str | None) -> int:
    value = float(number.replace(",", ""))
    return int(round(value * _SCALE.get((unit or "").lower(), 1)))


def _nearest_post(doc: Doc, span: Span) -> Post | None:
    in_sentence = [p for p in doc._.posts or [] if p.span.sent == span.sent]
    if in_sentence:
        return min(in_sentence, key=lambda p: abs(p.span.start - span.start))
    earlier = [p for p in doc._.posts or [] if p.span.end <= span.start]
    return earlier[-1] if earlier else None
