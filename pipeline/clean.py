"""Cleaning: a raw article file -> one normalised document with title, publication date and paragraphs.

The raw layout is one article per file: line 1 the title, line 2 the publication date when it is
one, then one paragraph per line (blank lines between paragraphs are allowed). Cleaning changes
no wording: it normalises Unicode to NFC, line endings, and runs of spaces, and drops invisible
format characters. The cleaned text keeps the title and the date line (both are part of the
article an analyst reads, and both carry mentions), with paragraphs separated by a blank line.

A raw file becomes a document only if it passes every input check; otherwise an
:class:`InputError` names the file and the problem. The checks, in the order they run:

- name: the doc_id (file name without extension, NFC) is unique in the folder and usable as a
  name: not ``.``/``..``, no path separator, no control character, valid UTF-8;
- readable: a regular file (not a directory, broken link or pipe) that can be opened;
- size: not empty, and at most ``max_bytes`` (spaCy parses at most 1,000,000 characters at once);
- text, not binary: no NUL byte, no signature of a binary format (PDF, ZIP/Office, images, gzip);
- encoding: UTF-8 (a UTF-16 byte-order mark is honoured), else the first of the configured
  fallback encodings that decodes every byte;
- not blank: some text besides whitespace;
- a title line: line 1 is not a date, is at most ``max_title_chars`` long, and does not read as a
  sentence of body text (more than 12 words ending in a full stop: a headline seldom is one);
- a sound date line: when line 2 is written like a date (numbers with month or weekday names, or
  three numbers), it must parse, be a real calendar day, and not be later than the day after
  the run's date (UTC; the day of slack covers time zones ahead of UTC). Line 2 that is not
  written like a date is a paragraph, and the document has no publication date.

Only the future-date check depends on the run's date, and only by rejecting a file: a document
that passes comes out the same whatever day it runs.
"""
from __future__ import annotations

import calendar
import codecs
import difflib
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

PARAGRAPH_SEPARATOR = "\n\n"

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# All-number dates are read day first when both readings are real days ("03/04/2025" is 3 April),
# as most of the English-writing world outside the US writes them; "12/25/2025" can only be month first.
_DATELINE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%m/%d/%Y", "%m-%d-%Y",
    "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y",
    "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y", "%d-%b-%Y", "%d-%B-%Y",
    "%B, %d/%Y",  # Viet Nam News: "October, 06/2025"
)
_DATE_LABEL = re.compile(r"^(first\s+)?(published|updated|posted|last\s+updated)(\s+on)?\s*:?\s+", re.IGNORECASE)
_ISO_TIME = re.compile(r"(?<=\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
# A time of day after the date, as news sites print it: "14:02 BST", "10:30 a.m. ET", "9.15am GMT",
# "- 09:33 UTC", "— 12.49pm", "20:14, UK", "13:05:00 +0000"; or before it: "4:12 p.m. ET Nov. 20,
# 2025", "5:21 pm on 22 May 2025".
# A zone is written in capitals and is no month ("4:12 pm Nov 20, 2025", "10:30 MAY 5, 2025").
_ZONE = (r"(\s+((?!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)(?-i:[A-Z]{2,5})([+-]\d{1,2})?"
         r"|[+-]\d{2}:?\d{2}))")
_TIME_OF_DAY = re.compile(r"[\s,]+([-\u2013\u2014]\s+)?(at\s+)?\d{1,2}[:.]\d{2}(:\d{2})?\s*([ap]\.?m\.?)?"
                          rf"(,?{_ZONE})?$", re.IGNORECASE)
_LEADING_TIME_OF_DAY = re.compile(rf"^(at\s+)?\d{{1,2}}[:.]\d{{2}}\s*([ap]\.?m\.?)?{_ZONE}?,?\s+(on\s+)?",
                                  re.IGNORECASE)
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_MONTH_WORDS = frozenset(m.lower() for m in (*calendar.month_name, *calendar.month_abbr) if m) | {"sept"}
_CALENDAR_WORDS = _MONTH_WORDS | frozenset(
    d.lower() for d in (*calendar.day_name, *calendar.day_abbr)) | {"tues", "thur", "thurs", "st", "nd", "rd", "th",
                                                                    "of", "the"}
_SORTED_CALENDAR_WORDS = sorted(_CALENDAR_WORDS)
_MAX_DATE_CHARS = 40
# A full stop closing the line after a word without dots (so not "..." or "U.S."), maybe inside
# closing quotes or brackets.
_SENTENCE_END = re.compile(r"(?:^|\s)[^\s.]{2,}\.[\"'\u201d\u2019)]*$")
_MAX_SENTENCE_TITLE_WORDS = 12
_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office/OpenDocument file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class InputError(ValueError):
    """A raw file that cannot become a document; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        self.path = printable(str(path))
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def printable(name: str) -> str:
    """A file name as text that can be logged and written as UTF-8: undecodable bytes as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class InputRules:
    """The limits every raw file is checked against (the ``clean`` section of params.yaml)."""

    max_bytes: int = 1_000_000
    max_title_chars: int = 300
    fallback_encodings: tuple[str, ...] = ()
    today: date | None = None  # the run's date; None skips the future-date check

    @classmethod
    def from_params(cls, clean: dict, *, today: date | None) -> "InputRules":
        encodings = tuple(clean.get("fallback_encodings") or ())
        for name in encodings:
            try:
                codecs.lookup(name)
            except LookupError:
                raise InputError("params.yaml", f"clean.fallback_encodings: unknown encoding {name!r}") from None
        return cls(max_bytes=int(clean.get("max_bytes", cls.max_bytes)),
                   max_title_chars=int(clean.get("max_title_chars", cls.max_title_chars)),
                   fallback_encodings=encodings, today=today)


@dataclass(frozen=True)
class CleanDoc:
    doc_id: str
    source: str
    raw_sha256: str
    title: str | None
    published: date | None
    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    encoding: str = "utf-8"  # what the raw bytes were decoded with

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id, "source": self.source, "raw_sha256": self.raw_sha256,
            "title": self.title, "published": self.published.isoformat() if self.published else None,
            "text": self.text, "paragraphs": [list(p) for p in self.paragraphs], "encoding": self.encoding,
        }

    @classmethod
    def from_json(cls, obj: dict) -> "CleanDoc":
        published = date.fromisoformat(obj["published"]) if obj["published"] else None
        return cls(obj["doc_id"], obj["source"], obj["raw_sha256"], obj["title"], published,
                   obj["text"], [tuple(p) for p in obj["paragraphs"]], obj.get("encoding", "utf-8"))


