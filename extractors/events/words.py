"""The vocabulary events are read with, loaded once from data files named in the component
config: guards and grammatical word classes (event_guards.csv) and title words (titles.csv)."""

from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import honorifics, read_csv, title_terms


@dataclass(frozen=True)
class EventWords:
    hypothetical: frozenset[str]  # "if", "whether": the clause is not a fact
    condition: frozenset[str]  # "if", "unless" anywhere before the cue in its sentence
    modals: frozenset[str]
    not_a_post: frozenset[str]  # patients' appointments, bookings
    past: frozenset[str]  # "previously", "once": career history
    former: frozenset[str]  # "former", "ex": a post no longer held
    org_nouns: frozenset[str]  # "firm", "headhunters": an appointee that is an organisation
    role_nouns: frozenset[str]  # "role", "post": a post named elsewhere
    role_links: frozenset[str]  # "successor": a person standing for a post
    indefinite: frozenset[str]  # "a post", "any role": no post in particular
    workplaces: frozenset[str]  # what one leaves when leaving a job
    ranks: frozenset[str]  # "deputy chief executive" is another post than "chief executive"
    relatives: frozenset[str]
    groups: frozenset[str]  # "X and Y are among those who resigned": a group the subject belongs to
    pronouns: frozenset[str]  # personal pronouns that stand for a person named earlier
    interim_phrases: frozenset[str]  # "on an interim basis"
    election: frozenset[str]  # a campaign for office is not a recruitment
    deliberation: frozenset[str]  # "is considering replacing": nothing has happened
    recruitment: frozenset[str]  # a failed round needs one of these (or a title) in its clause
    seek: frozenset[str]  # "a search for a successor": a successor being looked for
    recruiters: frozenset[str]  # "search firm X": a body hired to recruit, never the post's own
    current: frozenset[str]  # "X, currently deputy chair, will become chair": the post being left
    every: frozenset[str]  # "re-advertised all posts": a restructure, not a round that failed
    generic_titles: frozenset[str]  # "looking for a visionary leader": the kind of person, not the post
    stays: frozenset[str]  # "seconded two days a week and will remain dean": the old post is kept
    new_post: frozenset[str]  # "needs a permanent chief executive": a post nobody holds yet
    heads: frozenset[str]  # title head nouns
    vague: frozenset[str]  # "boss", "chief": an informal title a formal one may later name
    clinical: frozenset[str]  # "consultant", "GP": a clinical post whose vacancies are written in the plural
    modifiers: frozenset[str]  # words a bare title may keep before its head
    interim: frozenset[str]
    honorifics: frozenset[str]  # "Professor" before a name is how one addresses them, not the post moved
    stops: frozenset[str]


def load_words(guards: str) -> EventWords:
    kinds: dict[str, set[str]] = {}
    for row in read_csv(guards):
        kinds.setdefault(row["kind"], set()).add(row["word"].lower())

    def kind(name: str) -> frozenset[str]:
        return frozenset(kinds.get(name, ()))

    heads = title_terms("head")
    return EventWords(
        hypothetical=kind("hypothetical"), condition=kind("condition"), modals=kind("modal"),
        not_a_post=kind("not_a_post"), past=kind("past"), former=kind("former"), org_nouns=kind("org_noun"),
        role_nouns=kind("role_noun"), role_links=kind("role_link"), indefinite=kind("indefinite"),
        workplaces=kind("workplace"), ranks=kind("rank"), relatives=kind("relative"), groups=kind("group"), pronouns=kind("pronoun"),
        interim_phrases=kind("interim_phrase"), election=kind("election"), deliberation=kind("deliberation"),
        recruitment=kind("recruitment"), seek=kind("seek"), new_post=kind("new_post"), stays=kind("stays"), generic_titles=kind("generic_title"), every=kind("every"), current=kind("current"), recruiters=kind("recruiter"), heads=heads, clinical=title_terms("clinical"), vague=title_terms("vague"), modifiers=title_terms("modifier") | heads,
        interim=title_terms("interim"), honorifics=honorifics(), stops=title_terms("stop"))
