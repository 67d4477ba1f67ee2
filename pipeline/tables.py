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


def write_table(name: str, table: pa.Table, path: Path, meta: Mapping[str, str], *, row_group_size: int) -> None:
    """Write one table to Parquet atomically: a reader sees the old file or the new one, never half."""
    table = table.replace_schema_metadata(table_metadata(meta))
    tmp = atomic_path(path)
    try:
        pq.write_table(
            table,
            tmp,
            compression="zstd",
            row_group_size=row_group_size,
            use_dictionary=[c for c in _DICTIONARY_COLUMNS if c in table.column_names],
            write_statistics=True,
        )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
