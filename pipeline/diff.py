"""Row-level diff of two dataset versions: per table, the rows added, removed and changed.

Rows are matched on their natural key: documents by ``doc_id``; span tables by (``doc_id``,
``start``, ``end``, and ``label`` where the table has one). When a document's cleaned text
changed, old offsets are first carried over to the new text through a difflib alignment of the two
texts, so an edit that shifts every later offset reports only the rows it really touched.
Sentence and paragraph numbers are renumbered the same way: ``sent_id`` counts as changed only
when a span now sits in a different sentence than the one its old sentence became.

Everything here is pure: it takes the rows of one document at a time (dicts, as pyarrow's
``to_pylist`` gives them) and returns what changed. Finding and reading the files of a version is
``pipeline/versions.py``'s job, so two large corpora compare one document at a time.
"""
from __future__ import annotations

import heapq
import itertools
import json
import math
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

import pyarrow as pa

KINDS = ("added", "removed", "changed", "unchanged")
# start and end are carried through the text alignment before keys are compared.
KEY_COLUMNS = ("doc_id", "start", "end", "label")
# Numbering of sentences and paragraphs: compared after renumbering by the matched sentences.
ORDINAL_COLUMNS = ("sent_id", "para_id")
# The sentences table teaches the renumbering, so it is compared first in every document.
FIRST_TABLES = ("documents", "sentences")

# Texts are aligned line by line, then word by word inside changed lines, then character by
# character inside changed words: the coarse pass keeps an inserted paragraph from sliding into
# its neighbours (a diff of bare tokens may pair an old sentence's full stop with the new one's).
_LEVELS = (re.compile(r"[^\n]*\n|[^\n]+"), re.compile(r"\w+|\s+|[^\w\s]"))
# Character-level alignment of a replaced stretch is quadratic; longer rewrites are left as
# removed + added rows rather than slowing the diff down.
_MAX_CHAR_ALIGN = 2000


class Alignment:
    """Old character offsets -> new ones, through a difflib alignment of two versions of a text.

    Lines are aligned first, then words, punctuation and whitespace runs inside changed lines,
    then characters inside changed words, so a whitespace change or a fixed typo keeps the offsets
    around it mapped.
    """

    def __init__(self, old: str, new: str):
        self.identity = old == new
        self._to_new = None
        if not self.identity:
            self._to_new = array("i", [-1]) * len(old)
            _align(old, new, 0, 0, 0, self._to_new)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The new (start, end) of an old span, or None when its first or last character is gone."""
        if self.identity:
            return start, end
        if not 0 <= start < end <= len(self._to_new):
            return None
        new_start, new_last = self._to_new[start], self._to_new[end - 1]
        if new_start < 0 or new_last < new_start:
            return None
        return new_start, new_last + 1


def _align(old: str, new: str, old_at: int, new_at: int, level: int, to_new: array) -> None:
    """Fill ``to_new`` for ``old`` (at offset ``old_at``) against ``new`` (at ``new_at``)."""
    if level == len(_LEVELS):
        if max(len(old), len(new)) <= _MAX_CHAR_ALIGN:
            for i, j, n in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
                to_new[old_at + i:old_at + i + n] = array("i", range(new_at + j, new_at + j + n))
        return
    old_parts, new_parts = _LEVELS[level].findall(old), _LEVELS[level].findall(new)
    old_ends = list(itertools.accumulate(map(len, old_parts), initial=0))
    new_ends = list(itertools.accumulate(map(len, new_parts), initial=0))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_parts, new_parts).get_opcodes():
        a, a_end, b, b_end = old_ends[i1], old_ends[i2], new_ends[j1], new_ends[j2]
        if tag == "equal":
            to_new[old_at + a:old_at + a_end] = array("i", range(new_at + b, new_at + b_end))
        elif tag == "replace":
            _align(old[a:a_end], new[b:b_end], old_at + a, new_at + b, level + 1, to_new)


@dataclass(frozen=True)
class Change:
    """One row's fate: ``kind`` is added, removed, changed or unchanged; ``columns`` what differs."""
    kind: str
    old: dict | None
    new: dict | None
    columns: tuple[str, ...] = ()


