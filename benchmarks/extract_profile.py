"""What the date and claim rules cost beside the model, per document, and where that time goes.

    python benchmarks/extract_profile.py [DIR ...] [--repeat 3] [--profile dates|claims|both] [--top 30]

Each folder's articles (default: raw/ and tests/fixtures/dev/raw) are cleaned and parsed once; the
model's CPU time for each text is taken as the yardstick. Each Doc then goes through bytes and
back into the vocabulary of the entity pipeline, as the extract stage loads it, and ``date_rows``
and ``claim_rows`` are timed on it (the fastest of ``--repeat`` runs, after a first run that pays
the one-off costs). Printed per document and summed over long (over 1,500 words) and short
articles: the rules' CPU time as a fraction of the parse's. Ratios, not seconds, are what to
compare on a shared machine. The one-off costs (word lists, matchers, the unit registry) are
timed first, in a fresh process; ``--profile`` prints cProfile's hottest functions.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import claims, dates  # noqa: E402
from pipeline.claims import claim_rows  # noqa: E402
from pipeline.dates import date_rows  # noqa: E402
from pipeline.entities import build_pipeline  # noqa: E402
from pipeline.parse import doc_from_bytes, doc_to_bytes, load_model  # noqa: E402
from pipeline.stages import clean_stage, iter_clean  # noqa: E402

LONG_WORDS = 1500


def cpu(function, *args) -> tuple[float, object]:
    start = time.process_time()
    result = function(*args)
    return time.process_time() - start, result


def find_dates(doc, clean, params: dict) -> list[dict]:
    """The call of ``pipeline.stages.extract_rows`` for dates."""
    dateline = clean.paragraphs[1] if clean.published and len(clean.paragraphs) > 1 else None
    return list(date_rows(doc, published=clean.published, dateline=dateline, **params["dates"]))


def find_claims(doc, found: list[dict], params: dict) -> list[dict]:
    """The call of ``pipeline.stages.extract_rows`` for claims, given the document's dates."""
    return list(claim_rows(doc, dates=found, **params["claims"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[REPO / "raw", REPO / "tests/fixtures/dev/raw"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=("dates", "claims", "both"))
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))

    print("one-off costs (CPU s):")
    entity_nlp = build_pipeline(params["entities"])
    vocab = entity_nlp.vocab
    for name, function, *call in (("claims.lexicon", claims.lexicon), ("claims.unit_registry", claims.unit_registry),
                                  ("dates.resources", dates.resources), ("dates._matchers", dates._matchers, vocab)):
        seconds, _ = cpu(function, *call)
        print(f"  {name:24s} {seconds:6.3f}")

    cleaned = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, folder in enumerate(args.folders):
            clean_stage(folder, Path(tmp) / f"clean{i}.jsonl", params)
            cleaned += iter_clean(Path(tmp) / f"clean{i}.jsonl")
    nlp = load_model(params["model"], exclude=params["parse"]["exclude"])
    nlp(cleaned[0].text)
    docs = []
    for clean in cleaned:
        seconds, doc = cpu(nlp, clean.text)
        docs.append((clean, doc_from_bytes(doc_to_bytes(doc), vocab, doc_id=clean.doc_id), seconds))

    # A first run pays the one-off costs left (holiday calendars, pint's unit lookups).
    found = [find_dates(doc, clean, params) for clean, doc, _ in docs]
    for (_, doc, _), rows in zip(docs, found):
        find_claims(doc, rows, params)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            for (clean, doc, _), rows in zip(docs, found):
                if args.profile in ("dates", "both"):
                    find_dates(doc, clean, params)
                if args.profile in ("claims", "both"):
                    find_claims(doc, rows, params)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
        return

    totals = {"long": [0.0, 0.0, 0.0, 0], "short": [0.0, 0.0, 0.0, 0]}
    print(f"\n{'document':40s} {'words':>6s} {'parse s':>8s} {'dates':>6s} {'claims':>6s}  (fraction of parse)")
    for (clean, doc, parse_seconds), rows in zip(docs, found):
        date_seconds = min(cpu(find_dates, doc, clean, params)[0] for _ in range(args.repeat))
        claim_seconds = min(cpu(find_claims, doc, rows, params)[0] for _ in range(args.repeat))
        words = len(clean.text.split())
        print(f"{clean.doc_id[:40]:40s} {words:6d} {parse_seconds:8.3f} {date_seconds / parse_seconds:6.3f} "
              f"{claim_seconds / parse_seconds:6.3f}")
        total = totals["long" if words > LONG_WORDS else "short"]
        total[0] += parse_seconds
        total[1] += date_seconds
        total[2] += claim_seconds
        total[3] += 1
    for group, (parse_seconds, date_seconds, claim_seconds, n) in totals.items():
        if n:
            print(f"{group} articles ({n}): dates {date_seconds / parse_seconds:.3f}, "
                  f"claims {claim_seconds / parse_seconds:.3f} of the parse time")


if __name__ == "__main__":
    main()
