"""Parsing: cleaned documents -> spaCy Docs, once, kept as a DocBin for the cheap stages after it.

The statistical model runs here and nowhere else, so changing an extraction rule or parameter
re-runs only the stages downstream of the DocBin.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .clean import PARAGRAPH_SEPARATOR, CleanDoc


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break, so no sentence spans two paragraphs.

    Runs before the parser, which keeps boundaries that are already set.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if PARAGRAPH_SEPARATOR in previous.text or PARAGRAPH_SEPARATOR in previous.whitespace_:
            token.is_sent_start = True
    return doc


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