def natural_key(columns: Iterable[str]) -> tuple[str, ...]:
    """The columns that identify a row, among doc_id, start, end and label, in that order."""
    present = set(columns)
    return tuple(c for c in KEY_COLUMNS if c in present)


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def diff_rows(old_rows: Iterable[Mapping], new_rows: Iterable[Mapping], *, key: tuple[str, ...],
              compare: tuple[str, ...], alignment: Alignment | None = None,
              renumber: dict[str, dict] | None = None, learn: bool = False) -> Iterator[Change]:
    """Match one document's rows of one table across versions and say what became of each.

    ``key`` columns identify a row (its offsets carried through ``alignment``); ``compare`` columns
    are the ones whose values count. ``renumber`` maps old sent_id/para_id values to new ones;
    with ``learn`` (the sentences table) it is filled from the rows matched here, the first row of
    a sentence or paragraph setting its new number. Yields the changes of the old rows in order,
    then the new rows left over as added.
    """
    alignment = alignment or Alignment("", "")
    renumber = renumber if renumber is not None else {}
    old_rows = list(old_rows)
    ordinals = [c for c in compare if c in ORDINAL_COLUMNS]
    values = [c for c in compare if c not in ORDINAL_COLUMNS]
    unmatched: dict[tuple, list[Mapping]] = {}
    for row in new_rows:
        unmatched.setdefault(tuple(row[c] for c in key), []).append(row)
    wanted = [_carried_key(row, key, alignment) for row in old_rows]
    partner: list[Mapping | None] = [None] * len(old_rows)
    # Rows sharing a key pair up with an identical row first, then in order.
    for exact in (True, False):
        for i, (old, k) in enumerate(zip(old_rows, wanted)):
            candidates = unmatched.get(k) if k and partner[i] is None else None
            if candidates:
                new = next((n for n in candidates if all(_same(old[c], n[c]) for c in values)), None)
                if new is None and not exact:
                    new = candidates[0]
                if new is not None:
                    candidates.remove(new)
                    partner[i] = new
    for old, new in zip(old_rows, partner):
        if new is None:
            yield Change("removed", dict(old), None)
            continue
        if learn:
            for column in ordinals:
                renumber.setdefault(column, {}).setdefault(old[column], new[column])
        expected = {**old, **{c: renumber.get(c, {}).get(old[c], old[c]) for c in ordinals}}
        differ = tuple(c for c in compare if not _same(expected[c], new[c]))
        yield Change("changed" if differ else "unchanged", dict(old), dict(new), differ)
    for rows in unmatched.values():
        for new in rows:
            yield Change("added", None, dict(new))


def _carried_key(row: Mapping, key: tuple[str, ...], alignment: Alignment) -> tuple | None:
    if "start" not in key or "end" not in key:
        return tuple(row[c] for c in key)
    span = alignment.span(row["start"], row["end"])
    if span is None:
        return None
    moved = {**row, "start": span[0], "end": span[1]}
    return tuple(moved[c] for c in key)


def diff_document(old: Mapping[str, list[dict]], new: Mapping[str, list[dict]], *,
                  columns: Mapping[str, tuple[str, ...]]) -> Iterator[tuple[str, Change]]:
    """All changes of one document: its rows per table in each version in, (table, Change) out.

    ``columns`` names, per table to compare, the columns both versions have. A document missing
    from one version has no rows there, so all its rows come out added or removed.
    """
    old_doc, new_doc = old.get("documents") or [], new.get("documents") or []
    alignment = Alignment(old_doc[0]["text"], new_doc[0]["text"]) if old_doc and new_doc else None
    renumber: dict[str, dict] = {}
    order = [t for t in FIRST_TABLES if t in columns] + sorted(t for t in columns if t not in FIRST_TABLES)
    for table in order:
        key = natural_key(columns[table])
        compare = tuple(c for c in columns[table] if c not in key)
        for change in diff_rows(old.get(table, []), new.get(table, []), key=key, compare=compare,
                                alignment=alignment, renumber=renumber, learn=table == "sentences"):
            yield table, change


def align_documents(old: Iterable[tuple[str, dict]], new: Iterable[tuple[str, dict]]
                    ) -> Iterator[tuple[str, dict, dict]]:
    """Two streams of (doc_id, rows per table), each sorted by doc_id -> (doc_id, old rows, new rows)."""
    tagged = heapq.merge(((d, 0, rows) for d, rows in old), ((d, 1, rows) for d, rows in new))
    for doc_id, group in itertools.groupby(tagged, key=lambda item: item[0]):
        sides: list[dict] = [{}, {}]
        for _, side, rows in group:
            sides[side] = rows
        yield doc_id, sides[0], sides[1]


