"""Per-document caches: content-addressed files, so a stage redoes only the documents whose inputs changed.

A key is a hash of everything that decides a document's result (its text, the model, the
parameters, the code). A result is written once under its key and read back on every later run
with the same inputs; after a run, the entries no current document uses are deleted, so a cache
folder holds exactly what a from-scratch run would write.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path

import pyarrow as pa

from .tables import SCHEMAS, atomic_path


class Store:
    """Files ``<root>/<key[:2]>/<key><suffix>``; writes are atomic, so a killed run leaves no half entry."""

    def __init__(self, root: Path, suffix: str):
        self.root, self.suffix = Path(root), suffix

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{self.suffix}"

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def find(self, key: str) -> bytes | None:
        """The entry under ``key``, or None when there is none."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        tmp = atomic_path(path)
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def keep_only(self, keys: Collection[str]) -> int:
        """Delete every file that is not the entry of one of ``keys`` (stale entries, stray temporaries)."""
        removed = 0
        if not self.root.is_dir():
            return removed
        wanted = {self.path(k).name for k in keys}
        for shard in self.root.iterdir():
            for path in shard.iterdir() if shard.is_dir() else [shard]:
                if path.name not in wanted:
                    path.unlink()
                    removed += 1
            if shard.is_dir() and not any(shard.iterdir()):
                shard.rmdir()
        return removed


def digest(*parts: str) -> str:
    """sha256 of the parts, separated so that ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def code_fingerprint(package_dir: Path, parts: Collection[str]) -> str:
    """A hash of the files and folders ``parts`` of the package (their paths and bytes): any change
    to that code or those word lists counts."""
    h = hashlib.sha256()
    files = [p for part in parts for p in ([package_dir / part] if (package_dir / part).is_file()
                                             else (package_dir / part).rglob("*"))]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def settings_digest(settings: Mapping) -> str:
    return digest(json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str))


def pack_tables(tables: Mapping[str, pa.Table]) -> bytes:
    """One document's rows of every table, as consecutive Arrow IPC streams in the schemas' order."""
    sink = pa.BufferOutputStream()
    for name, schema in SCHEMAS.items():
        with pa.ipc.new_stream(sink, schema) as writer:
            writer.write_table(tables[name])
    return sink.getvalue().to_pybytes()


def unpack_tables(data: bytes) -> dict[str, pa.Table]:
    source = pa.BufferReader(data)
    return {name: pa.ipc.open_stream(source).read_all() for name in SCHEMAS}
