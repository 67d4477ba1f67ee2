"""Parsing: cleaned documents -> spaCy Docs, once, kept as a DocBin for the cheap stages after it.

The statistical model runs here and nowhere else, so changing an extraction rule or parameter
re-runs only the stages downstream of the DocBin.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Token

from .clean import PARAGRAPH_SEPARATOR, CleanDoc


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Sentences never span two paragraphs, and a paragraph with no sentence-final punctuation
    before its end (a title, a date line, a heading) is one sentence. A dateline opening a
    paragraph ("LIMA, March 12 (Reuters) -") is a sentence of its own.

    Runs before the parser, which keeps the boundaries set here, both the starts and the
    non-starts (the parser would otherwise split "2024-03-14" after "2024").
    """
    for paragraph in _paragraphs(doc):
        paragraph[0].is_sent_start = True
        words = [t for t in paragraph if not t.is_space]
        if not any(t.text in _SENTENCE_ENDS for t in words[:-1]):
            for token in paragraph[1:]:
                token.is_sent_start = False
        # a title has no final full stop: "UK - Inflation rises" is not a dateline
        if words and words[-1].text in _SENTENCE_ENDS and (body := _after_dateline(paragraph)) is not None:
            body.is_sent_start = True
    return doc


_SENTENCE_ENDS = frozenset({".", "!", "?", "。"})
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
_DATELINE_MAX_TOKENS = 16


def _after_dateline(paragraph: Doc) -> Token | None:
    """The first word after a dateline ("LIMA, March 12 (Reuters) -", "KATHMANDU, Nepal (AP) —"):
    capitals, then only names, numbers and punctuation up to a dash. Left in the sentence, the
    dateline's place becomes the subject of the sentence's verb."""
    if not (paragraph[0].is_upper and paragraph[0].is_alpha and len(paragraph[0]) > 1):
        return None
    for token in paragraph[1:_DATELINE_MAX_TOKENS]:
        if token.text in _DASHES and token.i + 1 < paragraph.end:
            return paragraph.doc[token.i + 1]
        if token.is_space or token.is_alpha and not (token.is_upper or token.is_title) or token.text in _SENTENCE_ENDS:
            return None
    return None


def _paragraphs(doc: Doc) -> Iterator[Doc]:
    """The token ranges between paragraph breaks; a break's whitespace ends the paragraph before it."""
    start = 0
    for token in doc:
        if PARAGRAPH_SEPARATOR in token.text or PARAGRAPH_SEPARATOR in token.whitespace_:
            yield doc[start:token.i + 1]
            start = token.i + 1
    if start < len(doc):
        yield doc[start:]


def load_model(name: str, *, exclude: Iterable[str] = ()) -> Language:
    """The pinned spaCy pipeline from its installed package, with paragraph-aware sentences."""
    nlp = spacy.load(name, exclude=list(exclude))
    nlp.add_pipe("paragraph_sentences", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


def model_id(nlp: Language) -> str:
    """'<package>==<version>': the model recorded in every table's metadata."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}=={nlp.meta['version']}"


def parse_docs(nlp: Language, docs: Iterable[CleanDoc], *, batch_size: int, n_process: int) -> Iterator[Doc]:
    """Parse cleaned documents in batches; each Doc carries its ``doc_id`` in ``user_data``."""
    pairs = ((d.text, d.doc_id) for d in docs)
    for doc, doc_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        doc.user_data["doc_id"] = doc_id
        yield doc


def to_docbin(docs: Iterable[Doc]) -> DocBin:
    bin_ = DocBin(store_user_data=True)
    for doc in docs:
        bin_.add(doc)
    return bin_


def from_docbin(data: bytes, nlp: Language) -> Iterator[Doc]:
    return DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab)
