"""Dates: every temporal expression of a parsed Doc, normalised to a TIMEX3-style value, as table rows.

Detection starts from the model's DATE/TIME entities and completes them with ``Matcher`` rules
(festivals, "N years ago", sets, years after a preposition, quarters, ranges); every candidate must
then parse by the grammar below, which is what rejects look-alikes (hotline numbers, plan names,
ages, bare numbers). A leading preposition is kept out of the span and becomes the ``relation``.

Value grammar (``VALUE_GRAMMAR``), a subset of TIMEX3:

    date      YYYY | YYYY-MM | YYYY-MM-DD | YYYY-MM-DDThh:mm   calendar year, month, day, clock time
              YYYY-Qn (n 1-4) | YYYY-Hn (n 1-2)                  quarter, half year
              YYYY-SP|SU|FA|WI                                   season (meteorological, north)
              YYYY-Www | YYYY-Www-WE                             ISO week, its weekend
              YYY | YY                                           decade ("199" = the 1990s), century
                                                                 ("18" = the 1800s, the 19th century)
              PAST_REF | PRESENT_REF | FUTURE_REF                vague past, present, future
    duration  P[nY][nM][nW][nD][T[nH][nM][nS]]  at least one part; n a number (may have a decimal
              part) or X (unknown): "P5Y", "P2Y6M", "PT3H44M", "PXW" ("several weeks")
    set       a duration ("every year" P1Y, "twice a week" P1W), XXXX-WXX-d ("every Monday", d 1-7),
              XXXX-MM ("every January"), XXXX-SP|SU|FA|WI ("every autumn")

Conventions where TIMEX3 has no single value: a period named by its end ("the three months to
January", "the year to March") takes the end's value; a day range ("Nov. 6-7") is one expression
valued as its first day; a split year ("2022-23", "the 2024-25 financial year", a season or fiscal
year) is named by its first year ("2022"), without a calendar interval; a year range ("2021-2025")
gives each end its own row. A month range is a period only when it is one: "the July-September
quarter" 2025-Q3, "the January-June period" 2025-H1, "the June-August period" 2025-SU.

Kind is "date" for points and calendar periods (clock times included), "duration", or "set".
``start_date``/``end_date`` is the calendar interval a date value covers (null for REF values,
durations and sets, and for fiscal periods and split years, whose calendar differs by
organisation); ``anchor`` is the date a relative expression was resolved against: the publication
date for deictic ones ("last year", "on Monday"), the earlier date referred back to for anaphoric
ones ("the same year"). A clock time takes the nearest day of its sentence, else the publication
date.

Resolution of dates without a year ("in March", "the third quarter"): the last year written out
earlier in the same sentence (not one after "since"/"until") wins unless the tense contradicts
it (a year in an earlier sentence does not: news paragraphs mix history with the present);
otherwise the tense of the governing verb decides: past -> the most recent such date on or before
publication, future or present -> the next one on or after it (but the figure a present tense
compares with is in the past: "That is down from 7.33 million in November"), a date naming a noun ("October
data", or "data for October" under a present tense) or no verb -> ``default_direction``
("nearest" by default). Weekdays follow the same rule. A modal ("would cut jobs by September") or
an infinitive ("a buyback to be completed by June") looks forward even inside a past report; a
gerund after "after"/"since" ("after announcing cuts on Tuesday") looks back; a headline's present
tense is the historic present of news ("Employers add 175,000 jobs in April") and states no
direction. "last August" is the latest August before the publication month. Events ahead are not
put in the past: a noun marked as ahead ("the upcoming vote on March 12", "a strike planned for
Thursday") looks forward, a past-tense verb of forecasting ("guided for sales in the second quarter")
states no direction, and a day without a year at most two weeks after publication is that coming
day even under a past tense ("called a strike for March 20").

The time unit of a rate of things ("500,000 barrels per day", "1,000 patients a day") is a unit of
measure, not a set; rates of change, frequencies and prices ("5% a year", "twice a week", "$3 a
day") stay sets. "the January-March period" is the months, "January-March" (2025-Q1); the date
line's row is its date without the time of day after it.

Comparisons: "a year earlier" / "a year ago" as the other side of a figure ("down from 3.4% a year
earlier", "$2.8 billion a year ago") is the period the figure is for, a year back, at its precision:
the last period set as a scene in the same sentence, else in the sentence before, else in the lead
("inflation in March" -> 2024-03, "first-quarter profit" -> 2024-Q1); in a past-tense comparison only
a period that is over counts. Without one, the year before the publication (or the last) date.

Anaphora: "the same year", "that month", "the following day" count from the last date mentioned;
a bare "the year", "the half", "the quarter", "the month" after a preposition ("profit in the
quarter") is the last period of that length the text is about (one that sets the scene, not one
it is compared with: "up from 41% in Q2"); with no such period before it, it is not an expression.
"""
from __future__ import annotations

import calendar
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

import holidays
import numpy as np
import spacy
import yaml
from lunardate import LunarDate
from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, POS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.schemas import validate_token_pattern
from spacy.strings import get_string_id
from spacy.symbols import PUNCT
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .scan import columns, entities_of
from .sentences import WORD_COLUMNS, SentenceIndex

RESOURCES = Path(__file__).parent / "resources" / "dates.yaml"
DATE_LABELS = ("DATE", "TIME")

_N = r"(?:\d+(?:\.\d+)?|X)"
VALUE_GRAMMAR = re.compile(
    r"\d{4}(?:-(?:\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?|Q[1-4]|H[12]|SP|SU|FA|WI|W\d{2}(?:-WE)?))?"
    r"|\d{2,3}|PAST_REF|PRESENT_REF|FUTURE_REF"
    rf"|P(?=[\dXT])(?:{_N}Y)?(?:{_N}M)?(?:{_N}W)?(?:{_N}D)?(?:T(?=[\dX])(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?(?<!T)"
    r"|XXXX-WXX-[1-7]|XXXX-\d{2}|XXXX-(?:SP|SU|FA|WI)"
)

# Preposition before an expression -> the relation it states; the others are just dropped.
RELATIONS = {
    "since": "since", "as of": "as_of",
    "until": "until", "till": "until", "til": "until", "up until": "until", "through": "until",
    "by": "until", "before": "until",
}
_DROPPED = {"in", "on", "at", "during", "of", "to", "for", "within", "over", "throughout", "between", "from", "after",
            "around", "about", "into", "across", "than", "and", "or"}
_APPROX = ("more than", "less than", "fewer than", "at least", "at most", "up to", "close to", "just over",
           "just under", "well over", "over", "under", "about", "around", "nearly", "almost", "some",
           "roughly", "approximately", "only", "just")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {"sept": 9, "june": 6, "july": 7}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINALS |= {"twenty-first": 21, "twenty first": 21, "final": 4}
_VAGUE_COUNTS = {"few", "a few", "several", "many", "some", "a couple of", "couple of", "a number of", "dozens of",
                 "hundreds of", "thousands of", "tens of thousands of", "millions of", "countless"}
_UNITS = ("year", "month", "week", "day", "decade", "century", "quarter", "hour", "minute", "second", "fortnight")
_PLURAL_UNITS = {"centuries": "century"} | {u + "s": u for u in _UNITS}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
_PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
_SET_ADVERBS = {"annually": "P1Y", "yearly": "P1Y", "quarterly": "P3M", "monthly": "P1M", "weekly": "P1W",
                "daily": "P1D", "hourly": "PT1H", "nightly": "P1D"}

_MONTH_RE = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:1\d|20|21)\d\d)"
_WEEKDAY_RE = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_UNIT_RE = r"(?P<unit>" + "|".join(sorted([*_UNITS, *_PLURAL_UNITS], key=len, reverse=True)) + r")"
_COUNT_RE = (r"(?P<count>[\d.]+(?: (?:thousand|million|billion))?|a|an|one"
             r"|[a-z]+(?:[- ][a-z]+)?(?: (?:thousand|million|billion))?(?: of)?)")
_TIME_ZONES = ("gmt", "utc", "et", "est", "edt", "bst", "cet", "cest", "pt", "pst", "pdt", "ct", "cst", "jst", "hkt")
_CLOCK_RE = (r"(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))? ?(?P<ap>a\.?m\.?|p\.?m\.?)?"
             r"(?: (?:[a-z]+ time|[a-z]+ standard time|" + "|".join(_TIME_ZONES) + "))?")


@dataclass(frozen=True)
class Timex:
    value: str
    kind: str = "date"
    start_date: date | None = None
    end_date: date | None = None
    anchor: date | None = None


@dataclass(frozen=True)
class Context:
    """What a relative expression is resolved against."""

    published: date | None
    reference: Timex | None = None  # the last calendar date mentioned before the expression
    context_year: int | None = None  # the last year written out earlier in the same sentence
    direction: str | None = None  # "past" | "present" | "future" from the governing verb's tense
    default_direction: str = "nearest"
    after_number: bool = False  # "5 percent a year": "a year" is a rate (set), not a duration
    periods: dict[str, Timex] = field(default_factory=dict)  # the last year, half, quarter, month the text is about
    compared: Timex | None = None  # the period a comparison ("up from 3% a year earlier") shifts, if it is one


@dataclass(frozen=True)
class Resources:
    festivals: dict[str, dict]
    past_ref: frozenset[str]
    present_ref: frozenset[str]
    future_ref: frozenset[str]
    not_dates: frozenset[str]
    non_temporal_heads: frozenset[str]
    game_cues: frozenset[str]
    forward_governors: frozenset[str]
    forecast_verbs: frozenset[str]
    forward_modifiers: frozenset[str]


@cache
def resources(path: Path = RESOURCES) -> Resources:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    festivals = {name: entry for entry in data["festivals"] for name in entry["names"]}
    lists = {key: frozenset(data[key]) for key in ("past_ref", "present_ref", "future_ref", "not_dates",
                                                   "non_temporal_heads", "game_cues", "forward_governors",
                                                   "forecast_verbs", "forward_modifiers")}
    return Resources(festivals=festivals, **lists)


# ---------------------------------------------------------------- values and their calendar intervals

