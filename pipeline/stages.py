"""The pipeline's stages: each reads its inputs, calls the pure functions, and writes atomically.

This is the only module (with the CLI, and the caches and engine it drives) that touches the file
system. DVC runs each stage as ``python -m pipeline <stage>``; ``run`` chains them for any folder
without DVC.

Parse and extract stream: documents are read one line at a time from the cleaned file, parsed
and extracted in partitions, and their rows written to the tables in row groups as they finish,
so memory does not grow with the corpus. Both keep a per-document cache (see :mod:`pipeline.cache`)
and redo only documents whose inputs changed; both run in-process (engine ``local``) or on a
Dask cluster (engine ``dask``, :mod:`pipeline.distributed`) with the same functions.
"""
from __future__ import annotations

import json
import logging
from datetime import date, datetime, timezone
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import spacy
from spacy.language import Language
from tqdm import tqdm

from . import __version__
from .card import datapackage, dataset_card
from .cache import Store, code_fingerprint, digest, pack_tables, settings_digest, unpack_tables
from .claims import claim_rows
from .clean import CleanDoc, InputError, InputRules, duplicate_problems, list_folder, printable, read_article
from .dates import date_rows
from .entities import build_pipeline, entity_rows
from .parse import doc_from_bytes, doc_to_bytes, fingerprint, load_model, model_meta, parse_key, parse_texts
from .sentences import sentence_rows
from .tables import TABLE_NAMES, TableWriter, metrics, staged, to_table, write_json, write_table, write_text
from .validate import ContractError, validate_tables

log = logging.getLogger("pipeline")

CLEAN_FILE = "clean.jsonl"
PARSED_DIR = "parsed"
EXTRACTED_DIR = "extracted"
TABLES_DIR = "tables"
META_FILE = "meta.json"
VALIDATION_FILE = "validation.json"
REPORT_FILE = "report.json"
ENGINES = ("local", "dask")

T = TypeVar("T")


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


def iter_clean(path: Path) -> Iterator[CleanDoc]:
    """The cleaned documents one at a time, checked to be in strictly increasing ``doc_id`` order.

    The order is what lets each stage write a document's sorted rows as soon as it is done: the
    tables are sorted by ``doc_id`` first, so per-document chunks concatenate to the global order.
    """
    previous = None
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            doc = CleanDoc.from_json(json.loads(line))
            if previous is not None and doc.doc_id <= previous:
                raise ValueError(f"{path}:{number}: doc_id {doc.doc_id!r} after {previous!r}; "
                                 "the cleaned file must be sorted by doc_id without repeats (re-run clean)")
            previous = doc.doc_id
            yield doc


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def progress(total: int, desc: str) -> tqdm:
    """A progress bar on stderr, shown only on a terminal and not with ``--quiet``."""
    return tqdm(total=total, desc=desc, unit="doc", leave=False,
                disable=None if log.isEnabledFor(logging.INFO) else True)


def engine_settings(params: dict, engine: str | None, scheduler: str | None) -> tuple[str, str | None]:
    """The engine and scheduler address: the command line's when given, else params.yaml's ``parse``."""
    engine = engine or params["parse"].get("engine", "local")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    return engine, scheduler or params["parse"].get("scheduler")


def dask_engine(params: dict, scheduler: str | None):
    from .distributed import DaskEngine  # imported on demand: the local engine never needs Dask

    return DaskEngine(scheduler, n_workers=params["parse"]["n_process"])


def parse_into(nlp: Language, items: list[tuple[str, str]], parsed_dir: Path, *, batch_size: int,
               n_process: int = 1) -> Iterator[str]:
    """Parse ``(text, key)`` pairs and store each Doc under its key; yields the keys as they are stored.

    The memory zone frees the strings the partition added to the vocabulary, so a long run does
    not grow with the number of distinct words it has seen.
    """
    store = Store(parsed_dir / "docs", ".spacy")
    with nlp.memory_zone():
        for doc, key in parse_texts(nlp, items, batch_size=batch_size, n_process=n_process):
            store.put(key, doc_to_bytes(doc))
            yield key


