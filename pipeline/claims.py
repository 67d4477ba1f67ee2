"""Numeric claims: the numbers a parsed Doc asserts as facts, as rows of the ``numeric_claims`` table.

Where the numbers come from: the model's CARDINAL/QUANTITY/MONEY/PERCENT entities, plus numbers
the model leaves untagged ("a dozen", "two thirds", "£1bn", "EUR 40"), found with a spaCy
``Matcher``. Each is widened to its qualifier, currency and unit words, split when it holds two
claims ("fell by 135,000 to 4.0 million") or read as a range ("between 20 and 30"), and dropped
when it is not a claim: dates and years, numbers inside names, quoted set phrases, codes and
designators ("Route 66", "the 12345 hotline"), list markers, age bands and the pronoun "one".

What a number counts or measures (``object``) comes from the dependency parse: the noun it
modifies ("84 million new employment groups"), the noun of its "of" complement ("30 percent of
voters"), or, for a rate, level or change, the subject or object of the verb it completes ("the
unemployment rate fell to 3.5 percent"). A unit is never the object: units, currencies and measure
nouns only size the noun they belong to ("copper production rose to 820,670 metric tons", "a lead of
58 points", "a three-point lead"). Word lists are data in ``resources/claims.yaml`` and
``resources/currencies.tsv``; physical units are normalised with pint.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
import pint
import yaml
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from .scan import columns, entities_of
from .sentences import WORD_COLUMNS, SentenceIndex

RESOURCES = Path(__file__).parent / "resources"
CLAIM_LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
NAME_LABELS = ("PERSON", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
TIME_LABELS = frozenset({"DATE", "TIME"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019`")
DASHES = frozenset({"-", "\u2013", "\u2014"})
RATIO_UNITS = frozenset({"percent", "percentage point", "basis point"})
_DIGITS = re.compile(r"(?P<sign>[-+\u2212]?)(?P<currency>[^\W\d_]{0,3}[^\w\s,.])?"
                     r"(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)(?P<abbr>[a-z]*)", re.IGNORECASE)
_GLUED_PERCENT_RANGE = re.compile(r"(?P<low>\d[\d,]*(?:\.\d+)?)%[-\u2013](?P<high>\d[\d,]*(?:\.\d+)?)")
_NOUNS = ("NOUN", "PROPN")
# Names of single things, never counted in the singular ('46.4 million iPhones' counts products).
_ONE_OF_A_KIND = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
_NOMINAL_DEPS = ("dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``resources/claims.yaml`` and ``resources/currencies.tsv``, ready to look up."""

    words: dict[str, float]
    small_multipliers: dict[str, float]
    large_multipliers: dict[str, float]
    abbreviations: dict[str, float]
    fractions: dict[str, int]
    ratio_units: dict[tuple[str, ...], str]
    word_units: dict[tuple[str, ...], str]
    glued_units: dict[str, str]
    qualifiers_before: dict[tuple[str, ...], str]
    qualifiers_after: dict[tuple[str, ...], str]
    idioms: frozenset[tuple[str, ...]]
    currency_signs: dict[str, str]
    currency_names: dict[tuple[str, ...], str]
    lists: dict[str, frozenset[str]]

    @property
    def currency_units(self) -> frozenset[str]:
        return frozenset(self.currency_signs.values()) | frozenset(self.currency_names.values())

    def __getitem__(self, name: str) -> frozenset[str]:
        """A plain word list by its YAML path: ``lex["object.measure_verbs"]``."""
        return self.lists[name]

    def is_unit_word(self, token: Token) -> bool:
        """'percent', '%', 'yuan': the unit of another quantity, never what one measures."""
        word = (token.lower_,)
        return word in self.ratio_units or word in self.word_units or word in self.currency_names \
            or token.lower_ in self.currency_signs

    def is_number_word(self, word: str) -> bool:
        return word in self.words or word in self.small_multipliers or word in self.large_multipliers

    def phrase_at(self, doc: Doc, i: int, table: dict[tuple[str, ...], str]) -> tuple[str, int] | None:
        """The longest phrase of ``table`` starting at token ``i``, as (its value, its length)."""
        words = tuple(doc[k].lower_ for k in range(i, min(i + 4, len(doc))))  # no Span: this runs for every number
        for n in range(len(words), 0, -1):
            if words[:n] in table:
                return table[words[:n]], n
        return None

    def phrase_before(self, doc: Doc, i: int, table: dict[tuple[str, ...], str]) -> tuple[str, int] | None:
        """The longest phrase of ``table`` ending right before token ``i``, as (its value, its length)."""
        words = tuple(doc[k].lower_ for k in range(max(i - 4, 0), min(i, len(doc))))
        for n in range(len(words), 0, -1):
            if words[-n:] in table:
                return table[words[-n:]], n
        return None


