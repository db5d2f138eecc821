"""Which body a post belongs to when the sentence says it indirectly: "its chief executive"
is the subject's, and a title borrowed from another clause ("..., while B has been appointed
for X") is at the body of the cue's own clause. Invented sentences only."""

from __future__ import annotations

from spacy.tokens import Span

from extractors.events.orgs import OrgLinker
from extractors.extensions import Post

from .events_support import found, pipeline


def test_its_chief_executive_is_the_subjects_not_the_body_beside_the_person():
    text = ("The Ferrowby Standards Authority has had a busy year, and the Ferrowby Standards Authority "
            "has grown. Last week the charity Fellbrook Rescue announced it had recruited Dr Ines Calloway, "
            "the Ferrowby Standards Authority's deputy chief, to serve as its chief executive.")
    appointments = [e for e in found(text) if e.type == "APPOINTMENT"]
    assert [e.organisation for e in appointments] == ["Fellbrook Rescue"]


def parsed(text: str):
    doc = pipeline().make_doc(text)
    return pipeline()(doc)


def title_span(doc, words: str) -> Span:
    first = words.split()[0]
    start = next(t.i for t in doc if t.text == first)
    return doc[start:start + len(words.split())]


def cue_span(doc, word: str, nth: int) -> Span:
    i = [t.i for t in doc if t.text == word][nth]
    return doc[i:i + 1]


SENTENCE = ("Dr Petra Holm has been appointed chief executive for Kestrel Fen ICS, while Dr Ravi Anand has "
            "been appointed for Tarnmouth ICS.")


def test_a_title_from_the_other_clause_is_borrowed():
    doc = parsed(SENTENCE)
    post = Post("chief executive", title_span(doc, "chief executive"))
    assert OrgLinker.borrowed(post, cue_span(doc, "appointed", 1))


def test_the_title_of_the_cues_own_clause_is_not_borrowed():
    doc = parsed(SENTENCE)
    post = Post("chief executive", title_span(doc, "chief executive"))
    assert not OrgLinker.borrowed(post, cue_span(doc, "appointed", 0))


def test_a_body_a_relative_clause_stands_for_is_where_the_post_is():
    text = ("Dr Ines Calloway joins the Ferrowby Standards Authority, and the Ferrowby Standards Authority "
            "said so on Monday. In 2007, the group she led was awarded a Kestrel Biomedical Research Unit, "
            "of which she became Director.")
    directors = [e for e in found(text) if e.type == "APPOINTMENT" and e.post == "director"]
    assert [e.organisation for e in directors] == ["Kestrel Biomedical Research Unit"]
