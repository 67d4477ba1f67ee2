"""Peer comparison for numeric claims: quantulum3 on the same cleaned text, scored like the pipeline.

    python -m benchmarks.quantulum_peer --raw raw --gold ../shared/eval/gold \
        --scorer ../shared/eval/score.py [--ours processed]

quantulum3 (a dev dependency) finds quantities with value and unit but has no qualifier, object,
time or source; its quantities are written as a ``numeric_claims`` table (qualifier "exact",
object empty) and scored by the evaluation's own ``score()``. With ``--ours`` the pipeline's
table in that folder is scored beside it.
"""
from __future__ import annotations

import argparse
import importlib.util
import tempfile
import warnings
from pathlib import Path

from pipeline.clean import list_folder, read_article
from pipeline.tables import to_table, write_table


def quantulum_rows(doc_id: str, text: str) -> list[dict]:
    """One numeric_claims row per quantity quantulum3 finds in the text."""
    with warnings.catch_warnings():  # it warns that its optional unit classifier is not installed
        warnings.simplefilter("ignore")
        from quantulum3 import parser
        found = parser.parse(text)
    rows = []
    for q in found:
        start, end = q.span
        unit = None if q.unit.entity.name == "dimensionless" and q.unit.name == "dimensionless" else q.unit.name
        rows.append({"doc_id": doc_id, "sent_id": 0, "start": start, "end": end, "text": text[start:end],
                     "value": float(q.value), "qualifier": "exact", "unit": unit, "object": None, "time": None,
                     "source": None, "value_high": None, "change": None})
    return rows


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--raw", type=Path, required=True, help="folder of raw articles")
    args.add_argument("--gold", type=Path, required=True, help="folder of gold JSON files")
    args.add_argument("--scorer", type=Path, required=True, help="the evaluation's score.py")
    args.add_argument("--ours", type=Path, help="processed/ folder of the pipeline, scored alongside")
    opts = args.parse_args()
    score = load_scorer(opts.scorer)
    rows = []
    for path in list_folder(opts.raw)[0]:
        doc = read_article(path.resolve())
        rows.extend(quantulum_rows(doc.doc_id, doc.text))
    with tempfile.TemporaryDirectory() as tmp:
        write_table("numeric_claims", to_table("numeric_claims", rows), Path(tmp) / "numeric_claims.parquet",
                    {"model": "quantulum3"}, row_group_size=65536)
        runs = {"quantulum3": Path(tmp)} | ({"pipeline": opts.ours} if opts.ours else {})
        print(f"{'':12s} {'claim P':>8s} {'R':>6s} {'F1':>6s} {'qual acc':>9s} {'obj acc':>8s}")
        for name, folder in runs.items():
            res, _ = score(opts.gold, folder)
            c = res["claim"]
            print(f"{name:12s} {c['p']:8.3f} {c['r']:6.3f} {c['f1']:6.3f} {res['claim_qual']['acc']:9.3f} "
                  f"{res['claim_obj']['acc']:8.3f}   (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")


if __name__ == "__main__":
    main()