def normalise_line(line: str) -> str:
    """NFC, no invisible format characters, single spaces, no surrounding spaces.

    The invisible characters go first: removed after NFC, they could leave a base letter and a
    combining mark side by side uncomposed, and cleaning clean text would change it again.
    """
    # str.split() and a regular expression's \s know the same whitespace (str.isspace); a line
    # holds no line break, so splitting on all of it is what collapsing runs and stripping did,
    # five times faster
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE.sub("", line)).split())


def _date_candidate(line: str) -> str:
    """The line with what strptime cannot read dropped or respelt: a label ("Published:"), a time
    of day before or after the date (also after " | " or ISO's "T"), ordinal endings, "the 5th of
    May", a leading weekday (the date says which day it is), the full stop of an abbreviated month
    ("Nov.") and AP's "Sept.", which strptime does not know."""
    candidate = _DATE_LABEL.sub("", line.strip()).split(" | ")[0]
    candidate = _ISO_TIME.sub("", candidate)
    candidate = _LEADING_TIME_OF_DAY.sub("", _TIME_OF_DAY.sub("", candidate))
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", candidate.rstrip("."))
    candidate = _WEEKDAY.sub("", candidate)
    candidate = re.sub(r"\b([^\W\d_]{3,4})\.", r"\1", candidate)
    candidate = re.sub(r"\b(Sep)t\b", r"\1", candidate, flags=re.IGNORECASE)
    return re.sub(r"^the\s+|(?<=\d)\s+of\b", "", candidate, flags=re.IGNORECASE)


def parse_dateline(line: str) -> date | None:
    """The publication date written on a line of its own, or None when the line is not a date."""
    candidate = _date_candidate(line)
    for fmt in _DATELINE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    return None


def looks_like_date(line: str) -> bool:
    """True when ``line`` is written like a date: numbers, month and weekday names, and ``, . / -``.

    A misspelt month name counts ("Febuary 3, 2024" is a date attempt that fails). It needs a
    month name, or three numbers, or a four-digit year with another number: a lone
    "2024" or "12345" is not taken for a date attempt.
    """
    if len(line) > _MAX_DATE_CHARS or re.search(r"[^\w\s,./-]", line):
        return False
    words = [_calendar_word(w) for w in re.findall(r"[^\W\d_]+", line.lower())]
    numbers = re.findall(r"\d+", line)
    if not numbers or None in words:
        return False
    has_year = any(len(n) == 4 for n in numbers)
    return any(w in _MONTH_WORDS for w in words) or len(numbers) >= 3 or (has_year and len(numbers) >= 2)


