"""The pipeline's stages: each reads its inputs, calls the pure functions, and writes atomically.

This is the only module (with the CLI) that touches the file system. DVC runs each stage as
``python -m pipeline <stage>``; ``run`` chains them for any folder without DVC.
"""
from __future__ import annotations

import json
import logging
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
import spacy

from . import __version__
from .card import datapackage, dataset_card
from .claims import claim_rows
from .clean import CleanDoc, InputError, InputRules, duplicate_problems, list_folder, printable, read_article
from .dates import date_rows
from .entities import build_pipeline, entity_rows
from .parse import from_docbin, load_model, model_id, parse_docs, to_docbin
from .sentences import sentence_rows
from .tables import TABLE_NAMES, atomic_path, metrics, staged, to_table, write_json, write_table, write_text
from .validate import ContractError, validate_tables

log = logging.getLogger("pipeline")

CLEAN_FILE = "clean.jsonl"
PARSED_FILE = "parsed.spacy"
META_FILE = "meta.json"
VALIDATION_FILE = "validation.json"
REPORT_FILE = "report.json"


def clean_stage(raw_dir: Path, out_file: Path, params: dict, *, report: Path | None = None,
                today: date | None = None) -> list[CleanDoc]:
    """raw/*.txt -> one JSON line per cleaned document, sorted by doc_id, and the input report.

    A file failing a check of :mod:`pipeline.clean` is skipped with a warning and listed in the
    report (``report.json`` beside ``out_file`` unless given); with ``clean.strict`` any such file
    raises :class:`InputError` before anything is written. ``today`` (default: the UTC date) only
    decides which date lines are in the future.
    """
    cfg = params["clean"]
    rules = InputRules.from_params(cfg, today=today or datetime.now(timezone.utc).date())
    root = Path.cwd().resolve()
    articles, others = list_folder(raw_dir, suffixes=cfg["suffixes"])
    duplicates = duplicate_problems(articles)
    folder = raw_dir.resolve()
    docs, rejected = [], []
    for entry in articles:
        # The folder resolved, not the file: a symlinked article keeps its own name and doc_id.
        path = folder / entry.name
        inside = root if path.is_relative_to(root) else None
        try:
            if entry in duplicates:
                raise InputError(path.relative_to(inside) if inside else path, duplicates[entry])
            docs.append(read_article(path, root=inside, rules=rules))
        except InputError as err:
            rejected.append(err)
            log.log(logging.ERROR if cfg.get("strict") else logging.WARNING, "%s", err)
    if rejected and cfg.get("strict"):
        raise InputError(raw_dir, f"{len(rejected)} of {len(articles)} files failed the input checks; "
                                  "strict mode (clean.strict) stops before writing anything")
    if not docs:
        raise InputError(raw_dir, f"no article to process ({len(rejected)} rejected, "
                                  f"{len(others)} without a suffix in clean.suffixes); nothing written")
    docs.sort(key=lambda d: d.doc_id)
    write_text(out_file, "".join(json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for d in docs))
    write_json(report or out_file.with_name(REPORT_FILE), {
        "documents": len(docs),
        "rejected": [{"file": e.path, "problem": e.problem} for e in rejected],
        "not_utf8": [{"file": d.source, "encoding": d.encoding} for d in docs if d.encoding != "utf-8"],
        "ignored": [printable(p.name) for p in others],
    })
    log.info("clean: %d documents, %d rejected -> %s", len(docs), len(rejected), out_file)
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


def extract_rows(clean: CleanDoc, doc, params: dict, entity_nlp=None) -> dict[str, list[dict]]:
    """All table rows of one document: its Doc in, a list of rows per table out.

    Dates and claims read the model's entities; ``entity_nlp`` (from ``entities.build_pipeline``)
    then corrects the named entities in place, so it runs after them.
    """
    dateline = clean.paragraphs[1] if clean.published and len(clean.paragraphs) > 1 else None
    sentences = list(sentence_rows(doc, clean.paragraphs))
    dates = list(date_rows(doc, published=clean.published, dateline=dateline, **params["dates"]))
    claims = list(claim_rows(doc, dates=dates, **params["claims"]))
    if entity_nlp is not None:
        doc = entity_nlp(doc)
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
        "numeric_claims": claims,
    }