def _phrases(mapping: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {tuple(str(k).split()): v for k, v in mapping.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The claim word lists, loaded once per process."""
    data = yaml.load((RESOURCES / "claims.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    numbers = data["numbers"]
    signs: dict[str, str] = {}
    names: dict[tuple[str, ...], str] = {}
    with (RESOURCES / "currencies.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            for sign in row["signs"].split():
                signs.setdefault(sign.lower(), row["unit"])
            for name in filter(None, row["names"].split("|")):
                names.setdefault(tuple(name.split()), row["unit"])
    lists = {f"{section}.{key}": frozenset(value) for section in ("change", "object", "attribution", "rejects")
             for key, value in data[section].items()}
    return Lexicon(
        words={k: float(v) for k, v in numbers["words"].items()},
        small_multipliers={k: float(v) for k, v in numbers["small_multipliers"].items()},
        large_multipliers={k: float(v) for k, v in numbers["large_multipliers"].items()},
        abbreviations={k: float(v) for k, v in numbers["abbreviations"].items()},
        fractions=dict(numbers["fractions"]),
        ratio_units=_phrases(data["ratio_units"]),
        word_units=_phrases(data["word_units"]),
        glued_units=dict(data["glued_units"]),
        qualifiers_before=_phrases(data["qualifiers_before"]),
        qualifiers_after=_phrases(data["qualifiers_after"]),
        idioms=frozenset(tuple(phrase.split()) for phrase in data["idioms"]),
        currency_signs=signs,
        currency_names=names,
        lists=lists,
    )


# --- units ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()


@lru_cache(maxsize=4096)  # pint parses slowly, and news repeats its units
def normalise_unit(words: str) -> str | None:
    """A physical unit in pint's names, spelled out: 'sq m' -> 'square meter', 'km/h' -> 'kilometer per hour'."""
    ureg = unit_registry()
    text = re.sub(r"\s+", " ", words.replace("-", " ")).strip()
    if re.fullmatch(r"[^\W\d_]+", text):
        name = _unit_name(text)
        return _unit_words(ureg.parse_units(name)) if name else None
    for candidate in (text.replace(" ", "_"), text):
        try:
            units = ureg.parse_expression(candidate).units
        except Exception:  # pint raises many kinds (undefined, syntax, dimensionality) on free text
            continue
        if units.dimensionless:
            continue
        return _unit_words(units)
    return None


def _unit_name(word: str) -> str | None:
    """Pint's name for one unit word, unless pint only gets there by reading symbols into an ordinary
    word ('units' as micro-nit, 'bus' as bushels): symbols count only as short symbols ('km', 'GW')."""
    try:
        readings = unit_registry().parse_unit_name(word)
    except Exception:  # pint rejects some strings outright
        return None
    for prefix, unit, suffix in readings:
        name = prefix + unit
        symbol_plural = suffix and word[: -len(suffix)] == unit_registry().get_symbol(name)  # 'bus' as 'bu' + 's'
        if (not prefix or word.lower().startswith(prefix) or len(word) <= 3) and not symbol_plural:
            return None if unit_registry().parse_units(name).dimensionless else name
    return None


def _unit_words(units: pint.Unit) -> str:
    parts = {True: [], False: []}
    for name, power in units._units.items():
        parts[power > 0].append({2: "square ", 3: "cubic "}.get(abs(power), "") + name.replace("_", " "))
    return " per ".join([" ".join(parts[True])] + parts[False]) if parts[True] else " per ".join(parts[False])


# --- number tokens and their values --------------------------------------------------------------

def digit_parts(text: str, lex: Lexicon) -> re.Match | None:
    """Digits with an optional sign, a currency sign glued in front and a scale or unit symbol glued
    behind ('HK$2.5bn', '44C')."""
    m = _DIGITS.fullmatch(text)
    if m is None and text.endswith("."):  # the tokenizer leaves '31C.' whole at the end of a sentence
        m = _DIGITS.fullmatch(text[:-1])
        m = m if m is not None and m["abbr"] else None
    if m is None:
        return None
    if m["currency"] and m["currency"].lower() not in lex.currency_signs:
        return None
    if m["abbr"] and m["abbr"].lower() not in lex.abbreviations and m["abbr"].lower() not in lex.glued_units:
        return None
    return m


def is_number_token(token: Token, lex: Lexicon) -> bool:
    """Digits or a number word; a fraction word only where it is one ('a third of', 'two thirds', 'half of')."""
    word = token.lower_
    if digit_parts(token.text, lex) or lex.is_number_word(word):
        return True
    if word not in lex.fractions:
        return False
    doc = token.doc
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    after = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    if before in DASHES or lex.is_number_word(before):
        return True
    if before in ("a", "an"):  # 'a third of', 'grew by a tenth', but 'a third consecutive term' is an ordinal
        return after in ("of", "") or not doc[token.i + 1].is_alpha or _sizes_a_change(doc, token.i - 1, lex)
    determiner = token.i > 0 and doc[token.i - 1].dep_ != "mark" and before in (
        "the", "this", "that", "first", "second", "last", "next", "other")  # 'the second half of the year'
    alone = _sizes_a_change(doc, token.i, lex) and not (after in (*DASHES, "a", "an") or token.i + 1 < len(doc)
                                                        and doc[token.i + 1].pos_ in _NOUNS)
    return word in ("half", "halves") and (after in ("of", "the", "all", "its", "their") or alone) and not determiner


def _sizes_a_change(doc: Doc, i: int, lex: Lexicon) -> bool:
    """'fell by (about) ...', 'more than ...', 'nearly ...': the words before token ``i`` size an amount."""
    if i > 0 and doc[i - 1].lower_ == "by":
        return True
    if (found := lex.phrase_before(doc, i, lex.qualifiers_before)) is None:
        return False
    return i - found[1] > 0 and doc[i - found[1] - 1].lower_ == "by" or found[1] > 1


def number_value(words: Sequence[str], lex: Lexicon) -> float | None:
    """The value of one number in digits and/or words ('1.35 million', 'two hundred and five', 'a dozen',
    'two thirds', '2.5bn', '-12,000', '30 lakh crore'); None when it has no definite value ('hundreds')."""
    total, current, group, seen = 0.0, None, 0.0, False
    for word in words:
        word = word.rstrip(".") if len(word) > 1 else word
        if word in ("a", "an") or word in DASHES:
            current = 1.0 if current is None and word in ("a", "an") else current
            continue
        if word == "and":
            total, current, group = total + (current or 0.0), None, 0.0
            continue
        if m := digit_parts(word, lex):
            number = float(m["num"].replace(",", ""))
            current = (current or 0.0) + (-number if m["sign"] in ("-", "\u2212") else number)
            if m["abbr"].lower() in lex.abbreviations:
                group = current * lex.abbreviations[m["abbr"].lower()]
                total, current = total + group, None
        elif word in lex.words:
            current = (current or 0.0) + lex.words[word]
        elif word in lex.small_multipliers:
            current = (1.0 if current is None else current) * lex.small_multipliers[word]
        elif word in lex.large_multipliers or (seen and word in lex.abbreviations):
            scale = lex.large_multipliers.get(word) or lex.abbreviations[word]
            if current is None and group:  # 'lakh crore', 'thousand million': scales multiply
                total, group = total - group + group * scale, group * scale
            else:
                group = (1.0 if current is None else current) * scale
                total, current = total + group, None
        elif word in lex.fractions:
            current = (1.0 if current is None else current) / lex.fractions[word]
        else:
            return None
        seen = True
    return float(f"{total + (current or 0.0):.12g}") if seen else None


# --- quantities: the claim's own words -----------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """One claim's own words, tokens [start, end) of the Doc, and what they say."""

    start: int
    end: int
    value: float
    value_high: float | None
    qualifier: str
    unit: str | None
    number_start: int
    number_end: int
    ratio: bool = False


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """The words that write a number or a part of one ('seven', 'dozen', 'million', 'thirds')."""
    lex = lexicon()
    return frozenset(lex.words) | frozenset(lex.small_multipliers) | frozenset(lex.large_multipliers) \
        | frozenset(lex.fractions)


@lru_cache(maxsize=1)
def number_token_pattern() -> re.Pattern:
    """What the lowercase form of one token of a number run looks like: digits, or a number word."""
    words = sorted(number_words())
    return re.compile(r"^(?:[-+\u2212]?\D{0,4}\d[\d,.]*[a-z]*|" + "|".join(map(re.escape, words)) + ")$")


@lru_cache(maxsize=4)
def number_matcher(vocab: Vocab) -> Matcher:
    """Runs of number tokens ('two hundred', 'a dozen', '1.2bn', 'twenty-five'), for numbers the model missed."""
    token = {"LOWER": {"REGEX": number_token_pattern().pattern}}
    matcher = Matcher(vocab)
    matcher.add("NUMBER", [
        [{"LOWER": {"IN": ["a", "an"]}, "OP": "?"}, {**token, "OP": "+"}],
        [{**token, "OP": "+"}, {"ORTH": {"IN": sorted(DASHES)}}, {**token, "OP": "+"}],
    ])
    return matcher


def candidates(doc: Doc, ents: Sequence[Span], labels: Collection[str], lex: Lexicon) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) of the model's entities (``ents``, the Doc's) with a claim label and of the
    number runs the Matcher finds outside them (label CARDINAL); two joined by 'to', 'and', 'or' or a
    dash come as one span."""
    spans = [(ent.start, ent.end, ent.label_) for ent in ents if ent.label_ in labels]
    # DATE and ORDINAL entities may hide counts the model mislabelled ('three quarters of', '£30bn');
    # the Matcher's runs inside them are checked like any other.
    covered = {i for ent in ents if ent.label_ not in TIME_LABELS | {"ORDINAL"} for i in range(ent.start, ent.end)}
    matcher = number_matcher(doc.vocab)
    runs = filter_spans([run for window in number_windows(doc) for run in matcher(window, as_spans=True)])
    spans += [(run.start, run.end, "CARDINAL") for run in runs if covered.isdisjoint(range(run.start, run.end))]
    merged: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if merged and start - merged[-1][1] == 1 and doc[start - 1].lower_ in ("to", "and", "or", "in", *DASHES):
            merged[-1] = (merged[-1][0], end, merged[-1][2])
        else:
            merged.append((start, end, label))
    yield from merged


def number_windows(doc: Doc) -> list[Span]:
    """The stretches of ``doc`` where :func:`number_matcher` can match, in text order.

    Its rules match only number tokens, an article before them and a dash between them, so a match
    lies inside a run of such tokens that holds a number token. The Matcher tries its token regex at
    every token it is given, which costs more than the rest of the claim rules together; here each
    distinct word of the Doc that is not alphabetic is tried once, and an alphabetic one is looked
    up by its hash (it can only be a number word or an article).
    """
    lowers, alphabetic = columns(doc, WORD_COLUMNS).T  # read once per Doc for these rules and the date rules
    words, pattern, strings = number_words(), number_token_pattern(), doc.vocab.strings
    kinds = _alphabetic_run_kinds() | {h: _run_token_kind(strings[h], words, pattern)
                                       for h in numpy.unique(lowers[alphabetic == 0]).tolist()}
    # The tokens are then marked by array: a Python loop over them cost more than the tests above.
    is_number, is_joint = (numpy.isin(lowers, numpy.array([h for h, kind in kinds.items() if kind == wanted],
                                                          dtype=numpy.uint64)) for wanted in ("number", "joint"))
    in_run = is_number | is_joint
    starts, ends = numpy.flatnonzero(numpy.diff(in_run.astype(numpy.int8), prepend=0, append=0)).reshape(-1, 2).T
    if not len(starts):
        return []
    # from one run's start to the next only the run's own tokens can be number tokens
    numbered = numpy.logical_or.reduceat(is_number, starts).tolist()
    return [doc[start:end] for start, end, keep in zip(starts.tolist(), ends.tolist(), numbered) if keep]


def _run_token_kind(word: str, words: frozenset[str], pattern: re.Pattern) -> str | None:
    """'number' if the token regex of :func:`number_matcher` takes ``word``, 'joint' for the article
    and dashes its rules put around numbers, else None."""
    # An alphabetic word other than a number word has no digit, so the regex need not be tried.
    if (not word.isalpha() or word in words) and pattern.search(word):
        return "number"
    return "joint" if word in _RUN_JOINTS else None


_RUN_JOINTS = frozenset({"a", "an", *DASHES})


@lru_cache(maxsize=1)
def _alphabetic_run_kinds() -> dict[int, str]:
    """:func:`_run_token_kind` of the alphabetic words it does not reject, by the hash of the word."""
    words, pattern = number_words(), number_token_pattern()
    return {get_string_id(word): kind for word in sorted(words | _RUN_JOINTS)
            if word.isalpha() and (kind := _run_token_kind(word, words, pattern))}


def number_groups(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Token runs in [start, end) that each write one number ('two hundred and five', '£400m', 'a third')."""
    groups = []
    i = start
    while i < end:
        if not (is_number_token(doc[i], lex) or _article_number(doc, i, end, lex)):
            i += 1
            continue
        j = i + 1
        while j < len(doc):
            t, prev = doc[j], doc[j - 1]
            if t.lower_.rstrip(".") in lex.abbreviations and digit_parts(prev.text, lex) and not prev.whitespace_:
                j += 1
            elif t.lower_ in lex.large_multipliers and (is_number_token(prev, lex) or prev.lower_ in ("a", "an")):
                j += 1  # the model's entity may stop short of its scale words: 'about 30' + 'lakh crore'
            elif j >= end:
                break
            elif is_number_token(t, lex) and not (digit_parts(t.text, lex) and digit_parts(prev.text, lex)):
                j += 1
            elif (t.text in DASHES or t.lower_ == "and" and _and_continues(doc, j, lex)) and prev.is_alpha \
                    and j + 1 < end and ((doc[j + 1].is_alpha and is_number_token(doc[j + 1], lex))
                                         or _article_number(doc, j + 1, end, lex)):
                j += 1
            else:
                break
        groups.append((i, j))
        i = j
    return groups


