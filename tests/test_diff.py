"""`python -m pipeline diff`: the exact rows added, removed and changed between dataset versions.

The history fixture is a throwaway git + DVC repository with two dataset versions of articles
written for these tests: one article edited (a paragraph inserted), one removed, one added, and
an extraction parameter changed (NORP dropped from entities.labels).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pytest
import yaml

import pipeline.clean
import pipeline.parse
from conftest import REPO, run_pipeline
from pipeline.diff import Alignment, diff_rows, mapping_changes, natural_key, schema_changes
from pipeline.tables import SCHEMAS, SPAN_TABLES, TABLE_NAMES, to_table, write_table
from pipeline.versions import compare, locked_outputs, md5_mismatches

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
INSERTED = "Construction began in 2022"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def _ok(cmd: list[str], cwd: Path) -> str:
    result = _run(cmd, cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def diff_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "pipeline", "--quiet", "diff", *args], cwd)


def _commit(repo: Path, message: str) -> None:
    _ok([sys.executable, "-m", "dvc", "repro", "--quiet"], repo)
    _ok(["git", "add", "-A"], repo)
    _ok(["git", "commit", "-q", "-m", message], repo)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> SimpleNamespace:
    """Two committed dataset versions (reproduced with DVC), and a copy of each version's tables."""
    root = tmp_path_factory.mktemp("history")
    repo = root / "repo"
    for name in ("pipeline", "dvc.yaml", "params.yaml", ".dvc/config", ".dvcignore", ".gitignore"):
        dst = repo / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, dst)
    (repo / "raw").mkdir()
    shutil.copy(FIXTURES / "harbour_v1.txt", repo / "raw" / "harbour.txt")
    shutil.copy(FIXTURES / "budget.txt", repo / "raw" / "budget.txt")
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["dataset_version"] = "0.1.0"  # the history's own first release, whatever the repository's is now
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    _ok(["git", "init", "-q"], repo)
    _commit(repo, "dataset 0.1.0")
    v1 = shutil.copytree(repo / "processed", root / "v1")

    shutil.copy(FIXTURES / "harbour_v2.txt", repo / "raw" / "harbour.txt")
    (repo / "raw" / "budget.txt").unlink()
    shutil.copy(FIXTURES / "rowing.txt", repo / "raw" / "rowing.txt")
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["dataset_version"] = "0.2.0"
    params["entities"]["labels"].remove("NORP")
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    _commit(repo, "dataset 0.2.0: harbour edited, budget removed, rowing added, no NORP")
    v2 = shutil.copytree(repo / "processed", root / "v2")
    return SimpleNamespace(repo=repo, v1=v1, v2=v2)


def _keys(rows) -> set[tuple]:
    return {tuple(row[c] for c in natural_key(row)) for row in rows}


def _frame_keys(frame: pd.DataFrame) -> set[tuple]:
    return _keys(frame.to_dict("records"))


def _expected(history, table: str) -> tuple[set, set, int]:
    """Removed, added and unchanged rows worked out from the two versions' tables, not by the diff."""
    old = pd.read_parquet(history.v1 / f"{table}.parquet")
    new = pd.read_parquet(history.v2 / f"{table}.parquet")
    text = pd.read_parquet(history.v2 / "documents.parquet").set_index("doc_id").text["harbour"]
    start = text.index(INSERTED)
    end = text.index("\n", start)
    removed = old[old.doc_id == "budget"]
    if table == "entities":
        removed = pd.concat([removed, old[(old.doc_id == "harbour") & (old.label == "NORP")]])
    added = new[(new.doc_id == "rowing") | ((new.doc_id == "harbour") & (new.start >= start) & (new.end <= end))]
    return _frame_keys(removed), _frame_keys(added), len(old) - len(removed)


@pytest.fixture(scope="module")
def folder_diff(history) -> dict:
    result = diff_cli(str(history.v1), str(history.v2), "--format", "json", "--limit", "all")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("table", SPAN_TABLES + ("sentences",))
