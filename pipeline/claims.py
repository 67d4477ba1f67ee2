"""Numeric claims: numbers asserted as facts in a parsed Doc, with value, qualifier, unit and object."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .sentences import SentenceIndex

CLAIM_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

QUALIFIERS = {
    "more than": "more_than", "over": "more_than", "above": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "at least": "at_least", "no less than": "at_least", "not less than": "at_least",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "at most": "at_most", "no more than": "at_most", "up to": "at_most", "not more than": "at_most",
    "about": "approx", "around": "approx", "roughly": "approx", "nearly": "approx", "almost": "approx",
    "approximately": "approx", "close to": "approx", "some": "approx", "approx.": "approx", "about.": "approx",
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")
_OBJECT_DEPS = {"compound", "amod", "nmod", "poss"}


@dataclass(frozen=True)
class Quantity:
    value: float
    qualifier: str
    unit: str | None


def parse_quantity(text: str) -> Quantity | None:
    """'more than 1.35 million square meters' -> Quantity(1350000.0, 'more_than', 'square meters')."""
    t = re.sub(r"\s+", " ", text.strip()).lower()
    qualifier = "exact"
    for words in sorted(QUALIFIERS, key=len, reverse=True):
        if t.startswith(words + " "):
            qualifier, t = QUALIFIERS[words], t[len(words) + 1:]
            break
    m = _NUMBER.search(t)
    if m is None:
        return None
    value = float(m[0].replace(",", ""))
    rest = t[m.end():].strip()
    scale = re.match(r"(thousand|million|billion|trillion|bn|m|k)\b", rest)
    if scale:
        value *= SCALES[scale[1]]
        rest = rest[scale.end():].strip()
    unit = rest or None
    if "%" in rest or rest in ("percent", "per cent"):
        unit = "percent"
    return Quantity(value, qualifier, unit)


def noun_phrase(head: Token) -> str:
    """The head noun with its left modifiers and coordinated nouns, as the text reads."""
    tokens = {head.i}
    for child in head.lefts:
        if child.dep_ in _OBJECT_DEPS:
            tokens.update(t.i for t in child.subtree)
    for child in head.rights:
        if child.dep_ in ("cc", "conj", "prep") or (child.dep_ == "pobj"):
            tokens.update(t.i for t in child.subtree)
    lo, hi = min(tokens), max(tokens)
    return head.doc[lo:hi + 1].text


def counted_object(span: Span) -> str | None:
    """What the number counts: the noun the number modifies, from the dependency parse."""
    root = span.root
    if root.dep_ in ("nummod", "quantmod", "amod", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
        return noun_phrase(root.head)
    if root.pos_ in ("NOUN", "PROPN") and root.i >= span.start and root.i < span.end and not root.like_num:
        return root.text
    return None


def claim_rows(doc: Doc, *, dates: Sequence[dict] = ()) -> Iterator[dict]:
    """One row per number the Doc asserts as a fact; spans inside date rows are skipped."""
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    date_spans = [(d["start"], d["end"]) for d in dates]
    for ent in doc.ents:
        if ent.label_ not in CLAIM_LABELS:
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in date_spans):
            continue
        quantity = parse_quantity(ent.text)
        if quantity is None:
            continue
        yield {
            "doc_id": doc_id, "sent_id": sent_of(ent.start_char), "start": ent.start_char,
            "end": ent.end_char, "text": ent.text, "value": quantity.value, "qualifier": quantity.qualifier,
            "unit": quantity.unit, "object": counted_object(ent), "time": None, "source": None,
            "value_high": None, "change": None,
        }