def _and_continues(doc: Doc, i: int, lex: Lexicon) -> bool:
    """'two hundred and five', 'one and a half': 'and' goes on writing one number after a scale word or
    before a fraction; 'three and two seats' are two numbers, never their sum."""
    before = doc[i - 1].lower_
    return before in lex.small_multipliers or before in lex.large_multipliers or (
        i + 2 < len(doc) and doc[i + 1].lower_ in ("a", "an") and doc[i + 2].lower_ in lex.fractions)


def _article_number(doc: Doc, i: int, end: int, lex: Lexicon) -> bool:
    """'a dozen', 'a third', 'a million': the article stands for one."""
    if doc[i].lower_ not in ("a", "an") or i + 1 >= end:
        return False
    nxt = doc[i + 1].lower_
    return nxt in lex.small_multipliers or nxt in lex.large_multipliers or nxt in lex.fractions


def quantities(doc: Doc, start: int, end: int, label: str, lex: Lexicon) -> Iterator[Quantity]:
    """The claims in one candidate span: one number, a range ('20 to 30', '4.25%-4.50%'), or two ('from
    3.6% to 3.5%')."""
    if glued := _glued_percent_range(doc, start, end, lex):
        yield glued
        return
    groups = number_groups(doc, start, end, lex)
    i = 0
    while i < len(groups):
        nxt = groups[i + 1] if i + 1 < len(groups) else None
        if nxt is not None and _is_ratio(doc, groups[i], nxt, lex):
            yield from _quantity(doc, groups[i], nxt, label, end, lex, ratio=True)
            i += 2
        elif nxt is not None and _is_range(doc, groups[i], nxt, lex):
            yield from _quantity(doc, groups[i], nxt, label, end, lex)
            i += 2
        else:
            yield from _quantity(doc, groups[i], None, label, end if nxt is None else nxt[0], lex)
            i += 1


def _glued_percent_range(doc: Doc, start: int, end: int, lex: Lexicon) -> Quantity | None:
    """'4.25%-4.50%', which the tokenizer leaves as '4.25%-4.50' and '%': one range in percent."""
    m = _GLUED_PERCENT_RANGE.fullmatch(doc[start].text)
    if m is None or end - start != 2 or doc[start + 1].text != "%":
        return None
    low, high = (float(m[k].replace(",", "")) for k in ("low", "high"))
    if high <= low:
        return None
    qualifier, begin = "exact", start
    if found := lex.phrase_before(doc, start, lex.qualifiers_before):
        qualifier, begin = found[0], start - found[1]
    return Quantity(begin, end, low, high, qualifier, "percent", start, end)


def _is_ratio(doc: Doc, first: tuple[int, int], second: tuple[int, int], lex: Lexicon) -> bool:
    """'one in five adults', '1 in 10': a share written as a count in a larger count (not '2 in 3 days')."""
    if second[0] - first[1] != 1 or doc[first[1]].lower_ != "in":
        return False
    low = number_value([t.lower_ for t in doc[first[0]:first[1]]], lex)
    high = number_value([t.lower_ for t in doc[second[0]:second[1]]], lex)
    after = doc[second[1]] if second[1] < len(doc) else None
    year = second[1] - second[0] == 1 and len(doc[second[0]].text) == 4 and doc[second[0]].is_digit
    return low is not None and high is not None and 0 < low < high and not year and not (
        after is not None and (after.lemma_.lower() in lex["rejects.time_nouns"] or lex.is_unit_word(after)))


def _is_range(doc: Doc, first: tuple[int, int], second: tuple[int, int], lex: Lexicon) -> bool:
    """'20 to 30', 'between 20 and 30', 'ranging from $2 to $5', 'grew by 2 to 3 percent' are ranges;
    'fell by 4,000 to 96,000', 'from 3.6% to 3.5%' and '69 to 30' (a vote, a score) are two numbers."""
    i, between = first[1], []
    unit = lex.phrase_at(doc, i, lex.ratio_units) or lex.phrase_at(doc, i, lex.word_units) \
        or lex.phrase_at(doc, i, lex.currency_names)
    if unit:  # '5% to 6%' repeats the unit; '4.9 percent to 5.74 trillion yuan' are two numbers
        i += unit[1]
        after = lex.phrase_at(doc, second[1], lex.ratio_units) or lex.phrase_at(doc, second[1], lex.word_units) \
            or lex.phrase_at(doc, second[1], lex.currency_names)
        if after is None or after[0] != unit[0]:
            return False
    between = [t.lower_ for t in doc[i:second[0]]]
    if between and between[-1] in lex.currency_signs:
        between.pop()
    before = _index_before(doc, first[0], lex)
    opener = doc[before].lower_ if before >= 0 else ""
    if between == ["and"]:
        return opener == "between"
    if between not in (["to"], ["-"], ["\u2013"], ["or"]):
        return False
    if between != ["to"] and _is_score(doc, first[1] - 1, second[0], lex):
        return False
    low = number_value([t.lower_ for t in doc[first[0]:first[1]]], lex)
    high = number_value([t.lower_ for t in doc[second[0]:second[1]]], lex)
    if low is None or high is None or high <= low:
        return False
    if opener == "from":
        return before > 0 and doc[before - 1].lemma_.lower() in ("range", "vary")
    if opener == "by" and doc[first[1]].lower_ != "to":
        return False
    # 'fell by a record 861,237 to 121.56 million': ends this far apart are a change and a level
    return high < 10 * _shared_scale(low, high, doc[first[0]:first[1]], doc[second[0]:second[1]], lex)


def _index_before(doc: Doc, i: int, lex: Lexicon) -> int:
    """Index of the word before a number past its currency sign and qualifier ('from more than $3m' -> 'from')."""
    while i > 0 and doc[i - 1].lower_ in lex.currency_signs:
        i -= 1
    if found := lex.phrase_before(doc, i, lex.qualifiers_before):
        i -= found[1]
    return i - 1


def _word_before(doc: Doc, i: int, lex: Lexicon) -> str:
    before = _index_before(doc, i, lex)
    return doc[before].lower_ if before >= 0 else ""


def _quantity(doc: Doc, first: tuple[int, int], second: tuple[int, int] | None, label: str, limit: int,
              lex: Lexicon, *, ratio: bool = False) -> Iterator[Quantity]:
    """One quantity from a number, from a range (``second`` is its upper end) or from a ``ratio``
    ('one in five' is 0.2)."""
    value = number_value([t.lower_ for t in doc[first[0]:first[1]]], lex)
    if value is None:
        return
    high = None
    if ratio:
        value = float(f"{value / number_value([t.lower_ for t in doc[second[0]:second[1]]], lex):.12g}")
    elif second is not None:
        high = number_value([t.lower_ for t in doc[second[0]:second[1]]], lex)
        value = float(f"{_shared_scale(value, high, doc[first[0]:first[1]], doc[second[0]:second[1]], lex):.12g}")
    number_start, number_end = first[0], (second or first)[1]
    if number_start > 0 and _article_number(doc, number_start - 1, number_end, lex):
        number_start -= 1
    start, end = number_start, number_end
    unit = None
    # a QUANTITY's words are a physical unit first: '3 pounds' weighs, '£3' and '3 pounds sterling' pay
    physical = normalise_unit(doc[end:limit].text) if label == "QUANTITY" and limit > end else None
    if found := lex.phrase_at(doc, end, lex.ratio_units) or lex.phrase_at(doc, end, lex.word_units):
        unit, end = found[0], end + found[1]
    elif physical:
        unit, end = physical, limit
    elif found := lex.phrase_at(doc, end, lex.currency_names):
        unit, end = found[0], end + found[1]
    elif (noun := _unit_noun(doc, end, lex)) is not None and (unit := normalise_unit(doc[end:noun + 1].text)):
        end = noun + 1  # '36.8 billion tonnes', '41,200 metric tons'; not '300 bus routes'
    elif label == "MONEY" and limit > end and all(t.is_alpha for t in doc[end:limit]) and doc[limit - 1].pos_ in _NOUNS:
        unit, end = " ".join(t.lemma_.lower() for t in doc[end:limit]), limit  # a currency not in currencies.tsv
    glued = digit_parts(doc[number_start].text, lex)
    if glued and glued["currency"]:
        unit = lex.currency_signs[glued["currency"].lower()]
    elif start > 0 and doc[start - 1].lower_ in lex.currency_signs:
        unit, start = lex.currency_signs[doc[start - 1].lower_], start - 1
    elif unit is None and (symbol := digit_parts(doc[number_end - 1].text, lex)) \
            and symbol["abbr"].lower() in lex.glued_units:
        unit = lex.glued_units[symbol["abbr"].lower()]
    qualifier = "exact"
    if (found := lex.phrase_before(doc, start, lex.qualifiers_before)) and not _compares(doc, start - found[1], lex):
        qualifier, start = found[0], start - found[1]
    elif high is not None and start > 0 and doc[start - 1].lower_ == "between":
        start -= 1
    elif found := lex.phrase_at(doc, end, lex.qualifiers_after):
        qualifier = found[0]
    if unit is not None and unit not in RATIO_UNITS and (per := _per_unit(doc, end)):
        unit = f"{unit} per {per}"
    yield Quantity(start, end, value, high, qualifier, unit, number_start, number_end, ratio)