def test_span_tables_report_exactly_the_rows_of_the_edit_removal_addition_and_parameter(history, folder_diff, table):
    removed, added, unchanged = _expected(history, table)
    assert added and removed, "the fixture must exercise both directions"
    report = folder_diff["tables"][table]
    assert _keys(report["removed"]) == removed
    assert _keys(report["added"]) == added
    assert report["changed"] == []
    assert report["counts"] == {"added": len(added), "removed": len(removed), "changed": 0, "unchanged": unchanged}


def test_the_dropped_label_shows_as_removed_rows_of_the_edited_article(folder_diff):
    labels = {(r["doc_id"], r["label"]) for r in folder_diff["tables"]["entities"]["removed"]}
    assert ("harbour", "NORP") in labels
    assert not any(r["label"] == "NORP" for r in folder_diff["tables"]["entities"]["added"])


def test_documents_report_the_edited_article_column_by_column(folder_diff):
    report = folder_diff["tables"]["documents"]
    assert [r["doc_id"] for r in report["removed"]] == ["budget"]
    assert [r["doc_id"] for r in report["added"]] == ["rowing"]
    [changed] = report["changed"]
    assert changed["key"] == {"doc_id": "harbour"}
    assert set(changed["columns"]) == {"raw_sha256", "text", "n_chars", "n_sentences", "n_tokens"}
    assert changed["columns"]["n_sentences"] == {"old": 5, "new": 6}


def test_metadata_change_is_reported_for_every_table(folder_diff):
    for name in TABLE_NAMES:
        assert folder_diff["tables"][name]["metadata"] == {"dataset_version": {"old": "0.1.0", "new": "0.2.0"}}
    assert folder_diff["params"] is None  # folders carry no params.yaml


def test_identical_versions_exit_0_and_say_so(history):
    result = diff_cli(str(history.v1), str(history.v1))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("identical")


@pytest.mark.parametrize("args, message", [
    (["no-such-folder-or-rev", "HEAD"], "neither a folder of tables nor a git revision"),
    (["{v1}", "{v2}", "--table", "entity"], "no table named entity"),
])
def test_errors_exit_2_with_a_message(history, args, message):
    result = diff_cli(*(a.format(v1=history.v1, v2=history.v2) for a in args))
    assert result.returncode == 2
    assert message in result.stderr


def test_limit_lists_fewer_rows_but_counts_everything(history, folder_diff):
    result = diff_cli(str(history.v1), str(history.v2), "--format", "json", "--limit", "1", "--table", "entities")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert list(report["tables"]) == ["entities"]
    assert report["tables"]["entities"]["counts"] == folder_diff["tables"]["entities"]["counts"]
    assert len(report["tables"]["entities"]["added"]) == 1 and len(report["tables"]["entities"]["removed"]) == 1


def test_text_and_markdown_show_the_counts_and_the_rows(history, folder_diff):
    counts = folder_diff["tables"]["entities"]["counts"]
    text = diff_cli(str(history.v1), str(history.v2), "--limit", "all").stdout
    [row] = [line.split() for line in text.splitlines() if line.startswith("entities ")]
    assert row == ["entities", *(str(counts[k]) for k in ("added", "removed", "changed", "unchanged"))]
    first = folder_diff["tables"]["entities"]["removed"][0]
    assert f"  - {first['doc_id']} [{first['start']}:{first['end']}] {first['label']} " in text
    markdown = diff_cli(str(history.v1), str(history.v2), "--format", "markdown").stdout
    assert f"| entities | {counts['added']} | {counts['removed']} | {counts['changed']} | {counts['unchanged']} |" in markdown
    assert "#### entities" in markdown and "| `dataset_version` | `\"0.1.0\" -> \"0.2.0\"` |" in markdown


