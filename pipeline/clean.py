"""Cleaning: a raw article file -> one normalised document with title, publication date and paragraphs.

The raw layout is one article per file: line 1 the title, line 2 the publication date when it is
one, then one paragraph per line (blank lines between paragraphs are allowed). Cleaning changes
no wording: it normalises Unicode to NFC, line endings, and runs of spaces, and drops invisible
format characters. The cleaned text keeps the title and the date line (both are part of the
article an analyst reads, and both carry mentions), with paragraphs separated by a blank line.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

PARAGRAPH_SEPARATOR = "\n\n"

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[^\S\n]+")
_DATELINE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y",
    "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y",
    "%d %B %Y", "%d %b %Y", "%A, %B %d, %Y", "%A %B %d, %Y", "%A, %d %B %Y",
)


class InputError(ValueError):
    """A raw file that cannot become a document; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class CleanDoc:
    doc_id: str
    source: str
    raw_sha256: str
    title: str | None
    published: date | None
    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id, "source": self.source, "raw_sha256": self.raw_sha256,
            "title": self.title, "published": self.published.isoformat() if self.published else None,
            "text": self.text, "paragraphs": [list(p) for p in self.paragraphs],
        }

    @classmethod
    def from_json(cls, obj: dict) -> "CleanDoc":
        published = date.fromisoformat(obj["published"]) if obj["published"] else None
        return cls(obj["doc_id"], obj["source"], obj["raw_sha256"], obj["title"], published,
                   obj["text"], [tuple(p) for p in obj["paragraphs"]])


def normalise_line(line: str) -> str:
    """NFC, no invisible format characters, single spaces, no surrounding spaces.

    The invisible characters go first: removed after NFC, they could leave a base letter and a
    combining mark side by side uncomposed, and cleaning clean text would change it again.
    """
    line = unicodedata.normalize("NFC", _INVISIBLE.sub("", line))
    return _SPACES.sub(" ", line).strip()


def parse_dateline(line: str) -> date | None:
    """The publication date written on a line of its own, or None when the line is not a date."""
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", line.strip().rstrip("."))
    for fmt in _DATELINE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
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


def read_article(path: Path, *, root: Path | None = None) -> CleanDoc:
    """Read and clean one raw file; ``source`` is its path relative to ``root`` (posix style)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read file ({err.strerror})") from err
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})") from err
    source = path.relative_to(root).as_posix() if root else path.as_posix()
    return clean_text(raw, doc_id=path.stem, source=source, raw_sha256=hashlib.sha256(data).hexdigest())


def list_articles(folder: Path, *, suffixes: tuple[str, ...] = (".txt",)) -> list[Path]:
    """The raw article files in ``folder``, in a fixed order (by name) so runs are repeatable."""
    if not folder.is_dir():
        raise InputError(folder, "input folder does not exist")
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes), key=lambda p: p.name)