# Values repeat within and across articles ("2024", "2024-03") and every Timex made asks: a pure
# function of the string, remembered.
@lru_cache(maxsize=4096)
def interval(value: str) -> tuple[date | None, date | None]:
    """The calendar interval a date value covers ("2023-12" -> 2023-12-01 .. 2023-12-31)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return _month_interval(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, q = int(m[1]), int(m[2])
        return _month_interval(year, 3 * q - 2)[0], _month_interval(year, 3 * q)[1]
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        year, h = int(m[1]), int(m[2])
        return _month_interval(year, 6 * h - 5)[0], _month_interval(year, 6 * h)[1]
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        year, (first, last) = int(m[1]), _SEASON_MONTHS[m[2]]
        return (_month_interval(year + (first - 1) // 12, (first - 1) % 12 + 1)[0],
                _month_interval(year + (last - 1) // 12, (last - 1) % 12 + 1)[1])
    if m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
        year, week = int(m[1]), int(m[2])
        first = 6 if m[3] else 1
        return date.fromisocalendar(year, week, first), date.fromisocalendar(year, week, 7)
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), date(int(value), 12, 31)
    if re.fullmatch(r"\d{3}", value):
        return date(int(value) * 10, 1, 1), date(int(value) * 10 + 9, 12, 31)
    if re.fullmatch(r"\d{2}", value):
        return date(max(int(value) * 100, 1), 1, 1), date(int(value) * 100 + 99, 12, 31)
    return None, None


def _month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _date(value: str, anchor: date | None = None) -> Timex:
    start, end = interval(value)
    return Timex(value, "date", start, end, anchor)


def _day(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _quarter(d: date) -> str:
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def _shift_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _at(d: date, unit: str) -> str:
    """``d`` written at the granularity of ``unit`` ("year", "month", "quarter", "week", "day", "decade", "century")."""
    return {"year": lambda: f"{d.year:04d}", "month": lambda: f"{d.year:04d}-{d.month:02d}",
            "week": lambda: _week(d), "day": lambda: _day(d), "quarter": lambda: _quarter(d),
            "decade": lambda: f"{d.year // 10:03d}", "century": lambda: f"{d.year // 100:02d}"}[unit]()


def _shift(d: date, unit: str, n: int) -> date | None:
    """``d`` moved by ``n`` units; None when that leaves the years 1..9999."""
    months = {"year": 12, "decade": 120, "century": 1200, "quarter": 3, "month": 1}
    try:
        if unit in months:
            return _shift_months(d, n * months[unit])
        return d + timedelta(days=n * {"week": 7, "day": 1, "fortnight": 14}[unit])
    except (ValueError, OverflowError):
        return None


# ---------------------------------------------------------------- festivals

def festival_date(entry: dict, year: int) -> date | None:
    """The Gregorian date of a festival entry of ``resources/dates.yaml`` in ``year``."""
    if "lunar" in entry:
        month, day = entry["lunar"]
        try:
            solar = LunarDate(year, month, day).to_solar_date()
        except ValueError:
            return None
        return solar + timedelta(days=entry.get("offset_days", 0))
    if "holiday" in entry:
        return _holiday(entry["holiday"][0], entry["holiday"][1], year)
    month, day = entry["fixed"]
    return date(year, month, day)


@cache
def _holiday(country: str, name: str, year: int) -> date | None:
    try:
        calendar_ = holidays.country_holidays(country, years=year, language="en_US")
    except NotImplementedError:
        calendar_ = holidays.country_holidays(country, years=year)
    days = sorted(d for d, names in calendar_.items() if name in names.split("; "))
    return days[0] if days else None


# ---------------------------------------------------------------- numbers

def parse_count(text: str) -> float | None:
    """'3', '21,000', '3.5 billion', 'a', 'twenty-five', 'three hundred' -> the number; None if not a count."""
    text = text.strip()
    scale = 1.0
    if m := re.fullmatch(r"(?P<n>.+) (?P<scale>thousand|million|billion)", text):
        text, scale = m["n"], {"thousand": 1e3, "million": 1e6, "billion": 1e9}[m["scale"]]
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * scale
    if text in ("a", "an", "one"):
        return scale
    if text in ("a couple", "couple", "a couple of"):
        return 2.0 * scale
    if text in ("a dozen", "dozen"):
        return 12.0 * scale
    total, current = 0, 0
    for word in re.split(r"[- ]+", text):
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred" and current:
            current *= 100
        elif word == "thousand" and current:
            total, current = total + current * 1000, 0
        elif word != "and":
            return None
    return float(total + current) * scale if total + current else None


def _number_text(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


# ---------------------------------------------------------------- normalisation: text -> Timex

_QUOTES_AND_DASHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"})


@lru_cache(maxsize=4096)  # every expression is cleaned when it is chosen, and again when it is placed
def _clean(text: str) -> str:
    t = text.lower().translate(_QUOTES_AND_DASHES)
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = re.sub(r"[,;()\"]", " ", t)
    return re.sub(r"\s+", " ", t).strip(" .:")


def normalise(text: str, ctx: Context) -> Timex | None:
    """TIMEX3-style value of one temporal expression (text without a leading preposition), or None.

    None means "not a temporal expression we can place": that is how look-alikes are rejected.
    """
    t = _clean(text)
    had_the = t.startswith("the ")
    t = re.sub(r"^(?:the|a period of) ", "", t)
    res = resources()
    if not t or t in res.not_dates:
        return None
    for values, ref in ((res.past_ref, "PAST_REF"), (res.present_ref, "PRESENT_REF"), (res.future_ref, "FUTURE_REF")):
        if t in values:
            return Timex(ref, anchor=ctx.published)
    for rule in (_set, _period_ending, _duration_or_ago, _edge, _absolute_or_partial, _relative, _decade_or_century,
                 _clock):
        timex = rule(t, had_the, ctx)
        if timex is not None:
            return timex
    approx = _APPROX_PREFIX_RE.fullmatch(t)
    return normalise(approx["rest"], ctx) if approx else None


# The patterns the rules below build from word lists, compiled once: they are tried on every candidate.
_APPROX_PREFIX_RE = re.compile("(?:" + "|".join(_APPROX) + ") (?P<rest>.+)")
_EVERY_WEEKDAY_RE = re.compile(r"(?:every|each) " + _WEEKDAY_RE + "s?")
_EVERY_MONTH_RE = re.compile(r"(?:every|each) " + _MONTH_RE)
_EVERY_SEASON_RE = re.compile(r"(?:every|each) (?P<season>" + "|".join(_SEASONS) + ")")


def _set(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """'every year', 'twice a week', 'annually', 'every Monday', 'every January'; 'a year' after a number."""
    if t in _SET_ADVERBS:
        return Timex(_SET_ADVERBS[t], "set")
    if t in ("per annum", "per year") or t == "a year" and ctx.after_number:
        return Timex("P1Y", "set")
    t = t.replace(" single ", " ")
    if m := _EVERY_WEEKDAY_RE.fullmatch(t):
        return Timex(f"XXXX-WXX-{_WEEKDAYS[m['wd']] + 1}", "set")
    if m := _EVERY_MONTH_RE.fullmatch(t):
        return Timex(f"XXXX-{_MONTHS[m['mon']]:02d}", "set")
    if m := _EVERY_SEASON_RE.fullmatch(t):
        return Timex(f"XXXX-{_SEASONS[m['season']]}", "set")
    m = re.fullmatch(r"(?:(?:once|twice|thrice|[\w-]+ times) )?(?:every|each|per|a|an)(?P<other> other)? (?P<rest>.+)",
                     t)
    if m is None or t.startswith(("a ", "an ")) and not ctx.after_number:
        return None
    rest = m["rest"]
    amount = _amount(rest) if re.match(r"[\d\w]+[- ]", rest) else _amount("1 " + rest)
    if amount is None or None in amount.values():
        return None
    if m["other"]:
        amount = {unit: 2 * n for unit, n in amount.items()}
    return Timex(_period(amount), "set")


def _unit(word: str) -> str:
    return _PLURAL_UNITS.get(word, word)


_PERIOD_ORDER = (("year", "Y", 1), ("decade", "Y", 10), ("century", "Y", 100), ("quarter", "M", 3),
                 ("month", "M", 1), ("fortnight", "W", 2), ("week", "W", 1), ("day", "D", 1),
                 ("hour", "H", 1), ("minute", "M", 1), ("second", "S", 1))
_ADJECTIVES_OF_LENGTH = ("consecutive", "straight", "successive", "full", "additional", "more", "further", "extra",
                         "long", "whole", "entire", "previous", "past", "last", "next", "first")
_AMOUNT_PART_RE = re.compile(_COUNT_RE + r"[- ]" + _UNIT_RE)
_AND_A_HALF_RE = re.compile(r"(?P<n>[\w.-]+) and a half " + _UNIT_RE)
_HALF_UNIT_RE = re.compile(r"half an? " + _UNIT_RE)
_LENGTH_ADJECTIVE_RE = re.compile(r"(?<=\S) (?:" + "|".join(_ADJECTIVES_OF_LENGTH) + r")(?= )")


def _amount(t: str) -> dict[str, float | None] | None:
    """'three hours and 44 minutes' -> {'hour': 3, 'minute': 44}; a vague count ('several weeks') -> None."""
    amount: dict[str, float | None] = {}
    if m := _AND_A_HALF_RE.fullmatch(t):
        n = parse_count(m["n"])
        return {_unit(m["unit"]): n + 0.5} if n is not None else None
    for part in re.split(r",? and ", t):
        if part in ("a half", "one half") and amount and None not in amount.values():
            unit = list(amount)[-1]
            amount[unit] += 0.5
            continue
        if m := _HALF_UNIT_RE.fullmatch(part):
            amount[_unit(m["unit"])] = 0.5
            continue
        m = _AMOUNT_PART_RE.fullmatch(_LENGTH_ADJECTIVE_RE.sub("", part))
        if m is None or _unit(m["unit"]) in amount:
            return None
        word = m["count"].removesuffix(" of")
        n = parse_count(word)
        if n is None and not (word in _VAGUE_COUNTS or m["count"] in _VAGUE_COUNTS):
            return None
        amount[_unit(m["unit"])] = n
    return amount or None


def _period(amount: dict[str, float | None]) -> str:
    """TIMEX3 duration of an amount: {'year': 2, 'month': 3} -> 'P2Y3M', {'hour': 3} -> 'PT3H'.

    Decades, centuries, quarters and fortnights are written in years, months and weeks.
    """
    date_part, time_part = {}, {}
    for unit, smaller, factor in (("year", "month", 12), ("hour", "minute", 60), ("minute", "second", 60)):
        n = amount.get(unit)
        if n is not None and n != int(n) and amount.get(smaller, 0) is not None:
            amount = {**amount, unit: int(n), smaller: amount.get(smaller, 0) + (n - int(n)) * factor}
            amount = {u: v for u, v in amount.items() if v != 0}
    for unit, code, factor in _PERIOD_ORDER:
        if unit in amount:
            part = time_part if unit in ("hour", "minute", "second") else date_part
            n = amount[unit]
            part[code] = None if n is None or part.get(code, 0) is None else part.get(code, 0) + n * factor
    text = "".join(("X" if n is None else _number_text(n)) + code for code, n in date_part.items())
    if time_part:
        text += "T" + "".join(("X" if n is None else _number_text(n)) + code for code, n in time_part.items())
    return "P" + text


_DURATION_RE = re.compile(
    r"(?:(?:past|last|next|coming|previous|first|final|following|latest|prior|another|over) )?"
    r"(?:(?:" + "|".join(_APPROX) + r") )?(?P<amount>.+?)(?: long| in a row| running| straight| or so| or more)?")


def _period_ending(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """'the three months to January', 'the year to March', 'the 12 months ended June 30': a period
    named by its end, valued as that end (TIMEX3 would write a duration with an end point)."""
    if not had_the:
        return None  # "postponed by three months to April" is a shift and a new date, not one period
    m = re.fullmatch(r"(?P<length>.+?) (?:to|ending|ended|through) (?P<end>.+)", t)
    if m is None or not (m["length"] in ("year", "quarter") or _amount(m["length"])):
        return None
    end = normalise(m["end"], ctx)
    return end if end is not None and end.kind == "date" and end.start_date is not None else None


_AGO_RE = re.compile(r"(?:(?:" + "|".join(_APPROX) + r") )?(?P<amount>.+?) (?P<dir>ago|back|earlier|before|"
                     r"later|after|from now|hence|prior)")
_BARE_UNIT_RE = re.compile(r"(?:(?:past|last|next|coming|previous) )?" + _UNIT_RE)
_ONE_AND_A_HALF_RE = re.compile(r"(?P<n>an?|one) " + _UNIT_RE + r" and a half")


def _duration_or_ago(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """Durations ('for five years', 'the past three months', '2 hours and 30 minutes') and
    'N units ago/earlier/later', placed at the unit's granularity."""
    if m := _AGO_RE.fullmatch(t):
        return _ago(m["amount"], m["dir"], ctx)
    if re.search(r"\bold\b|-olds?$", t):
        return None
    if m := _DURATION_RE.fullmatch(t):
        amount = _amount(m["amount"])
        if amount is not None:
            if ctx.after_number and re.fullmatch(r"an? \w+", m["amount"]):
                return Timex(_period(amount), "set")
            return Timex(_period(amount), "duration")
    if m := _BARE_UNIT_RE.fullmatch(t):
        unit = _unit(m["unit"])
        if m["unit"] != unit:  # plural without a count: "for years", "the past decades"
            return Timex(_period({unit: None}), "duration")
        if had_the and t.startswith(("past ", "last ", "next ", "coming ")) and unit not in ("quarter", "century",
                                                                                          "day"):
            return Timex(_period({unit: 1}), "duration")  # "over the past year"; "the next day" is a date
    if m := _ONE_AND_A_HALF_RE.fullmatch(t):
        return Timex(_period({_unit(m["unit"]): 1.5}), "duration")
    return None


