"""The pipeline's stages: each reads its inputs, calls the pure functions, and writes atomically.

This is the only module (with the CLI, and the caches and engine it drives) that touches the file
system. DVC runs each stage as ``python -m pipeline <stage>``; ``run`` chains them for any folder
without DVC.

spaCy, the extractors and pandas are imported inside the stages that use them: each stage is a
process of its own, and clean, validate and tables then start in a fraction of the time.

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
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from weakref import WeakSet

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from . import __version__
from .card import datapackage, dataset_card
from .cache import Store, code_fingerprint, digest, pack_tables, settings_digest, unpack_tables
from .clean import (CleanDoc, InputError, InputRules, doc_id_of, duplicate_problems, list_folder, printable,
                    read_article)
from .tables import (METRIC_COLUMNS, TABLE_NAMES, ContractError, TableWriter, atomic_lines, metrics, row_groups,
                     staged, stored_schema, to_table, write_json, write_text)

if TYPE_CHECKING:
    from spacy.language import Language

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
                today: date | None = None) -> dict:
    """raw/*.txt -> one JSON line per cleaned document, sorted by doc_id, and the input report (returned too).

    A file failing a check of :mod:`pipeline.clean` is skipped with a warning and listed in the
    report (``report.json`` beside ``out_file`` unless given); with ``clean.strict`` any such file
    raises :class:`InputError` before anything is written. ``today`` (default: the UTC date) only
    decides which date lines are in the future. Documents are written as they are read, so memory
    does not grow with the corpus.
    """
    cfg = params["clean"]
    rules = InputRules.from_params(cfg, today=today or datetime.now(timezone.utc).date())
    root = Path.cwd().resolve()
    articles, others = list_folder(raw_dir, suffixes=cfg["suffixes"])
    duplicates = duplicate_problems(articles)
    folder = raw_dir.resolve()
    documents, rejected, not_utf8 = 0, [], []
    with atomic_lines(out_file) as out:
        for entry in sorted(articles, key=doc_id_of):
            # The folder resolved, not the file: a symlinked article keeps its own name and doc_id.
            path = folder / entry.name
            inside = root if path.is_relative_to(root) else None
            try:
                if entry in duplicates:
                    raise InputError(path.relative_to(inside) if inside else path, duplicates[entry])
                doc = read_article(path, root=inside, rules=rules)
            except InputError as err:
                rejected.append(err)
                log.log(logging.ERROR if cfg.get("strict") else logging.WARNING, "%s", err)
                continue
            out.write(json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
            documents += 1
            if doc.encoding != "utf-8":
                not_utf8.append({"file": doc.source, "encoding": doc.encoding})
        if rejected and cfg.get("strict"):
            raise InputError(raw_dir, f"{len(rejected)} of {len(articles)} files failed the input checks; "
                                      "strict mode (clean.strict) stops before writing anything")
        if not documents:
            raise InputError(raw_dir, f"no article to process ({len(rejected)} rejected, "
                                      f"{len(others)} without a suffix in clean.suffixes); nothing written")
    summary = {
        "documents": documents,
        "rejected": [{"file": e.path, "problem": e.problem} for e in rejected],
        "not_utf8": not_utf8,
        "ignored": [printable(p.name) for p in others],
    }
    write_json(report or out_file.with_name(REPORT_FILE), summary)
    log.info("clean: %d documents, %d rejected -> %s", documents, len(rejected), out_file)
    return summary


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


def in_process(params: dict, engine: str, documents: int | None = None) -> bool:
    """Whether the stage runs in this process: the local engine with one process, or with
    ``documents`` to do that fit one partition (one worker would do them all, after loading the
    model, while this process waits: the usual incremental rebuild)."""
    if engine != "local":
        return False
    cfg = params["parse"]
    return cfg["n_process"] == 1 or (documents is not None and documents <= cfg["partition_size"])


def workers(params: dict, engine: str, scheduler: str | None, *, model_fingerprint: str | None = None):
    """The worker processes of a stage: ``parse.n_process`` local ones, or a Dask cluster's.

    With ``model_fingerprint`` (that of this process's pipeline) each worker holds the spaCy
    pipeline; Dask workers, which may run another installation, are checked against it.
    """
    cfg = params["parse"]
    if engine == "local":
        from .pool import ProcessEngine

        return ProcessEngine(cfg["n_process"], model=params["model"] if model_fingerprint else None,
                             exclude=cfg["exclude"])
    from .distributed import DaskEngine  # imported on demand: the local engine never needs Dask

    dask = DaskEngine(scheduler, n_workers=cfg["n_process"])
    if model_fingerprint:
        dask.load_model(params["model"], exclude=cfg["exclude"], expected_fingerprint=model_fingerprint)
    return dask


# Pipelines of this process that have parsed a partition (parse_into).
_PARSED_BEFORE: WeakSet = WeakSet()


def parse_into(nlp: Language, items: list[tuple[str, str]], parsed_dir: Path, *, batch_size: int) -> Iterator[str]:
    """Parse ``(text, key)`` pairs and store each Doc under its key; yields the keys as they are stored.

    The memory zone frees the strings the partition added to the vocabulary, so a long run does
    not grow with the number of distinct words it has seen. A pipeline's first partition runs
    outside one: spaCy's tokenizer caches nothing inside a zone, so the words of that partition,
    kept, are what its cache (at most 10,000 entries) and the vocabulary hold for the rest of the
    run, as a plain ``nlp.pipe`` run's first texts are. The stored bytes are the same either way.
    """
    from .parse import doc_to_bytes, parse_texts

    store = Store(parsed_dir / "docs", ".spacy")
    zone = nlp.memory_zone() if nlp in _PARSED_BEFORE else nullcontext()
    _PARSED_BEFORE.add(nlp)
    with zone:
        for doc, key in parse_texts(nlp, items, batch_size=batch_size):
            store.put(key, doc_to_bytes(doc))
            yield key


def parse_partition(nlp: Language, items: list[tuple[str, str]], parsed_dir: Path, batch_size: int) -> int:
    """One worker task: parse a partition; returns how many texts it parsed."""
    return sum(1 for _ in parse_into(nlp, items, parsed_dir, batch_size=batch_size))


def parse_stage(clean_file: Path, out_dir: Path, params: dict, *, engine: str | None = None,
                scheduler: str | None = None) -> dict[str, int]:
    """Cleaned documents -> ``out_dir``: one stored parse per distinct text (the only stage that runs the model).

    Texts whose parse is already stored under the same pipeline are not parsed again; parses no
    document uses any more are deleted, so ``out_dir`` is what a from-scratch run would write.
    Returns the counts it logs.
    """
    from .parse import fingerprint, load_model, model_meta, parse_key

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
        if in_process(params, engine, missing):
            for partition in partitions:
                for _ in parse_into(nlp, partition, out_dir, batch_size=cfg["batch_size"]):
                    bar.update()
        else:
            with workers(params, engine, scheduler, model_fingerprint=meta["fingerprint"]) as pool:
                # Absolute paths: Dask workers do not share the client's working directory.
                tasks = ((p, out_dir.resolve(), cfg["batch_size"]) for p in partitions)
                for parsed in pool.map(parse_partition, tasks, with_model=True):
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
    from .claims import claim_rows
    from .dates import date_rows
    from .entities import entity_rows
    from .sentences import sentence_rows

    dateline = clean.paragraphs[1] if clean.published and len(clean.paragraphs) > 1 else None
    sentences = list(sentence_rows(doc, clean.paragraphs))
    dates = list(date_rows(doc, published=clean.published, dateline=dateline, **params["dates"]))
    claims = list(claim_rows(doc, dates=dates, **params["claims"]))
    # counted on the parse: the entity rules may split a token ("CPI(ML" -> "CPI", "(", "ML")
    n_tokens = len(doc) - int(doc.to_array("IS_SPACE").sum())
    if entity_nlp is not None:
        doc = entity_nlp(doc)
    document = {
        "doc_id": clean.doc_id, "title": clean.title, "published": clean.published, "source": clean.source,
        "raw_sha256": clean.raw_sha256, "text": clean.text, "n_chars": len(clean.text),
        "n_sentences": len(sentences), "n_tokens": n_tokens,
    }
    return {
        "documents": [document],
        "sentences": sentences,
        "entities": list(entity_rows(doc, labels=params["entities"]["labels"])),
        "dates": dates,
        "numeric_claims": claims,
    }


# The package files a document's rows depend on: the extract stage's code dependencies in dvc.yaml
# (a test keeps the two lists equal), so an edit elsewhere (validate, diff) re-extracts nothing.
EXTRACT_CODE = ("sentences.py", "scan.py", "entities.py", "dates.py", "claims.py", "stages.py", "cache.py", "parse.py",
                "tables.py", "resources")

# Per process, by ExtractJob.settings: a worker builds the entity pipeline once, not once per partition.
_ENTITY_PIPELINES: dict[str, Language] = {}


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
        settings = digest(code_fingerprint(Path(__file__).parent, EXTRACT_CODE), settings_digest(extraction))
        log.debug("extract: parse fingerprint %s, extraction settings %s", meta["fingerprint"], settings)
        return cls(parsed_dir, cache_dir, meta["fingerprint"], settings, params)

    def keyed(self, docs: Iterable[CleanDoc]) -> Iterator[tuple[CleanDoc, str, str]]:
        """Each document with the key of its parse and the key of its rows."""
        from .parse import parse_key

        for clean in docs:
            parsed = parse_key(self.parse_fingerprint, clean.text)
            record = json.dumps(clean.to_json(), sort_keys=True, ensure_ascii=False)
            yield clean, parsed, digest(self.settings, parsed, record)

    def entity_pipeline(self) -> Language:
        """The entity rules' pipeline, built on first use and kept for this process's later partitions.

        No memory zone around its use, unlike parse: extractors may cache matchers built on first
        use, whose strings a zone would free under them.
        """
        from .entities import build_pipeline

        if self.settings not in _ENTITY_PIPELINES:
            _ENTITY_PIPELINES[self.settings] = build_pipeline(self.params["entities"])
        return _ENTITY_PIPELINES[self.settings]

    def packed(self, items: Iterable[tuple[CleanDoc, str, str]]) -> Iterator[tuple[bytes, bool]]:
        """Each document's tables (sorted as the contract says) packed by :func:`pipeline.cache.pack_tables`,
        and whether they came from the cache."""
        from .parse import doc_from_bytes
        from .scan import adopt_text

        parsed, cache = Store(self.parsed_dir / "docs", ".spacy"), Store(self.cache_dir, ".arrow")
        for clean, parse_key_, rows_key in items:
            cached = cache.find(rows_key)
            if cached is not None:
                yield cached, True
                continue
            data = parsed.find(parse_key_)
            if data is None:
                raise ValueError(f"{self.parsed_dir}: no parse of {clean.doc_id!r}; re-run parse")
            entity_nlp = self.entity_pipeline()
            doc = doc_from_bytes(data, entity_nlp.vocab, doc_id=clean.doc_id)
            if not adopt_text(doc, clean.text):
                raise ValueError(f"{self.parsed_dir}: parsed text of {clean.doc_id!r} differs from the cleaned "
                                 "text; re-run parse")
            rows = extract_rows(clean, doc, self.params, entity_nlp)
            data = pack_tables({name: to_table(name, rows[name]) for name in TABLE_NAMES})
            cache.put(rows_key, data)
            yield data, False


def _records(partition: list[tuple[CleanDoc, str, str]]) -> list[tuple[dict, str, str]]:
    """A partition as plain data, for a worker process."""
    return [(clean.to_json(), parsed, rows) for clean, parsed, rows in partition]


def _items(records: list[tuple[dict, str, str]]) -> Iterator[tuple[CleanDoc, str, str]]:
    return ((CleanDoc.from_json(record), parsed, rows) for record, parsed, rows in records)


def extract_packed(job: ExtractJob, records: list[tuple[dict, str, str]]) -> list[tuple[bytes, bool]]:
    """One local worker task: a partition's documents -> their packed tables, in order, for the parent to write."""
    return list(job.packed(_items(records)))


def extract_partition(job: ExtractJob, records: list[tuple[dict, str, str]], paths: dict[str, Path],
                      meta: dict) -> tuple[int, int]:
    """One Dask task: a partition's documents -> one Parquet file per table; returns (documents, from cache)."""
    return _write_tables(job.packed(_items(records)), paths, meta, job.params["tables"])


def _write_tables(packed: Iterable[tuple[bytes, bool]], paths: dict[str, Path], meta: dict, layout: dict,
                  bar: tqdm | None = None) -> tuple[int, int]:
    documents = hits = 0
    with ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(name, paths[name], meta, **layout)) for name in TABLE_NAMES}
        for data, hit in packed:
            for name, table in unpack_tables(data).items():
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
        size = params["parse"]["partition_size"]
        if engine == "local":
            for name in TABLE_NAMES:
                if (out_dir / f"{name}.parquet").is_dir():
                    shutil.rmtree(out_dir / f"{name}.parquet")
            paths = {name: out_dir / f"{name}.parquet" for name in TABLE_NAMES}
            if in_process(params, engine):
                documents, hits = _write_tables(job.packed(items()), paths, meta, params["tables"], bar)
            else:
                with workers(params, engine, scheduler) as pool:
                    results = pool.map(extract_packed, ((job, _records(p)) for p in chunks(items(), size)))
                    packed = (document for result in results for document in result)
                    documents, hits = _write_tables(packed, paths, meta, params["tables"], bar)
        else:
            for path in tmp.values():
                path.mkdir()
            partitions = ((job, _records(partition), {name: tmp[name] / f"part-{i:06d}.parquet" for name in TABLE_NAMES},
                           meta) for i, partition in enumerate(chunks(items(), size)))
            documents = hits = 0
            with workers(params, engine, scheduler) as dask:
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


# Documents per validation batch: memory stays one batch's (pandas frames of its rows) however large the corpus.
VALIDATION_BATCH = 1000


class _RowsByDocument:
    """One table read a row group at a time and handed out by document, for tables sorted by ``doc_id``."""

    def __init__(self, path: Path):
        self.groups = row_groups(path)
        self.buffer: pa.Table | None = None
        self.taken = 0

    def take_through(self, last_doc_id: str | None) -> tuple[pa.Table, int]:
        """The next rows up to the first whose doc_id sorts after ``last_doc_id`` (None: all the rest),
        and the row number of the first of them."""
        first, parts = self.taken, []
        while True:
            if self.buffer is None:
                self.buffer = next(self.groups, None)
                if self.buffer is None:
                    break
            after = -1 if last_doc_id is None else pc.index(pc.greater(self.buffer["doc_id"], last_doc_id), True).as_py()
            if after < 0:
                parts.append(self.buffer)
                self.buffer = None
                continue
            parts.append(self.buffer.slice(0, after))
            self.buffer = self.buffer.slice(after)
            break
        rows = pa.concat_tables(parts) if parts else None
        self.taken += 0 if rows is None else rows.num_rows
        return rows, first


def _slices(tables: Iterable[pa.Table], size: int) -> Iterator[pa.Table]:
    """The rows of ``tables`` regrouped into consecutive tables of ``size`` rows (the last may be shorter)."""
    pending: list[pa.Table] = []
    rows = 0
    for table in tables:
        pending.append(table)
        rows += table.num_rows
        while rows >= size:
            joined = pa.concat_tables(pending)
            yield joined.slice(0, size)
            pending, rows = [joined.slice(size)], rows - size
    if rows:
        yield pa.concat_tables(pending)


def document_batches(tables_dir: Path, size: int) -> Iterator[tuple[dict[str, pa.Table], dict[str, int]]]:
    """The five tables in batches of ``size`` documents with all their rows, and each table's row
    number of the batch's first row (see :func:`pipeline.validate.validate_batches`)."""
    paths = {name: tables_dir / f"{name}.parquet" for name in TABLE_NAMES}
    readers = {name: _RowsByDocument(path) for name, path in paths.items() if name != "documents"}
    documents = _slices(row_groups(paths["documents"]), size)
    batch, start = next(documents, None), 0
    while batch is not None:
        following = next(documents, None)
        tables, first_rows = {"documents": batch}, {"documents": start}
        for name, reader in readers.items():
            # the last batch takes every row left, so rows of no document are checked too
            rows, first_rows[name] = reader.take_through(None if following is None else batch["doc_id"][-1].as_py())
            tables[name] = rows if rows is not None else stored_schema(paths[name]).empty_table()
        yield tables, first_rows
        batch, start = following, start + batch.num_rows


def validate_stage(tables_dir: Path, report_file: Path) -> None:
    """Extracted tables -> checked against the contract batch by batch; writes what was checked, or raises ContractError."""
    from .validate import check_order, validate_batches

    schemas = {name: stored_schema(tables_dir / f"{name}.parquet") for name in TABLE_NAMES}
    try:
        # Batches of documents need rows in doc_id order: an unsorted table is reported as such first.
        for name, schema in schemas.items():
            check_order(name, row_groups(tables_dir / f"{name}.parquet", [c for c in ("doc_id", "start") if c in schema.names]))
        summary = validate_batches(schemas, document_batches(tables_dir, VALIDATION_BATCH))
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
    for name in TABLE_NAMES:
        with TableWriter(name, out_dir / f"{name}.parquet", meta, **params["tables"]) as writer:
            for rows in row_groups(tables_dir / f"{name}.parquet"):
                writer.write(rows)
    # only the counted columns are read back (a table not counted by value: its row count only)
    table_metrics = metrics({name: pq.read_table(out_dir / f"{name}.parquet", columns=[METRIC_COLUMNS[name]]
                                                 if name in METRIC_COLUMNS else [])
                             for name in TABLE_NAMES})
    write_json(out_dir / "metrics.json", table_metrics)
    write_json(out_dir / "datapackage.json", datapackage(meta))
    write_text(out_dir / "README.md", dataset_card(meta, table_metrics))
    if report is not None:
        write_text(out_dir / REPORT_FILE, report.read_text(encoding="utf-8"))
    log.info("tables: published %s", ", ".join(f"{n}={rows}" for n, rows in table_metrics["rows"].items()))


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