def _unit_noun(doc: Doc, i: int, lex: Lexicon) -> int | None:
    """The index of the noun that heads the words at ``i`` ('tonnes', 'metric tons'), if it is not itself
    a modifier of another noun ('300 bus routes') nor a time span or a word that is no unit in news."""
    for k in range(i, min(i + 2, len(doc))):
        token = doc[k]
        if token.pos_ == "NOUN" and token.dep_ not in ("compound", "amod", "nmod"):
            return k if token.lemma_.lower() not in lex["rejects.time_nouns"] | lex["rejects.not_units"] else None
        if token.dep_ not in ("amod", "compound") or token.head.i != k + 1:
            return None
    return None


def _compares(doc: Doc, i: int, lex: Lexicon) -> bool:
    """'12 more than 40', '3% above 2.5%', '4 points above 60%': a qualifier right after another
    quantity compares the two; the number after it is exact."""
    if i == 0:
        return False
    before = doc[i - 1]
    if before.lemma_.lower() in lex["object.measure_nouns"] and i > 1:
        before = doc[i - 2]
    return before.like_num or bool(digit_parts(before.text, lex)) or lex.is_unit_word(before)


def _shared_scale(value: float, high: float, low: Span, high_tokens: Span, lex: Lexicon) -> float:
    """'20 to 30 million': a scale written once, after the range, applies to both ends."""
    if any(t.lower_ in lex.large_multipliers or t.lower_ in lex.abbreviations for t in low):
        return value
    for t in high_tokens:
        scale = lex.large_multipliers.get(t.lower_) or (lex.abbreviations.get(t.lower_) if t.i > high_tokens.start
                                                          else None)
        if scale and value * scale <= high:
            return value * scale
    return value


def _per_unit(doc: Doc, end: int) -> str | None:
    """'$1.53 a share', '£150,000 a week', '480 euros per megawatt hour': what the amount is counted per."""
    if end + 1 < len(doc) and doc[end].lower_ in ("a", "an", "per", "each") and doc[end + 1].pos_ == "NOUN":
        last = end + 1
        while doc[last].dep_ == "compound" and doc[last].head.i == last + 1 and doc[last].head.pos_ == "NOUN":
            last += 1
        following = doc[last + 1].lower_ if last + 1 < len(doc) else ""
        if following not in ("earlier", "ago", "before", "later", "after", "from"):  # 'a year earlier' is a date
            return " ".join(t.lemma_.lower() for t in doc[end + 1:last + 1])
    return None


# --- what is not a claim -------------------------------------------------------------------------

def rejection(doc: Doc, q: Quantity, lex: Lexicon, *, blocked: set[int], quotes: Sequence[int],
              set_phrase_max_tokens: int) -> str | None:
    """Why a quantity is not a numeric claim, or None when it is one. ``blocked`` holds the tokens of
    dates and names, ``quotes`` those of the quotation marks (:func:`quote_marks`)."""
    numbers = doc[q.number_start:q.number_end]
    first = numbers[0]
    bare = q.unit is None and q.value_high is None and len(numbers) == 1 and bool(digit_parts(first.text, lex))
    if blocked.intersection(range(q.number_start, q.number_end)):
        return "date or name"
    if bare and len(first.text) == 4 and 1800 <= q.value <= 2100 and not _counts_a_plural(first):
        return "year"
    if bare and len(first.text) > 1 and first.text.startswith("0"):
        return "code"
    before = doc[q.start - 1] if q.start > 0 else None
    after = doc[q.end] if q.end < len(doc) else None
    if q.unit is None and before is not None and before.lower_ in lex["rejects.designators"]:
        return "designator"
    if q.unit is None and after is not None and after.lower_ in lex["rejects.code_nouns"]:
        return "code"
    if q.unit is None and after is not None and after.lemma_.lower() in lex["rejects.time_nouns"]:
        return "time span"
    if bare and _in_score(doc, q.number_start, lex):
        return "score"
    if _is_name_part(doc, q, lex):
        return "inside a name"
    if _in_short_quote(doc, q, quotes, set_phrase_max_tokens):
        return "quoted set phrase"
    if _is_list_marker(doc, q):
        return "list marker"
    if len(numbers) == 1 and lex.is_number_word(first.lower_) and first.lower_ not in lex.words:
        return "scale word alone"  # 'his 37th Test hundred', 'the Thousand Islands'
    if first.lower_ == "one" and len(numbers) == 1 and q.unit is None and not (
            first.dep_ == "nummod" and first.head.pos_ == "NOUN" or _one_of_a_group(first, lex)):
        return "pronoun one"
    if _in_idiom(doc, q.number_start, lex):
        return "idiom"
    if bare and q.value < 130 and _is_age(doc, q, lex):
        return "age"
    if _is_classifier(doc, q, lex):
        return "classifier"
    return None


def _one_of_a_group(one: Token, lex: Lexicon) -> bool:
    """'one of them', 'one of the seats' count a member of a group; 'one of the few', 'one of the most
    crowded' only rank it."""
    group = next((g for c in one.rights if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                  if g.dep_ == "pobj"), None)
    if group is None or group.ent_type_ or any(c.dep_ == "nummod" for c in group.children):
        return False  # 'one of the 10 lawmakers': the group's own number is the count
    if group.pos_ == "PRON":
        return group.lower_ in ("them", "these", "those", "us")
    return group.tag_ == "NNS" and not any(t.tag_ in ("JJS", "RBS") or t.lower_ in lex["rejects.ranking_words"]
                                           for t in group.doc[group.left_edge.i:group.i])


def _in_idiom(doc: Doc, i: int, lex: Lexicon) -> bool:
    """'at one point', 'one by one': a number word inside a set phrase of the language."""
    word = doc[i].lower_
    for phrase in lex.idioms:
        for k, part in enumerate(phrase):
            if part == word and tuple(t.lower_ for t in doc[max(i - k, 0):i - k + len(phrase)]) == phrase:
                return True
    return False


def _is_classifier(doc: Doc, q: Quantity, lex: Lexicon) -> bool:
    """'a six foot alley', 'a five-star hotel': a spelled-out number with a singular noun, between an
    article and the noun they classify, names a kind of thing rather than asserting an amount."""
    numbers = doc[q.number_start:q.number_end]
    if q.number_start == 0 or doc[q.number_start - 1].lower_ not in ("a", "an") \
            or not all(t.lower_ in lex.words for t in numbers if t.text not in DASHES):
        return False
    i = q.number_end + (q.number_end < len(doc) and doc[q.number_end].text in DASHES)
    if i >= len(doc):
        return False
    noun = doc[i]
    if noun.lemma_.lower() in lex["object.measure_nouns"]:
        return False  # 'a three-point lead' says how big the lead is
    return noun.tag_ == "NN" and noun.head.i > noun.i and noun.head.pos_ in _NOUNS \
        and noun.dep_ in ("compound", "amod", "nmod", "npadvmod")


def _counts_despite_label(ent: Span, dated: set[int], lex: Lexicon) -> bool:
    """A DATE entity that gave no date and counts things: 'three quarters of the additions',
    'between 20 and 30 people', a bare '38' (the model's label is wrong; 'under 30' and 'three decades'
    stay dates)."""
    if dated.intersection(range(ent.start, ent.end)):
        return False
    if len(ent) == 1 and ent[0].is_digit and len(ent[0].text) <= 3:
        # 'won 38, down from 45': a bare number no date rule read as a date is no year ('Renner, 58,' is an age)
        return ent.start > 0 and not ent.doc[ent.start - 1].is_punct and ent[0].dep_ != "appos"
    if ent.end >= len(ent.doc):
        return False
    after = ent.doc[ent.end]
    numbers = [t for t in ent if is_number_token(t, lex)]
    if not numbers:
        return False
    if after.lower_ == "of":
        return ent[-1].lemma_.lower() not in lex["rejects.time_nouns"]
    return after.tag_ == "NNS" and after.lemma_.lower() not in lex["rejects.time_nouns"] \
        and any(t.head == after for t in numbers)