def test_git_revisions_in_a_fresh_clone_are_rebuilt_checked_and_diffed(history, tmp_path, folder_diff):
    clone = tmp_path / "clone"
    _ok(["git", "clone", "-q", str(history.repo), str(clone)], tmp_path)
    assert not (clone / ".dvc" / "cache").exists()
    result = diff_cli("HEAD~1", "HEAD", "--format", "json", "--limit", "all", cwd=clone)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    for side in ("old", "new"):
        assert report[side]["note"] == "rebuilt in a temporary git worktree; bytes match dvc.lock"
    assert report["tables"] == folder_diff["tables"]
    labels = report["params"]["entities.labels"]
    assert set(labels["old"]) - set(labels["new"]) == {"NORP"}
    assert report["params"]["dataset_version"] == {"old": "0.1.0", "new": "0.2.0"}
    assert _ok(["git", "worktree", "list"], clone).count("\n") == 1  # the temporary worktrees are gone


def test_git_revisions_come_from_the_dvc_cache_when_it_has_them(history):
    result = diff_cli("HEAD~1", "HEAD", "--format", "json", "--table", "documents", cwd=history.repo)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["old"]["note"] == report["new"]["note"] == "from the DVC cache or remote; bytes match dvc.lock"
    assert report["old"]["label"].startswith("HEAD~1 = ")


def test_same_revision_twice_is_identical(history):
    assert diff_cli("HEAD", str(history.v2), cwd=history.repo).returncode == 0