def _calendar_word(word: str) -> str | None:
    """The month or weekday name ``word`` is, or is a misspelling of ("febuary"), else None."""
    if word in _CALENDAR_WORDS:
        return word
    close = difflib.get_close_matches(word, _SORTED_CALENDAR_WORDS, n=1, cutoff=0.8)
    return close[0] if close else None


def is_impossible_date(line: str) -> bool:
    """True when ``line`` has the shape of a known date format but names a day the calendar lacks."""
    candidate = _date_candidate(line)
    for fmt in _DATELINE_FORMATS:
        try:
            datetime.strptime(candidate, fmt)
        except ValueError as err:
            if "out of range" in str(err):
                return True
    return False


def _excerpt(line: str, width: int = 60) -> str:
    return repr(line if len(line) <= width else line[: width - 3] + "...")


def title_problem(line: str, *, max_chars: int) -> str | None:
    """Why line 1 cannot be the article's title, or None when it can."""
    if parse_dateline(line) or looks_like_date(line):
        return f"no title line: line 1 is a date ({_excerpt(line)}); put the title on line 1 and the date on line 2"
    if len(line) > max_chars:
        return (f"no title line: line 1 has {len(line):,} characters, more than a title "
                f"(clean.max_title_chars = {max_chars})")
    words = len(line.split())
    if words > _MAX_SENTENCE_TITLE_WORDS and _SENTENCE_END.search(line):
        return f"no title line: line 1 reads as body text ({words} words ending in a full stop: {_excerpt(line)})"
    return None


def dateline_problem(line: str, *, today: date | None) -> str | None:
    """Why line 2, written like a date, is not a usable publication date; None when it is fine or not a date."""
    published = parse_dateline(line)
    if published is None:
        if not looks_like_date(line):
            return None
        if is_impossible_date(line):
            return f"date line {line!r} is not a real calendar date"
        return f"date line {line!r} does not parse as a date (write it like 2024-11-05 or November 5, 2024)"
    if today is not None and published > today + timedelta(days=1):
        return f"date line {line!r} is in the future (the run's date is {today.isoformat()})"
    return None


def layout_problem(doc: CleanDoc, *, rules: InputRules) -> str | None:
    """Why a cleaned document has no usable title or date line, or None."""
    lines = [doc.text[start:end] for start, end in doc.paragraphs[:2]]
    problem = title_problem(lines[0], max_chars=rules.max_title_chars)
    if problem is None and len(lines) > 1:
        problem = dateline_problem(lines[1], today=rules.today)
    return problem


def doc_id_of(path: Path) -> str:
    """The file's name without its extension, in NFC so the same name typed on any system is one id."""
    return unicodedata.normalize("NFC", path.stem)


def doc_id_problem(doc_id: str) -> str | None:
    """Why a doc_id cannot name a document (it must never act as a path), or None."""
    if doc_id in ("", ".", ".."):
        return f"the file name gives the doc_id {doc_id!r}, which is not a usable name"
    if "/" in doc_id or "\\" in doc_id:
        return "the file name holds a path separator"
    categories = {unicodedata.category(c) for c in doc_id}
    if "Cs" in categories:
        return "the file name is not valid UTF-8"
    if "Cc" in categories:
        return "the file name holds a control character"
    return None


def duplicate_problems(paths: Iterable[Path]) -> dict[Path, str]:
    """For every file whose doc_id another file shares (``a.txt``, ``a.TXT``), the problem to report."""
    by_id: dict[str, list[Path]] = {}
    for path in paths:
        by_id.setdefault(doc_id_of(path), []).append(path)
    problems = {}
    for doc_id, group in by_id.items():
        if len(group) > 1:
            for path in group:
                others = ", ".join(printable(p.name) for p in group if p != path)
                problems[path] = f"doc_id {printable(doc_id)!r} is also the name of {others}; rename one of them"
    return problems


def binary_problem(data: bytes) -> str | None:
    """Why the bytes are not text (a known binary signature or a NUL byte), or None."""
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return f"binary content, not text: looks like {what}"
    if not data.startswith(_UTF16_BOMS) and (nul := data.find(b"\0")) >= 0:
        return f"binary content, not text: NUL byte at offset {nul}"
    return None