def parse_partition(nlp: Language, items: list[tuple[str, str]], parsed_dir: Path, batch_size: int) -> int:
    """One Dask task: parse a partition on a worker; returns how many texts it parsed."""
    return sum(1 for _ in parse_into(nlp, items, parsed_dir, batch_size=batch_size))


def parse_stage(clean_file: Path, out_dir: Path, params: dict, *, engine: str | None = None,
                scheduler: str | None = None) -> dict[str, int]:
    """Cleaned documents -> ``out_dir``: one stored parse per distinct text (the only stage that runs the model).

    Texts whose parse is already stored under the same pipeline are not parsed again; parses no
    document uses any more are deleted, so ``out_dir`` is what a from-scratch run would write.
    Returns the counts it logs.
    """
    cfg = params["parse"]
    engine, scheduler = engine_settings(params, engine, scheduler)
    nlp = load_model(params["model"], exclude=cfg["exclude"])
    meta = {**model_meta(nlp), "fingerprint": fingerprint(nlp)}
    log.debug("parse: components %s, pipeline fingerprint %s", meta["model_components"], meta["fingerprint"])
    store = Store(out_dir / "docs", ".spacy")
    live: set[str] = set()
    documents = missing = 0
    for doc in iter_clean(clean_file):
        documents += 1
        key = parse_key(meta["fingerprint"], doc.text)
        if key not in live:
            live.add(key)
            missing += key not in store

    def todo() -> Iterator[tuple[str, str]]:
        queued: set[str] = set()
        for doc in iter_clean(clean_file):
            key = parse_key(meta["fingerprint"], doc.text)
            if key not in queued and key not in store:
                queued.add(key)
                yield doc.text, key

    partitions = chunks(todo(), cfg["partition_size"])
    with progress(missing, "parse") as bar:
        if engine == "local":
            for partition in partitions:
                for _ in parse_into(nlp, partition, out_dir, batch_size=cfg["batch_size"], n_process=cfg["n_process"]):
                    bar.update()
        else:
            with dask_engine(params, scheduler) as dask:
                dask.load_model(params["model"], exclude=cfg["exclude"], expected_fingerprint=meta["fingerprint"])
                # Absolute paths: workers do not share the client's working directory.
                tasks = ((p, out_dir.resolve(), cfg["batch_size"]) for p in partitions)
                for parsed in dask.map(parse_partition, tasks, with_model=True):
                    bar.update(parsed)
    removed = store.keep_only(live)
    write_json(out_dir / META_FILE, meta)
    counts = {"documents": documents, "parsed": missing, "reused": len(live) - missing, "removed": removed}
    log.info("parse: %d documents, %d texts parsed, %d reused, %d stale parses removed -> %s (%s engine)",
             documents, missing, counts["reused"], removed, out_dir, engine)
    return counts


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
        "n_sentences": len(sentences), "n_tokens": len(doc) - int(doc.to_array("IS_SPACE").sum()),
    }
    return {
        "documents": [document],
        "sentences": sentences,
        "entities": list(entity_rows(doc, labels=params["entities"]["labels"])),
        "dates": dates,
        "numeric_claims": claims,
    }