def schema_changes(old: pa.Schema, new: pa.Schema) -> list[dict]:
    """Columns added, removed or retyped (type or nullability) between two versions of a table."""
    changes = [{"column": f.name, "change": "removed", "old": _type(f), "new": None}
               for f in old if f.name not in new.names]
    for f in new:
        if f.name not in old.names:
            changes.append({"column": f.name, "change": "added", "old": None, "new": _type(f)})
        elif _type(old.field(f.name)) != _type(f):
            changes.append({"column": f.name, "change": "retyped", "old": _type(old.field(f.name)), "new": _type(f)})
    return changes


def _type(f: pa.Field) -> str:
    return str(f.type) if f.nullable else f"{f.type} not null"


def mapping_changes(old: Mapping, new: Mapping) -> dict[str, tuple]:
    """Keys whose values differ (None where a key is missing); nested mappings as dotted keys."""
    flat_old, flat_new = _flatten(old), _flatten(new)
    return {k: (flat_old.get(k), flat_new.get(k)) for k in sorted(flat_old.keys() | flat_new.keys())
            if flat_old.get(k) != flat_new.get(k)}


def _flatten(mapping: Mapping, prefix: str = "") -> dict:
    flat = {}
    for k, v in mapping.items():
        if isinstance(v, Mapping) and v:
            flat.update(_flatten(v, f"{prefix}{k}."))
        else:
            flat[f"{prefix}{k}"] = v
    return flat


class DiffError(ValueError):
    """The two versions cannot be compared as asked (an unknown table, a table without doc_id)."""


@dataclass
class Side:
    """One version as the diff sees it: a label, its tables' schemas and metadata, and its rows.

    ``read(tables)`` yields (doc_id, {table: rows}) sorted by doc_id; ``params`` is its
    params.yaml when known; ``note`` says where its files came from.
    """
    label: str
    schemas: dict[str, pa.Schema]
    metadata: dict[str, dict[str, str]]
    read: Callable[[list[str]], Iterable[tuple[str, dict[str, list[dict]]]]]
    params: dict | None = None
    note: str = ""


@dataclass
class TableDiff:
    """Counts of every kind of change in one table, the first ``limit`` examples of each."""
    name: str
    status: str = "compared"  # or "added" / "removed": the table exists in one version only
    schema: list[dict] = field(default_factory=list)
    metadata: dict[str, tuple] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    examples: dict[str, list[Change]] = field(default_factory=lambda: {k: [] for k in KINDS[:3]})

    @property
    def identical(self) -> bool:
        return (self.status == "compared" and not self.schema and not self.metadata
                and not any(self.counts[k] for k in KINDS[:3]))


@dataclass
class DatasetDiff:
    old: Side
    new: Side
    tables: dict[str, TableDiff]
    params: dict[str, tuple] | None
    limit: int | None

    @property
    def identical(self) -> bool:
        """The data are the same: rows, schemas and table metadata (params are context only)."""
        return all(t.identical for t in self.tables.values())


def diff_datasets(old: Side, new: Side, *, tables: Iterable[str] | None = None, limit: int | None = 20) -> DatasetDiff:
    """Compare two versions table by table, one document at a time; keep ``limit`` examples per kind.

    ``tables`` picks tables to report (default: every table of either version); documents and
    sentences are still read for the text alignment and the renumbering.
    """
    names = sorted(old.schemas.keys() | new.schemas.keys(), key=_table_order)
    wanted = list(tables) if tables else names
    unknown = [t for t in wanted if t not in names]
    if unknown:
        raise DiffError(f"no table named {', '.join(unknown)} in either version (tables: {', '.join(names)})")
    result = {}
    for name in wanted:
        in_old, in_new = name in old.schemas, name in new.schemas
        diff = TableDiff(name, status="compared" if in_old and in_new else "added" if in_new else "removed")
        if in_old and in_new:
            diff.schema = schema_changes(old.schemas[name], new.schemas[name])
            diff.metadata = mapping_changes(old.metadata.get(name, {}), new.metadata.get(name, {}))
        result[name] = diff
    columns = {}
    for name in set(wanted) | ({"documents", "sentences"} & old.schemas.keys() & new.schemas.keys()):
        schemas = [s for s in (old.schemas.get(name), new.schemas.get(name)) if s is not None]
        common = [c for c in schemas[0].names if all(c in s.names for s in schemas)]
        if "doc_id" not in common:
            raise DiffError(f"table {name} has no doc_id column: rows cannot be matched by document")
        columns[name] = tuple(common)
    old_docs = old.read([t for t in columns if t in old.schemas])
    new_docs = new.read([t for t in columns if t in new.schemas])
    for _, old_rows, new_rows in align_documents(old_docs, new_docs):
        for table, change in diff_document(old_rows, new_rows, columns=columns):
            if table in result:
                _record(result[table], change, limit)
    return DatasetDiff(old, new, result, mapping_changes(old.params, new.params)
                       if old.params is not None and new.params is not None else None, limit)