def test_whitespace_only_cleaning_change_reports_no_entity_changes(tmp_path, params, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("harbour_v1.txt", "budget.txt", "rowing.txt"):
        shutil.copy(FIXTURES / name, raw / name)
    before = run_pipeline(raw, tmp_path / "before", params)
    for module in (pipeline.clean, pipeline.parse):
        monkeypatch.setattr(module, "PARAGRAPH_SEPARATOR", "\n")
    after = run_pipeline(raw, tmp_path / "after", params)
    result = compare(str(before), str(after), limit=None)
    entities = len(pd.read_parquet(before / "entities.parquet"))
    assert result.tables["entities"].counts == {"added": 0, "removed": 0, "changed": 0, "unchanged": entities}
    for name in ("sentences", "dates", "numeric_claims"):
        assert result.tables[name].identical, name
    documents = result.tables["documents"]
    assert documents.counts["changed"] == 3
    assert {c for change in documents.examples["changed"] for c in change.columns} == {"text", "n_chars"}


# ---- the pure parts, case by case, on sentences written for these tests ----

def test_alignment_keeps_an_inserted_paragraph_from_sliding_into_its_neighbour():
    old = "Mayor Ann Lee spoke.\n\nRates rose."
    new = "Mayor Ann Lee spoke.\n\nA second line was added.\n\nRates rose."
    align = Alignment(old, new)
    assert align.span(0, 20) == (0, 20)
    assert new[slice(*align.span(22, 27))] == "Rates"


def test_alignment_follows_a_whitespace_change_and_a_fixed_typo():
    assert Alignment("Ann met\n\nBob Roy.", "Ann met\nBob Roy.").span(9, 16) == (8, 15)
    old, new = "Sen. Jhon Smith visited Paris.", "Senator John Smith visited Paris."
    align = Alignment(old, new)
    assert new[slice(*align.span(5, 15))] == "John Smith"
    assert new[slice(*align.span(24, 29))] == "Paris"
    assert align.span(0, 4) is None  # "Sen." has no full stop left in "Senator"


def test_alignment_loses_a_deleted_span():
    assert Alignment("Rates rose in Oslo today.", "Rates rose today.").span(14, 18) is None


def _sentence(i: int, start: int, end: int, para: int) -> dict:
    return {"doc_id": "d", "sent_id": i, "para_id": para, "start": start, "end": end, "text": "x"}


def _entity(sent: int, start: int, end: int, norm: str, label: str = "ORG") -> dict:
    return {"doc_id": "d", "sent_id": sent, "start": start, "end": end, "text": "x", "label": label, "norm": norm}


def _changes(old, new, *, renumber=None, learn=False, align=None):
    key = natural_key(old[0] if old else new[0])
    compare = tuple(c for c in (old[0] if old else new[0]) if c not in key)
    return list(diff_rows(old, new, key=key, compare=compare, alignment=align, renumber=renumber, learn=learn))


def test_a_value_change_is_reported_with_its_column_and_duplicates_pair_up():
    old = [_entity(0, 0, 4, "Acme"), _entity(0, 0, 4, "Acme Inc"), _entity(0, 9, 12, "Oslo", "GPE")]
    new = [_entity(0, 0, 4, "Acme Inc"), _entity(0, 0, 4, "Acme Corp"), _entity(0, 9, 12, "Oslo", "LOC")]
    kinds = [(c.kind, c.columns) for c in _changes(old, new)]
    assert kinds == [("changed", ("norm",)), ("unchanged", ()), ("removed", ()), ("added", ())]


def test_renumbered_sentences_are_not_changes_but_a_split_sentence_is():
    old_text = "One. Two three. Four."
    new_text = "Zero. One. Two. Three. Four."
    align = Alignment(old_text, new_text)
    old_sents = [_sentence(0, 0, 4, 0), _sentence(1, 5, 15, 0), _sentence(2, 16, 21, 0)]
    new_sents = [_sentence(0, 0, 5, 0), _sentence(1, 6, 10, 0), _sentence(2, 11, 15, 0), _sentence(3, 16, 22, 0),
                 _sentence(4, 23, 28, 0)]
    renumber: dict = {}
    sentences = _changes(old_sents, new_sents, renumber=renumber, learn=True, align=align)
    assert [c.kind for c in sentences] == ["unchanged", "removed", "unchanged", "added", "added", "added"]
    old_ents = [_entity(0, 0, 3, "One"), _entity(1, 9, 14, "Three"), _entity(2, 16, 20, "Four")]
    new_ents = [_entity(1, 6, 9, "One"), _entity(3, 16, 21, "Three"), _entity(4, 23, 27, "Four")]
    entities = _changes(old_ents, new_ents, renumber=renumber, align=align)
    assert [(c.kind, c.columns) for c in entities] == [("unchanged", ()), ("removed", ()), ("unchanged", ()),
                                                       ("added", ())]


def test_entity_moved_into_another_sentence_reports_its_sent_id():
    renumber = {"sent_id": {0: 0, 1: 1}}
    [change] = _changes([_entity(0, 10, 14, "Oslo")], [_entity(1, 10, 14, "Oslo")], renumber=renumber)
    assert (change.kind, change.columns) == ("changed", ("sent_id",))


def test_schema_changes_name_added_removed_and_retyped_columns():
    old = pa.schema([pa.field("doc_id", pa.string(), nullable=False), pa.field("n", pa.int32()),
                     pa.field("gone", pa.string())])
    new = pa.schema([pa.field("doc_id", pa.string(), nullable=False), pa.field("n", pa.int64()),
                     pa.field("extra", pa.float64())])
    assert schema_changes(old, new) == [
        {"column": "gone", "change": "removed", "old": "string", "new": None},
        {"column": "n", "change": "retyped", "old": "int32", "new": "int64"},
        {"column": "extra", "change": "added", "old": None, "new": "double"},
    ]


def test_nested_parameters_compare_as_dotted_keys():
    old = {"dataset_version": "0.1.0", "entities": {"labels": ["ORG", "NORP"]}, "parse": {"batch_size": 32}}
    new = {"dataset_version": "0.1.0", "entities": {"labels": ["ORG"]}, "parse": {"batch_size": 32}, "dates": {"x": 1}}
    assert mapping_changes(old, new) == {"dates.x": (None, 1), "entities.labels": (["ORG", "NORP"], ["ORG"])}


def _write(folder: Path, name: str, rows: list[dict], meta: dict, extra: pa.Field | None = None) -> None:
    table = to_table(name, rows)
    if extra is not None:
        table = table.append_column(extra, pa.array(["v"] * table.num_rows, extra.type))
    write_table(name, table, folder / f"{name}.parquet", meta, row_group_size=2)


def test_a_new_column_is_a_schema_change_not_a_change_of_every_row(tmp_path):
    docs = [{"doc_id": d, "title": "T", "source": f"raw/{d}.txt", "raw_sha256": "0" * 64, "text": "Acme hired Bo.",
             "n_chars": 14, "n_sentences": 1, "n_tokens": 4} for d in ("a", "b", "c")]
    ents = [{"doc_id": d, "sent_id": 0, "start": 0, "end": 4, "text": "Acme", "label": "ORG", "norm": "Acme",
             "source": "model"} for d in ("a", "b", "c")]
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, meta, extra in ((old, {"model": "m==1"}, None), (new, {"model": "m==2"}, pa.field("wiki", pa.string()))):
        folder.mkdir()
        _write(folder, "documents", docs, meta)
        _write(folder, "entities", ents, meta, extra)
    result = compare(str(old), str(new))
    entities = result.tables["entities"]
    assert entities.schema == [{"column": "wiki", "change": "added", "old": None, "new": "string"}]
    assert entities.counts == {"added": 0, "removed": 0, "changed": 0, "unchanged": 3}
    assert entities.metadata == {"model": ("m==1", "m==2")}
    assert not result.identical


def test_a_table_present_in_one_version_only_is_all_added(tmp_path):
    doc = {"doc_id": "a", "title": "T", "source": "raw/a.txt", "raw_sha256": "0" * 64, "text": "Hi.", "n_chars": 3,
           "n_sentences": 1, "n_tokens": 2}
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        _write(folder, "documents", [doc], {})
    _write(new, "sentences", [{"doc_id": "a", "sent_id": 0, "para_id": 0, "start": 0, "end": 3, "text": "Hi."}], {})
    sentences = compare(str(old), str(new)).tables["sentences"]
    assert (sentences.status, sentences.counts["added"]) == ("added", 1)


def test_md5_check_names_the_file_that_differs_from_dvc_lock(tmp_path):
    (tmp_path / "entities.parquet").write_bytes(b"new bytes")
    lock = {"stages": {"tables": {"outs": [
        {"path": "processed/entities.parquet", "md5": hashlib.md5(b"old bytes").hexdigest()},
        {"path": "processed/dates.parquet", "md5": "0" * 32},
        {"path": "data/interim/tables", "md5": "1" * 32},
    ]}}}
    expected = locked_outputs(lock)
    assert set(expected) == {"processed/entities.parquet", "processed/dates.parquet"}
    [bad] = md5_mismatches(tmp_path, expected)
    assert bad.startswith(f"processed/entities.parquet (md5 {hashlib.md5(b'new bytes').hexdigest()}")
    (tmp_path / "entities.parquet").write_bytes(b"old bytes")
    assert md5_mismatches(tmp_path, expected) == []


def test_every_table_has_a_natural_key_starting_with_doc_id():
    assert natural_key(SCHEMAS["documents"].names) == ("doc_id",)
    assert natural_key(SCHEMAS["sentences"].names) == ("doc_id", "start", "end")
    assert natural_key(SCHEMAS["entities"].names) == ("doc_id", "start", "end", "label")
    assert natural_key(SCHEMAS["dates"].names) == ("doc_id", "start", "end")


def test_changelog_has_an_entry_for_the_current_dataset_version(params):
    """Bumping dataset_version without saying what changed in CHANGELOG.md fails here."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {params['dataset_version']}\n" in changelog


def test_diff_help_names_the_exit_codes_and_options():
    result = _run([sys.executable, "-m", "pipeline", "diff", "--help"], REPO)
    assert result.returncode == 0
    for needed in ("0 identical", "1 different", "2 error", "--format", "--table", "--limit"):
        assert needed in " ".join(result.stdout.split()), needed
