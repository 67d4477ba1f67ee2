"""Streaming, the per-document caches and the Dask engine give exactly the tables of a plain from-scratch run."""
from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy
import yaml

from conftest import REPO
from pipeline import stages
from pipeline.cache import code_fingerprint
from pipeline.clean import clean_text
from pipeline.parse import doc_from_bytes, doc_to_bytes, load_model
from pipeline.tables import TABLE_NAMES, TableWriter, to_table, write_table
from pipeline.validate import ContractError, validate_batches

ARTICLES = {
    "bakery": """Village bakery doubles its output
2025-02-14
The Hollins Bakery in Ashford now bakes more than 2,000 loaves a day, owner Priya Nair said on Thursday.
Sales rose 12 percent in January, and the bakery hired four new staff last month.
""",
    "league": """Rovers clinch the northern title
September 8, 2024
Dunmore Rovers beat Kestrel United 3-1 on Saturday to win the Northern League for the first time since 2011.
About 14,500 fans watched the match at Riverside Park, the club said.
""",
    "telescope": """Observatory opens a new telescope
2023-06-30
The Carrow Observatory unveiled a 4-metre telescope in Chile, the European Southern Observatory said.
The instrument cost roughly $45 million and took five years to build.
""",
}
EDITED = ARTICLES["league"].replace("About 14,500 fans", "Nearly 15,000 fans")
ADDED = """Harbour fees to fall next year
March 3, 2025
The Westhaven Port Authority will cut mooring fees by 8 percent from January, its chair Tom Reyes said.
"""


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small_params(params) -> dict:
    """The project's parameters with partitions of one document, so partition edges are exercised."""
    p = copy.deepcopy(params)
    p["parse"]["partition_size"] = 1
    return p


