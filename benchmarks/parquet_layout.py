"""Parquet layouts compared on a synthetic corpus: file size, write time, load time, rebuild bytes, dedup.

    python benchmarks/parquet_layout.py --tables processed --docs 2000

The corpus is built from the tables in ``--tables`` (run ``make repro`` or ``python -m pipeline run``
first): each document is copied ``--docs`` times under a new ``doc_id``. The copies' text columns
(documents.text/title, sentences.text) get their words shuffled with a seeded generator so they do
not compress as exact repeats; the span tables keep their real values, as recurring names, labels and
units do in a news archive. Absolute sizes are therefore only indicative; the comparison between
layouts is the point. It is a measurement script, not a test: timings vary with the machine's load.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.tables import TABLE_NAMES, parquet_options, rows_per_group  # noqa: E402

# The layouts compared: pyarrow's defaults, the writer before this change (``backbone``), and the
# writer with the ``tables`` section of params.yaml, without and with content-defined chunking.
BACKBONE_DICTIONARY = ["doc_id", "label", "source", "kind", "relation", "qualifier", "unit", "change"]


def layout_pyarrow_default(name: str, table: pa.Table, params: dict) -> dict:
    return {}


def layout_backbone(name: str, table: pa.Table, params: dict) -> dict:
    return {"compression": "zstd", "row_group_size": 65536, "write_statistics": True,
            "use_dictionary": [c for c in BACKBONE_DICTIONARY if c in table.column_names]}


def layout_current(name: str, table: pa.Table, params: dict) -> dict:
    rows = rows_per_group(table, row_group_size=params["row_group_size"], row_group_bytes=params["row_group_bytes"])
    return {"row_group_size": rows, **parquet_options(name, compression_level=params["compression_level"],
                                                      content_defined_chunking=params["content_defined_chunking"])}


def layout_current_without_cdc(name: str, table: pa.Table, params: dict) -> dict:
    return layout_current(name, table, {**params, "content_defined_chunking": False})


LAYOUTS = {"pyarrow_default": layout_pyarrow_default, "backbone": layout_backbone,
           "current_no_cdc": layout_current_without_cdc, "current": layout_current}


def synthetic_corpus(tables: dict[str, pa.Table], n_docs: int, *, seed: int = 0) -> dict[str, pa.Table]:
    """``n_docs`` copies of every document (new doc_ids, shuffled words in the text columns)."""
    rng = random.Random(seed)
    copies: dict[str, list[pa.Table]] = {name: [] for name in tables}
    for k in range(n_docs):
        suffix = f"{k:06d}"
        for name, table in tables.items():
            ids = pc.binary_join_element_wise(table["doc_id"], pa.scalar(suffix), "_")
            table = table.set_column(table.schema.get_field_index("doc_id"), table.schema.field("doc_id"), ids)
            if name in ("documents", "sentences"):
                for column in ("text", "title"):
                    if column in table.column_names:
                        shuffled = [_shuffle_words(t, rng) for t in table[column].to_pylist()]
                        i = table.schema.get_field_index(column)
                        table = table.set_column(i, table.schema.field(column), pa.array(shuffled, pa.string()))
            copies[name].append(table)
    return {name: pa.concat_tables(parts) for name, parts in copies.items()}


def _shuffle_words(text: str | None, rng: random.Random) -> str | None:
    if text is None:
        return None
    words = text.split(" ")
    rng.shuffle(words)
    return " ".join(words)


def edit_one_document(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The corpus after one document in the middle changed its text and lost its last entity."""
    doc_ids = tables["documents"]["doc_id"]
    target = doc_ids[len(doc_ids) // 2].as_py()
    docs = tables["documents"].to_pylist()
    for row in docs:
        if row["doc_id"] == target:
            row["text"] = row["text"] + " An editor's note was added to this article."
            row["n_chars"] = len(row["text"])
    out = dict(tables)
    out["documents"] = pa.Table.from_pylist(docs, schema=tables["documents"].schema)
    entities = tables["entities"]
    rows = np.flatnonzero(pc.equal(entities["doc_id"], target).to_numpy(zero_copy_only=False))
    keep = np.ones(entities.num_rows, dtype=bool)
    keep[rows[-1]] = False
    out["entities"] = entities.filter(pa.array(keep))
    return out


def write_all(tables: dict[str, pa.Table], folder: Path, layout, params: dict) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet", **layout(name, table, params))
    return time.perf_counter() - started


def best_of(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs: on a shared machine the slower ones measure the neighbours."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def load_times(folder: Path, one_doc: str, repeat: int) -> dict[str, float]:
    files = [folder / f"{name}.parquet" for name in TABLE_NAMES]
    con = duckdb.connect()
    return {
        "pandas": best_of(lambda: [pd.read_parquet(f) for f in files], repeat),
        "polars": best_of(lambda: [pl.read_parquet(f) for f in files], repeat),
        "duckdb": best_of(lambda: [con.sql(f"SELECT * FROM '{f}'").to_arrow_table() for f in files], repeat),
        "one_doc": best_of(lambda: [pd.read_parquet(f, filters=[("doc_id", "==", one_doc)]) for f in files], repeat),
    }


# Content-defined chunking of whole files, as a chunk-deduplicating store (Hugging Face Xet, restic)
# would do it: a 64-byte gear hash, boundaries where its top bits are zero, 2-64 KiB chunks.
_GEAR = np.random.default_rng(20240611).integers(0, 2**63, 256, dtype=np.uint64)
_MASK = np.uint64(((1 << 13) - 1) << 51)


def file_chunks(data: bytes, *, min_size: int = 2048, max_size: int = 65536) -> list[bytes]:
    """Split ``data`` at content-defined boundaries (average ~8 KiB)."""
    gear = _GEAR[np.frombuffer(data, dtype=np.uint8)]
    h = np.zeros(len(data), dtype=np.uint64)
    for shift in range(min(64, len(data))):
        h[shift:] += gear[: len(data) - shift] << np.uint64(shift)
    candidates = np.flatnonzero((h & _MASK) == 0) + 1
    chunks, start = [], 0
    for boundary in candidates:
        while boundary - start > max_size:
            chunks.append(data[start:start + max_size])
            start += max_size
        if boundary - start >= min_size:
            chunks.append(data[start:boundary])
            start = boundary
    while start < len(data):
        chunks.append(data[start:start + max_size])
        start += max_size
    return chunks


def reused_fraction(old: Path, new: Path) -> float:
    """Share of the new file's bytes a chunk-deduplicating store already holds from the old file."""
    seen = {hashlib.sha256(c).digest() for c in file_chunks(old.read_bytes())}
    chunks = file_chunks(new.read_bytes())
    return sum(len(c) for c in chunks if hashlib.sha256(c).digest() in seen) / max(1, sum(len(c) for c in chunks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=Path, default=Path("processed"), help="published tables to copy")
    parser.add_argument("--docs", type=int, default=2000, help="documents in the synthetic corpus")
    parser.add_argument("--repeat", type=int, default=7, help="reads per measurement (the fastest is reported)")
    parser.add_argument("--params", type=Path, default=Path("params.yaml"), help="its `tables` section is `current`")
    args = parser.parse_args(argv)
    params = yaml.safe_load(args.params.read_text(encoding="utf-8"))["tables"]

    base = {name: pq.read_table(args.tables / f"{name}.parquet").replace_schema_metadata(None)
            for name in TABLE_NAMES}
    corpus = synthetic_corpus(base, args.docs)
    edited = edit_one_document(corpus)
    one_doc = corpus["documents"]["doc_id"][args.docs // 3].as_py()
    rows = {name: t.num_rows for name, t in corpus.items()}
    print(f"corpus: {args.docs} documents, rows {rows}")

    results = {}
    with tempfile.TemporaryDirectory(prefix="parquet-layout-") as tmp:
        for label, layout in LAYOUTS.items():
            first, again, changed = (Path(tmp) / label / part for part in ("first", "again", "edited"))
            write_s = write_all(corpus, first, layout, params)
            write_all(corpus, again, layout, params)
            write_all(edited, changed, layout, params)
            sizes = {name: (first / f"{name}.parquet").stat().st_size for name in TABLE_NAMES}
            results[label] = {
                "bytes": sum(sizes.values()),
                "bytes_by_table": sizes,
                "write_s": write_s,
                **{f"load_{k}_s": v for k, v in load_times(first, one_doc, args.repeat).items()},
                "byte_identical_rebuild": all((first / f"{n}.parquet").read_bytes() == (again / f"{n}.parquet").read_bytes()
                                              for n in TABLE_NAMES),
                "reused_after_edit": {n: round(reused_fraction(first / f"{n}.parquet", changed / f"{n}.parquet"), 3)
                                      for n in ("documents", "entities")},
            }

    print(f"{'layout':<16}{'MB':>8}{'write s':>9}{'pandas s':>10}{'polars s':>10}{'duckdb s':>10}"
          f"{'1 doc s':>9}  identical  reused after edit (documents, entities)")
    for label, r in results.items():
        print(f"{label:<16}{r['bytes'] / 1e6:>8.2f}{r['write_s']:>9.2f}{r['load_pandas_s']:>10.3f}"
              f"{r['load_polars_s']:>10.3f}{r['load_duckdb_s']:>10.3f}{r['load_one_doc_s']:>9.3f}  "
              f"{str(r['byte_identical_rebuild']):<10} {r['reused_after_edit']['documents']:.0%}, "
              f"{r['reused_after_edit']['entities']:.0%}")
    print(json.dumps({"docs": args.docs, "params": params, "results": results}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
