"""The pipeline's stages: each reads its inputs, calls the pure functions, and writes atomically.

This is the only module (with the CLI) that touches the file system. DVC runs each stage as
``python -m pipeline <stage>``; ``run`` chains them for any folder without DVC.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import spacy

from . import __version__
from .claims import claim_rows
from .clean import CleanDoc, list_articles, read_article
from .dates import date_rows
from .entities import entity_rows
from .parse import from_docbin, load_model, model_id, parse_docs, to_docbin
from .sentences import sentence_rows
from .tables import TABLE_NAMES, atomic_path, metrics, to_table, write_json, write_table, write_text

log = logging.getLogger("pipeline")

CLEAN_FILE = "clean.jsonl"
PARSED_FILE = "parsed.spacy"
META_FILE = "meta.json"


def clean_stage(raw_dir: Path, out_file: Path, params: dict) -> list[CleanDoc]:
    """raw/*.txt -> one JSON line per cleaned document, sorted by doc_id."""
    root = Path.cwd().resolve()
    docs = []
    for path in list_articles(raw_dir, suffixes=tuple(params["clean"]["suffixes"])):
        resolved = path.resolve()
        docs.append(read_article(resolved, root=root if resolved.is_relative_to(root) else None))
    docs.sort(key=lambda d: d.doc_id)
    write_text(out_file, "".join(json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for d in docs))
    log.info("clean: %d documents -> %s", len(docs), out_file)
    return docs


def read_clean(path: Path) -> list[CleanDoc]:
    with path.open(encoding="utf-8") as f:
        return [CleanDoc.from_json(json.loads(line)) for line in f if line.strip()]


def parse_stage(clean_file: Path, out_file: Path, params: dict) -> None:
    """Cleaned documents -> a DocBin of parsed Docs (the only stage that runs the model)."""
    cfg = params["parse"]
    nlp = load_model(params["model"], exclude=cfg.get("exclude", []))
    docs = parse_docs(nlp, read_clean(clean_file), batch_size=cfg["batch_size"], n_process=cfg["n_process"])
    tmp = atomic_path(out_file)
    try:
        to_docbin(docs).to_disk(tmp)
        tmp.replace(out_file)
    finally:
        tmp.unlink(missing_ok=True)
    meta = {"model": model_id(nlp), "spacy_version": spacy.__version__}
    write_json(out_file.with_suffix(".meta.json"), meta)
    log.info("parse: %s -> %s", clean_file, out_file)


def extract_rows(clean: CleanDoc, doc, params: dict) -> dict[str, list[dict]]:
    """All table rows of one document: its Doc in, a list of rows per table out."""
    dateline = clean.paragraphs[1] if clean.published and len(clean.paragraphs) > 1 else None
    sentences = list(sentence_rows(doc, clean.paragraphs))
    dates = list(date_rows(doc, published=clean.published, dateline=dateline))
    document = {
        "doc_id": clean.doc_id, "title": clean.title, "published": clean.published, "source": clean.source,
        "raw_sha256": clean.raw_sha256, "text": clean.text, "n_chars": len(clean.text),
        "n_sentences": len(sentences), "n_tokens": sum(not t.is_space for t in doc),
    }
    return {
        "documents": [document],
        "sentences": sentences,
        "entities": list(entity_rows(doc, labels=params["entities"]["labels"])),
        "dates": dates,
        "numeric_claims": list(claim_rows(doc, dates=dates, **params["claims"])),
    }


def extract_stage(clean_file: Path, parsed_file: Path, out_dir: Path, params: dict) -> None:
    """Parsed Docs -> the five tables (unpublished) in ``out_dir``."""
    meta = json.loads(parsed_file.with_suffix(".meta.json").read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    cleaned = {d.doc_id: d for d in read_clean(clean_file)}
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    for doc in from_docbin(parsed_file.read_bytes(), nlp):
        clean = cleaned[doc.user_data["doc_id"]]
        if doc.text != clean.text:
            raise ValueError(f"{parsed_file}: parsed text of {clean.doc_id!r} differs from {clean_file}; re-run parse")
        for name, table_rows in extract_rows(clean, doc, params).items():
            rows[name].extend(table_rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "pipeline_version": __version__}
    for name in TABLE_NAMES:
        write_table(name, to_table(name, rows[name]), out_dir / f"{name}.parquet", meta,
                    row_group_size=params["tables"]["row_group_size"])
    write_json(out_dir / META_FILE, meta)
    log.info("extract: %d documents -> %s", len(rows["documents"]), out_dir)


def publish_stage(tables_dir: Path, out_dir: Path, params: dict) -> None:
    """Extracted tables -> ``out_dir`` with the dataset's metadata, plus ``metrics.json``."""
    meta = json.loads((tables_dir / META_FILE).read_text(encoding="utf-8"))
    meta["dataset_version"] = str(params["dataset_version"])
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {name: pq.read_table(tables_dir / f"{name}.parquet") for name in TABLE_NAMES}
    for name, table in tables.items():
        write_table(name, table, out_dir / f"{name}.parquet", meta, row_group_size=params["tables"]["row_group_size"])
    write_json(out_dir / "metrics.json", metrics(tables))
    log.info("tables: published %s", ", ".join(f"{n}={t.num_rows}" for n, t in tables.items()))


def run(raw_dir: Path, out_dir: Path, params: dict, work_dir: Path) -> None:
    """All stages in order, intermediates in ``work_dir``: the same tables ``dvc repro`` makes."""
    clean_file, parsed_file, tables_dir = work_dir / CLEAN_FILE, work_dir / PARSED_FILE, work_dir / "tables"
    clean_stage(raw_dir, clean_file, params)
    parse_stage(clean_file, parsed_file, params)
    extract_stage(clean_file, parsed_file, tables_dir, params)
    publish_stage(tables_dir, out_dir, params)
