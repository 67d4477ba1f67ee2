"""Property tests: cleaning and extraction take any Unicode text without an exception, and every
offset they give obeys the data contract (``text[start:end] == row text``, inside the document,
inside its sentence, sentences inside their paragraph)."""
from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.claims import claim_rows
from pipeline.clean import PARAGRAPH_SEPARATOR, InputError, clean_text, parse_dateline
from pipeline.dates import date_rows
from pipeline.entities import entity_rows
from pipeline.parse import load_model
from pipeline.sentences import sentence_rows

# Any code point a decoded file can hold (lone surrogates cannot come out of a strict decode).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
# Pieces that steer the model towards entities, dates and numbers, odd ones included.
FRAGMENTS = st.sampled_from([
    "Mayor Alice Moreno", "the Port Authority of Westhaven", "Lindel Valley", "the U.S.", "Nordbank AG's",
    "2024-03-09", "2024-13-45", "Feb. 30, 2024", "March 2023", "last year", "three years ago", "in 1999",
    "since 2012", "more than 1,200", "about 40 percent", "$5 billion", "1.35 million square meters", "20 to 30",
    "nearly half", "5%", "\u201cquoted\u201d", "'s", "\u2014", ".", ",", "!", "?", "\n", "\n\n", "  ", "\t",
    "\u200b", "e\u0301", "\u00a0", "\r\n", "\u2028", "\ufeff",
])
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=200),
    st.lists(st.one_of(FRAGMENTS, st.text(ANY_CHAR, max_size=6)), max_size=40).map(" ".join),
)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
PUBLISHED = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))


def clean(raw: str):
    return clean_text(raw, doc_id="prop", source="raw/prop.txt", raw_sha256="0" * 64)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("Cafe\u200b\u0301 owners meet")  # found by this test: the result was not NFC, cleaning it again changed it
def test_clean_text_takes_any_text_and_its_paragraph_offsets_hold(raw):
    try:
        doc = clean(raw)
    except InputError as err:
        assert err.problem == "empty file: no text after removing whitespace"
        assert all(ch.isspace() or ch in INVISIBLE for ch in raw)
        return
    lines = [doc.text[start:end] for start, end in doc.paragraphs]
    assert PARAGRAPH_SEPARATOR.join(lines) == doc.text
    assert all(line and line == line.strip() and "\n" not in line for line in lines)
    assert all(0 <= s < e <= len(doc.text) for s, e in doc.paragraphs)
    assert doc.title == lines[0]
    assert doc.published == (parse_dateline(lines[1]) if len(lines) > 1 else None)
    assert unicodedata.is_normalized("NFC", doc.text)
    again = clean(doc.text)
    assert (again.text, again.paragraphs) == (doc.text, doc.paragraphs)


@cache
def nlp():
    import yaml

    from conftest import REPO
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    return load_model(params["model"], exclude=params["parse"].get("exclude", []))


def assert_span_rows(rows, text: str, sentences) -> None:
    for row in rows:
        assert 0 <= row["start"] <= row["end"] <= len(text), row
        assert text[row["start"]:row["end"]] == row["text"], row
        assert 0 <= row["sent_id"] < len(sentences), row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, PUBLISHED)
@example("Talks ended on 2024-13-45 in Geneva.", None)  # found by this test: impossible dates crashed date_rows
@example("The deadline is 2025-02-30.", date(2025, 1, 1))
def test_extractors_take_any_text_and_every_offset_holds(raw, published):
    try:
        cleaned = clean(raw)
    except InputError:
        return
    doc = nlp()(cleaned.text)
    doc.user_data["doc_id"] = cleaned.doc_id
    text = doc.text
    sentences = list(doc.sents)
    dateline = cleaned.paragraphs[1] if published and len(cleaned.paragraphs) > 1 else None

    sentence_table = list(sentence_rows(doc, cleaned.paragraphs))
    assert_span_rows(sentence_table, text, sentences)
    for row in sentence_table:
        para_start, para_end = cleaned.paragraphs[row["para_id"]]
        assert para_start <= row["start"] and row["end"] <= para_end, row
    entities = list(entity_rows(doc))
    dates = list(date_rows(doc, published=published, dateline=dateline))
    claims = list(claim_rows(doc, dates=dates))
    for rows in (entities, dates, claims):
        assert_span_rows(rows, text, sentences)
        for row in rows:
            sentence = sentences[row["sent_id"]]
            assert sentence.start_char <= row["start"] < sentence.end_char or row["start"] == row["end"], row
    for row in dates:
        if row["start_date"] is not None and row["end_date"] is not None:
            assert row["start_date"] <= row["end_date"], row