def test_streamed_table_is_byte_identical_to_one_write_of_all_rows(tmp_path):
    docs = [[{"doc_id": f"d{d:02d}", "sent_id": s, "para_id": 0, "start": 10 * s, "end": 10 * s + 4, "text": "word"}
             for s in range(d + 1)] for d in range(12)]
    whole = to_table("sentences", [row for rows in docs for row in rows])
    write_table("sentences", whole, tmp_path / "whole.parquet", {"model": "m"}, row_group_size=5)
    with TableWriter("sentences", tmp_path / "streamed.parquet", {"model": "m"}, row_group_size=5) as writer:
        for rows in docs:
            writer.write(to_table("sentences", rows))
    assert (tmp_path / "streamed.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "streamed.parquet").num_row_groups == -(-whole.num_rows // 5)


def test_wide_rows_close_a_row_group_early_at_a_document_boundary(tmp_path):
    docs = [to_table("sentences", [{"doc_id": f"d{d}", "sent_id": 0, "para_id": 0, "start": 0, "end": 1000,
                                    "text": "x" * 1000}]) for d in range(6)]
    with TableWriter("sentences", tmp_path / "t.parquet", {}, row_group_size=100, row_group_bytes=2500) as writer:
        for table in docs:
            writer.write(table)
    meta = pq.ParquetFile(tmp_path / "t.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3]
    assert pq.read_table(tmp_path / "t.parquet").column("doc_id").to_pylist() == [f"d{d}" for d in range(6)]


def test_a_failed_stream_leaves_no_file(tmp_path):
    with pytest.raises(RuntimeError):
        with TableWriter("sentences", tmp_path / "t.parquet", {}, row_group_size=10):
            raise RuntimeError("extraction failed")
    assert list(tmp_path.iterdir()) == []


def test_cleaned_documents_out_of_doc_id_order_are_refused(tmp_path):
    clean = tmp_path / "clean.jsonl"
    lines = [clean_text(ARTICLES[name], doc_id=name, source=name, raw_sha256="0" * 64).to_json()
             for name in ("league", "bakery")]
    clean.write_text("".join(f"{json.dumps(line)}\n" for line in lines), encoding="utf-8")
    with pytest.raises(ValueError, match="'bakery' after 'league'"):
        list(stages.iter_clean(clean))


def test_a_model_component_is_loaded_if_and_only_if_some_row_needs_it(params):
    """params.yaml's parse.exclude lists exactly the components whose absence changes no row.

    This is the measurement behind the exclusion: when an extractor starts reading, say, lemmas,
    the lemmatizer's absence changes rows and this test asks for it back.
    """
    cleaned = [clean_text(raw, doc_id=name, source=name, raw_sha256="0" * 64)
               for name, raw in {**ARTICLES, "added": ADDED}.items()]
    vocab = spacy.blank("en").vocab

    def rows(exclude: list[str]) -> list[dict]:
        nlp = load_model(params["model"], exclude=exclude)
        docs = nlp.pipe(clean.text for clean in cleaned)
        return [stages.extract_rows(clean, doc_from_bytes(doc_to_bytes(doc), vocab, doc_id=clean.doc_id), params)
                for clean, doc in zip(cleaned, docs)]

    everything = rows([])
    needed = {}
    for component in spacy.load(params["model"]).pipe_names:
        try:
            needed[component] = rows([component]) != everything
        except Exception:  # a component others listen to cannot go at all
            needed[component] = True
    assert {c for c, used in needed.items() if not used} == set(params["parse"]["exclude"])


def test_one_edited_and_one_added_article_are_the_only_ones_redone_and_the_bytes_match_a_fresh_build(
        tmp_path, small_params):
    raw = write_corpus(tmp_path / "raw", ARTICLES)
    first = stages.run(raw, tmp_path / "out", small_params, tmp_path / "work")
    assert first["parse"]["parsed"] == 3 and first["extract"]["extracted"] == 3

    write_corpus(raw, {**ARTICLES, "league": EDITED, "added": ADDED})
    again = stages.run(raw, tmp_path / "out", small_params, tmp_path / "work")
    assert again["parse"] == {"documents": 4, "parsed": 2, "reused": 2, "removed": 1}
    assert again["extract"] == {"documents": 4, "extracted": 2, "reused": 2, "removed": 1}

    stages.run(raw, tmp_path / "fresh-out", small_params, tmp_path / "fresh-work")
    assert files(tmp_path / "out") == files(tmp_path / "fresh-out")
    assert files(tmp_path / "work") == files(tmp_path / "fresh-work")


def test_an_extraction_parameter_change_re_extracts_everything_and_parses_nothing(tmp_path, small_params):
    raw = write_corpus(tmp_path / "raw", ARTICLES)
    stages.run(raw, tmp_path / "out", small_params, tmp_path / "work")
    changed = copy.deepcopy(small_params)
    changed["entities"]["labels"] = [label for label in changed["entities"]["labels"] if label != "ORG"]
    counts = stages.run(raw, tmp_path / "out", changed, tmp_path / "work")
    assert counts["parse"]["parsed"] == 0 and counts["extract"]["extracted"] == 3
    entities = pd.read_parquet(tmp_path / "out" / "entities.parquet")
    assert len(entities) > 0 and "ORG" not in set(entities.label)


def test_dask_engine_on_a_two_worker_cluster_gives_the_local_tables_row_for_row(tmp_path, small_params):
    distributed = pytest.importorskip("distributed")
    raw = write_corpus(tmp_path / "raw", ARTICLES)
    stages.run(raw, tmp_path / "local-out", small_params, tmp_path / "local-work", engine="local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        counts = stages.run(raw, tmp_path / "dask-out", small_params, tmp_path / "dask-work", engine="dask",
                            scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            loaded = client.run(lambda dask_worker: dask_worker.plugins["newsfacts-model"].nlp is not None)
    assert counts["parse"]["parsed"] == 3 and list(loaded.values()) == [True, True]
    for name in TABLE_NAMES:
        dataset = tmp_path / "dask-work" / "tables" / f"{name}.parquet"
        assert len(list(dataset.glob("part-*.parquet"))) == 3, name
        local = pd.read_parquet(tmp_path / "local-work" / "tables" / f"{name}.parquet")
        pd.testing.assert_frame_equal(pd.read_parquet(dataset), local)
    assert files(tmp_path / "dask-out") == files(tmp_path / "local-out")


def test_two_local_worker_processes_give_the_bytes_of_one(tmp_path, small_params):
    raw = write_corpus(tmp_path / "raw", {**ARTICLES, "added": ADDED})
    one_params, two_params = copy.deepcopy(small_params), copy.deepcopy(small_params)
    one_params["parse"]["n_process"], two_params["parse"]["n_process"] = 1, 2
    one = stages.run(raw, tmp_path / "one-out", one_params, tmp_path / "one-work")
    two = stages.run(raw, tmp_path / "two-out", two_params, tmp_path / "two-work")
    assert one == two
    assert files(tmp_path / "two-out") == files(tmp_path / "one-out")
    assert files(tmp_path / "two-work") == files(tmp_path / "one-work")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, params) -> Path:
    """The extract stage's tables of four articles."""
    work = tmp_path_factory.mktemp("extracted")
    stages.run(write_corpus(work / "raw", {**ARTICLES, "added": ADDED}), work / "out", params, work / "work")
    return work / "work" / "tables"


def test_validation_in_batches_of_documents_checks_what_one_batch_of_all_does(extracted, tmp_path):
    stages.validate_stage(extracted, tmp_path / "whole.json")
    batches = list(stages.document_batches(extracted, 1))
    assert [batch["documents"].num_rows for batch, _ in batches] == [1, 1, 1, 1]
    for name in TABLE_NAMES:
        pieces = [batch[name] for batch, _ in batches]
        assert pa.concat_tables(pieces).equals(pq.read_table(extracted / f"{name}.parquet")), name
        assert [first[name] for _, first in batches] == [sum(p.num_rows for p in pieces[:i]) for i in range(4)], name
    assert validate_batches({name: pq.read_schema(extracted / f"{name}.parquet") for name in TABLE_NAMES}, batches) == \
        json.loads((tmp_path / "whole.json").read_text())


def _broken_copy(extracted: Path, folder: Path, name: str, change) -> Path:
    shutil.copytree(extracted, folder)
    table = pq.read_table(folder / f"{name}.parquet")
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), folder / f"{name}.parquet")
    return folder


