"""The Arrow schema of every published table, declared once, and the one writer they all go through.

Column names, types and meanings follow ``docs/DATA_CONTRACT.md``. Adding a column is fine;
renaming or dropping one is a breaking change and bumps ``SCHEMA_VERSION``'s major number.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = "1.3.0"

ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")


class ContractError(ValueError):
    """Tables that break the contract; the message names table, column and row of each problem."""


def _field(name: str, type_: pa.DataType, description: str, *, nullable: bool = True,
           enum: tuple[str, ...] | None = None, minimum: int | None = None) -> pa.Field:
    """One column, its meaning and its allowed values, kept as Arrow field metadata.

    The metadata keys follow Frictionless Table Schema (``description``, ``enum``, ``minimum``) so the
    validator, the data package and the dataset card all read the contract from this one place, and
    the published files carry it too (``pq.read_schema(path).field("label").metadata``).
    """
    meta = {"description": description}
    if enum is not None:
        meta["enum"] = json.dumps(list(enum))
    if minimum is not None:
        meta["minimum"] = json.dumps(minimum)
    return pa.field(name, type_, nullable=nullable, metadata=meta)


def field_constraints(field: pa.Field) -> dict:
    """A field's declared constraints as a Table Schema ``constraints`` object (``required``, ``enum``, ``minimum``)."""
    meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
    constraints: dict = {"required": True} if not field.nullable else {}
    for key in ("enum", "minimum"):
        if key in meta:
            constraints[key] = json.loads(meta[key])
    return constraints


def field_description(field: pa.Field) -> str:
    return (field.metadata or {}).get(b"description", b"").decode()


_DOC_ID = _field("doc_id", pa.string(), "The raw file's name without its extension; stable across versions.",
                 nullable=False)
_START = _field("start", pa.int32(), "Offset (Python str index) of the first character in documents.text.",
                nullable=False, minimum=0)
_END = _field("end", pa.int32(), "Offset just past the last character (end exclusive).", nullable=False, minimum=0)
_SPAN = [
    _DOC_ID,
    _field("sent_id", pa.int32(), "0-based number of the sentence holding the span; joins to sentences.",
           nullable=False, minimum=0),
    _START,
    _END,
    _field("text", pa.string(), "The span as it reads: documents.text[start:end].", nullable=False),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        _DOC_ID,
        _field("title", pa.string(), "The article's title (its first line)."),
        _field("published", pa.date32(), "Publication date from the article's date line; null when it has none."),
        _field("source", pa.string(), "Path of the raw file, relative to the repository.", nullable=False),
        _field("raw_sha256", pa.string(), "SHA-256 of the raw file's bytes.", nullable=False),
        _field("text", pa.string(), "The cleaned text every offset points into.", nullable=False),
        _field("n_chars", pa.int32(), "Characters in text.", nullable=False, minimum=0),
        _field("n_sentences", pa.int32(), "Rows of this document in sentences.", nullable=False, minimum=0),
        _field("n_tokens", pa.int32(), "Non-space spaCy tokens in text.", nullable=False, minimum=0),
    ]),
    "sentences": pa.schema([
        _DOC_ID,
        _field("sent_id", pa.int32(), "0-based sentence number within the document.", nullable=False, minimum=0),
        _field("para_id", pa.int32(), "0-based paragraph number; the title is paragraph 0.", nullable=False,
               minimum=0),
        _START,
        _END,
        _field("text", pa.string(), "The sentence: documents.text[start:end].", nullable=False),
    ]),
    "entities": pa.schema(_SPAN + [
        _field("label", pa.string(), "OntoNotes entity type; no numeric or temporal types here.", nullable=False,
               enum=ENTITY_LABELS),
        _field("norm", pa.string(), "Canonical name: 'the Party' and 'CPC' -> 'Communist Party of China'.",
               nullable=False),
        _field("source", pa.string(), "Which component found it, e.g. 'model' or 'rule'.", nullable=False),
        _field("kb_id", pa.string(), "Stable identifier from the gazetteer (a Wikidata QID or a slug; geonames:<id> "
               "for a GeoNames town, iso3166-2:<code> for a country subdivision); null if none."),
    ]),
    "dates": pa.schema(_SPAN + [
        _field("value", pa.string(), "TIMEX3-style value: '2024-11-05', '2023-12', '2019', 'PAST_REF', 'P5Y'.",
               nullable=False),
        _field("kind", pa.string(), "'date' (a point or calendar period), 'duration' or 'set'.", nullable=False,
               enum=("date", "duration", "set")),
        _field("relation", pa.string(), "The preposition that changes the meaning, when there is one.",
               enum=("since", "as_of", "until")),
        _field("start_date", pa.date32(), "First day of the calendar interval the value covers."),
        _field("end_date", pa.date32(), "Last day of the calendar interval the value covers."),
        _field("anchor", pa.date32(), "The date a relative expression was resolved against."),
    ]),
    "numeric_claims": pa.schema(_SPAN + [
        _field("value", pa.float64(), "The number with its scale word applied: '1.889 million' -> 1889000.0.",
               nullable=False),
        _field("qualifier", pa.string(), "How exact the number is said to be.", nullable=False,
               enum=("exact", "more_than", "at_least", "less_than", "at_most", "approx")),
        _field("unit", pa.string(), "Unit of the value: 'square meter', 'percent', 'yuan'; null for plain counts."),
        _field("object", pa.string(), "What is counted: 'industry associations and chambers of commerce'."),
        _field("time", pa.string(), "TIMEX3 value of the time the claim holds at."),
        _field("source", pa.string(), "Who says so: 'survey data from relevant departments'."),
        _field("value_high", pa.float64(), "Upper end of a range: '20 to 30' -> value 20, value_high 30."),
        _field("change", pa.string(), "'increase' or 'decrease' when the number is a change.",
               enum=("increase", "decrease")),
    ]),
}

