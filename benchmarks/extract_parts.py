"""Where the extract stage's time goes, per article: each extractor and each entity rule, in CPU ms.

    python benchmarks/run.py --docs 40 --build-only --work /tmp/bench     # a parsed corpus to read
    python benchmarks/extract_parts.py /tmp/bench/one [--repeat 2]

Reads the work folder's clean.jsonl and stored parses, then runs what ``pipeline.stages.packed``
runs on each document (reloading the parse, checking its text, sentences, dates, claims, every component of the
entity pipeline, the entity rows, packing the tables) and prints the CPU time of each part per
document, largest first, from the last of ``--repeat`` rounds (the first pays one-off costs).
Compare parts with each other and with the model's time (the parse stage's CPU time per
article in the same run), not seconds across machines.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.cache import Store, pack_tables  # noqa: E402
from pipeline.claims import claim_rows  # noqa: E402
from pipeline.dates import date_rows  # noqa: E402
from pipeline.entities import entity_rows  # noqa: E402
from pipeline.parse import doc_from_bytes  # noqa: E402
from pipeline.scan import adopt_text  # noqa: E402
from pipeline.sentences import sentence_rows  # noqa: E402
from pipeline.stages import ExtractJob, iter_clean  # noqa: E402
from pipeline.tables import TABLE_NAMES, to_table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="a folder with clean.jsonl and parsed/ (benchmarks/run.py --work)")
    parser.add_argument("--params", type=Path, default=REPO / "params.yaml")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    params = yaml.safe_load(args.params.read_text(encoding="utf-8"))
    job = ExtractJob.create(args.work / "parsed", args.work / "unused-cache", params)
    nlp = job.entity_pipeline()
    store = Store(job.parsed_dir / "docs", ".spacy")
    items = list(job.keyed(iter_clean(args.work / "clean.jsonl")))
    for _ in range(args.repeat):
        spent: Counter[str] = Counter()
        for clean, parse_key, _rows_key in items:
            def timed(part, function, *a, **kw):
                start = time.process_time()
                result = function(*a, **kw)
                spent[part] += time.process_time() - start
                return result

            doc = timed("reload the parse", doc_from_bytes, store.find(parse_key), nlp.vocab, doc_id=clean.doc_id)
            if not timed("check the text", adopt_text, doc, clean.text):
                raise SystemExit(f"{args.work}: the stored parse of {clean.doc_id} is not of its cleaned text")
            dateline = clean.paragraphs[1] if clean.published and len(clean.paragraphs) > 1 else None
            rows = {"documents": [], "sentences": timed("sentences", lambda: list(sentence_rows(doc, clean.paragraphs)))}
            rows["dates"] = timed("dates", lambda: list(date_rows(doc, published=clean.published, dateline=dateline,
                                                                   **params["dates"])))
            rows["numeric_claims"] = timed("claims", lambda: list(claim_rows(doc, dates=rows["dates"], **params["claims"])))
            for name, component in nlp.pipeline:
                doc = timed(f"entities: {name}", component, doc)
            rows["entities"] = timed("entity rows", lambda: list(entity_rows(doc, labels=params["entities"]["labels"])))
            timed("pack the tables", lambda: pack_tables({name: to_table(name, rows[name]) for name in TABLE_NAMES}))
    total = sum(spent.values())
    for part, seconds in spent.most_common():
        print(f"{part:32s} {1000 * seconds / len(items):7.2f} ms/article")
    print(f"{'total':32s} {1000 * total / len(items):7.2f} ms/article ({len(items)} articles)")


if __name__ == "__main__":
    main()
