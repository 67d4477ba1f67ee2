"""Dates: temporal expressions of a parsed Doc, normalised to TIMEX3-style values, as table rows.

Values follow a documented subset of TIMEX3 (see ``docs/DATA_CONTRACT.md``):
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-Qn``, ``YYYY-SU|SP|FA|WI``, ``YYYX`` (decade),
``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``, durations ``P<n>Y|M|W|D`` and sets (``kind="set"``).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span

from .sentences import SentenceIndex

DATE_LABELS = frozenset({"DATE", "TIME"})
RELATIONS = {"since": "since", "as of": "as_of", "until": "until", "till": "until", "before": "until", "by": "until"}
_DROPPED_PREPOSITIONS = ("in", "on", "at", "during", "from", "of", "to", "for", "since", "as of", "until",
                         "till", "before", "by", "after")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D"}


@dataclass(frozen=True)
class Timex:
    value: str
    kind: str = "date"
    start_date: date | None = None
    end_date: date | None = None
    anchor: date | None = None


def interval(value: str) -> tuple[date | None, date | None]:
    """The calendar interval a date value covers ("2023-12" -> 2023-12-01 .. 2023-12-31)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), date(int(value), 12, 31)
    return None, None


def _timex(value: str, anchor: date | None = None) -> Timex | None:
    """The date value with its interval; None when the calendar has no such day ("2024-13-45")."""
    try:
        start, end = interval(value)
    except ValueError:
        return None
    return Timex(value, "date", start, end, anchor)


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def normalise(text: str, *, published: date | None, last_year: int | None = None) -> Timex | None:
    """TIMEX3-style value of one temporal expression, or None when it is not one we can place."""
    t = re.sub(r"\s+", " ", text.strip()).lower()
    t = re.sub(r"^the ", "", t)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        return _timex(f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}")
    if m := re.fullmatch(_MONTH + r" (?P<day>\d{1,2})(?:st|nd|rd|th)?,? (?P<year>\d{4})", t):
        return _timex(f"{m['year']}-{_MONTHS[m['month']]:02d}-{int(m['day']):02d}")
    if m := re.fullmatch(r"(?P<day>\d{1,2})(?:st|nd|rd|th)? " + _MONTH + r",? (?P<year>\d{4})", t):
        return _timex(f"{m['year']}-{_MONTHS[m['month']]:02d}-{int(m['day']):02d}")
    if m := re.fullmatch(_MONTH + r",? (?P<year>\d{4})", t):
        return _timex(f"{m['year']}-{_MONTHS[m['month']]:02d}")
    if re.fullmatch(r"(1[5-9]|20)\d{2}", t):
        return _timex(t)
    if t in ("recent years", "recent months", "past few years", "the past few years", "previous years"):
        return Timex("PAST_REF", anchor=published)
    if t in ("same year", "that year") and last_year is not None:
        return _timex(str(last_year))
    if published is not None:
        relative = {"this year": 0, "last year": -1, "next year": 1, "past year": -1}
        if t in relative:
            return _timex(str(published.year + relative[t]), anchor=published)
        if m := re.fullmatch(r"(?:over |more than |about |nearly )?(\w+) years ago", t):
            n = _count(m[1])
            if n is not None:
                return _timex(str(published.year - n), anchor=published)
    if m := re.fullmatch(r"(\w+) (year|month|week|day)s?", t):
        n = _count(m[1])
        if n is not None:
            return Timex(f"P{n}{_UNITS[m[2]]}", kind="duration")
    return None


def _preposition(doc: Doc, start: int) -> tuple[str | None, int]:
    """The preposition just before token ``start`` (one or two words) and where it begins."""
    for width in (2, 1):
        if start - width < 0:
            continue
        words = " ".join(t.lower_ for t in doc[start - width:start])
        if words in _DROPPED_PREPOSITIONS:
            return words, start - width
    return None, start


def _strip_preposition(span: Span) -> tuple[Span, str | None]:
    """Move a leading preposition out of the span; return it as the relation word."""
    doc = span.doc
    for width in (2, 1):
        words = " ".join(t.lower_ for t in doc[span.start:span.start + width])
        if span.end - span.start > width and words in _DROPPED_PREPOSITIONS:
            return doc[span.start + width:span.end], words
    word, _ = _preposition(doc, span.start)
    return span, word


def date_rows(doc: Doc, *, published: date | None, dateline: tuple[int, int] | None = None) -> Iterator[dict]:
    """One row per temporal expression that normalises; the article's date line is one of them."""
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    last_year = published.year if published else None
    if dateline and published:
        start, end = dateline
        t = _timex(published.isoformat())
        yield _row(doc_id, sent_of(start), start, end, doc.text[start:end], t, None)
    for ent in doc.ents:
        if ent.label_ not in DATE_LABELS:
            continue
        if dateline and dateline[0] <= ent.start_char < dateline[1]:
            continue
        span, word = _strip_preposition(ent)
        timex = normalise(span.text, published=published, last_year=last_year)
        if timex is None:
            continue
        if re.fullmatch(r"\d{4}", timex.value[:4]) and timex.kind == "date":
            last_year = int(timex.value[:4])
        yield _row(doc_id, sent_of(span.start_char), span.start_char, span.end_char, span.text, timex,
                   RELATIONS.get(word or ""))


def _row(doc_id: str, sent_id: int, start: int, end: int, text: str, t: Timex, relation: str | None) -> dict:
    return {
        "doc_id": doc_id, "sent_id": sent_id, "start": start, "end": end, "text": text,
        "value": t.value, "kind": t.kind, "relation": relation,
        "start_date": t.start_date, "end_date": t.end_date, "anchor": t.anchor,
    }