def _table_order(name: str) -> tuple:
    known = ("documents", "sentences", "entities", "dates", "numeric_claims")
    return (known.index(name) if name in known else len(known), name)


def _record(diff: TableDiff, change: Change, limit: int | None) -> None:
    diff.counts[change.kind] += 1
    examples = diff.examples.get(change.kind)
    if examples is not None and (limit is None or len(examples) < limit):
        examples.append(change)


# ---- rendering: the same result as a terminal summary, Markdown for a pull request, or JSON ----

def render(result: DatasetDiff, fmt: str) -> str:
    """The diff as ``text`` (terminal), ``markdown`` (pull request) or ``json``."""
    return {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt](result)


def _dataset_version(side: Side) -> str | None:
    versions = {m.get("dataset_version") for m in side.metadata.values()} - {None}
    return ", ".join(sorted(versions)) or None


def _side_line(side: Side) -> str:
    version = _dataset_version(side)
    return side.label + (f", dataset {version}" if version else "") + (f" ({side.note})" if side.note else "")


def _shared_metadata(result: DatasetDiff) -> dict[str, tuple] | None:
    """The metadata changes when every compared table has the same ones (the usual case)."""
    changes = [t.metadata for t in result.tables.values() if t.status == "compared"]
    return changes[0] if changes and all(c == changes[0] for c in changes) else None


def _short(value, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, date) else value.isoformat()
    return text if len(text) <= width else text[: width - 1] + "…"


def _change_pair(old, new, width: int = 60) -> str:
    """old -> new; long strings are shown from just before their first difference, so the edit shows,
    and lists as the items dropped and added."""
    if isinstance(old, list) and isinstance(new, list) and set(map(str, old)) != set(map(str, new)):
        dropped, added = [v for v in old if v not in new], [v for v in new if v not in old]
        return "; ".join(f"{word} {_short(items, width)}" for word, items in (("dropped", dropped), ("added", added))
                         if items)
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > width:
        first = next((i for i, (x, y) in enumerate(zip(old, new)) if x != y), min(len(old), len(new)))
        start = max(0, first - 20)
        return f"{_window(old, start, width)} -> {_window(new, start, width)}"
    return f"{_short(old, width)} -> {_short(new, width)}"


def _window(text: str, start: int, width: int) -> str:
    piece = json.dumps(text[start:start + width], ensure_ascii=False)
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _row_id(row: Mapping) -> str:
    parts = [str(row["doc_id"])]
    if "start" in row and "end" in row:
        parts.append(f"[{row['start']}:{row['end']}]")
    if "label" in row:
        parts.append(str(row["label"]))
    shown = row.get("text") if "start" in row else row.get("title")
    if shown is not None:
        parts.append(_short(shown, 50))
    return " ".join(parts)


def _changed_line(change: Change) -> str:
    old, new = change.old, change.new
    where = _row_id(new)
    if "start" in old and (old["start"], old["end"]) != (new["start"], new["end"]):
        where = where.replace(f"[{new['start']}:{new['end']}]", f"[{old['start']}:{old['end']}]->[{new['start']}:{new['end']}]", 1)
    return where + ": " + "; ".join(f"{c} {_change_pair(old[c], new[c])}" for c in change.columns)


def _schema_line(change: dict) -> str:
    if change["change"] == "retyped":
        return f"~ {change['column']}: {change['old']} -> {change['new']}"
    sign = "+" if change["change"] == "added" else "-"
    return f"{sign} {change['column']}: {change['new'] or change['old']}"


def _more(diff: TableDiff, kind: str) -> int:
    return diff.counts[kind] - len(diff.examples[kind])