def _in_score(doc: Doc, i: int, lex: Lexicon) -> bool:
    """A number at either end of a score or tally written 'N-M' ('won 3-1', 'a 1-1 draw')."""
    return (i + 2 < len(doc) and _is_score(doc, i, i + 2, lex)) or (i >= 2 and _is_score(doc, i - 2, i, lex))


def _is_score(doc: Doc, i: int, j: int, lex: Lexicon) -> bool:
    """Two small whole numbers glued by a dash: a score or a vote ('3-1', '7-2 vote') unless it reads as a
    range ('5-11 children'): the second is smaller, or a result word stands beside it ('a 2-3 defeat')."""
    if j - i != 2 or doc[i + 1].text not in DASHES or doc[i].whitespace_ or doc[i + 1].whitespace_:
        return False
    if not (doc[i].is_digit and doc[j].is_digit and len(doc[i].text) <= 2 and len(doc[j].text) <= 2):
        return False
    beside = {doc[k].lemma_.lower() for k in (i - 1, j + 1) if 0 <= k < len(doc)}
    return int(doc[j].text) <= int(doc[i].text) or not beside.isdisjoint(lex["rejects.score_words"])


def _counts_a_plural(token: Token) -> bool:
    return token.dep_ == "nummod" and token.head.tag_ in ("NNS", "NNPS")


def _is_name_part(doc: Doc, q: Quantity, lex: Lexicon) -> bool:
    """'Group of Seven', 'Shoemaker-Levy 9', 'Falcon 9 rocket': a capitalised number word inside a
    sentence, a bare number right after a proper noun that counts no noun of its own, or one that
    modifies a singular noun."""
    first = doc[q.number_start]
    if first.is_alpha and first.is_title:  # the sentence is walked only for a capitalised number word
        sent = first.sent
        words = [t for t in sent if t.is_alpha]
        title_case = words and sum(t.is_title for t in words) > 0.6 * len(words)
        if not title_case and first.i > sent.start \
                and not all(t.is_punct or t.is_space for t in doc[sent.start:first.i]):
            return True
    if q.unit is None and first.is_digit and q.value > 1 and first.dep_ == "nummod" and first.head.i == first.i + 1 \
            and first.head.tag_ == "NN" and first.i > 0 and doc[first.i - 1].is_title:
        return True  # 'Falcon 9 rocket', 'Article 5 commitment': a count would take a plural ('add 12 aircraft')
    before = doc[q.start - 1] if q.start > 0 else None
    return q.unit is None and before is not None and before.pos_ == "PROPN" and before.is_title and first.is_digit \
        and not (first.dep_ == "nummod" and first.head.i > first.i)


def _in_short_quote(doc: Doc, q: Quantity, quotes: Sequence[int], max_tokens: int) -> bool:
    """Inside quotation marks that hold only a few words: a slogan or set phrase ('the "two coverage"')."""
    sent = doc[q.start].sent
    marks = quotes[bisect_left(quotes, sent.start):bisect_left(quotes, sent.end)]
    for open_i, close_i in zip(marks[::2], marks[1::2]):
        if open_i < q.start and q.end <= close_i:
            return close_i - open_i - 1 <= max_tokens
    return False


_QUOTE_IDS = numpy.array([get_string_id(mark) for mark in QUOTES], dtype=numpy.uint64)


def quote_marks(doc: Doc) -> list[int]:
    """The indices of the Doc's quotation marks, in order (read from its ORTH column: a walk over
    each sentence's tokens per number cost more)."""
    return numpy.flatnonzero(numpy.isin(columns(doc, ("ORTH",)), _QUOTE_IDS)).tolist()


def _is_list_marker(doc: Doc, q: Quantity) -> bool:
    """'1.' or '2)' opening a line, or '(3)': a digit that numbers an item."""
    after = doc[q.end] if q.end < len(doc) else None
    before = doc[q.start - 1] if q.start > 0 else None
    opening = q.start == doc[q.start].sent.start or (before is not None and (before.is_space or before.text == "("))
    return q.unit is None and doc[q.start].is_digit and opening and after is not None and after.text in (".", ")")


def _is_age(doc: Doc, q: Quantity, lex: Lexicon) -> bool:
    """'aged 65', 'voters under 30', 'people 65 and over': a bare number that bounds an age band."""
    before = doc[q.number_start - 1] if q.number_start > 0 else None
    if before is None:
        return False
    if before.lower_ in lex["rejects.age_words"]:
        return True
    return before.lower_ in lex["rejects.age_prepositions"] and before.head.pos_ in ("NOUN", "PRON") \
        and before.head.i < before.i and doc[q.number_start].dep_ == "pobj"


# --- what the number counts or measures ----------------------------------------------------------

def anchor_token(span: Span, q: Quantity) -> Token:
    """Where the quantity hangs in the parse: its first number or unit word whose head lies outside it
    ('Between 120 and 150 firefighters' hangs on '120', not on 'Between'); a ratio on the number of
    the whole ('one in five adults' on 'five')."""
    own = span.doc[q.number_start:q.end]
    if q.ratio:
        own = reversed(own)
    return next((t for t in own if t.head == t or not span.start <= t.head.i < span.end), span.root)


def is_nominal(token: Token) -> bool:
    """A noun, or a word the parser uses as one though it tagged it otherwise ('a £111m bid' as VERB)."""
    return token.pos_ in _NOUNS or (token.dep_ in _NOMINAL_DEPS and token.pos_ in ("VERB", "ADJ")
                                    and token.tag_ not in ("VBG",) and not token.like_num)


def unit_kind(unit: str | None, lex: Lexicon) -> str | None:
    """'ratio' (percent, points), 'money' (a currency, also per unit: 'dollar per share'), 'physical'
    (a unit of measure: 'metric ton', 'degree') or None for a plain count."""
    if unit is None:
        return None
    if unit in RATIO_UNITS:
        return "ratio"
    return "money" if unit.split(" per ")[0] in lex.currency_units else "physical"


def object_head(span: Span, lex: Lexicon, *, anchor: Token | None = None, unit: str | None = None,
                others: Collection[int] = ()) -> Token | None:
    """The head noun of what a quantity counts or measures, found by climbing the dependency parse;
    None where the text leaves it implicit ('136,000 died'). ``unit`` is the quantity's unit (see
    :func:`unit_kind`). ``others`` are the tokens of the other quantities: a number set beside one
    of them ('(about $360 billion)') shares its role. The climb starts at ``anchor`` (see
    :func:`anchor_token`), by default the span's root.

    A unit is never the object: the climb passes the quantity's own unit words, and a measure noun
    gives the size of the noun it belongs to ('a lead of 58 points', 'a three-point lead')."""
    kind = unit_kind(unit, lex)
    inside = set(range(span.start, span.end))
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in lex["object.degree_words"] or (after in lex["change.increase_words"] | lex["change.decrease_words"]
                                               and doc[span.end + 1:span.end + 2].text == "than"):
        return None
    token = anchor or span.root
    if (worth := _worth_of(token, inside)) is not None:
        return worth
    # '(fell) to 18% of capacity', '(was set) at 2.3% of GDP': a share reached on a verb is a level of what
    # the verb measures, and its 'of' phrase is the denominator
    above = _outside_head(token, inside)
    on_verb = above.pos_ == "ADP" and above.lower_ in ("to", "at", "from", "by") and above.head.pos_ in ("VERB", "AUX")
    level = kind == "ratio" and on_verb
    # 'closed at 55,100 won on the bourse', 'peak sales of $4bn for the drug': an amount that is the level
    # of a verb or the size of the noun before 'of' is no purchase, whatever preposition follows it
    purpose = not (on_verb and above.head.lemma_.lower() in _changes_and_measures(lex)) and not (
        above.lower_ == "of" and is_nominal(above.head) and not _frames_only(above.head, lex))
    via_conjunct = False
    for _ in range(10):
        if not via_conjunct and not level and (
                complement := _complement(token, inside, lex, kind=kind, purpose=purpose)):
            return complement
        head = token.head
        if head == token:
            return None
        via_conjunct = token.dep_ in ("conj", "appos") and (head.like_num or head.i in others)
        if via_conjunct and (listed := _noun_before(span, set(others), lex)) is not None:
            return listed  # 'coal 1.1 percent, oil 1.5 percent': a list without verbs names each number
        if head.i in inside or via_conjunct or _frames_only(head, lex):
            token = head
        elif head.lower_ in lex["object.degree_words"]:
            return None
        elif head.tag_ in ("JJR", "RBR"):
            # 'its cells are 20% cheaper', 'were 12% less likely', 'use 25% less water': what is compared
            compared = head.head if head.dep_ == "advmod" and head.head.pos_ == "ADJ" else head
            if compared.dep_ == "acomp" and compared.head.pos_ in ("VERB", "AUX"):
                return _subject(compared.head, lex)
            return _noun_target(head.head, lex, inside) if head.dep_ == "amod" and is_nominal(head.head) else None
        elif head.lower_ in lex["change.increase_words"] | lex["change.decrease_words"] \
                and (head.head.pos_ not in ("VERB", "AUX") or lex.is_unit_word(head.head)) \
                and _follows_a_quantity(span, others):
            return None  # 'net profit of 110 billion yen, down 45 percent': the noun it refers back to
        elif _acts_as_verb(head):
            return _verb_target(head, span, lex, kind=kind)
        elif token.dep_ == "npadvmod" and (subject := _headline_subject(head, lex)) is not None:
            return _noun_target(subject, lex, inside)
        elif head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
            if kind is None and (counted := _other_end(head)) is not None:
                return _noun_target(counted, lex, inside)
            return _verb_target(head.head, span, lex, kind=kind)
        elif head.pos_ == "ADP" and head.lower_ == "of" and head.head.lemma_.lower() in _change_nouns(lex):
            # 'a rise of 300 basis points in mortgage rates' sizes the rise; '545,000, an increase of 9%' the
            # number before it
            return None if head.head.dep_ == "appos" and head.head.head.like_num else head.head
        elif head.pos_ == "ADP":
            token = head.head if not is_nominal(head.head) or _frames_only(head.head, lex) else head
            if token is head:
                return _noun_target(head.head, lex, inside)
        elif is_nominal(head) and (modified := _compound_head(head)) is not None:
            return _noun_target(modified, lex, inside)
        elif is_nominal(head) and (measured := _measured_by(head, lex)) is not None:
            return _noun_target(measured, lex, inside)
        elif head.pos_ == "PROPN" and token.dep_ == "nummod" and head.i < token.i:
            return None  # '... five ministries and the Neos two': the noun it refers back to
        elif head.tag_ == "NNP" and token.dep_ == "nummod" and head.ent_type_ in _ONE_OF_A_KIND:
            token = head  # 'a crowd of 19,156 packed TD Garden': a place is not counted; take its place
        elif is_nominal(head):
            return _noun_target(head, lex, inside, money=kind == "money")
        elif head.pos_ in ("VERB", "AUX") and token.dep_ in ("nsubj", "nsubjpass"):
            # '136,000 died' leaves the noun implicit; '$55bn would go toward X' still says what it pays for
            return _purpose(head, span, lex) if kind in ("money", "physical") else None
        elif head.pos_ in ("VERB", "AUX"):
            return _verb_target(head, span, lex, kind=kind)
        else:
            token = head
    return None