def _ago(text: str, direction_word: str, ctx: Context) -> Timex | None:
    amount = _amount(text)
    if amount is None or len(amount) != 1:
        return None
    (unit, n), = amount.items()
    backwards = direction_word in ("ago", "back", "earlier", "before", "prior")
    deictic = direction_word in ("ago", "back", "from now", "hence")
    base = ctx.published if deictic or ctx.reference is None else ctx.reference.start_date
    if base is None or unit in ("hour", "minute", "second"):
        return None
    if n is None:
        return Timex("PAST_REF" if backwards else "FUTURE_REF", anchor=base)
    if n != int(n):
        return None
    if ctx.compared is not None and backwards and (unit, n) == ("year", 1):
        return _year_earlier(ctx.compared.value, ctx.compared.start_date)  # the same month or quarter a year back
    moved = _shift(base, unit, -int(n) if backwards else int(n))
    if moved is None or moved.year < 1000:
        return Timex("PAST_REF" if backwards else "FUTURE_REF", anchor=base)
    granularity = {"fortnight": "week", "decade": "year", "century": "year"}.get(unit, unit)
    return _date(_at(moved, granularity), anchor=base)


_EDGE_RE = re.compile(
    r"(?P<edge>(?:very )?(?:early|earlier|late|later|mid|middle|end|start|beginning|close|turn|rest|remainder"
    r"|first half|second half|latter half|first part|latter part|early part|bulk|spring|summer|autumn|fall|winter"
    r"|first (?:\w+ )?(?:months|weeks|days|quarters)|(?:last|final|past) (?:\w+ )?(?:months|weeks|days|quarters))"
    r")(?:-| of (?:the )?| in | on | )(?P<rest>.+)")