@dataclass(frozen=True)
class ExtractJob:
    """What turning a document into rows depends on; small and picklable, so Dask workers get a copy."""

    parsed_dir: Path
    cache_dir: Path
    parse_fingerprint: str
    settings: str
    params: dict

    @classmethod
    def create(cls, parsed_dir: Path, cache_dir: Path, params: dict) -> "ExtractJob":
        meta = json.loads((parsed_dir / META_FILE).read_text(encoding="utf-8"))
        # Rows depend on the code, the word lists and every parameter outside `parse` (whose
        # effect the parse key carries); the dataset version only labels the files.
        extraction = {k: v for k, v in params.items() if k not in ("parse", "dataset_version")}
        settings = digest(code_fingerprint(Path(__file__).parent), settings_digest(extraction))
        log.debug("extract: parse fingerprint %s, extraction settings %s", meta["fingerprint"], settings)
        return cls(parsed_dir, cache_dir, meta["fingerprint"], settings, params)

    def keyed(self, docs: Iterable[CleanDoc]) -> Iterator[tuple[CleanDoc, str, str]]:
        """Each document with the key of its parse and the key of its rows."""
        for clean in docs:
            parsed = parse_key(self.parse_fingerprint, clean.text)
            record = json.dumps(clean.to_json(), sort_keys=True, ensure_ascii=False)
            yield clean, parsed, digest(self.settings, parsed, record)

    def tables(self, items: Iterable[tuple[CleanDoc, str, str]]) -> Iterator[tuple[dict[str, pa.Table], bool]]:
        """Each document's tables (sorted as the contract says), and whether they came from the cache."""
        parsed, cache = Store(self.parsed_dir / "docs", ".spacy"), Store(self.cache_dir, ".arrow")
        # No memory zone here, unlike parse: extractors may cache matchers built on first use, whose
        # strings a zone would free under them.
        entity_nlp = build_pipeline(self.params["entities"])
        vocab = entity_nlp.vocab
        for clean, parse_key_, rows_key in items:
            cached = cache.find(rows_key)
            if cached is not None:
                yield unpack_tables(cached), True
                continue
            data = parsed.find(parse_key_)
            if data is None:
                raise ValueError(f"{self.parsed_dir}: no parse of {clean.doc_id!r}; re-run parse")
            doc = doc_from_bytes(data, vocab, doc_id=clean.doc_id)
            if doc.text != clean.text:
                raise ValueError(f"{self.parsed_dir}: parsed text of {clean.doc_id!r} differs from the cleaned "
                                 "text; re-run parse")
            rows = extract_rows(clean, doc, self.params, entity_nlp)
            tables = {name: to_table(name, rows[name]) for name in TABLE_NAMES}
            cache.put(rows_key, pack_tables(tables))
            yield tables, False


def extract_partition(job: ExtractJob, records: list[tuple[dict, str, str]], paths: dict[str, Path],
                      meta: dict) -> tuple[int, int]:
    """One Dask task: a partition's documents -> one Parquet file per table; returns (documents, from cache)."""
    items = ((CleanDoc.from_json(record), parsed, rows) for record, parsed, rows in records)
    return _write_tables(job, items, paths, meta)


def _write_tables(job: ExtractJob, items: Iterable[tuple[CleanDoc, str, str]], paths: dict[str, Path],
                  meta: dict, bar: tqdm | None = None) -> tuple[int, int]:
    documents = hits = 0
    with ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(name, paths[name], meta, **job.params["tables"]))
                   for name in TABLE_NAMES}
        for tables, hit in job.tables(items):
            for name, table in tables.items():
                writers[name].write(table)
            documents += 1
            hits += hit
            if bar is not None:
                bar.update()
    return documents, hits


def _replace_dir(tmp: Path, path: Path) -> None:
    """Put the finished folder ``tmp`` at ``path``, replacing a file or folder there."""
    if path.is_dir():
        trash = tmp.with_name(tmp.name + ".old")
        path.rename(trash)
        tmp.rename(path)
        shutil.rmtree(trash)
    else:
        path.unlink(missing_ok=True)
        tmp.rename(path)