def _other_end(prep: Token) -> Token | None:
    """'rose to 99 seats from 52': a bare number at one end of a change counts what the other end counts."""
    if prep.lower_ not in ("to", "from"):
        return None
    for sibling in prep.head.children:
        if sibling.dep_ == "prep" and sibling.lower_ in ("to", "from") and sibling != prep:
            pobj = next((c for c in sibling.children if c.dep_ == "pobj"), None)
            if pobj is not None and is_nominal(pobj) and any(c.dep_ == "nummod" for c in pobj.children):
                return pobj
    return None


def _outside_head(token: Token, inside: Collection[int]) -> Token:
    while token.head.i in inside and token.head != token:
        token = token.head
    return token.head


def _worth_of(token: Token, inside: Collection[int]) -> Token | None:
    """'a deal worth $3bn', 'the offer is worth up to 12,000 euros': what is worth the amount."""
    worth = _outside_head(token, inside)
    if worth.lower_ != "worth":
        return None
    if worth.dep_ == "acomp" and worth.head.pos_ in ("VERB", "AUX"):
        return next((c for c in worth.head.children if c.dep_ in ("nsubj", "nsubjpass") and is_nominal(c)), None)
    return worth.head if worth.dep_ == "amod" and is_nominal(worth.head) else None


def _follows_a_quantity(span: Span, others: Collection[int]) -> bool:
    return any(span.sent.start <= i < span.start for i in others)


def _acts_as_verb(token: Token) -> bool:
    """A word tagged noun or adjective that has a subject: the parser's verb in a headline
    ('copper output climbs 9%', 'temperatures top 44C')."""
    return token.pos_ not in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def _headline_subject(token: Token, lex: Lexicon) -> Token | None:
    """'Copper price climbs 4%': a headline's verb the parser took for the head of a compound noun;
    the noun before it is its subject."""
    verbs = lex["change.increase_verbs"] | lex["change.decrease_verbs"] | lex["object.measure_verbs"]
    if token.tag_ != "NNS" or token.lemma_.lower() not in verbs:
        return None
    return next((c for c in reversed(list(token.lefts)) if c.dep_ == "compound" and is_nominal(c)), None)


def _measured_by(noun: Token, lex: Lexicon) -> Token | None:
    """'a lead of 58 points', 'extended her lead to five points': a measure noun after 'of' a noun, or
    after 'to', 'from' or 'by' on a verb with an object, gives the size of that noun ('finished with
    three wickets' and 'has 74 points' count them)."""
    if noun.lemma_.lower() not in lex["object.measure_nouns"] or noun.dep_ != "pobj":
        return None
    prep, above = noun.head, noun.head.head
    if prep.lower_ == "of" and is_nominal(above) and not above.like_num and not _frames_only(above, lex):
        return above
    if prep.lower_ in ("to", "from", "by") and above.pos_ in ("VERB", "AUX"):
        dobj = next((c for c in above.children if c.dep_ == "dobj" and is_nominal(c)), None)
        if dobj is None and above.lemma_.lower() in lex["change.increase_verbs"] | lex["change.decrease_verbs"]:
            return _subject(above, lex)  # 'shipments rose to 295 million units'
        return dobj if dobj is not None and dobj.lower_ not in lex["object.pronouns"] else None
    return None


def _compound_head(noun: Token) -> Token | None:
    """'a 144-page agreement', 'a three-point lead', 'a 57-lap race': the number and a singular noun
    joined by a hyphen classify the noun they modify, which is what they measure."""
    doc = noun.doc
    hyphenated = noun.i > 0 and doc[noun.i - 1].text in DASHES and doc[noun.i - 1].whitespace_ == ""
    if hyphenated and noun.tag_ == "NN" and noun.dep_ in ("compound", "amod", "nmod") \
            and noun.head.i > noun.i and is_nominal(noun.head):
        return noun.head
    return None