def _edge(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """'early 2024', 'mid-November', 'the end of the year', 'the first half of 2025', 'summer of 2019'.

    The value is that of the period the edge word qualifies (TIMEX3 would add mod="START" etc.).
    """
    m = _EDGE_RE.fullmatch(t)
    if m is None:
        return None
    edge, rest = m["edge"].removeprefix("very "), m["rest"].removeprefix("the ")
    if edge == "winter" and (years := re.fullmatch(_YEAR_RE + r"[-/](?P<next>\d{4}|\d{2})", rest)) \
            and int(years["next"]) % 100 == (int(years["year"]) + 1) % 100:
        return _date(f"{years['year']}-WI")  # "the winter of 2019-2020" runs from December 2019
    if rest in ("year", "month", "week", "quarter"):
        timex = _ambient(rest, ctx)
    else:
        timex = normalise(rest, replace(ctx, after_number=False))
    if timex is None or timex.kind != "date" or timex.start_date is None:
        return None
    if edge in _SEASONS and re.fullmatch(r"\d{4}", timex.value):
        return _date(f"{timex.value}-{_SEASONS[edge]}", timex.anchor)
    if edge in ("first half", "second half", "latter half") and re.fullmatch(r"\d{4}", timex.value):
        return _date(f"{timex.value}-H{1 if edge == 'first half' else 2}", timex.anchor)
    if edge in _SEASONS or edge.endswith("half"):
        return None
    return timex


def _ambient(unit: str, ctx: Context) -> Timex | None:
    """'the year', 'the month' after an edge word: the sentence's year, else the publication date's."""
    if unit == "year" and ctx.context_year:
        return _date(f"{ctx.context_year:04d}")
    if ctx.published is None:
        return None
    return _date(_at(ctx.published, unit), anchor=ctx.published)


_MONTH_DAY_RE = re.compile(_MONTH_RE + " " + _DAY_RE + r"(?:-[0-3]?\d)?")  # "Nov. 6-7": its first day
_DAY_MONTH_RE = re.compile(_DAY_RE + " (?:of )?" + _MONTH_RE)
_MONTH_ONLY_RE = re.compile(_MONTH_RE)
_MONTH_RANGE_RE = re.compile(
    _MONTH_RE.replace("mon", "first") + r"(?:(?:-| to | through )" + _MONTH_RE.replace("mon", "last")
    + r" (?:quarter|period|half|season)|-" + _MONTH_RE.replace("mon", "end") + ")")


def _partial(t: str) -> Callable[[int], str | None] | None:
    """A date without its year -> a function that writes it for a given year."""
    res = resources()
    if t in res.festivals:
        entry = res.festivals[t]
        return lambda year: (lambda d: _day(d) if d else None)(festival_date(entry, year))
    if m := _MONTH_DAY_RE.fullmatch(t) or _DAY_MONTH_RE.fullmatch(t):
        month, day = _MONTHS[m["mon"]], int(m["day"])
        return lambda year: _day(date(year, month, day)) if 1 <= day <= calendar.monthrange(year, month)[1] else None
    if m := _MONTH_ONLY_RE.fullmatch(t):
        return lambda year, month=_MONTHS[m["mon"]]: f"{year:04d}-{month:02d}"
    if m := _MONTH_RANGE_RE.fullmatch(t):
        return _month_range(_MONTHS[m["first"]], _MONTHS[m["last"] or m["end"]])  # "January-March" alone too
    if m := re.fullmatch(r"q(?P<q>[1-4])|(?P<ord>\w+)[- ](?:fiscal |calendar )?quarter", t):
        q = int(m["q"]) if m["q"] else _ORDINALS.get(m["ord"]) if m["ord"] in _ORDINALS else None
        if q is None or q > 4:
            return None
        return lambda year: f"{year:04d}-Q{q}"
    if m := re.fullmatch(r"(?P<ord>first|second|1st|2nd) half|h(?P<h>[12])", t):
        h = int(m["h"]) if m["h"] else 1 if m["ord"] in ("first", "1st") else 2
        return lambda year: f"{year:04d}-H{h}"
    if t in _SEASONS:
        return lambda year: f"{year:04d}-{_SEASONS[t]}"
    return None


def _month_range(first: int, last: int) -> Callable[[int], str | None] | None:
    """'the July-September quarter' is a quarter, 'the January-June period' a half year, 'the
    June-August period' a (meteorological) season; other month ranges are no single period."""
    if last - first == 2 and first % 3 == 1:
        return lambda year: f"{year:04d}-Q{last // 3}"
    if (first, last) in ((1, 6), (7, 12)):
        return lambda year: f"{year:04d}-H{last // 6}"
    season = next((code for code, (a, b) in _SEASON_MONTHS.items() if (a, (b - 1) % 12 + 1) == (first, last)), None)
    return (lambda year: f"{year:04d}-{season}") if season else None


_CALENDAR_YEAR_RE = re.compile(r"(?:(?:calendar )?year )?" + _YEAR_RE)
_SPLIT_YEAR_RE = re.compile(r"(?:fiscal(?: year)? |fy ?)?" + _YEAR_RE + r"[-/](?P<next>\d{2})"
                            r"(?: (?:financial|fiscal|tax|academic|school) year| season)?")


def _year(t: str, ctx: Context) -> tuple[int, bool] | None:
    """A year expression -> (year, is_fiscal)."""
    if m := _CALENDAR_YEAR_RE.fullmatch(t):
        return int(m["year"]), False
    if m := _SPLIT_YEAR_RE.fullmatch(t):
        if int(m["next"]) == (int(m["year"]) + 1) % 100:  # "2022-23": named by its first year, no calendar interval
            return int(m["year"]), True
    if m := re.fullmatch(r"(?:fiscal(?: year)? |fy ?)(?P<fy>\d{4}|'?\d{2})"
                         r"|(?P<year>\d{4}) (?:fiscal|financial) year", t):
        digits = (m["fy"] or m["year"]).lstrip("'")
        return (int(digits) if len(digits) == 4 else 2000 + int(digits)), True
    if m := re.fullmatch(r"(?:(?P<which>this|current|last|next|previous|prior|following|coming|same) year|that year"
                         r"|year (?P<rel>before|after))", t):
        which = {"before": "previous", "after": "following"}.get(m["rel"], m["which"] or "same")
        if which in ("this", "current", "last", "next", "coming"):
            if ctx.published is None:
                return None
            return ctx.published.year + {"last": -1, "next": 1, "coming": 1}.get(which, 0), False
        ref = ctx.reference.start_date if ctx.reference and ctx.reference.start_date else ctx.published
        if ref is None:
            return None
        return ref.year + {"previous": -1, "prior": -1, "following": 1}.get(which, 0), False
    return None


_WEEKDAY_BEFORE_DATE_RE = re.compile(r"^" + _WEEKDAY_RE + r" (?=.*\d)")


def _absolute_or_partial(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """Absolute dates, and dates without a year placed by context: 'Nov. 5, 2024', 'Q3', 'May 2024'."""
    t = _WEEKDAY_BEFORE_DATE_RE.sub("", t)
    if m := re.fullmatch(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})", t):
        return _checked_day(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := re.fullmatch(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})", t):
        a, b = int(m["a"]), int(m["b"])
        return _checked_day(int(m["y"]), a, b) if a <= 12 else _checked_day(int(m["y"]), b, a)
    year = _year(t, ctx)
    if year is not None:
        return _fiscal(_date(f"{year[0]:04d}", _anchor_of(t, ctx)), year[1])
    words = t.split(" ")
    for i in range(1, len(words)):
        for head, tail in ((words[:i], words[i:]), (words[i:], words[:i])):
            make = _partial(" ".join(head))
            if make is None:
                continue
            tail_text = re.sub(r"^(?:of|in|for) (?:the )?", "", " ".join(tail))
            year = _year(tail_text, ctx)
            if year is not None:
                value = make(year[0])
                return _fiscal(_date(value, _anchor_of(tail_text, ctx)), year[1]) if value else None
    make = _partial(t)
    return _resolve(make, ctx) if make else None


def _checked_day(year: int, month: int, day: int) -> Timex | None:
    try:
        return _date(_day(date(year, month, day)))
    except ValueError:
        return None


def _fiscal(timex: Timex, fiscal: bool) -> Timex:
    return replace(timex, start_date=None, end_date=None) if fiscal else timex


def _anchor_of(year_text: str, ctx: Context) -> date | None:
    """The date a year expression was resolved against (None when the year is written out)."""
    if re.search(r"\d", year_text):
        return None
    if year_text.startswith(("same", "that", "previous", "prior", "following")) and ctx.reference:
        return ctx.reference.start_date
    return ctx.published


def _resolve(make: Callable[[int], str | None], ctx: Context) -> Timex | None:
    """Place a date without a year: the sentence's year unless the tense contradicts it, else the
    occurrence before (past tense), after (future) or nearest to (no tense) the publication date."""
    pub = ctx.published
    direction = ctx.direction or ctx.default_direction
    if ctx.context_year and (value := make(ctx.context_year)):  # a habitual present never contradicts it
        start, end = interval(value)
        if pub is None or (start <= pub if direction == "past" else end >= pub if direction == "future" else True):
            return _date(value)
    if pub is None:
        return None
    options = [(value, *interval(value)) for y in (pub.year - 1, pub.year, pub.year + 1) if (value := make(y))]
    direction = "future" if direction == "present" else direction
    if direction == "past":
        chosen = [v for v, start, _ in options if start <= pub][-1:]
        soon = [v for v, start, _ in options if pub < start <= pub + timedelta(days=_SOON_DAYS)]
        if soon and re.fullmatch(r"\d{4}-\d{2}-\d{2}", soon[0]):
            chosen = soon  # "called a strike for March 20" a week ahead, not a day almost a year ago
    elif direction == "future":
        chosen = [v for v, _, end in options if end >= pub][:1]
    else:
        chosen = [v for v, _, _ in sorted(options, key=lambda o: (_distance(o[1], o[2], pub), o[1]))][:1]
    return _date(chosen[0], anchor=pub) if chosen else None


# A day without a year this close after publication is that coming day even under a past tense
# (news writes the year of a day almost a year back).
_SOON_DAYS = 14


def _distance(start: date, end: date, day: date) -> int:
    return 0 if start <= day <= end else min(abs((start - day).days), abs((end - day).days))


_WEEKDAY_PHRASE_RE = re.compile(r"(?:(?P<which>last|this|next|past|coming) )?" + _WEEKDAY_RE
                                + r"(?: (?:" + "|".join(_PARTS_OF_DAY) + r"))?")
_WHICH_MONTH_RE = re.compile(r"(?P<which>last|next|this|coming) " + _MONTH_RE)
_WHICH_UNIT_RE = re.compile(r"(?P<which>this|current|last|next|past|coming|previous|prior|following|same) "
                            r"(?P<unit>week|weekend|month|quarter|decade|century|" + "|".join(_SEASONS) + ")")


def _relative(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """Deictic and anaphoric expressions: 'yesterday', 'on Monday', 'last week', 'the same month'."""
    pub = ctx.published
    t = re.sub(r"'s$", "", t)
    day_words = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
                 "day before yesterday": -2, "day after tomorrow": 2}
    day_words |= {f"{w} {p}": d for w, d in (("this", 0), ("yesterday", -1), ("tomorrow", 1)) for p in _PARTS_OF_DAY}
    if t in day_words:
        return _date(_day(pub + timedelta(days=day_words[t])), anchor=pub) if pub else None
    if m := _WEEKDAY_PHRASE_RE.fullmatch(t):
        return _weekday(_WEEKDAYS[m["wd"]], m["which"], ctx)
    if m := _WHICH_MONTH_RE.fullmatch(t):
        return _named_month(_MONTHS[m["mon"]], m["which"], ctx)
    if m := _WHICH_UNIT_RE.fullmatch(t):
        return _unit_relative(m["which"], m["unit"], ctx)
    if m := re.fullmatch(r"(?:same|that) (?P<unit>day|week|month|quarter)", t):
        return _anaphoric(m["unit"], ctx)
    if m := re.fullmatch(r"same (?P<unit>period|time|month|quarter|day) (?:of |in )?"
                         r"(?:last|a|the previous|the prior) year"
                         r"|(?:year-earlier|year-ago|prior-year|previous-year) (?P<unit2>period|quarter|month|half)"
                         r"|same period a year (?:earlier|ago|before)", t):
        base = ctx.periods.get(m["unit"] or m["unit2"] or "") \
            or (ctx.reference if ctx.reference and ctx.reference.start_date else None)
        value = base.value if base else f"{pub.year:04d}" if pub else None
        return _year_earlier(value, base.start_date if base else pub)
    if m := re.fullmatch(r"(?P<which>next|following|previous|prior) day|day (?P<after>before|after)", t):
        return _anaphoric("day", ctx, -1 if (m["which"] or m["after"]) in ("previous", "prior", "before") else 1)
    if had_the and t in _PERIOD_UNITS and (period := ctx.periods.get(t)):
        return _date(period.value, anchor=period.start_date)  # "in the quarter" after "the July-September quarter"
    if t == "weekend":
        return _weekend(ctx)
    if t in ("year-end", "year end", "end-year"):
        return _ambient("year", ctx)
    if t in ("now", "right now", "currently", "at present"):
        return Timex("PRESENT_REF", anchor=pub)
    return None


_PERIOD_UNITS = ("year", "half", "quarter", "month")
_PERIOD_VALUES = {r"\d{4}": "year", r"\d{4}-H[12]": "half", r"\d{4}-Q[1-4]": "quarter", r"\d{4}-\d{2}": "month"}


@lru_cache(maxsize=4096)
def _period_unit(value: str) -> str | None:
    """Which of 'the year', 'the half', 'the quarter', 'the month' a date value can be referred back to by."""
    return next((unit for pattern, unit in _PERIOD_VALUES.items() if re.fullmatch(pattern, value)), None)


def _weekday(weekday: int, which: str | None, ctx: Context) -> Timex | None:
    pub = ctx.published
    if pub is None:
        return None
    back = (pub.weekday() - weekday) % 7
    forward = (weekday - pub.weekday()) % 7
    if which == "this":
        day = pub + timedelta(days=weekday - pub.weekday())
    elif which == "last":
        day = pub - timedelta(days=back or 7)
    elif which in ("next", "coming"):
        day = pub + timedelta(days=forward or 7)
    elif which == "past" or (ctx.direction or ctx.default_direction) == "past":
        day = pub - timedelta(days=back)
    elif (ctx.direction or ctx.default_direction) in ("present", "future") or forward < back:
        day = pub + timedelta(days=forward)
    else:
        day = pub - timedelta(days=back)
    return _date(_day(day), anchor=pub)


def _named_month(month: int, which: str, ctx: Context) -> Timex | None:
    """'last August' is the latest August before the publication month, 'next March' the first
    March after it, 'this March' the one in the publication year."""
    pub = ctx.published
    if pub is None:
        return None
    year = pub.year
    if which == "last":
        year -= month >= pub.month
    elif which in ("next", "coming"):
        year += month <= pub.month
    return _date(f"{year:04d}-{month:02d}", anchor=pub)


def _weekend(ctx: Context, which: str | None = None) -> Timex | None:
    pub = ctx.published
    if pub is None:
        return None
    saturday = pub + timedelta(days=5 - pub.weekday())
    past = which == "last" or (which is None and (ctx.direction or ctx.default_direction) not in ("present", "future"))
    if which == "next":
        saturday += timedelta(days=7)
    elif past and saturday > pub and which != "this":
        saturday -= timedelta(days=7)
    return _date(_week(saturday) + "-WE", anchor=pub)


def _unit_relative(which: str, unit: str, ctx: Context) -> Timex | None:
    if which == "same":
        return _anaphoric(unit, ctx)
    pub = ctx.published
    if pub is None:
        return None
    if unit == "weekend":
        return _weekend(ctx, {"past": "last", "coming": "next"}.get(which, which))
    if unit in _SEASONS:
        make = _partial(unit)
        direction = {"last": "past", "past": "past", "previous": "past", "next": "future",
                     "coming": "future", "following": "future"}.get(which)
        if direction is None:
            return _date(make(pub.year), anchor=pub)
        timex = _resolve(make, replace(ctx, direction=direction, context_year=None))
        if timex is None:
            return None
        step = 1 if direction == "future" else -1
        if timex.start_date <= pub <= timex.end_date:  # "last summer" said in summer is the one before
            timex = _date(make(pub.year + step), anchor=pub)
        return timex
    base = pub
    if which in ("previous", "prior", "following") and ctx.reference and ctx.reference.start_date:
        base = ctx.reference.start_date
    step = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "prior": -1,
            "next": 1, "coming": 1, "following": 1}[which]
    moved = _shift(base, unit, step)
    return _date(_at(moved, unit), anchor=base) if moved else None


def _anaphoric(unit: str, ctx: Context, step: int = 0) -> Timex | None:
    """'the same month', 'that day', 'the next day': the last date mentioned, at that granularity."""
    ref = ctx.reference
    if ref is None or ref.start_date is None:
        return None
    precision = {"year": 4, "month": 7, "quarter": 7, "week": 8, "day": 10}
    if unit not in precision or len(ref.value) < precision[unit] or (unit == "quarter") != ("-Q" in ref.value):
        return None
    if unit == "week" and "-W" not in ref.value:
        return _date(_week(ref.start_date), anchor=ref.start_date)
    if unit == "day" and not re.match(r"\d{4}-\d{2}-\d{2}", ref.value):
        return None
    moved = _shift(ref.start_date, unit, step)
    return _date(_at(moved, unit), anchor=ref.start_date) if moved else None


def _year_earlier(value: str | None, anchor: date | None) -> Timex | None:
    if value is None or not re.match(r"\d{4}", value):
        return None
    return _date(f"{int(value[:4]) - 1:04d}{value[4:]}", anchor=anchor)


