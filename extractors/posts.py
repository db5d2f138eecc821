"""Posts: job titles found from their head noun outwards ("deputy medical director",
"head of commissioning policy"), linked to the person and organisation the text puts
beside them."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from . import extensions  # noqa: F401
from .extensions import Post
from .entity_names import entity_name, recent_org
from .lexicon import honorifics, title_terms, words_of_kind
from .post_merging import coordinated, joint, merge, outermost

# "the trust", "the board": a body named by its kind; "director posts": a title naming its role.
_GENERIC_ORG_NOUNS = title_terms("org_noun")
_ROLE_NOUNS = title_terms("role_noun")
_HYPHENS = {"-", "‐", "‑"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_CLIMB = {"dobj", "pobj", "prep", "attr", "oprd", "xcomp", "npadvmod", "acomp", "conj", "advcl", "acl"}
_PERSON_CONNECTORS = {",", "the", "a", "an", "its", "their", "his", "her", "who", "is", "was", "as", "now", "currently",
                      "has", "been", "'s", "’s", "(", "-", "–", "and", "also"}


@Language.factory(
    "postwatch_posts",
    default_config={"max_modifiers": 4, "context": "entity_context.csv"},
    assigns=["doc._.posts"],
    requires=["doc.ents", "doc._.people", "doc._.organisations"],
)
def make_posts(nlp: Language, name: str, *, max_modifiers: int, context: str) -> "PostFinder":
    return PostFinder(nlp, max_modifiers=max_modifiers, context=context)


class PostFinder:
    def __init__(self, nlp: Language, *, max_modifiers: int, context: str = "entity_context.csv") -> None:
        self.heads = title_terms("head")
        self.modifiers = title_terms("modifier") | self.heads
        self.stops = title_terms("stop")
        self.interim_words = title_terms("interim")
        self.vague = title_terms("vague")
        self.quantities = title_terms("quantity")  # "chair for most of the year": a time, not a function
        self.plain_words = self.modifiers | self.stops | self.interim_words
        self.suffixes = [tuple(s.split()) for s in sorted(title_terms("suffix"), key=lambda s: -len(s.split()))]
        self.honorifics = honorifics()
        self.holder_verbs = words_of_kind(context, "holder_verb")
        self.org_words = words_of_kind(context, "org_word")
        self.role_verbs = words_of_kind(context, "appoint_verb") | self.holder_verbs
        self.max_modifiers = max_modifiers
        self.matcher = Matcher(nlp.vocab)
        plurals = sorted({h + ("es" if h.endswith("s") else "s") for h in self.heads})
        self.matcher.add("HEAD", [[{"LOWER": {"IN": sorted(self.heads)}}]])
        self.matcher.add("HEAD_PLURAL", [[{"LOWER": {"IN": plurals}}]])
        compounds = [[{"LOWER": w} for w in c.split()] for c in sorted(title_terms("compound"))]
        if compounds:
            self.matcher.add("COMPOUND", compounds, greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        posts: list[Post] = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            if key == "COMPOUND":
                post = self._post_at(doc[end - 1], plural=False, first=start)
            else:
                post = self._post_at(doc[start], plural=key == "HEAD_PLURAL")
            if post is not None:
                posts.append(post)
                posts.extend(coordinated(post, self.honorifics))
                posts.extend(joint(post))
                posts.extend(self._joint_subjects(post))
        doc._.posts = merge(outermost(posts), self.interim_words)
        return doc

    def _post_at(self, head: Token, *, plural: bool, first: int | None = None) -> Post | None:
        """A post whose head noun is *head*; *first* is where a listed compound title
        ("permanent secretary") starts, so its first word is taken whatever it is."""
        doc = head.doc
        nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
        if first is None and (head.ent_type_ in {"PERSON", "ORG"} or head.pos_ not in {"NOUN", "PROPN", "ADJ"}):
            return None
        if head.i > 0 and doc[head.i - 1].lower_ == "per":
            return None  # "per head of population"
        if self._addresses_name(head):
            return None  # "Professor Ada Quist": an honorific, not a post
        suffix_end = self._suffix_end(doc, head.i + 1)
        if suffix_end > head.i + 1:
            nxt = doc[suffix_end] if suffix_end < len(doc) else None
        if nxt is not None and (nxt.lower_ in self.heads or nxt.lower_.rstrip("s") in self.heads) \
                and not self._addresses_name(nxt):
            return None  # "executive director": the later head owns the span; not "director Professor Jo Kay"
        if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and nxt.lower_ not in _ROLE_NOUNS and not nxt.ent_type_ \
                and nxt.lower_.rstrip(".") not in self.honorifics:
            return None  # "director posts" is fine, "partner organisations" is not a title
        start, outer, interim = self._left_edge(head, head.i if first is None else first)
        if head.lower_ == "executive" and not any(t.lower_ == "chief" for t in doc[start:head.i]):
            return None
        end, organisation = self._complement(head, suffix_end)
        span = doc[start:end]
        modified = end - start > 1
        context = doc[outer:end]  # includes a leading "interim"/"acting", so "its interim chief executive" finds "its"
        person = self._person(context)
        occupation = end - start == 1 and start > 0 and doc[start - 1].lower_ in {"a", "an"}  # "trained as a nurse"
        if person is None and not occupation and (end - start > 1 or head.lower_ not in self.vague):
            person = self._person_by_syntax(span.root)  # "she is the leader we need" names no post
        if organisation is None:
            organisation = self._organisation_before(context) or self._organisation_after(span)
        before = start - 1
        while before > 0 and doc[before].is_quote:
            before -= 1  # "a bold, brilliant “commissioner”"
        praise = before >= 0 and doc[before].pos_ == "ADJ" and doc[before].lower_ not in self.plain_words
        head_form = head.lower_ if not plural else None
        if plural and organisation is not None and person is None:
            plural = False  # "non-executive directors for Kennet Vale NHS Trust": a post there
        if organisation is None and not praise and head.lemma_.lower() not in self.vague:  # "a bold commissioner"
            organisation = next(iter(self._subject_organisations(span.root)), None)
        if (not modified or plural) and organisation is None and person is None:
            return None  # a bare "director", or "senior managers" in general, is no particular post
        words = [t.lemma_.lower() if (t.i == head.i and t.lower_ != head_form) else t.lower_ for t in span]
        title = _join(span, words)
        if outer < start:  # "interim chief executive": as written, as the gold conventions keep it
            title = " ".join([t.lower_ for t in doc[outer:start] if t.lower_ in self.interim_words] + [title])
        interim = interim or any(t.lower_ in self.interim_words for t in doc[max(span.sent.start, start - 3):start])
        return Post(title=title, span=span, organisation=organisation, person=person, interim=interim, plural=plural)

    def _addresses_name(self, token: Token) -> bool:
        """"Professor Jo Kay": an honorific that is also a title head, written before a name."""
        doc = token.doc
        return token.lower_ in self.honorifics and token.i + 1 < len(doc) and doc[token.i + 1].is_title

    def _suffix_end(self, doc: Doc, i: int) -> int:
        """Past a title's trailing word ("chief executive designate", "chair-in-common")."""
        for suffix in self.suffixes:
            j, k = i, 0
            while k < len(suffix) and j < len(doc):
                if doc[j].text in _HYPHENS:
                    j += 1
                    continue
                if doc[j].lower_ != suffix[k]:
                    break
                j, k = j + 1, k + 1
            if k == len(suffix):
                return j
        return i

    def _left_edge(self, head: Token, first: int) -> tuple[int, int, bool]:
        """Where the title starts, where its context starts (before "interim"), and whether it is interim."""
        doc = head.doc
        i, taken = first, 0
        while i - 1 >= head.sent.start and taken < self.max_modifiers:
            tok = doc[i - 1]
            low = tok.lower_
            if low in self.interim_words:
                outer = i - 1
                while outer - 1 >= head.sent.start and doc[outer - 1].lower_ in self.interim_words | {"and", "/"}:
                    outer -= 1
                return i, outer, True
            if low in self.stops or tok.ent_type_ in {"PERSON", "ORG", "GPE", "DATE", "MONEY"}:
                break
            hyphen = low == "-" and i - 2 >= head.sent.start and doc[i - 2].is_alpha
            known = low in self.modifiers
            # An unlisted noun is a function ("estates director"); an unlisted adjective is
            # usually praise ("an exceptional leader"), not part of the title.
            lowercase_word = tok.is_alpha and tok.is_lower and tok.pos_ in {"NOUN", "PROPN"} and not tok.is_stop
            acronym = tok.is_upper and tok.is_alpha and 2 <= len(tok) <= 5
            if not (hyphen or known or lowercase_word or acronym):
                break
            i -= 2 if hyphen else 1  # "non-executive": a hyphen takes the word before it too
            taken += 1
        return i, i, False

    def _complement(self, head: Token, end: int) -> tuple[int, str | None]:
        """Extends over "of/for <function>" from *end* (just past the head and any suffix)
        and returns the organisation when the object is one."""
        doc, sent_end = head.doc, head.sent.end
        if end < sent_end and doc[end].lower_ == "officer":
            end += 1
        for _ in range(2):
            if end >= sent_end or doc[end].lower_ not in {"of", "for"}:
                break
            j = end + 1
            if j < sent_end and doc[j].lower_ == "the":
                j += 1
            if j >= sent_end or doc[j].lower_ in self.quantities:
                break
            k = j
            while k < min(j + 2, sent_end - 1) and doc[k].is_lower and doc[k].is_alpha and not doc[k].is_stop:
                k += 1  # "chair of neighbouring Kennet Vale NHS Trust", "of cash-strapped ..."
            if doc[k].ent_type_ == "ORG":
                return end, entity_name(doc, k)
            if doc[j].ent_type_ == "PERSON":
                break
            if doc[j].lower_ in _GENERIC_ORG_NOUNS and doc[j - 1].lower_ == "the" and not (
                    j + 1 < sent_end and doc[j + 1].lower_ in {"'s", "’s"}):
                return end, recent_org(doc, head.i, doc[j].lower_)  # "governor for the trust"
            k = j
            while k < sent_end:
                tok = doc[k]
                if tok.ent_type_ in {"ORG", "PERSON", "DATE", "MONEY"} and not self._function_named_like_org(doc, k, j):
                    break
                content = tok.is_alpha and tok.pos_ in {"NOUN", "PROPN", "ADJ"} or tok.tag_ == "VBG"
                joiner = tok.lower_ in {"and", "'s", "’s"} or (tok.lower_ == "the" and k > j) or (tok.text == "," and k + 1 < sent_end and doc[k + 1].is_lower and doc[k + 1].is_alpha)
                if doc[k - 1].lower_ == "and" and self._title_starts(doc, k, sent_end):
                    k -= 1  # "director of operations and executive lead for X": a second title
                    break
                if not (content or joiner) or tok.lower_ in {"at", "in", "to", "with", "who", "said", "from", "on", "since", "until"}:
                    break
                k += 1
            while k > j and (doc[k - 1].lower_ in {"and", ","} or doc[k - 1].is_punct):
                k -= 1
            if k == j:
                break
            end = k
        return end, None

    def _function_named_like_org(self, doc: Doc, k: int, start: int) -> bool:
        """"chief inspector of primary and Community Care": capitalised words after "and" in a
        function, tagged as an organisation but naming no body (no "Trust", "NHS", acronym)."""
        ent = next((e for e in doc.ents if e.start <= k < e.end), None) if doc[k].ent_type_ == "ORG" else None
        if ent is None or ent.start <= start or doc[ent.start - 1].lower_ != "and":
            return False
        return all(t.is_alpha and t.is_title and t.lower_ not in self.org_words for t in ent)

    def _title_starts(self, doc: Doc, i: int, end: int) -> bool:
        """Whether title words ending on a head noun start at *i* ("chief executive", "executive lead")."""
        j = i
        while j < end and doc[j].lower_ in self.modifiers:
            j += 1
        if j == i or doc[j - 1].lower_ not in self.heads or j >= end:
            return j > i and doc[j - 1].lower_ in self.heads
        after = doc[j]  # "the chair and chief executive's office", "chief executive posts": not a title of its own
        return after.lower_ not in {"'s", "’s"} and not (after.is_alpha and after.pos_ == "NOUN" and after.lower_ not in _ROLE_NOUNS)

    def _person(self, span: Span) -> str | None:
        doc, sent = span.doc, span.sent
        j = span.end
        if j + 1 < sent.end and doc[j].lower_ in {"of", "at"}:  # "chief executive of Kennet Vale NHS Trust, Jo Kay,"
            k = j + 1 + (doc[j + 1].lower_ == "the")
            ent = next((e for e in doc.ents if e.start == k and e.label_ == "ORG"), None)
            if ent is not None and ent.end < sent.end and doc[ent.end].text == ",":
                j = ent.end
        if j < sent.end and doc[j].text == ",":
            j += 1
        while j < sent.end and (doc[j].lower_.rstrip(".") in self.honorifics or doc[j].text == "."):
            j += 1  # "medical director Dr Jo Kay"
        if j < sent.end and doc[j].ent_type_ == "PERSON" and doc[j].ent_iob_ == "B":
            return entity_name(doc, j)
        i = span.start - 1
        steps = 0
        while i >= sent.start and steps < 6:
            tok = doc[i]
            if tok.ent_type_ == "PERSON":
                return entity_name(doc, i)
            if not (tok.lower_ in _PERSON_CONNECTORS or tok.ent_type_ == "ORG" or tok.lower_ in _GENERIC_ORG_NOUNS):
                return None
            i -= 1
            steps += 1
        return None

    def _person_by_syntax(self, head: Token) -> str | None:
        """"Jo Kay has been appointed chief executive", "Jo Kay will remain interim chair",
        "Jo Kay, who became chair in 2019", "named Jo Kay as chair", "the chair is Jo Kay":
        the holder is the subject of the verb the title completes, or the object of a
        verb whose title comes with "as"."""
        if head.dep_ == "appos":
            return self._holder(head.head)
        if head.dep_ == "pobj" and head.head.lower_ == "as":
            verb = head.head.head
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "oprd"}), None)
            if obj is not None and verb.lemma_ not in self.holder_verbs:
                return self._holder(obj)  # "named Jo Kay as chair"; but "joined Jo Kay as her deputy": the subject
        elif head.dep_ in {"attr", "oprd", "dobj", "npadvmod", "xcomp"} and head.head.lemma_ in self.role_verbs:
            verb = head.head
            if head.dep_ == "dobj" and not any(c.dep_ == "nsubjpass" for c in verb.children) \
                    and verb.lemma_ not in self.holder_verbs:
                return None  # "Jo Kay appointed a finance director": Jo Kay appoints, holds nothing
        elif head.dep_ == "nsubj" and head.head.lemma_ == "be":
            attr = next((c for c in head.head.children if c.dep_ == "attr"), None)
            return self._holder(attr) if attr is not None else None
        else:
            return None
        while verb.dep_ in {"conj", "xcomp"} and not any(c.dep_ in _SUBJECTS for c in verb.children):
            verb = verb.head
        if verb.dep_ == "relcl" and any(c.lower_ in {"who", "that"} for c in verb.children):
            return self._holder(verb.head)
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        return self._holder(subject) if subject is not None else None

    def _subject_organisations(self, root: Token) -> list[str]:
        """"Kennet Vale NHS Trust is seeking a chief executive", "NHS England and NHS
        Improvement will launch a search for a chief commercial officer": the organisations
        that are the subject of the verb the title hangs from."""
        tok = root
        for _ in range(6):  # up through "of"/"as"/objects and verb chains to a verb with a subject
            if tok.pos_ in {"VERB", "AUX"} and any(c.dep_ in _SUBJECTS for c in tok.children):
                break
            if tok.head is tok or tok.dep_ not in _CLIMB:
                return []
            tok = tok.head
        subject = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        if subject is None or subject.ent_type_ != "ORG":
            return []
        names = [entity_name(tok.doc, subject.i)]
        names += [entity_name(tok.doc, c.i) for c in subject.conjuncts if c.ent_type_ == "ORG"]
        return list(dict.fromkeys(names))

    def _joint_subjects(self, post: Post) -> list[Post]:
        """"Kennet Vale NHS Trust and Wharfe NHS Trust are seeking a joint chief executive":
        one post for each organisation."""
        if post.plural or post.organisation is None:
            return []
        orgs = self._subject_organisations(post.span.root)
        if len(orgs) < 2 or orgs[0] != post.organisation:
            return []
        return [Post(title=post.title, span=post.span, organisation=org, person=post.person, interim=post.interim)
                for org in orgs[1:]]

    def _holder(self, tok: Token) -> str | None:
        return entity_name(tok.doc, tok.i) if tok.ent_type_ == "PERSON" else None

    def _organisation_before(self, span: Span) -> str | None:
        doc = span.doc
        i = span.start - 1
        if i >= span.sent.start and doc[i].lower_ in {"'s", "’s", "'", "’"}:
            i -= 1
        if i < span.sent.start:
            return None
        if doc[i].ent_type_ == "ORG":
            return entity_name(doc, i)
        if doc[i].lower_ in _GENERIC_ORG_NOUNS and i - 1 >= 0 and doc[i - 1].lower_ == "the" or doc[i].lower_ == "its":
            return recent_org(doc, span.start, doc[i].lower_)
        return None

    def _organisation_after(self, span: Span) -> str | None:
        doc, sent_end = span.doc, span.sent.end
        j = span.end
        if j < sent_end and doc[j].lower_ in {"at", "of", "for", "with", "in"}:
            j += 1
            if j < sent_end and doc[j].lower_ == "the":
                j += 1
            if j < sent_end and doc[j].ent_type_ == "ORG":
                return entity_name(doc, j)
        return None


def _join(span: Span, words: list[str]) -> str:
    out = ""
    for tok, word in zip(span, words):
        out += word + (tok.whitespace_ if tok.i < span.end - 1 else "")
    return " ".join(out.replace(" ,", ",").split())