def render_text(result: DatasetDiff) -> str:
    lines = [f"old: {_side_line(result.old)}", f"new: {_side_line(result.new)}", ""]
    if result.params:
        lines.append("params changed:")
        lines += [f"  {k}: {_change_pair(o, n, 70)}" for k, (o, n) in result.params.items()]
    shared = _shared_metadata(result)
    if shared:
        lines.append("metadata changed (every table):")
        lines += [f"  {k}: {_change_pair(o, n)}" for k, (o, n) in shared.items()]
    if result.params or shared:
        lines.append("")
    width = max(len(n) for n in result.tables) if result.tables else 5
    lines.append(f"{'table':<{width}}  {'added':>7}  {'removed':>7}  {'changed':>7}  {'unchanged':>9}")
    for name, diff in result.tables.items():
        status = "" if diff.status == "compared" else f"  (table {diff.status})"
        lines.append(f"{name:<{width}}  {diff.counts['added']:>7}  {diff.counts['removed']:>7}  "
                     f"{diff.counts['changed']:>7}  {diff.counts['unchanged']:>9}{status}")
    for name, diff in result.tables.items():
        if diff.identical:
            continue
        lines += ["", f"== {name} =="]
        lines += [f"  schema {_schema_line(c)}" for c in diff.schema]
        if shared is None:
            lines += [f"  metadata {k}: {_change_pair(o, n)}" for k, (o, n) in diff.metadata.items()]
        for kind, sign in (("removed", "-"), ("added", "+")):
            lines += [f"  {sign} {_row_id(c.old or c.new)}" for c in diff.examples[kind]]
            if _more(diff, kind):
                lines.append(f"  … {_more(diff, kind)} more {kind} (--limit)")
        lines += [f"  ~ {_changed_line(c)}" for c in diff.examples["changed"]]
        if _more(diff, "changed"):
            lines.append(f"  … {_more(diff, 'changed')} more changed (--limit)")
    lines += ["", "identical" if result.identical else "different"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def render_markdown(result: DatasetDiff) -> str:
    lines = [f"### Dataset diff: {_md(result.old.label)} → {_md(result.new.label)}", "",
             f"- old: {_side_line(result.old)}", f"- new: {_side_line(result.new)}", ""]
    shared = _shared_metadata(result)
    for title, changes in (("Parameters changed", result.params), ("Metadata changed (every table)", shared)):
        if changes:
            lines += [f"**{title}**", "", "| key | old -> new |", "| --- | --- |"]
            lines += [f"| {_md(k)} | {_md(_change_pair(o, n))} |" for k, (o, n) in changes.items()]
            lines.append("")
    lines += ["| table | added | removed | changed | unchanged |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, diff in result.tables.items():
        status = "" if diff.status == "compared" else f" (table {diff.status})"
        lines.append(f"| {name}{status} | {diff.counts['added']} | {diff.counts['removed']} | "
                     f"{diff.counts['changed']} | {diff.counts['unchanged']} |")
    for name, diff in result.tables.items():
        if diff.identical:
            continue
        lines += ["", f"#### {name}", ""]
        lines += [f"- schema {_md(_schema_line(c))}" for c in diff.schema]
        if shared is None:
            lines += [f"- metadata {_md(k)}: {_md(_change_pair(o, n))}" for k, (o, n) in diff.metadata.items()]
        for kind, sign in (("removed", "−"), ("added", "+")):
            lines += [f"- {sign} {_md(_row_id(c.old or c.new))}" for c in diff.examples[kind]]
            if _more(diff, kind):
                lines.append(f"- … {_more(diff, kind)} more {kind}")
        lines += [f"- ~ {_md(_changed_line(c))}" for c in diff.examples["changed"]]
        if _more(diff, "changed"):
            lines.append(f"- … {_more(diff, 'changed')} more changed")
    lines += ["", f"**{'Identical' if result.identical else 'Different'}.**"]
    return "\n".join(lines) + "\n"


def _key_of(row: Mapping) -> dict:
    return {c: row[c] for c in natural_key(row)}


def to_json(result: DatasetDiff) -> dict:
    """The diff as plain JSON-able data: every count, and the first ``limit`` rows of each kind."""
    def side(s: Side) -> dict:
        return {"label": s.label, "dataset_version": _dataset_version(s), "note": s.note}

    def changed(c: Change) -> dict:
        item = {"key": _key_of(c.new), "columns": {k: {"old": c.old[k], "new": c.new[k]} for k in c.columns}}
        if _key_of(c.old) != item["key"]:
            item["old_key"] = _key_of(c.old)
        return item

    return {
        "old": side(result.old), "new": side(result.new), "identical": result.identical, "limit": result.limit,
        "params": None if result.params is None else {k: {"old": o, "new": n} for k, (o, n) in result.params.items()},
        "tables": {name: {
            "status": d.status, "identical": d.identical, "counts": d.counts, "schema": d.schema,
            "metadata": {k: {"old": o, "new": n} for k, (o, n) in d.metadata.items()},
            "removed": [c.old for c in d.examples["removed"]],
            "added": [c.new for c in d.examples["added"]],
            "changed": [changed(c) for c in d.examples["changed"]],
        } for name, d in result.tables.items()},
    }


def render_json(result: DatasetDiff) -> str:
    return json.dumps(to_json(result), indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
