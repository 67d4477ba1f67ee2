"""Dataset versions: a folder of published tables, or a git revision of this repository.

A revision's tables come from the DVC cache or a configured DVC remote when they hold them; else
the revision is rebuilt in a temporary ``git worktree`` with the current interpreter (the
pipeline is deterministic), and the rebuilt bytes are checked against the md5s in that revision's
``dvc.lock``. Either way the tables are then read one document at a time, so comparing two large
versions holds only one document's rows of each in memory.
"""
from __future__ import annotations

import hashlib
import heapq
import itertools
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq
import yaml

from .clean import InputError
from .diff import DatasetDiff, DiffError, Side, diff_datasets

log = logging.getLogger("pipeline")

DATASET_DIR = "processed"  # where dvc.yaml's tables stage publishes the dataset
_BATCH_ROWS = 512
_READ_BUFFER = 1 << 20  # read column chunks in 1 MiB pieces rather than whole row groups


@dataclass(frozen=True)
class Version:
    """A dataset version on disk: the folder holding its tables, and how it got there."""
    spec: str
    folder: Path
    commit: str | None = None
    note: str = ""
    params: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.spec} = {self.commit[:10]}" if self.commit else self.spec


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise InputError(repo, f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def repo_root(start: Path) -> Path | None:
    result = _git(start, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def resolve_commit(repo: Path | None, spec: str) -> str | None:
    """The commit a revision (hash, tag, branch, HEAD~1) names, or None when it names none."""
    if repo is None:
        return None
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}", check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def _show(repo: Path, commit: str, path: str) -> str | None:
    result = _git(repo, "show", f"{commit}:{path}", check=False)
    return result.stdout if result.returncode == 0 else None


def locked_outputs(dvc_lock: dict | None) -> dict[str, str]:
    """{path: md5} of every file ``dvc.lock`` records under the dataset folder."""
    outputs = {}
    for stage in ((dvc_lock or {}).get("stages") or {}).values():
        for out in stage.get("outs") or []:
            if PurePosixPath(out["path"]).parent == PurePosixPath(DATASET_DIR) and "md5" in out:
                outputs[out["path"]] = out["md5"]
    return outputs


def md5_mismatches(folder: Path, expected: dict[str, str]) -> list[str]:
    """The files of ``folder`` whose md5 differs from the one ``dvc.lock`` recorded for them."""
    bad = []
    for path, md5 in sorted(expected.items()):
        local = folder / PurePosixPath(path).name
        if local.exists() and hashlib.md5(local.read_bytes()).hexdigest() != md5:
            bad.append(f"{path} (md5 {hashlib.md5(local.read_bytes()).hexdigest()}, dvc.lock says {md5})")
    return bad


@contextmanager
def open_version(spec: str, *, repo: Path | None = None) -> Iterator[Version]:
    """A folder of tables, as it is; or a git revision's tables, recovered into a temporary folder."""
    if Path(spec).is_dir():
        yield Version(spec, Path(spec))
        return
    repo = repo or repo_root(Path.cwd())
    commit = resolve_commit(repo, spec)
    if commit is None:
        raise InputError(spec, "neither a folder of tables nor a git revision"
                               + (f" of {repo}" if repo else " (not inside a git repository)"))
    params = yaml.safe_load(_show(repo, commit, "params.yaml") or "{}")
    expected = locked_outputs(yaml.safe_load(_show(repo, commit, "dvc.lock") or "{}"))
    with tempfile.TemporaryDirectory(prefix="pipeline-version-") as tmp:
        folder = Path(tmp) / DATASET_DIR
        folder.mkdir()
        source = _from_dvc(repo, commit, [p for p in expected if p.endswith(".parquet")], folder)
        if source is None:
            _rebuild(repo, commit, spec, folder)
            source = "rebuilt in a temporary git worktree"
        if not expected:
            check = "no dvc.lock record to check the bytes against"
        elif bad := md5_mismatches(folder, expected):
            check = "bytes DIFFER from dvc.lock: " + "; ".join(bad)
            log.warning("%s: %s", spec, check)
        else:
            check = "bytes match dvc.lock"
        yield Version(spec, folder, commit, f"{source}; {check}", params)


def _from_dvc(repo: Path, commit: str, paths: Sequence[str], folder: Path) -> str | None:
    """Copy the revision's tables from the DVC cache or remote; None when they are not all there."""
    if not paths:
        return None
    from dvc.api import DVCFileSystem

    try:
        fs = DVCFileSystem(str(repo), rev=commit)
        for path in paths:
            fs.get_file(path, str(folder / PurePosixPath(path).name))
    # Whatever keeps DVC from serving the files (no cache, no remote, no network), rebuilding them is
    # the answer, and the md5 check after it catches a wrong rebuild.
    except Exception as err:  # noqa: BLE001
        log.info("%s: not in the DVC cache or remote (%s); rebuilding it", commit[:10], err)
        for partial in folder.iterdir():
            partial.unlink()
        return None
    return "from the DVC cache or remote"


def _rebuild(repo: Path, commit: str, spec: str, folder: Path) -> None:
    """Check the revision out in a temporary worktree and run its own pipeline on its own raw/."""
    log.info("%s: rebuilding %s in a temporary git worktree", spec, commit[:10])
    with tempfile.TemporaryDirectory(prefix="pipeline-worktree-") as tmp:
        tree = Path(tmp) / "src"
        _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        try:
            # The revision's code must be what runs: drop anything that would import this checkout's.
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
            result = subprocess.run([sys.executable, "-m", "pipeline", "--quiet", "run", "--input", "raw",
                                     "--output", str(folder)], cwd=tree, env=env, capture_output=True, text=True)
        finally:
            _git(repo, "worktree", "remove", "--force", str(tree), check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise InputError(spec, f"could not rebuild {commit[:10]}:\n{tail}")


def read_by_document(folder: Path, tables: Sequence[str]) -> Iterator[tuple[str, dict[str, list[dict]]]]:
    """(doc_id, {table: rows}) for every document, in doc_id order, reading one batch at a time."""
    streams = [_groups(name, folder / f"{name}.parquet") for name in tables]
    merged = heapq.merge(*streams, key=lambda group: group[0])
    for doc_id, groups in itertools.groupby(merged, key=lambda group: group[0]):
        yield doc_id, {name: rows for _, name, rows in groups}


def _groups(name: str, path: Path) -> Iterator[tuple[str, str, list[dict]]]:
    """One table's rows grouped by doc_id; the contract sorts every table by doc_id."""
    reader = pq.ParquetFile(path, buffer_size=_READ_BUFFER)
    doc_id, rows = None, []
    for batch in reader.iter_batches(batch_size=_BATCH_ROWS):
        for row in batch.to_pylist():
            if row["doc_id"] != doc_id:
                if rows:
                    yield doc_id, name, rows
                if doc_id is not None and row["doc_id"] < doc_id:
                    raise InputError(path, f"not sorted by doc_id ({row['doc_id']!r} after {doc_id!r})")
                doc_id, rows = row["doc_id"], []
            rows.append(row)
    if rows:
        yield doc_id, name, rows


def side(version: Version) -> Side:
    """The diff's view of a version: schemas and metadata of its tables, rows streamed by document."""
    paths = sorted(version.folder.glob("*.parquet"))
    if not paths:
        raise InputError(version.folder, "no Parquet tables in this folder")
    schemas = {p.stem: pq.read_schema(p) for p in paths}
    metadata = {name: {k.decode(): v.decode() for k, v in (s.metadata or {}).items() if not k.startswith(b"ARROW:")}
                for name, s in schemas.items()}
    schemas = {name: s.remove_metadata() for name, s in schemas.items()}
    return Side(version.label, schemas, metadata, lambda tables: read_by_document(version.folder, tables),
                version.params, version.note)


def compare(old: str, new: str, *, tables: Sequence[str] | None = None, limit: int | None = 20) -> DatasetDiff:
    """Recover both versions (folders or git revisions) and diff them row by row."""
    with open_version(old) as old_version, open_version(new) as new_version:
        try:
            return diff_datasets(side(old_version), side(new_version), tables=tables, limit=limit)
        except DiffError as err:
            raise InputError(f"{old} {new}", str(err)) from err