TABLE_DESCRIPTIONS = {
    "documents": "One row per article: its cleaned text, title, publication date and counts.",
    "sentences": "One row per sentence; sentences never cross paragraphs.",
    "entities": "One row per named-entity mention, with its type and canonical name.",
    "dates": "One row per temporal expression, with its TIMEX3-style value and calendar interval.",
    "numeric_claims": "One row per number asserted as a fact, with its value, qualifier, unit, object, time and source.",
}

# The natural key of each table's rows (the one ``pipeline diff`` joins on); unique in every release.
PRIMARY_KEYS = {
    "documents": ("doc_id",),
    "sentences": ("doc_id", "sent_id"),
    "entities": ("doc_id", "start", "end", "label"),
    "dates": ("doc_id", "start", "end"),
    "numeric_claims": ("doc_id", "start", "end"),
}

# (columns, referenced table, referenced columns): every row belongs to a document, every span to a sentence.
FOREIGN_KEYS = {
    "documents": (),
    "sentences": ((("doc_id",), "documents", ("doc_id",)),),
    **{name: ((("doc_id",), "documents", ("doc_id",)), (("doc_id", "sent_id"), "sentences", ("doc_id", "sent_id")))
       for name in ("entities", "dates", "numeric_claims")},
}

TABLE_NAMES = tuple(SCHEMAS)
SPAN_TABLES = ("entities", "dates", "numeric_claims")

# Bounds a streamed row group's memory when params give no row_group_bytes.
ROW_GROUP_MAX_BYTES = 32 * 2**20
_COMPACT_CHUNKS = 256


def sort_key(table: str, row: Mapping) -> tuple:
    """The contract's order: by (doc_id, start); ties broken by every other column for stability."""
    if table == "documents":
        return (row["doc_id"],)
    if table == "sentences":
        return (row["doc_id"], row["start"])
    return (row["doc_id"], row["start"], row["end"], *(_comparable(row.get(k)) for k in sorted(row)))


def _comparable(value) -> tuple:
    return (value is None, "" if value is None else str(value))


def to_table(name: str, rows: Iterable[Mapping]) -> pa.Table:
    """Rows (dicts) -> an Arrow table of the declared schema, sorted, exact duplicates dropped."""
    schema = SCHEMAS[name]
    unique = {tuple(map(row.get, schema.names)): row for row in rows}
    ordered = _in_contract_order(name, unique.values())
    # column by column, as Table.from_pylist does after making a dict per row
    return pa.Table.from_arrays([[row.get(k) for row in ordered] for k in schema.names], schema=schema)