def extract_stage(clean_file: Path, parsed_file: Path, out_dir: Path, params: dict) -> None:
    """Parsed Docs -> the five tables (unpublished) in ``out_dir``."""
    meta = json.loads(parsed_file.with_suffix(".meta.json").read_text(encoding="utf-8"))
    nlp = build_pipeline(params["entities"])
    cleaned = {d.doc_id: d for d in read_clean(clean_file)}
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    for doc in from_docbin(parsed_file.read_bytes(), nlp):
        clean = cleaned[doc.user_data["doc_id"]]
        if doc.text != clean.text:
            raise ValueError(f"{parsed_file}: parsed text of {clean.doc_id!r} differs from {clean_file}; re-run parse")
        for name, table_rows in extract_rows(clean, doc, params, nlp).items():
            rows[name].extend(table_rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "pipeline_version": __version__}
    for name in TABLE_NAMES:
        write_table(name, to_table(name, rows[name]), out_dir / f"{name}.parquet", meta,
                    row_group_size=params["tables"]["row_group_size"])
    write_json(out_dir / META_FILE, meta)
    log.info("extract: %d documents -> %s", len(rows["documents"]), out_dir)


def read_tables(tables_dir: Path) -> dict:
    return {name: pq.read_table(tables_dir / f"{name}.parquet") for name in TABLE_NAMES}


def validate_stage(tables_dir: Path, report_file: Path) -> None:
    """Extracted tables -> checked against the contract; writes what was checked, or raises ContractError."""
    try:
        summary = validate_tables(read_tables(tables_dir))
    except ContractError as err:
        raise ContractError(f"{tables_dir}: {err}") from None
    write_json(report_file, summary)
    log.info("validate: %s", ", ".join(f"{name}={s['rows']}" for name, s in summary.items()))


def publish_stage(tables_dir: Path, out_dir: Path, params: dict, *, report: Path | None = None) -> None:
    """Validated tables -> ``out_dir`` with the dataset's metadata, ``metrics.json``, the dataset card
    and the clean stage's report.

    Runs after ``validate_stage`` (``dvc.yaml`` makes this stage depend on its report).
    """
    meta = json.loads((tables_dir / META_FILE).read_text(encoding="utf-8"))
    meta["dataset_version"] = str(params["dataset_version"])
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = read_tables(tables_dir)
    for name, table in tables.items():
        write_table(name, table, out_dir / f"{name}.parquet", meta, **params["tables"])
    table_metrics = metrics(tables)
    write_json(out_dir / "metrics.json", table_metrics)
    write_json(out_dir / "datapackage.json", datapackage(meta))
    write_text(out_dir / "README.md", dataset_card(meta, table_metrics))
    if report is not None:
        write_text(out_dir / REPORT_FILE, report.read_text(encoding="utf-8"))
    log.info("tables: published %s", ", ".join(f"{n}={t.num_rows}" for n, t in tables.items()))


def run(raw_dir: Path, out_dir: Path, params: dict, work_dir: Path) -> None:
    """All stages in order, intermediates in ``work_dir``: the same tables ``dvc repro`` makes."""
    clean_file, parsed_file, tables_dir = work_dir / CLEAN_FILE, work_dir / PARSED_FILE, work_dir / "tables"
    clean_stage(raw_dir, clean_file, params)
    parse_stage(clean_file, parsed_file, params)
    extract_stage(clean_file, parsed_file, tables_dir, params)
    validate_stage(tables_dir, work_dir / VALIDATION_FILE)
    with staged(out_dir) as stage:
        publish_stage(tables_dir, stage, params, report=work_dir / REPORT_FILE)