_DECADE_WORDS = {w: i for i, w in enumerate(
    "_ _ twenties thirties forties fifties sixties seventies eighties nineties".split()) if i > 1}


_DECADE_RE = re.compile(r"'?(?P<d>\d)0s|(?P<w>" + "|".join(_DECADE_WORDS) + ")")


def _decade_or_century(t: str, had_the: bool, ctx: Context) -> Timex | None:
    if m := re.fullmatch(r"(?P<y>\d{2})00s", t):
        if int(m["y"]) < 20:  # "the 1800s" is a century; "the 2000s" a decade
            return _date(m["y"])
        return _date(m["y"] + "0")
    if m := re.fullmatch(r"(?P<y>\d{3})0s", t):
        return _date(m["y"])
    if m := _DECADE_RE.fullmatch(t):
        digit = int(m["d"]) if m["d"] else _DECADE_WORDS[m["w"]]
        pub_year = ctx.published.year if ctx.published else 2000
        century = 19 if digit * 10 > pub_year % 100 else 20
        return _date(f"{century}{digit}")
    if m := re.fullmatch(r"(?P<n>\d{1,2})(?:st|nd|rd|th) century|(?P<w>[a-z-]+(?: first)?) century", t):
        n = int(m["n"]) if m["n"] else _ORDINALS.get(m["w"])
        if n is None or m["w"] == "final":
            return None
        return _date(f"{n - 1:02d}")
    return None


_NAMED_TIMES = {"noon": "T12:00", "midday": "T12:00", "midnight": "T00:00"}
_TIME_RE = re.compile(_CLOCK_RE + r"|(?P<named>noon|midday|midnight)"
                      r"|(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d) (?:" + "|".join(_TIME_ZONES) + "|local time)")


def clock_time(text: str) -> str | None:
    """'3 p.m.', '10:30', '1430 GMT', 'noon' -> 'Thh:mm'; None for a bare number."""
    m = _TIME_RE.fullmatch(text)
    if m is None:
        return None
    if m["named"]:
        return _NAMED_TIMES[m["named"]]
    if m["hh"]:
        return f"T{m['hh']}:{m['mm']}"
    if m["ap"] is None and m["min"] is None:
        return None
    hour = int(m["h"])
    if m["ap"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["ap"].startswith("p") else 0)
    return f"T{hour:02d}:{m['min'] or '00'}"


def _clock(t: str, had_the: bool, ctx: Context) -> Timex | None:
    """Clock times, alone ('3 p.m.': value 'Thh:mm' until date_rows finds the day) or with a day."""
    if clock := clock_time(t):
        return Timex(clock)
    words = t.split(" ")
    for i in range(1, len(words)):
        left, right = " ".join(words[:i]), re.sub(r"^(?:on|of|at|around|about) ", "", " ".join(words[i:]))
        for time, day_text in ((left, right), (right, left)):
            clock = clock_time(time)
            day = normalise(day_text, ctx) if clock else None
            if day is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day.value):
                return replace(day, value=day.value + clock)
    return None


# ---------------------------------------------------------------- detection on the Doc

def _year_token(text: str) -> bool:
    return bool(re.fullmatch(r"(?:1[0-9]|20|21)\d\d", text))


class _WordClassMatcher(Matcher):
    """A Matcher whose rules test their first word against a list or a regular expression
    (``{"LOWER": {"IN": [...]}}``, ``{"TEXT": {"REGEX": ...}}``) as a lexeme flag of the vocabulary:
    computed once per word the vocabulary holds and checked in C. The Matcher tries every rule's
    first word at every token it is given, by calling a Python predicate: the date rules' main
    cost. The later words of a rule are tried only where its start matched and stay predicates
    (an English vocabulary has 46 free flag bits; these rules take 27). Matches are the same.

    Rules are checked when added but take effect at :meth:`compile`, so that the flags of all
    their word classes are computed in one pass over the vocabulary (:func:`_add_flags`):
    ``Vocab.add_flag`` walks all of it once per flag, most of the cost of building the date rules."""

    def __init__(self, vocab: Vocab, **kwargs):
        super().__init__(vocab, **kwargs)
        self._pending: list[tuple[str, list[list[dict]], dict]] = []

    def add(self, key: str, patterns: list[list[dict]], **kwargs) -> None:
        # spaCy's schema knows no flag by number, so the rules are checked as written, before the change
        for pattern in patterns:
            if errors := validate_token_pattern(pattern):
                raise ValueError(f"date rule {key} {pattern}: {errors}")
        self._pending.append((key, patterns, kwargs))

    def __call__(self, *args, **kwargs):
        if self._pending:
            raise RuntimeError(f"date rules {[key for key, _, _ in self._pending]} added but not compiled")
        return super().__call__(*args, **kwargs)

    def compile(self) -> None:
        """Give every rule added since the last call its word classes' flags, and put it to use."""
        classes = {word_class: None for _, patterns, _ in self._pending for pattern in patterns
                   for attr, value in pattern[0].items() if (word_class := _word_class(attr, value))}
        flags = dict(zip(classes, _add_flags(self.vocab, list(classes))))
        for key, patterns, kwargs in self._pending:
            super().add(key, [[_flagged(pattern[0], flags), *pattern[1:]] for pattern in patterns], **kwargs)
        self._pending = []


def _flagged(spec: dict, flags: dict[tuple, int]) -> dict:
    """A token spec with its word class replaced by the class's flag."""
    flagged = {}
    for attr, value in spec.items():
        word_class = _word_class(attr, value)
        if word_class is None:
            flagged[attr] = value
        else:
            flagged[flags[word_class]] = True
    return flagged


def _word_class(attr: str, value) -> tuple[str, str, tuple[str, ...] | str] | None:
    """``(attr, test, words)`` of a token spec's ``{"LOWER"|"TEXT": {"IN"|"REGEX": ...}}``, else None."""
    if attr in ("LOWER", "TEXT") and isinstance(value, dict) and len(value) == 1 and value.keys() <= {"IN", "REGEX"}:
        (test, words), = value.items()
        return attr, test, tuple(words) if test == "IN" else words
    return None


def _flag_getter(attr: str, test: str, words: tuple[str, ...] | str) -> Callable[[str], bool]:
    """Whether a word's text (lower-cased for "LOWER") is one of ``words`` ("IN"), or the regular
    expression ``words`` finds something in it ("REGEX")."""
    normal = str.lower if attr == "LOWER" else str
    if test == "IN":
        members = frozenset(words)
        return lambda text: normal(text) in members
    pattern = re.compile(words)
    return lambda text: pattern.search(normal(text)) is not None


def _add_flags(vocab: Vocab, classes: Sequence[tuple[str, str, tuple[str, ...] | str]]) -> list[int]:
    """New lexeme flags of ``vocab``, one per word class (see :func:`_word_class`), as
    ``vocab.add_flag(_flag_getter(*word_class))`` makes them: set on every word the vocabulary
    holds, and by the getter on every word it adds later. ``Vocab.add_flag`` walks the vocabulary
    once per flag and calls the getter on every word; here one walk looks each word up once in a
    table of all the word lists, and tries the regular expressions one by one only on the words
    one of them matches."""
    free = [bit for bit in range(1, 64) if bit not in vocab.lex_attr_getters][:len(classes)]
    if len(free) < len(classes):
        raise ValueError(f"{len(classes)} lexeme flags asked, {len(free)} free")
    listed: dict[tuple[str, str], int] = {}  # (attr, word) -> the bits of the lists that hold the word
    patterns: dict[str, list[tuple[int, re.Pattern]]] = {"LOWER": [], "TEXT": []}
    for bit, (attr, test, words) in zip(free, classes):
        if test == "IN":
            for word in words:
                listed[attr, word] = listed.get((attr, word), 0) | 1 << bit
        else:
            patterns[attr].append((1 << bit, re.compile(words)))
    # one search tells whether any expression finds something (theirs use no group references)
    any_pattern = {attr: re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in found))
                   for attr, found in patterns.items() if found}
    mask = sum(1 << bit for bit in free)
    for lexeme in vocab:
        text = lexeme.orth_
        forms = {"TEXT": text, "LOWER": text.lower()}
        bits = listed.get(("TEXT", text), 0) | listed.get(("LOWER", forms["LOWER"]), 0)
        for attr, anything in any_pattern.items():
            if anything.search(forms[attr]):
                bits |= sum(bit for bit, pattern in patterns[attr] if pattern.search(forms[attr]))
        lexeme.flags = lexeme.flags & ~mask | bits
    vocab.lex_attr_getters.update(zip(free, (_flag_getter(*word_class) for word_class in classes)))
    return free


_BUILDING_MATCHERS = threading.Lock()


def _matchers(vocab: Vocab) -> tuple[Matcher, PhraseMatcher]:
    """Rules for temporal expressions the model tends to miss; every match must still normalise.

    Built once per vocabulary, under a lock: building takes lexeme flags of the vocabulary, and
    two threads sharing one (a Dask worker's) would otherwise both build, the second finding too
    few flags free."""
    with _BUILDING_MATCHERS:
        return _built_matchers(vocab)