def _in_contract_order(name: str, rows: Iterable[Mapping]) -> list[Mapping]:
    """``sorted(rows, key=partial(sort_key, name))``. A span table's key writes every column as text
    (a third of the cost of making the table): it is made only for spans that tie on (doc_id,
    start, end), the key's first columns."""
    if name not in SPAN_TABLES:
        return sorted(rows, key=partial(sort_key, name))
    offsets = itemgetter("doc_id", "start", "end")
    ordered: list[Mapping] = []
    for _, group in groupby(sorted(rows, key=offsets), key=offsets):
        tied = list(group)
        ordered += sorted(tied, key=partial(sort_key, name)) if len(tied) > 1 else tied
    return ordered


def table_metadata(meta: Mapping[str, str]) -> dict[bytes, bytes]:
    """The contract's key-value metadata, plus the schema version; sorted so bytes never vary."""
    full = {"schema_version": SCHEMA_VERSION, **meta}
    return {k.encode(): str(full[k]).encode() for k in sorted(full)}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes files only their owner can read; published files get the usual umask mode.
_FILE_MODE = 0o666 & ~_umask()


def atomic_path(path: Path):
    """A temporary sibling of ``path`` that ``os.replace`` can move into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, _FILE_MODE)
    os.close(fd)
    return Path(tmp)


# Columns whose values repeat across rows (ids, labels, names, units, TIMEX values): dictionary
# encoding pays; where a column's dictionary grows too large, pyarrow falls back to plain by itself.
_DICTIONARY_COLUMNS = ("doc_id", "label", "norm", "source", "kb_id", "kind", "relation", "qualifier", "unit", "change",
                       "value", "time", "object")


def rows_per_group(table: pa.Table, *, row_group_size: int, row_group_bytes: int | None = None) -> int:
    """At most ``row_group_size`` rows and about ``row_group_bytes`` of uncompressed data per row group.

    The byte budget keeps text-heavy tables (documents) in several row groups, so readers can skip
    most of them when filtering by ``doc_id``. It is rounded down to a power of two so that small
    changes in the average row width leave row-group boundaries, and the pages after them, unchanged.
    """
    if not row_group_bytes or table.num_rows == 0:
        return row_group_size
    fit = max(1, row_group_bytes * table.num_rows // max(1, table.nbytes))
    return min(row_group_size, 1 << (fit.bit_length() - 1))


def parquet_options(name: str, *, compression_level: int | None = None, content_defined_chunking: bool = False) -> dict:
    """The ``pyarrow.parquet`` writer settings of one table, bar the row-group size (see benchmarks/parquet_layout.py).

    zstd; dictionary encoding on label-like columns; the contract's sort order declared in the
    file; content-defined data pages so that a changed document changes only the pages around it.
    """
    schema = SCHEMAS[name]
    order = [(c, "ascending") for c in ("doc_id", "start") if c in schema.names]
    return {
        "compression": "zstd",
        "compression_level": compression_level,
        "use_dictionary": [c for c in _DICTIONARY_COLUMNS if c in schema.names],
        "write_statistics": True,
        "sorting_columns": pq.SortingColumn.from_ordering(schema, order),
        "use_content_defined_chunking": content_defined_chunking,
    }


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A hidden folder inside ``out_dir`` to write a set of files into; on success they move into
    ``out_dir`` together, one rename each.

    Every file is whole before the first old one is replaced, so a crash at any moment leaves the
    previous set (or, within the last few renames, every file whole, old or new). A folder left
    by a killed run is removed by the next one: one writer per ``out_dir`` at a time.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".staged-*"):
        shutil.rmtree(stale, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=".staged-", dir=out_dir))
    try:
        yield stage
        for path in sorted(stage.iterdir()):
            os.replace(path, out_dir / path.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_table(name: str, table: pa.Table, path: Path, meta: Mapping[str, str], *, row_group_size: int,
                row_group_bytes: int | None = None, compression_level: int | None = None,
                content_defined_chunking: bool = False) -> None:
    """Write one table to Parquet atomically: a reader sees the old file or the new one, never half."""
    table = table.replace_schema_metadata(table_metadata(meta))
    rows = rows_per_group(table, row_group_size=row_group_size, row_group_bytes=row_group_bytes)
    tmp = atomic_path(path)
    try:
        pq.write_table(table, tmp, row_group_size=rows,
                       **parquet_options(name, compression_level=compression_level,
                                         content_defined_chunking=content_defined_chunking))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def stored_schema(path: Path) -> pa.Schema:
    """The Arrow schema a table was written with: a Parquet file's, or a dataset folder's first part file's."""
    return pq.read_schema(min(path.glob("*.parquet")) if path.is_dir() else path)