def extract_stage(clean_file: Path, parsed_dir: Path, out_dir: Path, params: dict, *, cache_dir: Path,
                  engine: str | None = None, scheduler: str | None = None) -> dict[str, int]:
    """Parsed Docs -> the five tables (unpublished) in ``out_dir``, extracting only documents not cached.

    The local engine writes one Parquet file per table; the Dask engine one Parquet dataset per
    table (a folder ``<table>.parquet`` of part files, one per partition, in document order),
    which pandas, pyarrow, DuckDB and Polars read as one table. Either way the rows are those
    of a from-scratch run, in the same order. Returns the counts it logs.
    """
    engine, scheduler = engine_settings(params, engine, scheduler)
    job = ExtractJob.create(parsed_dir.resolve(), cache_dir.resolve(), params)
    meta = json.loads((parsed_dir / META_FILE).read_text(encoding="utf-8"))
    meta = {**{k: v for k, v in meta.items() if k != "fingerprint"}, "pipeline_version": __version__}
    out_dir.mkdir(parents=True, exist_ok=True)
    live: set[str] = set()

    def items() -> Iterator[tuple[CleanDoc, str, str]]:
        for item in job.keyed(iter_clean(clean_file)):
            live.add(item[2])
            yield item

    tmp = {name: out_dir.resolve() / f".{name}.parquet.tmp" for name in TABLE_NAMES}
    for path in tmp.values():
        shutil.rmtree(path, ignore_errors=True)
    with progress(count_lines(clean_file), "extract") as bar:
        if engine == "local":
            for name in TABLE_NAMES:
                if (out_dir / f"{name}.parquet").is_dir():
                    shutil.rmtree(out_dir / f"{name}.parquet")
            paths = {name: out_dir / f"{name}.parquet" for name in TABLE_NAMES}
            documents, hits = _write_tables(job, items(), paths, meta, bar)
        else:
            for path in tmp.values():
                path.mkdir()
            partitions = (
                (job, [(clean.to_json(), parsed, rows) for clean, parsed, rows in partition],
                 {name: tmp[name] / f"part-{i:06d}.parquet" for name in TABLE_NAMES}, meta)
                for i, partition in enumerate(chunks(items(), params["parse"]["partition_size"])))
            documents = hits = 0
            with dask_engine(params, scheduler) as dask:
                for done, cached in dask.map(extract_partition, partitions):
                    documents += done
                    hits += cached
                    bar.update(done)
            for name in TABLE_NAMES:
                _replace_dir(tmp[name], out_dir / f"{name}.parquet")
    removed = Store(cache_dir, ".arrow").keep_only(live)
    write_json(out_dir / META_FILE, meta)
    counts = {"documents": documents, "extracted": documents - hits, "reused": hits, "removed": removed}
    log.info("extract: %d documents, %d extracted, %d reused, %d stale entries removed -> %s (%s engine)",
             documents, documents - hits, hits, removed, out_dir, engine)
    return counts


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


def run(raw_dir: Path, out_dir: Path, params: dict, work_dir: Path, *, engine: str | None = None,
        scheduler: str | None = None) -> dict[str, dict[str, int]]:
    """All stages in order, intermediates in ``work_dir``: the same tables ``dvc repro`` makes.

    Run again with the same ``work_dir`` and only the documents that changed are parsed and
    extracted. Returns the parse and extract stages' counts.
    """
    clean_file, parsed_dir = work_dir / CLEAN_FILE, work_dir / PARSED_DIR
    extracted_dir, tables_dir = work_dir / EXTRACTED_DIR, work_dir / TABLES_DIR
    clean_stage(raw_dir, clean_file, params)
    parsed = parse_stage(clean_file, parsed_dir, params, engine=engine, scheduler=scheduler)
    extracted = extract_stage(clean_file, parsed_dir, tables_dir, params, cache_dir=extracted_dir, engine=engine,
                              scheduler=scheduler)
    validate_stage(tables_dir, work_dir / VALIDATION_FILE)
    with staged(out_dir) as stage:
        publish_stage(tables_dir, stage, params, report=work_dir / REPORT_FILE)
    return {"parse": parsed, "extract": extracted}