def _frames_only(token: Token, lex: Lexicon) -> bool:
    """Nouns that place a number rather than name what it measures: 'a record low of', '5% year on year',
    'grew by an average of 2%' (but 'the long-run average of 30%' is what 30% measures)."""
    lemma = token.lemma_.lower()
    indefinite = lemma in lex["object.indefinite_level_nouns"] and any(
        c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
    if lemma in lex["object.level_nouns"] and any(
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() not in lex["object.level_nouns"]
            | lex["rejects.time_nouns"] and not lex.is_unit_word(c) for c in token.children):
        return False  # 'an exchange rate of 145 yen', 'the unemployment rate of 3.5%' name what they measure
    return is_nominal(token) and (lemma in lex["object.level_nouns"] or lemma in lex["rejects.time_nouns"] or indefinite)


def _changes_and_measures(lex: Lexicon) -> frozenset[str]:
    return lex["object.measure_verbs"] | lex["change.increase_verbs"] | lex["change.decrease_verbs"]


def _change_nouns(lex: Lexicon) -> frozenset[str]:
    return lex["change.increase_nouns"] | lex["change.decrease_nouns"]


def _complement(token: Token, inside: set[int], lex: Lexicon, *, kind: str | None, purpose: bool = True) -> Token | None:
    """The noun of the quantity's own complement: '148 of the 300 seats', '$3bn in revenue' (an amount's
    ``purpose``); not the denominator of a ratio ('3% of GDP'), which only says what the number is a
    share of."""
    amount = purpose and kind in ("money", "physical")
    for t in (token, *(token.doc[i] for i in sorted(inside))):
        for child in t.rights:
            if child.dep_ != "prep" or child.i in inside:
                continue
            word = child.lower_
            if word == "of" or (amount and word in lex["object.purpose_prepositions"]):
                pobj = next((c for c in child.children if c.dep_ == "pobj" and c.i not in inside), None)
                if pobj is not None and is_nominal(pobj) and (pobj.ent_type_ in ("", "NORP") or word == "of"
                                                                 and pobj.ent_type_ not in TIME_LABELS):
                    if kind == "ratio" and word == "of" and _is_denominator(pobj, lex):
                        continue
                    return _noun_target(pobj, lex, inside)
    return None


def _is_denominator(noun: Token, lex: Lexicon) -> bool:
    words = [t.lower_ for t in noun.doc[noun.left_edge.i:noun.i + 1] if t.dep_ not in ("det", "poss", "case")]
    return any(" ".join(words[-n:]) in lex["object.denominators"] for n in range(1, min(len(words), 4) + 1))


def _noun_target(noun: Token, lex: Lexicon, inside: Collection[int] = (), *, money: bool = False) -> Token | None:
    """Past nouns that only frame a count: 'the number of X' counts X, 'an increase in X' measures X;
    None for a pronoun or for a change noun set beside an earlier number ('545,000, an increase of 9%').
    An amount of ``money`` written on a change noun is its cost: 'a $1bn expansion of the mine'."""
    changes = lex["change.increase_nouns"] | lex["change.decrease_nouns"]
    for _ in range(4):
        lemma = noun.lemma_.lower()
        if noun.lower_ in lex["object.pronouns"] or noun.like_num:
            return None
        transparent = noun.lower_ in lex["object.transparent_nouns"]
        if transparent:
            preps = ("of",)
        elif lemma in changes:
            preps = ("in",) if money else ("in", "of")
        else:
            preps = ()
        inner = next((g for c in noun.rights if c.dep_ == "prep" and c.lower_ in preps for g in c.children
                      if g.dep_ == "pobj" and is_nominal(g) and g.i not in inside and g.ent_type_ in ("", "NORP")), None)
        if inner is None:
            if noun.lower_ in lex["object.whole_nouns"] or (lemma in changes and noun.dep_ == "appos"
                                                            and noun.head.like_num):
                return None  # 'of the total', '545,000, an increase of 9%': the noun it refers back to
            return noun
        noun = inner
    return noun


def _verb_target(verb: Token, span: Span, lex: Lexicon, *, kind: str | None = None) -> Token | None:
    """What a verb's number measures: what the money is for ('spent $3bn on roads'), the verb's direct
    object ('raised the dividend by 8%') or its subject ('prices rose 3%', 'a wildfire burned 1,500
    hectares'). 'Profit fell to $2bn on weak demand': after a change verb 'on' gives a cause, not a purpose."""
    lemma = verb.lemma_.lower()
    if lemma in lex["object.share_verbs"]:
        return None  # 'made up 74% in total': the whole it is a share of is left implicit
    measures = lemma in lex["object.measure_verbs"] | lex["change.increase_verbs"] | lex["change.decrease_verbs"]
    raising = kind == "money" and lemma in lex["change.raising_verbs"]
    amount = kind in ("money", "physical")
    if amount and (raising or not measures) and (purpose := _purpose(verb, span, lex)):
        return purpose
    dobj = next((c for c in verb.children if c.dep_ == "dobj" and is_nominal(c) and not c.like_num
                 and not (span.start <= c.i < span.end) and c.lower_ not in lex["object.pronouns"]
                 and not lex.is_unit_word(c)), None)
    if dobj is not None and not _holds(dobj, span):
        return _noun_target(dobj, lex)
    # The subject of other verbs is an agent ('the party won 234', 'the start-up raised $50m'), not
    # what the number counts; a physical amount is a size of what the subject did ('the fire burned 1,500 ha').
    subject = _subject(verb, lex) if (measures and not raising) or kind == "physical" else None
    return None if kind == "physical" and _is_place(subject) else subject


def _is_agent_name(noun: Token, span: Span, q: Quantity, lex: Lexicon) -> bool:
    """'Piastri on 74', 'the Democrats won 38': a count or amount the parse pins on a named person, firm
    or place belongs to it, it does not count it ('46.4 million iPhones' does count the product; a
    share or a physical size may measure a named thing: 'Deimos is 12 km across')."""
    guessed = noun.is_sent_start and noun.ent_iob_ == "B" and noun.i + 1 < len(noun.doc) \
        and noun.doc[noun.i + 1].ent_iob_ != "I"  # 'Births dropped': a lone capitalised first word
    return noun.ent_type_ in _ONE_OF_A_KIND and unit_kind(q.unit, lex) in (None, "money") and not guessed \
        and not any(t.head == noun for t in span)


def _is_place(noun: Token | None) -> bool:
    """'the town of El Granado recorded 46 degrees': a place is where a size is measured, not what has it."""
    return noun is not None and (noun.ent_type_ in PLACE_LABELS or any(
        g.ent_type_ in PLACE_LABELS for c in noun.rights if c.lower_ == "of" for g in c.children))


def _purpose(verb: Token, span: Span, lex: Lexicon, *, infinitive: bool = True) -> Token | None:
    """What the verb's amount goes to: 'on roads', 'toward replacing lead pipes', 'to expand internet access'."""
    for child in verb.rights:
        if child.i < span.end:
            continue
        if child.dep_ == "prep" and child.lower_ in lex["object.purpose_prepositions"]:
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.pos_ == "NOUN" and not grand.ent_type_:
                    return _noun_target(grand, lex)
                if grand.dep_ == "pcomp" and grand.pos_ == "VERB":
                    return _direct_object(grand, lex)
        if infinitive and child.dep_ in ("xcomp", "advcl") and any(c.lower_ == "to" for c in child.lefts):
            return _direct_object(child, lex)
    return None


def _direct_object(verb: Token, lex: Lexicon) -> Token | None:
    dobj = next((c for c in verb.children if c.dep_ == "dobj" and is_nominal(c)), None)
    return _noun_target(dobj, lex) if dobj is not None else None


def _holds(token: Token, span: Span) -> bool:
    return token.left_edge.i <= span.start and span.end <= token.right_edge.i + 1


def _subject(verb: Token, lex: Lexicon) -> Token | None:
    """The verb's subject, looking through auxiliaries, coordinated and relative clauses."""
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if subject is not None:
            if subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
                return _noun_target(verb.head, lex)
            if any(c.dep_ == "case" for c in subject.children):
                return None  # "the EU's fell 7%": the possessed noun is left out
            return _noun_target(subject, lex)
        if verb.dep_ in ("relcl", "acl") and is_nominal(verb.head):
            return _noun_target(verb.head, lex)
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
            continue
        return None
    return None


def object_text(head: Token, exclude: set[int], lex: Lexicon) -> str:
    """The noun phrase of an object head as it reads: its modifiers, coordinated nouns and 'of' complements,
    without determiners, numbers, clauses or other prepositional phrases."""
    keep = _phrase_tokens(head, exclude, lex)
    start = end = head.i
    while start - 1 in keep:
        start -= 1
    while end + 1 in keep:
        end += 1
    doc = head.doc
    while start < end and (doc[start].is_punct or doc[start].text in QUOTES):
        start += 1
    while end > start and (doc[end].is_punct or doc[end].pos_ in ("DET", "ADP", "CCONJ")):
        end -= 1
    return doc[start:end + 1].text


def _phrase_tokens(head: Token, exclude: set[int], lex: Lexicon, depth: int = 0) -> set[int]:
    keep = {head.i}
    if depth > 3:
        return keep
    for child in head.lefts:
        # 'a 96-page treaty': the modifier that holds the number is the quantity, not part of the object
        if child.dep_ in ("compound", "amod", "nmod") and exclude.isdisjoint(t.i for t in child.subtree):
            keep.update(t.i for t in child.subtree if t.dep_ not in ("nummod", "quantmod"))
    rights = list(head.rights)
    for n, child in enumerate(rights):
        if child.dep_ == "conj" and is_nominal(child) and not _subject_of_next_verb(child) and not any(
                c.dep_ in ("nummod", "quantmod") or c.i in exclude for c in child.subtree):
            keep.update(c.i for c in rights[:n] if c.dep_ == "cc")
            keep |= _phrase_tokens(child, exclude, lex, depth + 1)
        elif child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and _bare_noun(pobj) and pobj.i not in exclude:
                keep.add(child.i)
                keep |= _phrase_tokens(pobj, exclude, lex, depth + 1)
    return keep


def _subject_of_next_verb(conj: Token) -> bool:
    """'cut half of its services and unions said ...': a conjunct right before a finite verb that has no
    subject of its own, or another one, is that verb's subject misparsed, not part of the object."""
    doc = conj.doc
    nxt = conj.right_edge.i + 1
    if nxt >= len(doc) or doc[nxt].tag_ not in ("VBD", "VBZ", "VBP", "MD"):
        return False
    verb = doc[nxt] if doc[nxt].tag_ != "MD" else doc[nxt].head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is None or not subject.left_edge.i <= conj.i <= subject.right_edge.i


def _bare_noun(token: Token) -> bool:
    """A singular common noun with no determiner or modifier: the 'commerce' of 'chambers of commerce'.
    Such 'of' phrases are part of a name; others ('exports of electric vehicles') trail the head."""
    return (token.tag_ == "NN" or token.tag_ == "NNP" and token.is_lower) and not token.ent_type_ and not any(
        c.dep_ in ("det", "poss", "amod", "compound", "nummod", "nmod") for c in token.lefts)


def _noun_before(span: Span, taken: set[int], lex: Lexicon) -> Token | None:
    """'coal 1.1 percent, oil 1.5 percent': in a list without verbs the noun before the number names it."""
    if span.start == 0:
        return None
    noun = span.doc[span.start - 1]
    if noun.pos_ != "NOUN" or noun.i in taken or noun.ent_type_ or _frames_only(noun, lex):
        return None
    return noun


# --- when, who says so, and which way it moved ---------------------------------------------------

def claim_time(span: Span, dates: Sequence[dict], anchor: Token) -> str | None:
    """The TIMEX3 value of the date in the claim's sentence that the parse attaches closest to it."""
    doc, sent = span.doc, span.sent
    chain = [anchor, *anchor.ancestors]
    best = None
    for d in dates:
        if d["kind"] != "date" or not (sent.start_char <= d["start"] < sent.end_char):
            continue
        date_span = doc.char_span(d["start"], d["end"], alignment_mode="expand")
        if date_span is None:
            continue
        meeting = next((k for k, t in enumerate(chain) if t in (date_span.root, *date_span.root.ancestors)), len(chain))
        key = (meeting, abs(date_span.start - span.start))
        if best is None or key < best[0]:
            best = (key, d["value"])
    return best[1] if best else None


def claim_source(span: Span, lex: Lexicon, anchor: Token) -> str | None:
    """Who the claim is attributed to: 'according to X', 'X said', 'X reported', 'data from X'."""
    sent = span.sent
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and t.doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _source_text(pobj, lex)
    child = anchor
    for verb in anchor.ancestors:
        lemma = verb.lemma_.lower()
        via_clause = child.dep_ in ("ccomp", "parataxis", "advcl") or child.i > verb.i and child.dep_ == "conj"
        if verb.pos_ in ("VERB", "AUX") and (lemma in lex["attribution.report_verbs"]
                                             or (lemma in lex["attribution.speech_verbs"] and via_clause)):
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and not (subject.left_edge.i <= span.start <= subject.right_edge.i):
                if subject.lower_ not in lex["object.pronouns"]:
                    return _source_text(subject, lex)
        child = verb
    return None


def _source_text(head: Token, lex: Lexicon) -> str:
    """A source's name: the named entity it is, or its noun phrase with 'from'/'by' for data nouns."""
    doc = head.doc
    if head.ent_type_ and head.ent_iob_ in ("B", "I"):
        ent = next(e for e in entities_of(doc) if e.start <= head.i < e.end)
        text = ent.text
    else:
        keep = {head.i}
        for child in head.lefts:
            if child.dep_ in ("compound", "amod", "nmod", "poss"):
                keep.update(t.i for t in child.subtree)
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of") and (
                    head.lemma_.lower() in lex["attribution.nouns"] or head.lower_ in lex["attribution.nouns"]):
                keep.update(t.i for t in child.subtree)
        text = doc[min(keep):max(keep) + 1].text
    return re.sub(r"^(the|a|an) ", "", text, flags=re.IGNORECASE)