def row_groups(path: Path, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """A table's rows (``columns`` of them, default all) one row group at a time, in order: from a
    Parquet file, or from a dataset folder of part files (the Dask engine's) in name order."""
    for part in sorted(path.glob("*.parquet")) if path.is_dir() else [path]:
        file = pq.ParquetFile(part)
        for i in range(file.num_row_groups):
            yield file.read_row_group(i, columns=columns)


class TableWriter:
    """Streams one table into a Parquet file in row groups as the rows of each document arrive.

    Rows must arrive in the contract's order (documents in ``doc_id`` order, each chunk sorted, as
    :func:`to_table` returns them). A row group closes at ``row_group_size`` rows, or earlier at a
    chunk boundary once the buffered rows hold ``row_group_bytes``, so memory stays bounded however
    many documents pass (the documents table holds every article's text). The file appears
    atomically on a clean exit and not at all after an error.
    """

    def __init__(self, name: str, path: Path, meta: Mapping[str, str], *, row_group_size: int,
                 row_group_bytes: int | None = None, compression_level: int | None = None,
                 content_defined_chunking: bool = False):
        self.path, self.row_group_size = path, row_group_size
        self.max_bytes = row_group_bytes or ROW_GROUP_MAX_BYTES
        self.schema = SCHEMAS[name].with_metadata(table_metadata(meta))
        self.tmp = atomic_path(path)
        self.writer = pq.ParquetWriter(self.tmp, self.schema, **parquet_options(
            name, compression_level=compression_level, content_defined_chunking=content_defined_chunking))
        self.pending: list[pa.Table] = []
        self.pending_rows = self.pending_bytes = 0

    def write(self, table: pa.Table) -> None:
        """Buffer a chunk of rows; full row groups go to disk at once."""
        if table.num_rows == 0:
            return
        self.pending.append(table)
        self.pending_rows += table.num_rows
        self.pending_bytes += table.nbytes
        if len(self.pending) >= _COMPACT_CHUNKS:
            # A chunk may be a view into a larger buffer (a cached document's five tables): copying
            # the buffered rows into one table lets those buffers go, so memory is what nbytes says.
            self.pending = [pa.concat_tables(self.pending).combine_chunks()]
        if self.pending_rows >= self.row_group_size or self.pending_bytes >= self.max_bytes:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        buffered = pa.concat_tables(self.pending)
        cut = buffered.num_rows
        if not final and self.pending_bytes < self.max_bytes:
            cut -= cut % self.row_group_size
        if cut:
            self.writer.write_table(buffered.slice(0, cut), row_group_size=self.row_group_size)
        rest = buffered.slice(cut)
        self.pending = [rest] if rest.num_rows else []
        self.pending_rows, self.pending_bytes = rest.num_rows, rest.nbytes

    def close(self) -> None:
        try:
            if self.pending:
                self._flush(final=True)
            self.writer.close()
            os.replace(self.tmp, self.path)
        finally:
            self.tmp.unlink(missing_ok=True)

    def abort(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


@contextmanager
def atomic_lines(path: Path) -> Iterator[TextIO]:
    """A text file to write line by line that appears at ``path`` whole on a clean exit; after an
    error nothing is left, not even the folders made for it."""
    made = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
    tmp = atomic_path(path)
    try:
        with tmp.open("w", encoding="utf-8") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        for folder in made:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def write_text(path: Path, text: str) -> None:
    """Atomically write a small text file (JSON reports, metrics)."""
    tmp = atomic_path(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, obj) -> None:
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


# The column of each table whose values metrics() counts.
METRIC_COLUMNS = {"entities": "label", "dates": "kind", "numeric_claims": "qualifier"}


def metrics(tables: Mapping[str, pa.Table]) -> dict:
    """Row counts per table and per label/kind/qualifier, the figures ``dvc metrics diff`` compares.

    Reads only the columns of ``METRIC_COLUMNS``: the tables may hold just those.
    """
    out: dict = {"rows": {name: t.num_rows for name, t in sorted(tables.items())}}
    for name, column in METRIC_COLUMNS.items():
        if name in tables:
            counts: dict[str, int] = {}
            for value in tables[name].column(column).to_pylist():
                counts[value] = counts.get(value, 0) + 1
            out[f"{name}_by_{column}"] = dict(sorted(counts.items()))
    return out