@cache
def _built_matchers(vocab: Vocab) -> tuple[Matcher, PhraseMatcher]:
    year = {"TEXT": {"REGEX": r"^(?:1[0-9]|20|21)\d\d$"}}
    unit = {"LOWER": {"IN": [*_UNITS, *_PLURAL_UNITS]}}
    count = {"LIKE_NUM": True, "OP": "+"}
    month = {"LOWER": {"IN": [*_MONTHS, *(m + "." for m in _MONTHS)]}}
    day = {"TEXT": {"REGEX": r"^[0-3]?\d(?:st|nd|rd|th)?$"}}
    range_word = {"LOWER": {"IN": ["-", "\u2013", "to", "and", "or", "through", "until", "till"]}}
    vague = {"LOWER": {"IN": ["a", "an", "few", "several", "many", "some", "couple", "dozens", "hundreds",
                              "thousands", "millions"]}}
    matcher = _WordClassMatcher(vocab, validate=False)  # validated by its add
    matcher.add("AGO", [[count, unit, {"LOWER": {"IN": ["ago", "earlier", "later"]}}],
                        [vague, {"LOWER": {"IN": ["few", "couple", "of"]}, "OP": "*"}, unit, {"LOWER": "ago"}]])
    matcher.add("SET", [
        [{"LOWER": {"IN": ["every", "each", "per"]}}, {"LOWER": {"IN": ["other", "single"]}, "OP": "?"},
         {"LIKE_NUM": True, "OP": "*"}, unit],
        [{"LOWER": {"IN": ["every", "each"]}},
         {"LOWER": {"IN": [*_WEEKDAYS, *(w + "s" for w in _WEEKDAYS), *_MONTHS, *_SEASONS]}}],
        [{"LOWER": {"IN": ["once", "twice", "thrice"]}}, {"LOWER": {"IN": ["a", "an", "per", "every", "each"]}}, unit],
        [{"LOWER": {"IN": ["annually", "yearly"]}}], [{"LOWER": "per"}, {"LOWER": "annum"}],
        [{"LOWER": {"IN": list(_SET_ADVERBS)}, "POS": "ADV"}],
        [{"LOWER": {"IN": ["a", "per"]}}, {"LOWER": {"IN": ["year", "month", "week", "day"]}}],
    ])
    year_prepositions = sorted({*RELATIONS, *_DROPPED, "as"} - {"at"})  # "at 1430 GMT" is a clock time
    matcher.add("PERIOD", [[{"LOWER": {"IN": ["in", "for", "during", "over", "throughout"]}}, {"LOWER": "the"},
                            {"LOWER": {"IN": [*_PERIOD_UNITS, *_SEASONS]}}]])
    parts = {"LOWER": {"IN": list(_PARTS_OF_DAY)}}
    matcher.add("RELATIVE", [
        [{"LOWER": {"IN": ["this", "last", "next", "coming"]}},
         {"LOWER": {"IN": ["year", "month", "week", "weekend", "quarter", "decade", "century", *_SEASONS,
                           *_WEEKDAYS, *(name.lower() for name in calendar.month_name if name)]}}],
        [{"LOWER": {"IN": ["yesterday", "today", "tomorrow", "tonight", *_WEEKDAYS]}}, parts],
        [{"LOWER": {"IN": ["yesterday", "today", "tomorrow", "tonight"]}}],
        [{"LOWER": "the"}, {"LOWER": {"IN": ["past", "last", "next", "coming", "previous", "following"]}},
         {"LIKE_NUM": True, "OP": "*"}, unit],
    ])
    between = {"LOWER": {"IN": ["of", "at", "least", "around", "about"]}, "OP": "*"}  # "until at least 2025"
    matcher.add("YEAR", [[{"LOWER": {"IN": year_prepositions}}, between, year]])
    matcher.add("YEAR_MODIFIER", [[{"POS": {"IN": ["DET", "PRON"]}}, year, {"POS": {"IN": ["NOUN", "PROPN", "ADJ"]}}]])
    matcher.add("DATE", [
        [month, day, {"TEXT": ",", "OP": "?"}, year], [day, month, {"TEXT": ",", "OP": "?"}, year],
        [month, {"LOWER": "of", "OP": "?"}, year], [month, day], [day, month],
        [month, day, {"TEXT": {"IN": ["-", "\u2013"]}}, day],
        [{"TEXT": {"REGEX": r"^(?:[01]\d|2[0-3])[0-5]\d$"}}, {"LOWER": {"IN": list(_TIME_ZONES)}}],
        [{"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$"}}],
        [month, {"LOWER": {"IN": ["-", "\u2013", "to", "through"]}}, month,
         {"LOWER": {"IN": ["quarter", "period", "half", "season"]}}],
        [year, {"TEXT": {"IN": ["-", "\u2013", "/"]}}, {"TEXT": {"REGEX": r"^\d{2}$"}}],
        [{"TEXT": {"REGEX": r"^(?:1[0-9]|20|21)\d\d[-/]\d{2}$"}}],
        [year, {"LOWER": {"IN": ["fiscal", "financial"]}}, {"LOWER": "year"}],
        [year, {"TEXT": {"IN": ["-", "\u2013", "/"]}}, {"TEXT": {"REGEX": r"^\d{2}$"}},
         {"LOWER": {"IN": ["financial", "fiscal", "tax", "academic", "school"]}}, {"LOWER": "year"}],
        [{"TEXT": {"REGEX": r"^[Qq][1-4]$"}}, year], [year, {"TEXT": {"REGEX": r"^[Qq][1-4]$"}}],
        [{"TEXT": {"REGEX": r"^Q[1-4]$"}}],
        [{"TEXT": {"REGEX": r"^\d{3}0s$"}}],
        [{"LOWER": {"IN": ["first", "second", "third", "fourth"]}}, {"LOWER": "quarter"}, {"LOWER": "of"}, year],
        [{"LOWER": {"IN": ["first", "second"]}}, {"LOWER": "half"}, {"LOWER": "of"}, year],
        [{"LOWER": {"IN": list(_SEASONS)}}, {"LOWER": "of", "OP": "?"}, year],
        [{"LOWER": "winter"}, {"LOWER": "of", "OP": "?"}, year, {"TEXT": {"IN": ["-", "\u2013", "/"]}},
         {"TEXT": {"REGEX": r"^(?:\d{2}|(?:1[0-9]|20|21)\d\d)$"}}],
        [{"LOWER": "winter"}, {"LOWER": "of", "OP": "?"}, {"TEXT": {"REGEX": r"^(?:1[0-9]|20|21)\d\d[-/]\d{2}$"}}],
        [{"LOWER": "the"}, {"LOWER": {"IN": ["same", "following", "previous"]}},
         {"LOWER": {"IN": ["year", "month", "day", "week"]}}],
    ])
    title_month = {"TEXT": {"IN": [name for name in calendar.month_name if name and name != "May"]}}
    weekday = {"LOWER": {"IN": list(_WEEKDAYS)}}
    matcher.add("RANGE", [[year, range_word, year], [month, range_word, month], [weekday, range_word, weekday]])
    matcher.add("MONTH", [[title_month], [{"LOWER": {"IN": [*RELATIONS, *_DROPPED, "early", "late", "mid"]}},
                                          {"TEXT": "May"}]])
    phrases = PhraseMatcher(vocab, attr="LOWER")
    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    phrases.add("FESTIVAL", [tokenizer(name) for name in resources().festivals])
    matcher.compile()
    return matcher, phrases


# Every rule of ``_matchers`` holds one of these words or numbers ("key tokens"), has at most
# ``_RULE_REACH`` tokens on either side of it besides counts and the fillers its rules repeat
# ("in at least about 2025", "the past twenty-five years"), and takes neither whitespace nor
# punctuation other than ``_RULE_PUNCT``. A rule added to ``_matchers`` must keep to this
# (tests/test_dates.py checks the Matcher finds on the fixtures what it finds on whole Docs).
_KEY_WORDS = frozenset({*_UNITS, *_PLURAL_UNITS, *_MONTHS, *(m + "." for m in _MONTHS), *_WEEKDAYS,
                        *(w + "s" for w in _WEEKDAYS), *_SEASONS, *_SET_ADVERBS, *_PERIOD_UNITS, "weekend", "annum",
                        "yesterday", "today", "tomorrow", "tonight"})
_KEY_NUMBER = re.compile(r"\d{4}|[Qq][1-4]$")  # a year, a clock time "1430", "2024-03-14", "2022-23", "1990s"; "Q3"
_RULE_FILLERS = frozenset({"few", "couple", "of", "at", "least", "around", "about"})
_RULE_PUNCT = frozenset({",", "-", "\u2013", "/"})
_RULE_REACH = 4
_KEY_WORD_IDS, _RULE_FILLER_IDS, _RULE_PUNCT_IDS = (np.array([get_string_id(word) for word in words], dtype=np.uint64)
                                                    for words in (_KEY_WORDS, _RULE_FILLERS, _RULE_PUNCT))


def rule_windows(doc: Doc) -> list[Span]:
    """The stretches of ``doc`` where a rule of :func:`_matchers` can match, in text order.

    The Matcher tries every rule at every token it is given, which costs as much as the rest of
    the date rules together; a news text has a key token in few places, so it is given only these.
    The tests run on arrays of the Doc's attributes and word hashes: making a ``Token`` per token
    and reading its strings would cost more than the Matcher saves.
    """
    lower, alphabetic = columns(doc, WORD_COLUMNS).T  # read once per Doc for these rules and the claim rules
    orth = columns(doc, ("ORTH",))  # read once per Doc for these rules and the claims' quotation marks
    table = doc.to_array([POS, IS_SPACE, IS_PUNCT, LIKE_NUM])
    pos = table[:, 0]
    space, punct, like_num = (table[:, k] == 1 for k in range(1, 4))
    alphabetic = alphabetic == 1
    breaks = space | punct & (pos == PUNCT) & ~np.isin(orth, _RULE_PUNCT_IDS)
    fillers = like_num | np.isin(lower, _RULE_FILLER_IDS)
    # A word without a digit is no key number: only the others are matched, once per distinct word.
    numbers = [o for o in set(orth[~alphabetic].tolist()) if _KEY_NUMBER.match(doc.vocab.strings[o])]
    keys = (np.isin(lower, _KEY_WORD_IDS) | np.isin(orth, np.array(numbers, dtype=np.uint64))) & ~breaks
    breaks, fillers = breaks.tolist(), fillers.tolist()

    def edge(i: int, step: int) -> int:  # the last index a match holding token i can reach
        others = 0
        while 0 <= i + step < len(doc) and not breaks[i + step]:
            others += not fillers[i + step]
            if others > _RULE_REACH:
                break
            i += step
        return i

    windows: list[list[int]] = []
    for i in np.flatnonzero(keys).tolist():
        start, end = edge(i, -1), edge(i, 1) + 1
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [doc[start:end] for start, end in windows]


_PERIOD_CONTINUATIONS = frozenset({"of", "to", "ahead", "before", "after", "earlier", "later", "ago", "ending", "ended",
                                   "through", "until", "-", "\u2013", "'s", "\u2019s"})


def candidate_spans(doc: Doc, *, labels: Sequence[str] = DATE_LABELS, published: date | None = None) -> list[Span]:
    """Model entities with a temporal label plus rule matches; they may overlap."""
    matcher, phrases = _matchers(doc.vocab)
    latest_year = published.year + 10 if published else 2100
    spans = [ent for ent in entities_of(doc) if ent.label_ in labels]
    matches = (match for window in rule_windows(doc) for match in matcher(window, as_spans=True))
    for label, start, end in ((match.label_, match.start, match.end) for match in matches):
        if label == "RANGE":  # both ends, each its own expression ("2021-2025", "April and May")
            spans += [doc[start:end - 2], doc[end - 1:end]]
        elif label == "SET" and doc[start].lower_ in ("a", "an") and not _after_number(doc[start:end]):
            continue
        elif label == "YEAR":
            year, after = doc[end - 1], doc[end:end + 2]
            if after and after[0].lower_ in _TIME_ZONES or re.fullmatch(r"[-/]\d{2}", after.text.replace(" ", "")):
                continue  # "by 1005 GMT" is a clock time, "2022-23" a season or fiscal year
            if year.dep_ != "nummod" or year.head.i < year.i:
                spans.append(doc[start:end])
        elif label == "PERIOD":  # "in the quarter", "in the autumn", not "in the year to March", "the autumn budget"
            after = doc[end] if end < len(doc) else None
            if after is None or not (after.lower_ in _PERIOD_CONTINUATIONS or after.pos_ in ("NOUN", "PROPN", "NUM")):
                spans.append(doc[start + 1:end])
        elif label == "YEAR_MODIFIER":  # "the 2022 final", "its 2025 budget", but not "the 1500 metres"
            year, thing = doc[start + 1], doc[end - 1]
            if 1900 <= int(year.text) <= latest_year and thing.tag_ != "NNS":
                spans.append(doc[start + 1:start + 2])
        else:
            spans.append(doc[start:end])
    for _, start, end in phrases(doc):
        if start > 0 and _year_token(doc[start - 1].text):
            start -= 1
        if end < len(doc) and _year_token(doc[end].text):
            end += 1
        elif end + 1 < len(doc) and doc[end].lower_ in ("of", "in") and _year_token(doc[end + 1].text):
            end += 2
        spans.append(doc[start:end])
    return spans


