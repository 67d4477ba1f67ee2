"""Entities: named-entity mentions of a parsed Doc as rows of the ``entities`` table."""
from __future__ import annotations

from collections.abc import Collection, Iterator

from spacy.tokens import Doc, Span

from .sentences import SentenceIndex

ENTITY_LABELS = frozenset({
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
})
_LEADING_WORDS = frozenset({"the", "a", "an"})
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"


def trim_mention(span: Span) -> Span | None:
    """The name inside a mention: no leading determiner, possessive 's or surrounding quotes."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING_WORDS or doc[start].text in _QUOTES or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "\u2019s", "'") or doc[end - 1].text in _QUOTES
                           or doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    if start == end:
        return None
    return Span(doc, start, end, label=span.label, kb_id=span.kb_id, span_id=span.id)


def entity_rows(doc: Doc, *, labels: Collection[str] = ENTITY_LABELS) -> Iterator[dict]:
    """One row per entity mention with a non-numeric label, its span trimmed to the name."""
    sent_of = SentenceIndex(doc)
    doc_id = doc.user_data["doc_id"]
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        mention = trim_mention(ent)
        if mention is None:
            continue
        yield {
            "doc_id": doc_id, "sent_id": sent_of(mention.start_char),
            "start": mention.start_char, "end": mention.end_char, "text": mention.text,
            "label": ent.label_, "norm": mention.text, "source": "model", "kb_id": None,
        }