def claim_change(span: Span, q: Quantity, lex: Lexicon) -> str | None:
    """'increase' or 'decrease' when the number is the size of a change ('rose by 236,000', 'fell 0.2
    percentage point', 'up 5%', '-12,000', 'a 5% rise', 'added 236,000 jobs'); None for a level
    ('rose to 3.5%', 'down from 7.9%')."""
    doc = span.doc
    sign = doc[q.number_start].text[0]
    if sign in "-\u2212+":
        return "increase" if sign == "+" else "decrease"
    before = doc[q.start - 1].lower_ if q.start > 0 and doc[q.start - 1].dep_ != "prt" else ""  # not 'made up'
    after = doc[q.end].lower_ if q.end < len(doc) else ""
    then = doc[q.end + 1].lower_ if q.end + 1 < len(doc) else ""
    for word in (before, after if then == "than" else ""):
        if word in lex["change.increase_words"]:
            return "increase"
        if word in lex["change.decrease_words"]:
            return "decrease"
    previous = _word_before(doc, q.number_start, lex)
    if previous in ("to", "from", "at"):
        return None
    if previous == "by":
        return next((_direction(t, lex) for t in anchor_token(span, q).ancestors if t.pos_ in ("VERB", "AUX", "NOUN")
                     and _direction(t, lex)), None)
    inside = range(span.start, span.end)
    token = anchor_token(span, q)
    for _ in range(6):
        head = token.head
        if head == token:
            return None
        lemma = head.lemma_.lower()
        if head.i in inside or (head.pos_ in _NOUNS and lemma in lex["object.level_nouns"]):
            token = head
        elif head.pos_ == "ADP":
            if head.lower_ == "by" or (head.lower_ == "of" and _direction(head.head, lex)):
                return _direction(head.head, lex)
            return None
        elif head.pos_ in ("VERB", "AUX"):
            if token.dep_ == "dobj" and q.unit in lex.currency_units and head.lemma_.lower() in lex["change.raising_verbs"]:
                return None
            return _direction(head, lex) if token.dep_ in ("dobj", "npadvmod", "advmod", "attr") else None
        elif head.pos_ in _NOUNS:
            if _direction(head, lex):
                return _direction(head, lex)
            if token.dep_ in ("nummod", "quantmod", "compound", "amod") and head.dep_ == "dobj":
                return _direction(head.head, lex)
            return None
        else:
            return None
    return None


def _direction(word: Token, lex: Lexicon) -> str | None:
    lemma = word.lemma_.lower()
    if lemma in lex["change.increase_verbs"] | lex["change.increase_nouns"]:
        return "increase"
    if lemma in lex["change.decrease_verbs"] | lex["change.decrease_nouns"]:
        return "decrease"
    return None


# --- rows ----------------------------------------------------------------------------------------

def claim_rows(doc: Doc, *, dates: Sequence[dict] = (), labels: Collection[str] = CLAIM_LABELS,
               name_labels: Collection[str] = NAME_LABELS, set_phrase_max_tokens: int = 6) -> Iterator[dict]:
    """One row per number the Doc asserts as a fact (columns of the ``numeric_claims`` table).

    ``dates`` are the Doc's date rows (dicts with start, end, value, kind): numbers inside them are
    not claims, and the one the parse attaches closest gives a claim its ``time``. ``labels`` are
    the model's entity labels read as quantities, ``name_labels`` those whose numbers belong to a
    name, and quoted phrases of at most ``set_phrase_max_tokens`` tokens are slogans.
    """
    lex = lexicon()
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    blocked = set()
    for d in dates:
        date_span = doc.char_span(d["start"], d["end"], alignment_mode="expand")
        if date_span is not None:
            blocked.update(range(date_span.start, date_span.end))
    ents = entities_of(doc)
    for ent in ents:
        if ent.label_ in name_labels or (ent.label_ in TIME_LABELS and not _counts_despite_label(ent, blocked, lex)):
            blocked.update(range(ent.start, ent.end))
    quotes = quote_marks(doc)
    found: dict[tuple[int, int], Quantity] = {}
    for start, end, label in candidates(doc, ents, labels, lex):
        for q in quantities(doc, start, end, label, lex):
            if (q.start, q.end) not in found and rejection(doc, q, lex, blocked=blocked, quotes=quotes,
                                                           set_phrase_max_tokens=set_phrase_max_tokens) is None:
                found[(q.start, q.end)] = q
    quantity_tokens = {i for start, end in found for i in range(start, end)}
    objects: dict[int, list[str]] = {}
    counts: dict[int, list[str]] = {}  # the objects of plain counts, by sentence
    ratio_objects: set[str] = set()
    for (start, end), q in sorted(found.items()):
        span = doc[start:end]
        sent_id = sent_of(span.start_char)
        anchor = anchor_token(span, q)
        head = object_head(span, lex, anchor=anchor, unit=q.unit,
                           others=quantity_tokens.difference(range(start, end)))
        if head is not None and _is_agent_name(head, span, q, lex):
            head = None
        if head is None or head.i in quantity_tokens:
            head = _noun_before(span, quantity_tokens, lex)
        if head is not None:
            obj = object_text(head, set(range(start, end)), lex)
        else:  # the noun it refers back to: the latest in this sentence, else the lead one of the sentence before
            obj = (objects.get(sent_id) or [None])[-1] or (objects.get(sent_id - 1) or [None])[0]
            if q.unit is None and (obj is None or obj in ratio_objects):
                # 'Turnout was 63%. The Democrats won 38': a bare count refers back to the latest count
                obj = next((o for k in range(sent_id, sent_id - 4, -1) for o in reversed(counts.get(k, []))), obj)
        # 'the four-time champion' classifies a noun: a later bare number ('on 69') does not refer back to it
        classifier = end < len(doc) and doc[end].text in DASHES and not doc[end - 1].whitespace_
        if obj and not classifier:
            objects.setdefault(sent_id, []).append(obj)
            if q.unit is None:
                counts.setdefault(sent_id, []).append(obj)
            elif unit_kind(q.unit, lex) == "ratio":
                ratio_objects.add(obj)
        row = {
            "doc_id": doc_id, "sent_id": sent_id, "start": span.start_char, "end": span.end_char,
            "text": span.text, "value": q.value, "qualifier": q.qualifier, "unit": q.unit, "object": obj,
            "time": claim_time(span, dates, anchor), "source": claim_source(span, lex, anchor),
            "value_high": q.value_high, "change": claim_change(span, q, lex),
        }
        yield row
