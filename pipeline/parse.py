"""Parsing: cleaned texts -> spaCy Docs, once per distinct text, kept one Doc per file for the stages after it.

The statistical model runs here and nowhere else, so changing an extraction rule or parameter
re-runs only the stages downstream of the parses. Each parse is stored under a key made of the
text's hash and the pipeline's fingerprint, so a text is parsed again only when it or the
pipeline (model, spaCy, components and their settings) changes.
"""
from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterable, Iterator
from typing import TypeVar

import numpy
import pyarrow as pa
import spacy
import srsly
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, IS_ALPHA, IS_SPACE, LEMMA, MORPH, NORM, ORTH, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, DocBin, MorphAnalysis, Span, Token
from spacy.tokens.doc import DOCBIN_ALL_ATTRS
from spacy.vocab import Vocab

from .clean import PARAGRAPH_SEPARATOR

Context = TypeVar("Context")


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Sentences never span two paragraphs nor start right after a word, and a paragraph with no
    sentence-final punctuation before its end (a title, a date line, a heading) is one sentence. A dateline opening a
    paragraph ("LIMA, March 12 (Reuters) -") is a sentence of its own.

    Runs before the parser, which keeps the boundaries set here, both the starts and the
    non-starts (the parser would otherwise split "2024-03-14" after "2024").

    The boundaries are written in one ``Doc.from_array``: the ``Token.is_sent_start`` setter
    checks the whole Doc for a parse on every call, which cost about 6% of the model's own time
    on a long article with many headings. It uses no other module of this package: the parse
    fingerprint hashes this module's source, not what it imports.
    """
    if not len(doc):
        return doc
    sent_starts = doc.to_array(SENT_START).view(numpy.int64)
    orth, is_space, is_alpha = doc.to_array([ORTH, IS_SPACE, IS_ALPHA]).T
    # nor does one start right after a word, with no punctuation or line break between: the parser
    # did so inside names ("Christianne van der | Wal", "KEVIN | ODIT" in a photo credit)
    sent_starts[1:][is_alpha[:-1] == 1] = _NOT_START
    words = numpy.flatnonzero(is_space == 0)
    sentence_ends = numpy.flatnonzero(numpy.isin(orth, _SENTENCE_END_IDS))
    for start, end in _paragraphs(doc, numpy.flatnonzero(is_space).tolist()):
        sent_starts[start] = _START
        in_paragraph = words[numpy.searchsorted(words, start):numpy.searchsorted(words, end)]
        last_word = int(in_paragraph[-1]) if len(in_paragraph) else start
        if numpy.searchsorted(sentence_ends, start) == numpy.searchsorted(sentence_ends, last_word):
            sent_starts[start + 1:end] = _NOT_START
        # a title has no final full stop: "UK - Inflation rises" is not a dateline
        if (len(in_paragraph) and doc[last_word].text in _SENTENCE_ENDS
                and (body := _after_dateline(doc[start:end])) is not None):
            sent_starts[body.i] = _START
    doc.from_array([SENT_START], sent_starts.view(numpy.uint64))
    return doc


# Token.sent_start's values, as Doc arrays hold them
_START, _NOT_START = 1, -1
_SENTENCE_ENDS = frozenset({".", "!", "?", "。"})
_SENTENCE_END_IDS = numpy.array([hash_string(end) for end in _SENTENCE_ENDS], dtype=numpy.uint64)
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
_DATELINE_MAX_TOKENS = 16


def _after_dateline(paragraph: Span) -> Token | None:
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


def _paragraphs(doc: Doc, spaces: list[int]) -> Iterator[tuple[int, int]]:
    """The token ranges between paragraph breaks; a break's whitespace ends the paragraph before it.
    ``spaces``: the positions of the whitespace tokens, the only ones that can hold a break (the
    tokenizer keeps runs of whitespace apart from words)."""
    start = 0
    for token in spaces:
        if PARAGRAPH_SEPARATOR in doc[token].text:
            yield start, token + 1
            start = token + 1
    if start < len(doc):
        yield start, len(doc)


def load_model(name: str, *, exclude: Iterable[str] = ()) -> Language:
    """The pinned spaCy pipeline from its installed package, with paragraph-aware sentences.

    ``exclude`` names components the extractors do not read (params.yaml ``parse.exclude``):
    they are never loaded, so they cost neither time nor memory.
    """
    nlp = spacy.load(name, exclude=list(exclude))
    nlp.add_pipe("paragraph_sentences", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


def model_id(nlp: Language) -> str:
    """'<package>==<version>': the model recorded in every table's metadata."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}=={nlp.meta['version']}"


