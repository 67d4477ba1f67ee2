"""Validation: every table checked against the data contract before it is published.

The checks are pandera schemas built from the Arrow schemas in :mod:`pipeline.tables` (column
order, types, nullability, allowed values, minimums, primary keys) plus the contract's rules that
look at other columns or tables (foreign keys, spans that slice back to the text and sit inside
their sentence, the (doc_id, start) order, counts). Nothing here restates a column: a column added
to ``SCHEMAS`` is checked without touching this module.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd
import pandera.pandas as pdr
import pyarrow as pa
from pandera.errors import SchemaErrors

from .tables import FOREIGN_KEYS, PRIMARY_KEYS, SCHEMAS, TABLE_NAMES, ContractError, field_constraints

MAX_REPORTED = 20
# pandera's checks on the set of columns, where the failure case is the column's name.
_COLUMN_SET_CHECKS = {"column_in_dataframe": "missing", "column_in_schema": "not in the contract",
                      "column_ordered": "out of the contract's column order"}


def to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas with the exact Arrow types (``int32[pyarrow]``, ``date32[day][pyarrow]``)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _field_checks(field: pa.Field) -> list[pdr.Check]:
    constraints = field_constraints(field)
    checks = []
    if "enum" in constraints:
        checks.append(pdr.Check.isin(constraints["enum"]))
    if "minimum" in constraints:
        checks.append(pdr.Check.ge(constraints["minimum"]))
    return checks


def _verdict(ok: pd.Series, error: str) -> pdr.Check:
    """A check whose verdict, one boolean per row, was computed from the whole frame (pandera hands a
    column check only the column's non-null values, so the verdict is looked up by their index)."""
    ok = ok.fillna(False).astype(bool)
    return pdr.Check(lambda column: ok.loc[column.index], error=error)


def _in_order(frame: pd.DataFrame) -> pd.Series:
    """True where a row does not come before the previous one in (doc_id, start) order."""
    doc, prev_doc = frame["doc_id"], frame["doc_id"].shift()
    ok = (doc > prev_doc).fillna(True)
    if "start" in frame:
        ok |= ((doc == prev_doc) & (frame["start"] >= frame["start"].shift())).fillna(False)
    return ok


def _rules(name: str, tables: Mapping[str, pd.DataFrame]) -> dict[str, list[pdr.Check]]:
    """The contract's rules that look beyond one value, attached to the column they judge."""
    frame = tables[name]
    rules: dict[str, list[pdr.Check]] = defaultdict(list)
    rules["start" if "start" in frame else "doc_id"].append(_verdict(_in_order(frame), "rows sorted by (doc_id, start)"))
    for columns, other, other_columns in FOREIGN_KEYS[name]:
        known = pd.MultiIndex.from_frame(tables[other][list(other_columns)])
        found = pd.Series(pd.MultiIndex.from_frame(frame[list(columns)]).isin(known), index=frame.index)
        rules[columns[-1]].append(_verdict(found, f"({', '.join(columns)}) found in {other}"))
    if "end" in frame:
        rules["end"].append(_verdict(frame["end"] > frame["start"], "end greater than start"))
    if name != "documents":
        # one str per document, looked up per row: mapping doc_id to text as a column would copy a
        # document's whole text into every one of its rows (gigabytes for a batch of long articles)
        texts = dict(zip(tables["documents"]["doc_id"], tables["documents"]["text"]))
        sliced = [isinstance(t := texts.get(d), str) and t[s:e] == x
                  for d, s, e, x in zip(frame["doc_id"], frame["start"], frame["end"], frame["text"])]
        rules["text"].append(_verdict(pd.Series(sliced, index=frame.index), "documents.text[start:end] == text"))
    if "sent_id" in frame and name != "sentences":
        bounds = tables["sentences"][["doc_id", "sent_id", "start", "end"]]
        sentence = frame[["doc_id", "sent_id"]].merge(bounds, how="left", on=["doc_id", "sent_id"])
        sentence.index = frame.index
        inside = (sentence["start"] <= frame["start"]) & (frame["end"] <= sentence["end"])
        rules["sent_id"].append(_verdict(inside.fillna(False), "span inside sentence sent_id"))
    if name == "documents":
        counts = tables["sentences"]["doc_id"].value_counts()
        rules["n_chars"].append(_verdict(frame["n_chars"] == frame["text"].str.len(), "len(text)"))
        rules["n_sentences"].append(_verdict(frame["n_sentences"] == frame["doc_id"].map(counts).fillna(0),
                                             "rows in sentences"))
    if name == "dates":
        ordered = (frame["start_date"] <= frame["end_date"]).fillna(True)
        rules["end_date"].append(_verdict(ordered, "end_date >= start_date"))
    if name == "numeric_claims":
        ordered = (frame["value"] <= frame["value_high"]).fillna(True)
        rules["value_high"].append(_verdict(ordered, "value_high >= value"))
    return rules


def check_order(name: str, keys: Iterable[pa.Table]) -> None:
    """Raise :class:`ContractError` unless the rows are in (doc_id, start) order; ``keys`` are the
    table's ``doc_id`` (and ``start``) columns in consecutive pieces, so the whole table never needs
    to be in memory."""
    problems, first_row, previous = [], 0, None
    for piece in keys:
        frame = to_frame(piece)
        if previous is not None:
            frame = pd.concat([previous, frame], ignore_index=True)
        bad = (~_in_order(frame)).to_numpy().nonzero()[0]
        offset = first_row - (0 if previous is None else 1)
        problems.extend(f"table {name!r}, row {offset + i}: fails rows sorted by (doc_id, start)" for i in bad)
        first_row += piece.num_rows
        previous = frame.tail(1)
    _raise_if_any(problems)


def table_schema(name: str, tables: Mapping[str, pd.DataFrame] | None = None) -> pdr.DataFrameSchema:
    """The pandera schema of table ``name``: its columns, types and nulls; given ``tables`` (the frames
    the cross-table rules read), also its allowed values, primary key and the contract's rules."""
    if tables is None:
        columns = {f.name: pdr.Column(pd.ArrowDtype(f.type), nullable=f.nullable) for f in SCHEMAS[name]}
        return pdr.DataFrameSchema(columns, strict=True, ordered=True, name=name)
    rules = _rules(name, tables)
    columns = {f.name: pdr.Column(pd.ArrowDtype(f.type), nullable=f.nullable,
                                  checks=_field_checks(f) + rules.get(f.name, []))
               for f in SCHEMAS[name]}
    return pdr.DataFrameSchema(columns, strict=True, ordered=True, unique=list(PRIMARY_KEYS[name]), name=name)


def validate_tables(tables: Mapping[str, pa.Table]) -> dict:
    """Check all five tables; return a summary of what was checked, or raise :class:`ContractError`."""
    missing = [name for name in TABLE_NAMES if name not in tables]
    if missing:
        raise ContractError(f"tables missing: {', '.join(missing)}")
    return validate_batches({name: tables[name].schema for name in TABLE_NAMES},
                            [({name: tables[name] for name in TABLE_NAMES}, dict.fromkeys(TABLE_NAMES, 0))])


def validate_batches(schemas: Mapping[str, pa.Schema],
                     batches: Iterable[tuple[Mapping[str, pa.Table], Mapping[str, int]]]) -> dict:
    """Check five tables that arrive in batches; return a summary of what was checked, or raise
    :class:`ContractError` at the first batch with a problem.

    ``schemas`` are the tables' Arrow schemas: their columns and types are checked first, since
    the rules compare columns across tables and can only read well-formed ones. Each batch holds
    every row of some consecutive documents in all five tables (rows of no document ride with the
    last batch), with the table's row number of each batch's first row, so memory is one batch's
    and problems are reported by row of the whole table.
    """
    empty = {name: to_frame(schemas[name].empty_table()) for name in TABLE_NAMES}
    _raise_problems({name: table_schema(name) for name in TABLE_NAMES}, empty)
    rows: Counter[str] = Counter()
    for tables, first_rows in batches:
        frames = {}
        for name in TABLE_NAMES:
            frames[name] = to_frame(tables[name])
            frames[name].index += first_rows[name]
            rows[name] += len(frames[name])
        _raise_problems({name: table_schema(name, frames) for name in TABLE_NAMES}, frames)
    # the checks are the same whatever the rows: the summary lists them from the empty tables
    checked = {name: table_schema(name, empty) for name in TABLE_NAMES}
    return {
        name: {
            "rows": rows[name],
            "primary_key": list(PRIMARY_KEYS[name]),
            "checks": {column: [str(c.error or c.name) for c in spec.checks]
                       for column, spec in schema.columns.items() if spec.checks},
        }
        for name, schema in checked.items()
    }


def _raise_problems(schemas: Mapping[str, pdr.DataFrameSchema], frames: Mapping[str, pd.DataFrame]) -> None:
    problems: list[str] = []
    for name, schema in schemas.items():
        try:
            schema.validate(frames[name], lazy=True)
        except SchemaErrors as err:
            problems.extend(describe_failures(name, err.failure_cases))
    _raise_if_any(problems)


def _raise_if_any(problems: list[str]) -> None:
    if problems:
        more = f"\n  ... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise ContractError(f"{len(problems)} contract violation(s) (rows are 0-based):\n  "
                            + "\n  ".join(problems[:MAX_REPORTED]) + more)


def describe_failures(name: str, failures: pd.DataFrame) -> list[str]:
    """pandera's failure cases as one line per problem, in row order: table, column, row, the rule, the value."""
    lines = []
    duplicates = failures[failures["check"] == "multiple_fields_uniqueness"]
    for row in sorted(set(duplicates["index"].dropna().astype(int))):
        lines.append((row, f"table {name!r}, columns {', '.join(PRIMARY_KEYS[name])}, row {row}: duplicate primary key"))
    for failure in failures.drop(duplicates.index).to_dict("records"):
        if failure["check"] in _COLUMN_SET_CHECKS:
            lines.append((-1, f"table {name!r}, column {failure['failure_case']!r}: "
                              f"{_COLUMN_SET_CHECKS[failure['check']]}"))
            continue
        row = int(failure["index"]) if pd.notna(failure["index"]) else -1
        where = f"row {row}" if row >= 0 else "whole column"
        lines.append((row, f"table {name!r}, column {failure['column']!r}, {where}: fails {failure['check']}; "
                           f"value {_show(failure['failure_case'])}"))
    return [line for _, line in sorted(lines)]


def _show(value) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