def trim(span: Span) -> tuple[Span | None, str | None]:
    """The expression without punctuation, possessive or leading preposition, and that preposition's relation."""
    doc = span.doc
    start, end = span.start, span.end
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in ("'s", "\u2019s")
                           or doc[end - 1].lower_ in _DROPPED and doc[end - 1].pos_ == "ADP"):
        end -= 1  # the model's "the first 22 days of" (a name follows)
    if end - start > 3 and _words(doc, end - 3, end) == "in a row":
        end -= 3
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    word = None
    for width in (2, 1):
        words = _words(doc, start, start + width)
        if end - start > width and (words in RELATIONS or words in _DROPPED) and not _is_modifier(doc, start, width):
            word, start = words, start + width
            break
        if end - start > width and words in _APPROX and _not_approximating(doc, start):
            start += width
            break
    if start >= end:
        return None, None
    if end - start >= 4 and doc[end - 1].lower_ == "period" and doc[end - 3].text in ("-", "\u2013") \
            and doc[end - 2].lower_.rstrip(".") in _MONTHS:
        start, end = end - 4, end - 1  # "the January-March period" is the months, "January-March"
    if word is None:
        for width in (2, 1):
            if start - width >= 0:
                words = _words(doc, start - width, start)
                if words in RELATIONS:
                    word = words
                    break
    start = _extend_modifier(doc, start)
    return doc[start:end], RELATIONS.get(word or "")


def _words(doc: Doc, start: int, end: int) -> str:
    """The lowercase words of tokens [start, end) (start >= 0), without making a Span of them."""
    return " ".join(doc[i].lower_ for i in range(start, min(end, len(doc))))


def _is_modifier(doc: Doc, start: int, width: int) -> bool:
    """'over'/'about'/'at least' before a count or a time ('over 300 years ago', 'about 8:30 p.m.',
    'at least the next two years') modify it; they stay in the span."""
    if _not_approximating(doc, start):
        return False
    if _words(doc, start, start + 2) in _APPROX:
        return True
    words = _words(doc, start, start + width)
    following = doc[start + width] if start + width < len(doc) else None
    return words in _APPROX and following is not None and _is_count(following)


def _not_approximating(doc: Doc, i: int) -> bool:
    """Approximation words that do not approximate the time after them: 'over' parsed as a
    preposition ('a 4.5% rise over two years', unlike 'for over four decades'), and a comparison of
    the quantity before them ('2,000 fewer than a year ago', '£14,000 less than a year ago')."""
    token = doc[i]
    if token.lower_ in ("over", "under") and token.dep_ == "prep":
        return True
    before = doc[i - 1] if i > 0 else None
    return before is not None and (before.like_num or before.ent_type_ in ("MONEY", "CARDINAL", "QUANTITY", "PERCENT"))


def _is_count(token) -> bool:
    return token.like_num or token.lower_ in ("a", "an", "half") or token.text[:1].isdigit()


def _extend_modifier(doc: Doc, start: int) -> int:
    """Take an approximation word just before a count into the span ('more than two years')."""
    if not _is_count(doc[start]):
        return start
    for width in (2, 1):
        if start - width >= 0 and _words(doc, start - width, start) in _APPROX \
                and not _not_approximating(doc, start - width):
            return start - width
    return start


def direction(span: Span) -> str | None:
    """'past', 'present' or 'future' from the tense of the verb governing ``span``; None without a verb."""
    token = span.root
    if token.dep_ in ("compound", "nmod", "amod", "poss", "nummod") and token.head.pos_ in ("NOUN", "PROPN"):
        return None  # "release October data": the date names the data, the verb does not place it
    names_a_noun = False
    for _ in range(8):
        auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        if token.pos_ in ("VERB", "AUX") and any(a.tag_ == "TO" for a in auxes) and _looks_forward(token):
            return "future"  # "agreed to postpone the increase to April", "a buyback to be completed by June"
        if token.tag_ == "VBG" and not auxes and token.head.lower_ in ("after", "since", "following"):
            return "past"  # "after announcing cuts on Tuesday" happened before the clause it hangs from
        non_finite = token.pos_ in ("VERB", "AUX") and (
            token.tag_ == "VB" and token.dep_ in ("xcomp", "ccomp", "advcl") and not any(a.tag_ == "MD" for a in auxes)
            or token.tag_ == "VBG" and not auxes)
        if token.pos_ in ("VERB", "AUX") and not non_finite or token.head is token:
            break
        token = token.head
        names_a_noun = names_a_noun or token.pos_ in ("NOUN", "PROPN")
        if token.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.lower_ in resources().forward_modifiers
                                                   for c in token.children):
            return "future"  # "the upcoming vote on March 12", "a strike planned for Thursday"
    if token.pos_ not in ("VERB", "AUX"):
        return None
    if token.tag_ == "VBN" and token.dep_ in ("acl", "amod") and token.lower_ in resources().forward_modifiers:
        return "future"  # "a strike planned for Thursday", "talks scheduled for March 12"
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "'ll", "shall", "wo"} or any(a.tag_ == "MD" for a in auxes) and "have" not in words:
        return "future"
    if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or words & {"has", "have", "had", "'ve"}:
        # a forecast made in the past is about a period on either side of the publication date
        return None if token.lemma_.lower() in resources().forecast_verbs else "past"
    if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        if names_a_noun:
            return None  # "data for October are due": a present places no noun
        # "That is down from 7.33 million in November": what a figure is compared with came before it
        return "past" if _comparison_base(span) else "present"
    if token.tag_ == "VBN" and token.dep_ in ("acl", "relcl", "advcl"):
        return "past"
    return None


def _comparison_base(span: Span) -> bool:
    """Whether the date says when the figure a present-tense sentence compares with held: a word of
    comparison ("from", "than", "compared with", "against"), then a number, just before it."""
    before = span.doc[max(span.sent.start, span.start - 6):span.start]
    for k, token in enumerate(before):
        if token.lower_ in _COMPARISON_WORDS:
            # a figure, not the day of a date ("runs from June 1 to Nov. 30" is a span of time)
            return any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
                       or (t.like_num and t.ent_type_ not in ("DATE", "TIME")) for t in before[k + 1:])
    return False


def _looks_forward(infinitive) -> bool:
    """Whether a "to"-infinitive points ahead of its governor: after a verb of planning or a noun
    ("a buyback to be completed by June"), yes; after "forcing residents", no."""
    governor = infinitive.head
    if governor is infinitive or governor.pos_ in ("NOUN", "PROPN"):
        return True
    return governor.lemma_.lower() in resources().forward_governors or governor.lower_ in resources().forward_governors


_SCENE_WORDS = frozenset({"in", "during", "of", "for", "on", "throughout", "early", "late", "mid", "the", "its", "'s",
                          "their", "this"})
_COMPARISON_WORDS = frozenset({"compared", "than", "versus", "vs", "vs.", "against", "from"})


def _sets_the_scene(span: Span) -> bool:
    """Whether a written year is the time the text is about ('In 2023, ...'), so that a later bare
    month in the sentence belongs to it; not a boundary ('since 2018', 'between 2015 and 2022')
    nor a comparison ('compared with 941 in 2022')."""
    before = span.doc[max(span.sent.start, span.start - 5):span.start]
    if any(t.lower_ in _COMPARISON_WORDS for t in before):
        return False
    return not before or before[-1].lower_ in _SCENE_WORDS or before[-1].is_punct