def model_meta(nlp: Language) -> dict[str, str]:
    """What produced the parses, as the tables' metadata records it: model, spaCy, components run."""
    return {"model": model_id(nlp), "spacy_version": spacy.__version__, "model_components": ",".join(nlp.pipe_names)}


def fingerprint(nlp: Language) -> str:
    """A hash that changes whenever the pipeline could parse a text differently.

    It covers the model's name and version, spaCy's version, the serialised pipeline (config,
    weights, vocabulary, rule patterns, so excluded or added components count) and the source of
    components defined in this package, whose code the serialised pipeline does not hold.
    Call it on a freshly loaded pipeline: parsing adds strings to the vocabulary.
    """
    h = hashlib.sha256()
    for part in (model_id(nlp), spacy.__version__, *sorted(_project_component_sources(nlp))):
        h.update(part.encode())
        h.update(b"\0")
    h.update(nlp.to_bytes())
    return h.hexdigest()


def _project_component_sources(nlp: Language) -> set[str]:
    package = __name__.rpartition(".")[0]
    sources = set()
    for _, component in nlp.pipeline:
        module = inspect.getmodule(component if inspect.isfunction(component) else type(component))
        if module is not None and module.__name__.startswith(package + "."):
            sources.add(inspect.getsource(module))
    return sources


def parse_key(pipeline_fingerprint: str, text: str) -> str:
    """The store key of one text's parse under one pipeline."""
    return hashlib.sha256(f"{pipeline_fingerprint}\0{text}".encode()).hexdigest()


