"""Sentences: the sentence rows of a parsed Doc, and the lookup every span table uses for sent_id."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span

from .scan import sentences_of, text_of

# The word columns both the date and the claim rules scan (each Doc's read once, by ``scan.columns``).
WORD_COLUMNS = ("LOWER", "IS_ALPHA")


def content_bounds(span: Span) -> tuple[int, int] | None:
    """Character offsets of ``span`` without leading/trailing whitespace tokens (None if all space)."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and doc[start].is_space:  # from the edges in: the words between are not looked at
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start == end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


class SentenceIndex:
    """Maps a character offset to the 0-based number of the sentence that holds it."""

    def __init__(self, doc: Doc):
        self.starts = [s.start_char for s in sentences_of(doc)]

    def __call__(self, char_offset: int) -> int:
        return max(bisect_right(self.starts, char_offset) - 1, 0)


def sentence_rows(doc: Doc, paragraphs: Sequence[tuple[int, int]]) -> Iterator[dict]:
    """One row per sentence: offsets without surrounding whitespace, and the paragraph it sits in.

    ``sent_id`` counts every sentence of the Doc, so it agrees with :class:`SentenceIndex`;
    a sentence made only of whitespace yields no row.
    """
    para_starts = [start for start, _ in paragraphs]
    doc_id = doc.user_data["doc_id"]
    text = text_of(doc)
    for sent_id, sent in enumerate(sentences_of(doc)):
        bounds = content_bounds(sent)
        if bounds is None:
            continue
        start, end = bounds
        yield {
            "doc_id": doc_id, "sent_id": sent_id, "para_id": max(bisect_right(para_starts, start) - 1, 0),
            "start": start, "end": end, "text": text[start:end],
        }
