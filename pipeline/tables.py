"""The Arrow schema of every published table, declared once, and the one writer they all go through.

Column names, types and meanings follow ``docs/DATA_CONTRACT.md``. Adding a column is fine;
renaming or dropping one is a breaking change and bumps ``SCHEMA_VERSION``'s major number.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = "1.1.0"

_SPAN = [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("sent_id", pa.int32(), nullable=False),
    pa.field("start", pa.int32(), nullable=False),
    pa.field("end", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("raw_sha256", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("n_sentences", pa.int32(), nullable=False),
        pa.field("n_tokens", pa.int32(), nullable=False),
    ]),
    "sentences": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("sent_id", pa.int32(), nullable=False),
        pa.field("para_id", pa.int32(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
    ]),
    "entities": pa.schema(_SPAN + [
        pa.field("label", pa.string(), nullable=False),
        pa.field("norm", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("kb_id", pa.string()),
    ]),
    "dates": pa.schema(_SPAN + [
        pa.field("value", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("relation", pa.string()),
        pa.field("start_date", pa.date32()),
        pa.field("end_date", pa.date32()),
        pa.field("anchor", pa.date32()),
    ]),
    "numeric_claims": pa.schema(_SPAN + [
        pa.field("value", pa.float64(), nullable=False),
        pa.field("qualifier", pa.string(), nullable=False),
        pa.field("unit", pa.string()),
        pa.field("object", pa.string()),
        pa.field("time", pa.string()),
        pa.field("source", pa.string()),
        pa.field("value_high", pa.float64()),
        pa.field("change", pa.string()),
    ]),
}

TABLE_NAMES = tuple(SCHEMAS)
SPAN_TABLES = ("entities", "dates", "numeric_claims")

# Columns whose few distinct values repeat on every row: dictionary encoding keeps them small.
_DICTIONARY_COLUMNS = ["doc_id", "label", "source", "kind", "relation", "qualifier", "unit", "change"]
# Bounds a streamed row group's memory when rows are wide (whole article texts): a few such
# groups per table, rather than one group holding a 10,000-article corpus.
ROW_GROUP_MAX_BYTES = 8 * 2**20
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
    unique = {tuple((k, row.get(k)) for k in schema.names): row for row in rows}
    ordered = sorted(unique.values(), key=lambda row: sort_key(name, row))
    return pa.Table.from_pylist([{k: row.get(k) for k in schema.names} for row in ordered], schema=schema)


def table_metadata(meta: Mapping[str, str]) -> dict[bytes, bytes]:
    """The contract's key-value metadata, plus the schema version; sorted so bytes never vary."""
    full = {"schema_version": SCHEMA_VERSION, **meta}
    return {k.encode(): str(full[k]).encode() for k in sorted(full)}


def atomic_path(path: Path):
    """A temporary sibling of ``path`` that ``os.replace`` can move into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_table(name: str, table: pa.Table, path: Path, meta: Mapping[str, str], *, row_group_size: int) -> None:
    """Write one table to Parquet atomically: a reader sees the old file or the new one, never half."""
    with TableWriter(name, path, meta, row_group_size=row_group_size) as writer:
        writer.write(table)


class TableWriter:
    """Streams one table into a Parquet file in row groups as the rows of each document arrive.

    Rows must arrive in the contract's order (documents in ``doc_id`` order, each chunk sorted, as
    :func:`to_table` returns them). A row group closes at ``row_group_size`` rows, or earlier at a
    chunk boundary once the buffered rows hold ``row_group_bytes``, so memory stays bounded however
    many documents pass (the documents table holds every article's text). The file appears
    atomically on a clean exit and not at all after an error.
    """

    def __init__(self, name: str, path: Path, meta: Mapping[str, str], *, row_group_size: int,
                 row_group_bytes: int = ROW_GROUP_MAX_BYTES):
        self.path, self.row_group_size, self.max_bytes = path, row_group_size, row_group_bytes
        self.schema = SCHEMAS[name].with_metadata(table_metadata(meta))
        self.tmp = atomic_path(path)
        self.writer = pq.ParquetWriter(
            self.tmp,
            self.schema,
            compression="zstd",
            use_dictionary=[c for c in _DICTIONARY_COLUMNS if c in self.schema.names],
            write_statistics=True,
        )
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


def metrics(tables: Mapping[str, pa.Table]) -> dict:
    """Row counts per table and per label/kind/unit, the figures ``dvc metrics diff`` compares."""
    out: dict = {"rows": {name: t.num_rows for name, t in sorted(tables.items())}}
    for name, column in (("entities", "label"), ("dates", "kind"), ("numeric_claims", "qualifier")):
        if name in tables:
            counts: dict[str, int] = {}
            for value in tables[name].column(column).to_pylist():
                counts[value] = counts.get(value, 0) + 1
            out[f"{name}_by_{column}"] = dict(sorted(counts.items()))
    return out