def parse_texts(nlp: Language, items: Iterable[tuple[str, Context]], *, batch_size: int) -> Iterator[tuple[Doc, Context]]:
    """Stream ``(text, context)`` pairs through ``nlp.pipe`` in batches; yields ``(Doc, context)`` in order."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)


class _DocBin(DocBin):
    """spaCy's DocBin message, written in a third of the time and compressed with zstd.

    ``DocBin.add`` collects the strings a Doc uses by reading nine attributes of every token in
    Python, which took longer than compressing the result; here they are the distinct values of
    one ``Doc.to_array`` call. A Doc with span groups takes ``DocBin.add`` itself: their strings
    are collected differently. ``to_bytes`` packs the message DocBin packs (tests/test_parse.py
    checks it) with one msgpack ``Packer`` for the run (srsly's ``msgpack_dumps`` looks up its
    extensions among the installed packages' entry points on every call, 0.15 ms per article), and
    compresses it as one zstd frame instead of DocBin's zlib: 0.35 ms instead of 1.0 per long
    article, 0.16 instead of 0.34 to decompress, files 4% smaller (zlib at its default level took
    as long as the rest of storing a parse).
    """

    _PACKER = srsly.msgpack.Packer(use_bin_type=True)

    _STRING_ATTRS = [ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID]

    def add(self, doc: Doc) -> None:
        if doc.spans:
            super().add(doc)
            return
        tokens = doc.to_array(self.attrs)
        self.tokens.append(tokens)
        self.spaces.append(numpy.asarray(doc.to_array(SPACY), dtype=bool).reshape(-1, 1))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        string_columns = [self.attrs.index(attr) for attr in self._STRING_ATTRS]
        self.strings.update(strings[h] for h in numpy.unique(tokens[:, string_columns]).tolist())
        # DocBin keeps the morphology's strings whether or not it stores MORPH; the store spells
        # the empty analysis "_", str(token.morph) spells it ""
        self.strings.update(str(MorphAnalysis.from_id(doc.vocab, h)) for h in numpy.unique(doc.to_array(MORPH)).tolist())
        self.cats.append(doc.cats)
        self.span_groups.append(doc.spans.to_bytes())

    def to_bytes(self) -> bytes:
        msg = {
            "version": self.version,
            "attrs": self.attrs,
            "tokens": (numpy.vstack(self.tokens) if self.tokens else numpy.asarray([])).tobytes("C"),
            "spaces": (numpy.vstack(self.spaces) if self.spaces else numpy.asarray([])).tobytes("C"),
            "lengths": numpy.asarray([len(tokens) for tokens in self.tokens], dtype="int32").tobytes("C"),
            "strings": sorted(self.strings),
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.span_groups,
        }
        return _compress(self._PACKER.pack(msg))


# What a stored parse keeps: DocBin's attributes but MORPH. No extractor reads morphological
# features, and restoring them parses a feature string per token: 0.8 ms of the 4 ms it took to
# reload a long article. An extractor that needs them adds MORPH back here; this module's source is
# part of every parse key, so all texts are then parsed again.
STORED_ATTRS = tuple(attr for attr in DOCBIN_ALL_ATTRS if attr != "MORPH")


def doc_to_bytes(doc: Doc) -> bytes:
    """One Doc as a DocBin of :data:`STORED_ATTRS` (no morphology, no tensor, no user data), compressed."""
    bin_ = _DocBin(attrs=STORED_ATTRS, store_user_data=False)
    bin_.add(doc)
    return bin_.to_bytes()


def _compress(message: bytes) -> bytes:
    """One zstd frame (pyarrow's codec; ``zstd -d`` reads it too)."""
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(message)
    return sink.getvalue().to_pybytes()


def stored_message(data: bytes) -> bytes:
    """The DocBin message (msgpack) of a stored parse."""
    return pa.CompressedInputStream(pa.BufferReader(data), "zstd").read()


# What SpanGroups.to_bytes writes for a Doc without span groups.
_NO_SPAN_GROUPS = srsly.msgpack_dumps([])


def doc_from_bytes(data: bytes, vocab: Vocab, *, doc_id: str) -> Doc:
    """The Doc :func:`doc_to_bytes` stored, carrying ``doc_id`` in ``user_data`` for the extractors.

    Read here as ``DocBin.get_docs`` reads a message, but 0.7 ms faster per long article (a third of
    reloading it): srsly looks up its msgpack extensions among the installed packages' entry
    points on every call, and ``get_docs`` makes a lexeme of every stored string, tags, dependency
    labels and lemmas included, where the vocabulary needs only the strings. The message holds no
    msgpack extension types (its arrays are raw bytes) and no user data; tests/test_parse.py checks
    the Doc is the one ``get_docs`` gives.
    """
    msg = srsly.msgpack.unpackb(stored_message(data), raw=False, object_pairs_hook=dict)
    strings = vocab.strings
    for string in msg["strings"]:
        if string not in strings:
            strings.add(string)
    attrs = msg["attrs"]
    tokens = numpy.frombuffer(msg["tokens"], dtype="uint64").reshape(-1, len(attrs))
    spaces = None if msg["flags"][0].get("has_unknown_spaces") else numpy.frombuffer(msg["spaces"], dtype=bool)
    doc = Doc(vocab, words=tokens[:, attrs.index(ORTH)], spaces=spaces).from_array(attrs, tokens)
    doc.cats = msg["cats"][0]
    if msg["span_groups"][0] != _NO_SPAN_GROUPS:
        doc.spans.from_bytes(msg["span_groups"][0])
    doc.user_data["doc_id"] = doc_id
    return doc
