"""Finding the tokens a rule is about without visiting every token of the Doc.

Each ``doc[i]`` or ``for token in doc`` builds a Python ``Token`` object, and the extraction rules
used to scan whole articles that way, pass after pass: it was their main cost beside the model
(docs/performance.md). The functions here read one column of ``Doc.to_array`` instead and return
the positions a rule then looks at token by token.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc


def string_ids(words: Iterable[str]) -> numpy.ndarray:
    """The StringStore ids of ``words``, for :func:`positions` (computed once, where the words are loaded)."""
    return numpy.array(sorted({hash_string(word) for word in words}), dtype=numpy.uint64)


def positions(doc: Doc, ids: numpy.ndarray, *, attr: str = "ORTH") -> list[int]:
    """The indices of the tokens whose ``attr`` ("ORTH", "LOWER", "LEMMA", ...) is one of ``ids``."""
    return numpy.flatnonzero(numpy.isin(doc.to_array(attr), ids)).tolist()


def distinct(doc: Doc, *, attr: str = "ORTH") -> list[str]:
    """The distinct ``attr`` strings of the Doc's tokens (its words, for "ORTH")."""
    strings = doc.vocab.strings
    return [strings[value] for value in numpy.unique(doc.to_array(attr)).tolist()]


def positions_where(doc: Doc, predicate: Callable[[str], bool], *, attr: str = "ORTH") -> list[int]:
    """The indices of the tokens whose ``attr`` string satisfies ``predicate``, which sees each
    distinct string once."""
    values = doc.to_array(attr)
    strings = doc.vocab.strings
    hits = [value for value in numpy.unique(values).tolist() if predicate(strings[value])]
    return numpy.flatnonzero(numpy.isin(values, hits)).tolist() if hits else []


def string_id_set(words: Iterable[str]) -> frozenset[int]:
    """The StringStore ids of ``words`` as a set, for :func:`positions_among` (a long word list)."""
    return frozenset(hash_string(word) for word in words)


def positions_among(doc: Doc, ids: frozenset[int], *, attr: str = "ORTH",
                    where: numpy.ndarray | None = None) -> list[int]:
    """:func:`positions` for a word list far longer than the Doc (tens of thousands of town names):
    each distinct value of the Doc is looked up in the set ``ids`` (:func:`string_id_set`) rather than
    the list searched for every token; ``where`` (a boolean per token) limits the tokens looked at."""
    values = doc.to_array(attr)
    candidates = numpy.arange(len(doc)) if where is None else numpy.flatnonzero(where)
    hits = [value for value in numpy.unique(values[candidates]).tolist() if value in ids]
    return candidates[numpy.isin(values[candidates], hits)].tolist() if hits else []
