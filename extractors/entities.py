"""People and organisations: the model's NER, corrected by data-driven rulers and by what
the words around a name say (a job title beside it, "said" after it, "recruitment firm"
before it), then resolved within the article so each real entity is listed once, in its
fullest form.

The statistical NER alone confuses the two in news copy: unfamiliar names next to a
trust's name come out as ORG, and a trust's short name ("Kennet Vale") as PERSON. The
text around a mention is usually decisive, so that is what settles the label here."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from . import extensions  # noqa: F401  (registers the extensions)
from .coref import FUNCTION_WORDS, OrgResolver, resolve_people
from .lexicon import aliases, column, honorifics, read_csv, read_jsonl, title_terms, words_of_kind
from .name_tokens import (HYPHENS, NAME, NAME_RE, PARTICLES, POSSESSIVES, extend_conjoined, extend_hyphenated,
                          joins_name, overlaps, part_of, particle, span_words)
from .org_shapes import LOWER_WORDS_KEY, abbreviates, cased_aliases, last_words, literal_words, longest_first, lower_words

_RULED_ORG = {"gazetteer", "shape"}
_ORG_CUES = {"CUE_THEN_ORG", "TITLE_AT_ORG"}  # context patterns that find organisations
_NAMELIKE = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_NOT_NAME_ENTS = ["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"]
_CALENDAR = {"january", "february", "march", "april", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_DETERMINERS = ["the", "a", "an", "its", "their", "his", "her", "our"]


@Language.factory(
    "postwatch_entities",
    default_config={"patterns": "entities.jsonl", "gazetteer": "organisations.csv", "context": "entity_context.csv"},
    assigns=["doc.ents", "doc._.people", "doc._.organisations", "span._.canonical"],
    requires=["doc.ents"],
)
def make_entities(nlp: Language, name: str, *, patterns: str, gazetteer: str, context: str) -> "EntityResolver":
    return EntityResolver(nlp, name, patterns=patterns, gazetteer=gazetteer, context=context)


@dataclass
class _Mention:
    span: Span
    source: str  # "gazetteer", "shape", "honorific", "person_cue", "org_cue" or "model"
    titled: bool = False  # an honorific stood before it ("Ms Kaur")


class EntityResolver:
    def __init__(self, nlp: Language, name: str, *, patterns: str, gazetteer: str, context: str) -> None:
        self.honorifics = honorifics()
        self.title_words = title_terms("head") | title_terms("modifier")
        self.heads = title_terms("head")
        self.org_cues = words_of_kind(context, "org_cue")
        self.said = words_of_kind(context, "said")
        shapes = read_jsonl(patterns)
        type_rows = read_csv("org_types.csv")
        self.type_acronyms = {r["acronym"].lower(): r["expansion"] for r in type_rows}
        self.org_words = (words_of_kind(context, "org_word") | literal_words(shapes)
                          | {w for r in type_rows for w in r["expansion"].split()} | set(self.type_acronyms))
        self.blockers = sorted((STOP_WORDS - {"will", "may"}) | self.title_words | self.honorifics
                               | self.org_words | _CALENDAR)
        self.not_orgs = column("not_organisations.csv", "text")
        self.not_org_heads = words_of_kind(context, "not_org_head")
        self.generic_plurals = words_of_kind(context, "generic_plural")
        self.body_nouns = words_of_kind(context, "body_noun")
        self.place_org_heads = words_of_kind(context, "place_org_head")
        self.interim_words = title_terms("interim")
        self.shape_heads = last_words(shapes)
        self.org_heads = self.shape_heads | words_of_kind(context, "org_word")
        self.aliases = aliases()
        names = [r["name"] for r in read_csv(gazetteer)]
        self.ruler = SpanRuler(nlp, name=f"{name}_ruler", annotate_ents=True, spans_key=None,
                               ents_filter=longest_first, overwrite=False)
        self.ruler.add_patterns(
            shapes
            + [{"label": "ORG", "pattern": n, "id": "gazetteer"} for n in names]
            + [{"label": "ORG", "pattern": a, "id": "gazetteer"} for a in cased_aliases(gazetteer)]
            + [{"label": "PERSON", "pattern": self._honorific_pattern(), "id": "honorific"}]
        )
        self.context = Matcher(nlp.vocab)
        self._add_context_patterns()
        self.orgs = OrgResolver(aliases=self.aliases, type_acronyms=self.type_acronyms, heads=last_words(shapes))

    # -- patterns built from the data files ---------------------------------------------
    def _name_token(self, op: str | None = None) -> dict:
        token = {"TEXT": {"REGEX": NAME_RE}, "LOWER": {"NOT_IN": self.blockers}, "ENT_TYPE": {"NOT_IN": _NOT_NAME_ENTS}}
        return {**token, "OP": op} if op else token

    def _name_tail(self, op: str) -> dict:
        """Further name words, hyphens included ("Ward", "-", "Osei")."""
        return {"TEXT": {"REGEX": "^(?:" + NAME_RE[1:-1] + "|[-‐‑]|" + "|".join(PARTICLES) + ")$"}, "LOWER": {"NOT_IN": self.blockers},
                "ENT_TYPE": {"NOT_IN": _NOT_NAME_ENTS}, "OP": op}

    def _honorific_pattern(self) -> list[dict]:
        return [{"LOWER": {"IN": sorted(self.honorifics)}}, {"ORTH": ".", "OP": "?"},
                self._name_token(), self._name_tail("*")]

    def _add_context_patterns(self) -> None:
        heads = sorted(self.heads | {h + ("es" if h.endswith("s") else "s") for h in self.heads})
        titles = sorted(self.title_words)
        name, tail = self._name_token(), self._name_tail("+")
        add = lambda key, *patterns: self.context.add(key, list(patterns), greedy="LONGEST")  # noqa: E731
        # "chief nurse Siobhan Keane", "Chair Bronwen Tudor-Evans said"
        add("TITLE_THEN_NAME", [{"LOWER": {"IN": heads}}, name, self._name_tail("*")])
        # "Marcus Obi, regional director at", "Jo Kay, the trust's chair", "Jo Kay said"
        comma = {"ORTH": {"IN": [",", "–", "—"]}}  # "Jo Kay – a current board member –"
        add("NAME_THEN_TITLE",
            [name, tail, comma, {"LOWER": {"IN": titles}}],
            [name, tail, comma, {"LOWER": {"IN": _DETERMINERS}}, {"LOWER": {"IN": titles}}],
            [name, tail, comma, {"LOWER": {"IN": _DETERMINERS}}, {"LOWER": {"IN": ["current", "former", "new"]}},
             {"TEXT": {"REGEX": "^[A-Z]"}, "OP": "?"}, {"LOWER": {"IN": titles}}],
            [name, tail, comma, {"LOWER": {"IN": _DETERMINERS}}, {"LOWER": {"IN": sorted(self.org_words)}},
             {"LOWER": {"IN": sorted(POSSESSIVES)}}, {"LOWER": {"IN": titles}}])
        add("NAME_THEN_SAID", [name, tail, {"ORTH": ",", "OP": "?"}, {"LOWER": {"IN": sorted(self.said)}}])
        # "recruitment firm Cadogan Reid", "patient watchdog Healthwatch Exmoor"
        org_token = {"TEXT": {"REGEX": r"^(?:[A-Z][\w&'’-]*|&)$"}, "LOWER": {"NOT_IN": sorted(STOP_WORDS)}}
        add("CUE_THEN_ORG", [{"LOWER": {"IN": sorted(self.org_cues)}}, org_token, {**org_token, "OP": "*"}])
        # "director of public health, at Kennet Public Health": the employer after a title
        named = {**org_token, "ENT_TYPE": {"NOT_IN": ["PERSON", "GPE", "LOC", "DATE"]}}
        add("TITLE_AT_ORG", [{"ORTH": ","}, {"LOWER": "at"}, named, {**named, "OP": "+"}])

    # -- the component ------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        doc = self.ruler(doc)
        mentions = self._mentions(doc)
        people, orgs, others = [], [], []
        for m in mentions:
            (people if m.span.label_ == "PERSON" else orgs if m.span.label_ == "ORG" else others).append(m)
        titled = {m.span.start for m in people if m.titled}
        doc._.people = resolve_people([m.span for m in people], titled)
        kept_people = {id(s) for e in doc._.people for s in e.mentions}
        doc._.organisations = self.orgs.resolve([m.span for m in orgs])
        kept_orgs = {id(s) for e in doc._.organisations for s in e.mentions}
        kept = [m.span for m in others] + [m.span for m in mentions if id(m.span) in kept_people | kept_orgs]
        doc.ents = filter_spans(kept)
        doc.user_data.pop(LOWER_WORDS_KEY, None)  # a per-call cache; docs may be serialised later
        return doc

    def _mentions(self, doc: Doc) -> list[_Mention]:
        """Every entity mention, cleaned and labelled by its context; non-names pass through."""
        ents = list(doc.ents)
        ruled = [e for e in ents if e.id_ in _RULED_ORG or e.id_ == "honorific"]
        cued = []
        for match_id, start, end in self.context(doc):
            key = doc.vocab.strings[match_id]
            span = self._cued_span(doc, key, start, end)
            if span is not None and not any(overlaps(span, r) for r in ruled):
                cued.append(_Mention(span, "org_cue" if key in _ORG_CUES else "person_cue"))
        cued_spans = filter_spans([m.span for m in cued])
        cued = [m for m in cued if m.span in cued_spans]
        mentions = list(cued)
        for ent in ents:
            if not any(overlaps(ent, m.span) for m in cued):
                mentions.append(_Mention(ent, ent.id_ if ent in ruled else "model"))
        cleaned = [c for c in (self._clean(m) for m in mentions) if c is not None]
        cleaned = [part for m in cleaned for part in self._split_pair(m)]
        cleaned = [self._with_body(m) for m in cleaned]
        cleaned = self._recover_full_names(doc, cleaned)
        self._relabel_by_coreference(cleaned)
        return cleaned

    def _split_pair(self, m: _Mention) -> list[_Mention]:
        """"Ashvale General Hospital and University Hospitals Kennet Trust" read as one: two
        full names, each ending in its own head noun, joined by "and"."""
        span = m.span
        if span.label_ != "ORG" or m.source == "gazetteer" or span[-1].lower_ not in self.org_heads:
            return [m]
        doc = span.doc
        for i in range(span.start + 2, span.end - 3):
            if doc[i].lower_ == "and" and doc[i - 1].lower_ in self.org_heads and doc[i + 1].is_title:
                return [_Mention(Span(doc, span.start, i, label="ORG"), m.source),
                        _Mention(Span(doc, i + 1, span.end, label="ORG"), m.source)]
        return [m]

    def _with_body(self, m: _Mention) -> _Mention:
        """"the RCP EU committee", "the Kennet RCN branch": a named body inside an
        organisation is an organisation of its own, written with a lower-case noun."""
        span = m.span
        if span.label_ != "ORG":
            return m
        doc, end = span.doc, span.end
        while end < len(doc) and doc[end].is_upper and doc[end].is_alpha and end - span.end < 2:
            end += 1
        if end >= len(doc) or doc[end].lower_ not in self.body_nouns:
            return m
        start = span.start - 1 if span.start > 0 and doc[span.start - 1].ent_type_ == "GPE" else span.start
        return _Mention(Span(doc, start, end + 1, label="ORG"), m.source)

    def _recover_full_names(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """"Ms Sandhu" with no full name found: the model missed it, but the surname is in the
        text after a first name ("... and Manjit Sandhu will"), so take that as the person."""
        full = {span_words(m.span)[-1] for m in mentions if m.span.label_ == "PERSON" and len(m.span) > 1}
        wanted = {m.span.text for m in mentions if m.titled and len(m.span) == 1 and m.span[0].lower_ not in full}
        found = []
        for tok in doc:
            if tok.text in wanted and self._name_word_before(doc, tok.i, any_entity=True) \
                    and doc[tok.i - 2].lower_.rstrip(".") not in self.honorifics:
                span = Span(doc, tok.i - 1, tok.i + 1, label="PERSON")
                if not any(overlaps(span, m.span) and m.source != "model" for m in mentions):
                    found.append(_Mention(span, "model"))
        if not found:
            return mentions
        return found + [m for m in mentions if not any(overlaps(m.span, f.span) for f in found)]

    def _cued_span(self, doc: Doc, key: str, start: int, end: int) -> Span | None:
        if key in {"TITLE_THEN_NAME", "CUE_THEN_ORG"}:
            start += 1
        elif key == "TITLE_AT_ORG":
            start += 2
            if not any(t.lower_ in self.heads for t in doc[max(0, start - 10):start - 2]):
                return None  # ", at" after no job title: a place or an occasion
        else:
            end = start
            while end < len(doc) and (NAME.match(doc[end].text) or doc[end].text in HYPHENS or particle(doc, end)):
                end += 1
        label = "ORG" if key in _ORG_CUES else "PERSON"
        return Span(doc, start, end, label=label) if end > start else None

    # -- cleaning single mentions -------------------------------------------------------
    def _clean(self, m: _Mention) -> _Mention | None:
        label = m.span.label_
        if label not in _NAMELIKE:
            return m
        if m.source in _RULED_ORG or m.source == "org_cue":
            span = extend_conjoined(m.span, self.org_words) if m.source == "shape" else m.span
            span = self._clean_org(span, listed=m.source == "gazetteer")
            return _Mention(span, m.source) if span is not None else None
        if label == "PERSON" or m.source in {"honorific", "person_cue"}:
            return self._clean_person(m)
        if label == "ORG":
            span = None if self._fragment(m.span) else self._clean_org(m.span)
            if span is not None and span[-1].lower_ in self.shape_heads:
                span = extend_conjoined(span, self.org_words)  # "Kennet and" before "Tarnshire NHS Trust's"
            return _Mention(span, m.source) if span is not None else None
        if label in {"LOC", "GPE", "FAC"} and m.span[-1].lower_ in self.place_org_heads:
            span = self._clean_org(m.span)  # "the Kennet Ambulance Service", "Tarn General Hospital" read as places
            return _Mention(span, m.source) if span is not None else None
        return m  # GPE, NORP...: kept as they are, may still turn out to be a short org name

    def _fragment(self, span: Span) -> bool:
        """Capitalised words the model cut out of a longer run, no name of a body: one ending in
        "and" ("Specialist Care and Primary and"), or the tail after such a one ("Community
        Care" after "Primary and", the "and" in the model's previous entity) with no word of a
        body's name in it."""
        doc = span.doc
        if span[-1].lower_ in FUNCTION_WORDS:
            return True
        start = span.start
        return (start >= 2 and doc[start - 1].lower_ == "and" and bool(doc[start - 1].ent_type_)
                and doc[start - 2].is_title and not {t.lower_ for t in span} & self.org_heads)

    def _clean_person(self, m: _Mention) -> _Mention | None:
        doc, start, end = m.span.doc, m.span.start, m.span.end
        titled = False
        while start < end and (doc[start].lower_.rstrip(".") in self.honorifics or doc[start].text == "."):
            titled, start = True, start + 1
        while start < end and (doc[start].lower_ in self.title_words or doc[start].is_stop):
            start += 1  # "Chair Bronwen Tudor" -> "Bronwen Tudor"
        stop = start
        while stop < end and (NAME.match(doc[stop].text) or joins_name(doc, stop) or particle(doc, stop)):
            stop += 1
        end = stop
        if end - start == 0:
            return None
        start, end = extend_hyphenated(doc, start, end)
        if m.source == "model" and end - start == 1 and not titled and self._name_word_before(doc, start):
            start -= 1  # "Precious Mbatha": the model saw only the surname
        words = {t.lower_ for t in doc[start:end]}
        if words & self.org_words:
            span = self._clean_org(Span(doc, start, end, label="ORG"))
            return _Mention(span, "model") if span is not None else None
        if doc[start - 1].lower_ in self.org_cues if start else False:
            return _Mention(Span(doc, start, end, label="ORG"), "org_cue")
        return _Mention(Span(doc, start, end, label="PERSON"), m.source, titled)

    def _name_word_before(self, doc: Doc, i: int, *, any_entity: bool = False) -> bool:
        if i == 0:
            return False
        tok = doc[i - 1]
        return (bool(NAME.match(tok.text)) and tok.lower_ not in self.blockers
                and (any_entity or tok.ent_type_ in {"", "PERSON"}))

    def _clean_org(self, span: Span, *, listed: bool = False) -> Span | None:
        doc = span.doc
        start, end = span.start, span.end
        while start < end and (doc[start].lower_ in STOP_WORDS or doc[start].like_num) and not doc[start].is_upper:
            start += 1  # "the", "One ICB"
        while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
            end -= 1
        if not self._nhs_trust_suffix(doc, end):
            cut = next((i for i in range(start + 1, end) if doc[i].is_lower and doc[i].is_alpha
                        and doc[i].lower_ not in FUNCTION_WORDS), end)
            end = cut  # "Local authority leaders": a name stops at its first lower-case word
        if end - start == 0:
            return None
        span = Span(doc, start, end, label="ORG")
        if not listed:
            span = self._without_leading_title(span)
            if span is None or self._not_an_organisation(span):
                return None
        lower = span.text.lower()
        if lower in self.not_orgs or not any(c.isupper() for c in span.text):
            return None
        titles = self.title_words | self.interim_words | FUNCTION_WORDS
        if lower in self.title_words or all(t.lower_ in titles or t.is_punct for t in span):
            return None  # "Chief Executive" or "Non-Executive" tagged as ORG
        if len(span) == 1 and not listed and not self._single_word_org(span[0]):
            return None
        if len(span) == 1 and not listed and span.start > 0 and doc[span.start - 1].lower_ in {"a", "an"}:
            return None  # "a Caledonian trust": a name takes no indefinite article
        return span

    @staticmethod
    def _nhs_trust_suffix(doc: Doc, end: int) -> bool:
        """"Kennet upon Tarn hospitals NHS foundation trust": a name some writers give its type in
        lower case keeps it when it ends as trusts' legal names do."""
        words = [t.text for t in doc[max(0, end - 3):end]]
        return words[-1:] == ["trust"] and ("NHS" in words[-3:-1])

    def _without_leading_title(self, span: Span) -> Span | None:
        """"Chief Executive of Kennet Vale NHS Trust" tagged whole: the organisation is what
        follows the title; "Chair, Jo Kay" is a title and a name, no organisation."""
        doc = span.doc
        i = span.start
        while i < span.end and (doc[i].lower_ in self.title_words | self.interim_words or doc[i].text in HYPHENS):
            i += 1
        if i == span.start or i == span.end:
            return span
        if doc[i].lower_ in {"of", "for", "at"} and i + 1 < span.end:
            return Span(doc, i + 1, span.end, label="ORG")
        return None if doc[i].text == "," else span

    def _not_an_organisation(self, span: Span) -> bool:
        """Capitalised words that name no body: the function in a capitalised job title
        ("Director of Operations", "Secretary of State for Health"), a programme or a toolkit,
        a shouted word ("THE DIFFICULTY"), a generic plural ("Community Diagnostic Centres")."""
        doc = span.doc
        words = [t for t in span if t.is_alpha]
        if not words:
            return True
        last = words[-1].lower_
        if last in self.not_org_heads:
            return True
        if len(span) == 1 and span[0].is_upper and len(span[0]) > 6 and span[0].lower_ not in self.aliases:
            return True
        before = [t for t in doc[max(span.sent.start, span.start - 4):span.start]]
        if before and before[-1].lower_ in {"of", "for", "("} and last not in self.org_heads and any(
                (t.is_title or before[-1].text == "(") and t.lower_ in self.heads for t in before[:-1]):
            return True
        return last in self.generic_plurals and len(words) > 1

    def _single_word_org(self, tok: Token) -> bool:
        """One capitalised word is an organisation's name unless the article shows it is an
        ordinary word ("Taskforce" after "the taskforce") or an abbreviation of one."""
        text, words = tok.text, lower_words(tok.doc)
        if text.isupper():
            return text.lower() in self.aliases or text.lower() in self.type_acronyms or not abbreviates(words, text)
        if text.lower() in words.words:
            return False
        return not (tok.is_sent_start and tok.pos_ != "PROPN")

    # -- labels settled by the rest of the article -----------------------------------------
    def _relabel_by_coreference(self, mentions: list[_Mention]) -> None:
        """"Kennet Vale" is an organisation where "Kennet Vale Hospitals NHS Trust" is named;
        "Helen" or "Tom Ashcroft" is a person where "Helen Marchetti" or "Mr Ashcroft" is."""
        full_orgs = [span_words(m.span) for m in mentions if m.span.label_ == "ORG" and len(m.span) > 1
                     and (m.source in {"gazetteer", "shape", "org_cue"} or span_words(m.span)[-1] in self.org_words)]
        people = [span_words(m.span) for m in mentions if m.span.label_ == "PERSON" and len(m.span) > 1]
        surnames = {span_words(m.span)[-1] for m in mentions
                    if m.span.label_ == "PERSON" and (m.titled or len(m.span) == 1)}  # "Ms Kay", "Kay said"
        for m in mentions:
            if m.source not in {"model", "person_cue"} or m.titled or m.span.label_ not in _NAMELIKE:
                continue
            words = span_words(m.span)
            if m.span.label_ != "ORG" and any(o[:len(words)] == words and o != words for o in full_orgs):
                m.span = Span(m.span.doc, m.span.start, m.span.end, label="ORG")
            elif m.span.label_ == "ORG" and self._name_shaped(m.span) and (
                    words[-1] in surnames or any(part_of(words, p) for p in people)):
                m.span = Span(m.span.doc, m.span.start, m.span.end, label="PERSON")

    def _name_shaped(self, span: Span) -> bool:
        return all(NAME.match(t.text) or t.text in HYPHENS for t in span) and not (
            {t.lower_ for t in span} & self.org_words)
