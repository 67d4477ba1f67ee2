"""Finding the tokens a rule is about without visiting every token of the Doc.

Each ``doc[i]`` or ``for token in doc`` builds a Python ``Token`` object, and the extraction rules
used to scan whole articles that way, pass after pass: it was their main cost beside the model
(docs/performance.md). The functions here read one column of ``Doc.to_array`` instead and return
the positions a rule then looks at token by token.

A long article has a few thousand tokens but under a thousand distinct words, and a dozen rules
scan the same columns: each Doc's word columns are read and reduced to their distinct values once
(:class:`Column`) and every scan then works on the distinct values.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

# Per Doc, what a scan read, with the Doc's length when it was read. Rules write entities and
# nothing else of a token, except by splitting or merging tokens, which changes the length; the
# entity attributes ("ENT_...") are therefore always read afresh.
_READ: weakref.WeakKeyDictionary[Doc, dict[object, tuple[int, Any]]] = weakref.WeakKeyDictionary()

# Spans, which hold their Doc, kept in _READ would keep every Doc alive (its keys are weak, not its
# values): each thread keeps the spans of the one Doc it last asked about, with that Doc's length.
_SPANS = threading.local()


def _once(doc: Doc, key: object, read: Callable[[], Any]) -> Any:
    entries = _READ.setdefault(doc, {})
    length, value = entries.get(key, (-1, None))
    if length != len(doc):
        value = read()
        entries[key] = (len(doc), value)
    return value


def _static(attr: str) -> bool:
    return not attr.startswith("ENT_")


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: ``Doc.text`` joins every token's text on each call (about
    a millisecond on a long article)."""
    return _once(doc, "text", lambda: doc.text)


def _spans(doc: Doc, key: str, read: Callable[[], tuple[Span, ...]]) -> tuple[Span, ...]:
    held = getattr(_SPANS, "held", None)
    if held is None or held[0]() is not doc or held[1] != len(doc):
        held = _SPANS.held = (weakref.ref(doc), len(doc), {})
    spans = held[2].get(key)
    if spans is None:
        spans = held[2][key] = read()
    return spans


def sentences_of(doc: Doc) -> tuple[Span, ...]:
    """``tuple(doc.sents)``, built once per Doc (and again after a split of tokens): ``Doc.sents``
    builds a Span per sentence on every pass, and the sentence table and several rules each pass."""
    return _spans(doc, "sents", lambda: tuple(doc.sents))


def entities_of(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built again only after :func:`entities_changed` or a split of tokens.

    ``Doc.ents`` builds a ``Span`` (and three ``Token`` objects for its offsets) for every entity on
    each call; some thirty rules read it, and only a few of them change anything. Every write of a
    Doc's entities must therefore go through ``entities.set_entities``, which calls
    :func:`entities_changed` (tests/test_scan.py checks it after every component of the entity
    pipeline). The spans are shared between callers: do not change them.
    """
    return _spans(doc, "ents", lambda: doc.ents)


def entities_changed(doc: Doc) -> None:
    """Forget the entities :func:`entities_of` read: they were just written."""
    held = getattr(_SPANS, "held", None)
    if held is not None and held[0]() is doc:
        held[2].pop("ents", None)


def adopt_text(doc: Doc, text: str) -> bool:
    """Whether ``text`` can be the Doc's text; if it can, :func:`text_of` returns it from now on.

    For a Doc parsed from ``text`` (stored under the text's hash), as a check against a wrong or
    truncated parse that costs less than joining every token's text: the lengths agree, and the
    first, middle and last tokens stand in ``text`` where the Doc puts them.
    """
    if not len(doc):
        return text == ""
    last = doc[-1]
    if last.idx + len(last.text_with_ws) != len(text):
        return False
    if any(text[t.idx:t.idx + len(t)] != t.text for t in (doc[0], doc[len(doc) // 2], last)):
        return False
    _READ.setdefault(doc, {})["text"] = (len(doc), text)
    return True


def columns(doc: Doc, attrs: tuple[str, ...]) -> numpy.ndarray:
    """``doc.to_array(attrs)``, read once per Doc unless an attribute is an entity's (the array is
    shared: do not write to it)."""
    if not all(map(_static, attrs)):
        return doc.to_array(list(attrs))
    return _once(doc, attrs, lambda: doc.to_array(list(attrs)))


@dataclass(frozen=True)
class Column:
    """One attribute of every token, as the sorted distinct values, their strings and, per token,
    the index of its value among them."""

    values: numpy.ndarray
    strings: list[str]
    inverse: numpy.ndarray

    @classmethod
    def of(cls, doc: Doc, attr: str) -> Column:
        return _once(doc, ("column", attr), lambda: cls.read(doc, attr)) if _static(attr) else cls.read(doc, attr)

    @classmethod
    def read(cls, doc: Doc, attr: str) -> Column:
        values, inverse = numpy.unique(doc.to_array(attr), return_inverse=True)
        strings = doc.vocab.strings
        return cls(values, [strings[value] for value in values.tolist()], inverse.reshape(-1))

    def tokens(self, hits: numpy.ndarray) -> list[int]:
        """The indices of the tokens whose value is one of the distinct values marked in ``hits``."""
        return numpy.flatnonzero(hits[self.inverse]).tolist() if hits.any() else []


def string_ids(words: Iterable[str]) -> numpy.ndarray:
    """The StringStore ids of ``words``, sorted, for :func:`positions` (computed once, where the words are loaded)."""
    return numpy.array(sorted({hash_string(word) for word in words}), dtype=numpy.uint64)


def positions(doc: Doc, ids: numpy.ndarray, *, attr: str = "ORTH") -> list[int]:
    """The indices of the tokens whose ``attr`` ("ORTH", "LOWER", "LEMMA", ...) is one of ``ids``
    (:func:`string_ids`: being sorted, they are searched, not compared one by one)."""
    if not len(ids):
        return []
    column = Column.of(doc, attr)
    found = numpy.minimum(numpy.searchsorted(ids, column.values), len(ids) - 1)
    return column.tokens(ids[found] == column.values)


def distinct(doc: Doc, *, attr: str = "ORTH") -> list[str]:
    """The distinct ``attr`` strings of the Doc's tokens (its words, for "ORTH")."""
    return list(Column.of(doc, attr).strings)


def positions_where(doc: Doc, predicate: Callable[[str], bool], *, attr: str = "ORTH") -> list[int]:
    """The indices of the tokens whose ``attr`` string satisfies ``predicate``, which sees each
    distinct string once."""
    column = Column.of(doc, attr)
    return column.tokens(numpy.fromiter(map(predicate, column.strings), dtype=bool, count=len(column.strings)))


def string_id_set(words: Iterable[str]) -> frozenset[int]:
    """The StringStore ids of ``words`` as a set, for :func:`positions_among` (a long word list)."""
    return frozenset(hash_string(word) for word in words)


def positions_among(doc: Doc, ids: frozenset[int], *, attr: str = "ORTH",
                    where: numpy.ndarray | None = None) -> list[int]:
    """:func:`positions` for a word list far longer than the Doc (tens of thousands of town names):
    each distinct value of the Doc is looked up in the set ``ids`` (:func:`string_id_set`) rather than
    the list searched for every token; ``where`` (a boolean per token) limits the tokens looked at."""
    column = Column.of(doc, attr)
    hits = numpy.fromiter((value in ids for value in column.values.tolist()), dtype=bool, count=len(column.values))
    if where is None:
        return column.tokens(hits)
    return numpy.flatnonzero(hits[column.inverse] & where).tolist()