def test_an_unsorted_table_is_reported_by_its_row_in_the_whole_table(extracted, tmp_path):
    broken = _broken_copy(extracted, tmp_path / "broken", "entities", lambda rows: rows.insert(0, rows.pop(-1)))
    with pytest.raises(ContractError, match=r"table 'entities', row 1: fails rows sorted by \(doc_id, start\)"):
        stages.validate_stage(broken, tmp_path / "report.json")


def test_rows_of_no_document_after_the_last_one_are_still_checked(extracted, tmp_path):
    last = pq.read_metadata(extracted / "dates.parquet").num_rows
    broken = _broken_copy(extracted, tmp_path / "broken", "dates",
                          lambda rows: rows.append(rows[-1] | {"doc_id": "zz_not_a_document"}))
    with pytest.raises(ContractError, match=rf"table 'dates', column 'doc_id', row {last}: fails \(doc_id\) found in documents"):
        stages.validate_stage(broken, tmp_path / "report.json")


def _dvc(repo: Path, *args: str) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(Path(sys.executable).parent / "dvc"), *args], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_dvc_repro_after_one_article_is_edited_parses_only_that_article(tmp_path):
    repo = tmp_path / "repo"
    for name in ("pipeline", "dvc.yaml", "params.yaml", ".dvc/config", ".dvcignore"):
        src, dst = REPO / name, repo / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dst)
    write_corpus(repo / "raw", {name: ARTICLES[name] for name in ("bakery", "league")})
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    assert "2 texts parsed, 0 reused" in _dvc(repo, "repro")
    (repo / "raw" / "league.txt").write_text(EDITED, encoding="utf-8")
    out = _dvc(repo, "repro")
    assert "1 texts parsed, 1 reused, 1 stale parses removed" in out
    assert "1 extracted, 1 reused" in out
    documents = pd.read_parquet(repo / "processed" / "documents.parquet").set_index("doc_id")
    assert "Nearly 15,000 fans" in documents.loc["league", "text"]


def test_the_extraction_cache_key_covers_exactly_the_extract_stages_code_in_dvc_yaml():
    deps = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]["extract"]["deps"]
    code = {dep.removeprefix("pipeline/") for dep in deps if dep.startswith("pipeline/")}
    assert code == set(stages.EXTRACT_CODE)


def test_an_edit_outside_the_extraction_code_keeps_the_extraction_cache(tmp_path):
    package = tmp_path / "pipeline"
    shutil.copytree(REPO / "pipeline", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(package, stages.EXTRACT_CODE)
    (package / "validate.py").write_text("# edited\n", encoding="utf-8")
    assert code_fingerprint(package, stages.EXTRACT_CODE) == before
    (package / "resources" / "claims.yaml").write_text("# edited\n", encoding="utf-8")
    assert code_fingerprint(package, stages.EXTRACT_CODE) != before
