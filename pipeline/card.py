"""The dataset card: a Frictionless data package and a Hugging Face-style README, both from the schema in code.

``datapackage.json`` describes every table as a Table Schema (types, descriptions, constraints,
primary and foreign keys) so ``frictionless validate`` can check the files; ``README.md`` says what
the data is, how it was made, its limits and how to load it, with a YAML header the Hugging Face
Hub reads. Column names, types and descriptions come from :data:`pipeline.tables.SCHEMAS`; the
prose is the template ``pipeline/templates/dataset_card.md``.
"""
from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from string import Template

import pyarrow as pa
import yaml

from .tables import (FOREIGN_KEYS, PRIMARY_KEYS, SCHEMA_VERSION, SCHEMAS, TABLE_DESCRIPTIONS, TABLE_NAMES,
                     field_constraints, field_description)

NAME = "newsfacts"
TITLE = "newsfacts: entities, dates and numeric claims from news articles"

# Arrow type -> (Table Schema type, Hugging Face `datasets` dtype).
TYPES = {
    pa.string(): ("string", "string"),
    pa.int32(): ("integer", "int32"),
    pa.float64(): ("number", "float64"),
    pa.date32(): ("date", "date32"),
}
_SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                    (10_000_000, "1M<n<10M"))


def table_schema(name: str) -> dict:
    """The Frictionless Table Schema of one table."""
    fields = []
    for field in SCHEMAS[name]:
        spec = {"name": field.name, "type": TYPES[field.type][0], "description": field_description(field)}
        constraints = field_constraints(field)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    foreign = [{"fields": list(columns), "reference": {"resource": other, "fields": list(other_columns)}}
               for columns, other, other_columns in FOREIGN_KEYS[name]]
    return {"fields": fields, "primaryKey": list(PRIMARY_KEYS[name]), **({"foreignKeys": foreign} if foreign else {})}


def datapackage(meta: Mapping[str, str]) -> dict:
    """The data package of the published tables.

    No ``bytes`` or ``hash`` per resource: frictionless reads Parquet through pyarrow, not as a byte
    stream, so it reports them as unverifiable errors; ``dvc.lock`` records each file's checksum.
    """
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": "Named entities, temporal expressions and numeric claims extracted from English news "
                       "articles; see README.md.",
        "version": meta["dataset_version"],
        "keywords": ["news", "named entities", "temporal expressions", "numeric claims", "spaCy"],
        "resources": [
            {
                "name": name,
                "path": f"{name}.parquet",
                "profile": "tabular-data-resource",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "description": TABLE_DESCRIPTIONS[name],
                "schema": table_schema(name),
            }
            for name in TABLE_NAMES
        ],
        "x-pipeline": {"schema_version": SCHEMA_VERSION,
                       **{key: meta[key] for key in sorted(meta) if key != "dataset_version"}},
    }


def card_header(meta: Mapping[str, str], rows: Mapping[str, int]) -> dict:
    """The YAML metadata block of a Hugging Face dataset card: one configuration per table."""
    n_docs = rows["documents"]
    return {
        "pretty_name": TITLE,
        "language": ["en"],
        "license": "unknown",
        "size_categories": [next((label for limit, label in _SIZE_CATEGORIES if n_docs < limit), "n>10M")],
        "task_categories": ["token-classification"],
        "tags": ["news", "named-entity-recognition", "temporal-expressions", "numeric-claims"],
        "configs": [{"config_name": name, "data_files": f"{name}.parquet"} for name in TABLE_NAMES],
        "dataset_info": [
            {
                "config_name": name,
                "features": [{"name": f.name, "dtype": TYPES[f.type][1]} for f in SCHEMAS[name]],
                "splits": [{"name": "train", "num_examples": rows[name]}],
            }
            for name in TABLE_NAMES
        ],
        "version": meta["dataset_version"],
    }


def _field_table(name: str) -> str:
    lines = [f"### {name}", "", TABLE_DESCRIPTIONS[name], "",
             f"Primary key: ({', '.join(PRIMARY_KEYS[name])}).", "",
             "| column | type | null | meaning |", "| --- | --- | --- | --- |"]
    for field in SCHEMAS[name]:
        allowed = field_constraints(field).get("enum")
        meaning = field_description(field) + (f" One of: {', '.join(allowed)}." if allowed else "")
        lines.append(f"| `{field.name}` | {field.type} | {'yes' if field.nullable else 'no'} | {meaning} |")
    return "\n".join(lines)


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"


def dataset_card(meta: Mapping[str, str], metrics: Mapping) -> str:
    """The README.md of the published folder: YAML header, then the template filled from schema and metrics."""
    rows = metrics["rows"]
    template = Template(resources.files("pipeline").joinpath("templates/dataset_card.md").read_text(encoding="utf-8"))
    body = template.substitute(
        dataset_version=meta["dataset_version"],
        schema_version=SCHEMA_VERSION,
        pipeline_version=meta["pipeline_version"],
        model=meta["model"],
        spacy_version=meta["spacy_version"],
        n_documents=rows["documents"],
        summary_rows="\n".join(f"| `{name}.parquet` | {rows[name]} | {TABLE_DESCRIPTIONS[name]} |"
                               for name in TABLE_NAMES),
        entity_counts=_counts(metrics.get("entities_by_label", {})),
        date_counts=_counts(metrics.get("dates_by_kind", {})),
        claim_counts=_counts(metrics.get("numeric_claims_by_qualifier", {})),
        field_tables="\n\n".join(_field_table(name) for name in TABLE_NAMES),
    )
    header = yaml.safe_dump(card_header(meta, rows), sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{body}"