def decode(data: bytes, *, fallback_encodings: Sequence[str] = ()) -> tuple[str, str]:
    """The text of a raw file and the encoding that decoded it; ValueError names the problem.

    UTF-8 first (a UTF-16 byte-order mark says UTF-16), then each fallback encoding in order. A
    fallback is a declaration, not a guess: cp1252 decodes almost any bytes, so it belongs last.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise ValueError(f"not valid UTF-16 despite its byte-order mark (offset {err.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problem = f"not valid UTF-8 (byte 0x{data[err.start]:02x} on line {line}, offset {err.start})"
    for encoding in fallback_encodings:
        try:
            return data.decode(encoding), codecs.lookup(encoding).name
        except UnicodeDecodeError:
            continue
    if fallback_encodings:
        raise ValueError(f"{problem}, nor {', '.join(fallback_encodings)} (clean.fallback_encodings)")
    raise ValueError(f"{problem}; no fallback encoding is configured (clean.fallback_encodings)")


def file_problem(path: Path, *, max_bytes: int) -> str | None:
    """Why ``path`` cannot be read as an article (not a regular file, empty, too big), or None."""
    try:
        st = path.stat()
    except OSError as err:
        if path.is_symlink() and isinstance(err, FileNotFoundError):
            return f"cannot read file: broken symbolic link to {printable(os.readlink(path))}"
        return f"cannot read file ({err.strerror})"
    if stat.S_ISDIR(st.st_mode):
        return "cannot read file: it is a directory"
    if not stat.S_ISREG(st.st_mode):
        return "cannot read file: not a regular file (a pipe, socket or device)"
    if st.st_size == 0:
        return "empty file (0 bytes)"
    if st.st_size > max_bytes:
        return f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} (clean.max_bytes)"
    return None


def clean_text(raw: str, *, doc_id: str, source: str, raw_sha256: str) -> CleanDoc:
    """Raw article text -> CleanDoc. Empty lines are dropped; every other line is a paragraph."""
    lines = [normalise_line(line) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(source, "empty file: no text after removing whitespace")
    title = lines[0]
    published = parse_dateline(lines[1]) if len(lines) > 1 else None
    paragraphs, pieces, offset = [], [], 0
    for line in lines:
        paragraphs.append((offset, offset + len(line)))
        pieces.append(line)
        offset += len(line) + len(PARAGRAPH_SEPARATOR)
    return CleanDoc(doc_id, source, raw_sha256, title, published, PARAGRAPH_SEPARATOR.join(pieces), paragraphs)


def read_article(path: Path, *, root: Path | None = None, rules: InputRules = InputRules()) -> CleanDoc:
    """Check, read and clean one raw file; ``source`` is its path relative to ``root`` (posix style).

    Raises :class:`InputError` naming ``source`` and the first check the file fails.
    """
    source = path.relative_to(root).as_posix() if root else path.as_posix()
    doc_id = doc_id_of(path)
    if problem := doc_id_problem(doc_id) or file_problem(path, max_bytes=rules.max_bytes):
        raise InputError(source, problem)
    try:
        with path.open("rb") as f:
            data = f.read(rules.max_bytes + 1)
    except OSError as err:
        raise InputError(source, f"cannot read file ({err.strerror})") from err
    if len(data) > rules.max_bytes:
        raise InputError(source, f"file is over the limit of {rules.max_bytes:,} bytes (clean.max_bytes)")
    if problem := binary_problem(data):
        raise InputError(source, problem)
    try:
        raw, encoding = decode(data, fallback_encodings=rules.fallback_encodings)
    except ValueError as err:
        raise InputError(source, str(err)) from None
    doc = clean_text(raw, doc_id=doc_id, source=source, raw_sha256=hashlib.sha256(data).hexdigest())
    if problem := layout_problem(doc, rules=rules):
        raise InputError(source, problem)
    return replace(doc, encoding=encoding)


def list_folder(folder: Path, *, suffixes: Sequence[str] = (".txt",)) -> tuple[list[Path], list[Path]]:
    """The entries of ``folder`` named like articles (whatever they are) and all others, each by name.

    Sorting by name makes runs repeatable whatever order the file system lists in. Entries named
    like articles are returned even when they are directories or broken links, so that the
    checks report them instead of skipping them unseen.
    """
    if not folder.is_dir():
        raise InputError(folder, "input folder does not exist")
    wanted = {s.lower() for s in suffixes}
    articles, others = [], []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        (articles if path.suffix.lower() in wanted else others).append(path)
    return articles, others