def _after_number(span: Span) -> bool:
    """Whether a quantity comes just before: '5 percent a year', '$3 a day', '38 jets a month',
    '270 billion tonnes of ice a year'."""
    before = span.doc[max(span.sent.start, span.start - 4):span.start]
    for token in reversed(before):
        if token.like_num or token.lower_ in ("%", "times", "once", "twice") or token.ent_type_ in (
                "MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
            return True
        if token.pos_ not in ("NOUN", "ADJ") and token.lower_ != "of":
            return False
    return False


def _is_not_a_time(span: Span, timex: Timex) -> bool:
    """Look-alikes: 'a 10-year bond', 'a 16-year high', the 'Five-Year Plan', 'quarterly revenue',
    a game's 'second half' or 'third quarter' (no year, in a sentence about play), the time part of
    a unit ('km per second'), a weekday naming a kind of thing ('Sunday rosters'), and a unit inside
    a hyphenated word ('after-hours')."""
    if len(span) == 1 and span[0].lower_ in _SET_ADVERBS:
        return span[0].pos_ != "ADV"
    if len(span) == 1 and span[0].lower_ in _WEEKDAYS and span[0].dep_ == "compound" and span[0].head.tag_ == "NNS":
        return True  # "Sunday rosters", "Friday prayers": any such day, not one on the calendar
    if len(span) == 1 and span.start > 1 and span.doc[span.start - 1].text == "-" \
            and not span.doc[span.start - 2].like_num:
        return True  # "after-hours trading": a word part, not a length of time
    if re.fullmatch(r"\d{4}-[QH]\d", timex.value) and not re.search(r"\d{4}|year", span.text):
        return any(t.lower_ in resources().game_cues or t.lemma_ in resources().game_cues for t in span.sent)
    if timex.kind == "duration" and _is_a_fraction(span):
        return True
    if timex.kind == "set" and timex.value.startswith("PT") and span.start > 0 \
            and span.doc[span.start - 1].ent_type_ == "QUANTITY":
        return True  # "6 km per second", "300 cubic metres per second": a unit of speed or flow
    if timex.kind == "set" and _rate_of_things(span):
        return True
    if timex.kind != "duration" or "-" not in span.text:
        return False
    following = span.doc[span.end:span.end + 3]
    noun = next((t for t in following if t.pos_ in ("NOUN", "PROPN")), None)
    if noun is None or any(t.i < noun.i and (t.is_punct or t.pos_ in ("ADP", "AUX", "DET")
                                             or t.pos_ == "VERB" and t.dep_ != "amod") for t in following):
        return False
    return noun.lower_ in resources().non_temporal_heads or noun.pos_ == "PROPN" or span[0].is_title


_CHANGE_WORDS = frozenset({"%", "percent", "per cent", "point", "points", "times", "time"})


def _rate_of_things(span: Span) -> bool:
    """'500,000 barrels per day', '1,000 patients a day', '2.25 million a day': the time unit of a
    rate of things (a unit of measure, which places nothing in time); a rate of change ('5 percent a
    year', 'one percentage point a year'), a frequency ('twice a week', 'five days a week') and a
    price ('$3 a day') stay sets."""
    if not re.fullmatch(r"(?:an?|per) \w+", span.text.lower()) or span.start == span.sent.start:
        return False
    before = span.doc[span.start - 1]
    if before.lower_ in _CHANGE_WORDS or before.ent_type_ in ("MONEY", "PERCENT") or _unit(before.lower_) in _UNITS:
        return False
    return before.pos_ == "NOUN" or before.like_num and _after_number(span)


def _is_a_fraction(span: Span) -> bool:
    """'three quarters of the new capacity' is a share, not nine months; 'three quarters of 2024'
    and 'the first three quarters of the year' stay periods."""
    doc = span.doc
    if span[-1].lower_ not in ("quarter", "quarters", "half", "halves") or span.end >= len(doc) \
            or doc[span.end].lower_ != "of":
        return False
    following = next((t for t in doc[span.end + 1:span.end + 4] if t.pos_ != "DET"), None)
    return following is not None and not following.like_num and following.lemma_.lower() not in _UNITS


def _probe(published: date | None) -> Context:
    """A context where every resolvable form resolves: used only to choose between overlapping spans."""
    pub = published or date(2000, 1, 1)
    day = _date(_day(pub))
    return Context(published=pub, reference=day, context_year=None, direction="past",
                   periods=dict.fromkeys(_PERIOD_UNITS, day))


_CONNECTORS = frozenset({"to", "and", "or", "through", "until", "till", "after", "before", "since", "from", "between"})


def _pieces(span: Span) -> list[Span]:
    """A span that does not parse, cut at connecting words: 'three months to April' -> both halves,
    'the first four days of the holiday' -> 'the first four days' (but not '12 months of age')."""
    doc = span.doc
    cuts = [t.i for t in span if t.lower_ in _CONNECTORS
            or t.lower_ == "of" and t.i + 1 < span.end and doc[t.i + 1].pos_ in ("DET", "PRON")]
    bounds = [span.start, *cuts, span.end]
    if not cuts:
        return []
    return [doc[a + (a in cuts):b] for a, b in zip(bounds, bounds[1:]) if b > a + (a in cuts)]


def _halves(span: Span, probe: Context) -> list[Span]:
    """Two expressions the model joined without a connector ('January next month'), if both parse."""
    for i in range(span.start + 1, span.end):
        halves = [span.doc[span.start:i], span.doc[i:span.end]]
        if all(normalise(half.text, probe) for half in halves):
            return halves
    return []


def select_spans(doc: Doc, *, labels: Sequence[str], published: date | None,
                 skip: tuple[int, int] | None = None) -> list[tuple[Span, str | None]]:
    """Non-overlapping temporal expressions: the longest candidate that normalises wins."""
    probe = _probe(published)
    probes = {False: probe, True: replace(probe, after_number=True)}  # dataclasses.replace costs more than a look-up
    scored = []
    # The model and the rules often find the same span; scoring it twice adds nothing, so only its
    # last copy (the first popped) stays.
    candidates = list({(span.start, span.end): span
                       for span in reversed(candidate_spans(doc, labels=labels, published=published))}.values())[::-1]
    while candidates:
        candidate = candidates.pop()
        span, relation = trim(candidate)
        if span is None or (skip and skip[0] <= span.start_char < skip[1]):
            continue
        timex = normalise(span.text, probes[_after_number(span)])
        if timex is None:
            candidates += _pieces(candidate) or _halves(span, probe)
        elif not _is_not_a_time(span, timex):
            scored.append((span, relation))
    scored.sort(key=lambda item: (-(item[0].end_char - item[0].start_char), item[0].start))
    taken: list[tuple[Span, str | None]] = []
    for span, relation in scored:
        if all(span.end <= other.start or other.end <= span.start for other, _ in taken):
            taken.append((span, relation))
    return sorted(taken, key=lambda item: item[0].start)


def date_rows(doc: Doc, *, published: date | None, dateline: tuple[int, int] | None = None,
              labels: Sequence[str] = DATE_LABELS, default_direction: str = "nearest") -> Iterator[dict]:
    """One row per temporal expression, in text order; the article's date line is one of them.

    Keys: doc_id, sent_id, start, end, text, value, kind, relation, start_date, end_date, anchor.
    """
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    if dateline and published:
        start, end = dateline
        end = start + len(_TIME_AFTER_DATE.sub("", _text_between(doc, start, end)))
        yield _row(doc_id, sent_of(start), start, end, _text_between(doc, start, end), _date(_day(published)), None)
    reference: Timex | None = None
    scene_year: tuple[int, int] | None = None  # (sentence, year) of the last year written out
    periods: dict[str, Timex] = {}
    scenes: list[tuple[int, Timex]] = []  # (sentence, period) of every period a figure is given for
    headline_end = dateline[0] if dateline else 0
    lead = sent_of(_next_word_start(doc, dateline[1])) if dateline else 0
    rows = []
    for span, relation in select_spans(doc, labels=labels, published=published, skip=dateline):
        sent_id = sent_of(span.start_char)
        year = scene_year[1] if scene_year and scene_year[0] == sent_id else None
        tense = direction(span)
        if tense == "present" and span.start_char < headline_end:
            tense = None  # headlines tell past news in the present: "Employers add 175,000 jobs in April"
        after_number = _after_number(span)
        compared, compares = None, _compares(span, after_number)
        if compares:
            over = published if tense == "past" and published else None  # a past figure is for a period that is over
            compared = _compared_period([(i, p) for i, p in scenes if over is None or p.end_date <= over],
                                        (sent_id, _previous_sentence(span, sent_of), lead))
        ctx = Context(published=published, reference=reference, context_year=year,
                      direction=tense, default_direction=default_direction,
                      after_number=after_number, periods=dict(periods), compared=compared)
        timex = normalise(span.text, ctx)
        if timex is None:
            continue
        if timex.kind == "date" and timex.start_date is not None:
            reference = timex
            if _sets_the_scene(span):
                if re.search(r"\b\d{4}\b", span.text):
                    scene_year = (sent_id, timex.start_date.year)
                if unit := _period_unit(timex.value):
                    periods[unit] = timex
                scene = _scene_period(span, timex) if span.start_char >= headline_end else None
                if scene is not None and not compares:  # "a year earlier" is no period a figure is for
                    scenes.append((sent_id, scene))
        rows.append((span, sent_id, timex, relation))
    days = [(span, sent_id, timex) for span, sent_id, timex, _ in rows
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", timex.value)]
    for span, sent_id, timex, relation in rows:
        if timex.value.startswith("T"):
            day = _day_of_clock(span, [(s, t) for s, i, t in days if i == sent_id]) \
                or (_date(_day(published), anchor=published) if published else None)
            if day is None:
                continue
            timex = replace(day, value=day.value + timex.value)
        if timex.kind != "date":
            relation = None
        yield _row(doc_id, sent_id, span.start_char, span.end_char, span.text, timex, relation)


# Doc.text joins every token of the Doc on each call: these read only the tokens they need.

def _text_between(doc: Doc, start: int, end: int) -> str:
    """``doc.text[start:end]``."""
    starts = columns(doc, ("IDX",))
    first, last = max(bisect_right(starts, start) - 1, 0), bisect_left(starts, end)
    offset = doc[first].idx
    return "".join(doc[i].text_with_ws for i in range(first, last))[start - offset:end - offset]


def _next_word_start(doc: Doc, offset: int) -> int:
    """The offset of the first character at or after ``offset`` that is not whitespace (the length
    of the text if there is none)."""
    i = max(bisect_right(columns(doc, ("IDX",)), offset) - 1, 0)
    for token in doc[i:]:
        piece = token.text_with_ws[max(offset - token.idx, 0):]
        if piece.strip():
            return token.idx + len(token.text_with_ws) - len(piece.lstrip())
    return doc[-1].idx + len(doc[-1].text_with_ws)


# The time a date line may end with ("Tuesday 6 May 2025 14:02 BST", "May 6, 2025, 10:30 a.m. ET"):
# the publication date is the day, so the row is the date part.
_TIME_AFTER_DATE = re.compile(r"[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
                              r"(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2})?)?\s*$", re.IGNORECASE)
_COMPARISON_CUES = frozenset({"from", "than", "with", "against", "versus", "vs", "vs.", "over", "on"})


def _compares(span: Span, after_number: bool) -> bool:
    """Whether an expression is the other side of a comparison of figures: 'up from 3% a year earlier',
    '$2.8 billion a year ago', 'higher than a year ago'. ``after_number``: :func:`_after_number` of the span."""
    before = span.doc[span.start - 1] if span.start > span.sent.start else None
    return before is not None and before.lower_ in _COMPARISON_CUES or after_number


def _scene_period(span: Span, timex: Timex) -> Timex | None:
    """The calendar period a figure is given for ('in March', 'first-quarter profit', 'in 2024'), at
    the precision a comparison keeps; a period named by its end ('the six months to December') only
    by its year, since its value is the end month, not its length."""
    if not re.fullmatch(r"\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI))?", timex.value):
        return None
    if len(timex.value) > 4 and re.search(r"\b(?:to|ending|ended|through)\b", span.text.lower()):
        return _date(timex.value[:4])
    return timex


def _previous_sentence(span: Span, sent_of: SentenceIndex) -> int:
    """The number of the last sentence with words before the one holding ``span``."""
    i = span.sent.start - 1
    while i >= 0 and span.doc[i].is_space:
        i -= 1
    return sent_of(span.doc[i].idx) if i >= 0 else -1


def _compared_period(scenes: list[tuple[int, Timex]], sentences: tuple[int, ...]) -> Timex | None:
    """What 'a year earlier' compares with: the last period a figure was given for in the same
    sentence, else in the sentence before, else in the lead (a statistics story states its period
    once, at the top); None leaves the year of the publication date or of the last date."""
    for wanted in sentences:
        found = [period for sent_id, period in scenes if sent_id == wanted]
        if found:
            return found[-1]
    return None


def _day_of_clock(clock: Span, days: list[tuple[Span, Timex]]) -> Timex | None:
    """The day a clock time belongs to: the nearest day of its sentence, on either side ('begin on
    June 17 and end at midnight on June 18', 'on Friday, Nov. 1, at 8:30 a.m.')."""
    def distance(day: Span) -> int:
        return day.start - clock.end if day.start >= clock.end else clock.start - day.end
    return min(days, key=lambda item: distance(item[0]))[1] if days else None


def _row(doc_id: str, sent_id: int, start: int, end: int, text: str, t: Timex, relation: str | None) -> dict:
    return {
        "doc_id": doc_id, "sent_id": sent_id, "start": start, "end": end, "text": text,
        "value": t.value, "kind": t.kind, "relation": relation,
        "start_date": t.start_date, "end_date": t.end_date, "anchor": t.anchor,
    }
