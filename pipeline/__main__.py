"""Command line: ``python -m pipeline <command>``; each DVC stage is one command."""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import yaml

from . import __version__, stages
from .clean import InputError

INTERIM = Path("data/interim")


def load_params(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as err:
        raise InputError(path, f"cannot read parameters ({err.strerror})") from err


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Raw news articles -> cleaned text -> spaCy parse -> entities, dates and numeric "
                    "claims as Parquet tables (see docs/DATA_CONTRACT.md).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--params", type=Path, default=Path("params.yaml"), help="parameter file (default: %(default)s)")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("--quiet", action="store_true", help="only warnings and errors, no progress bars")
    verbosity.add_argument("--verbose", action="store_true", help="also debugging details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("clean", help="raw .txt articles -> cleaned documents (JSON lines)",
                       description="Normalise each raw article and split off its title and date line.")
    p.add_argument("--input", type=Path, default=Path("raw"), help="folder of raw articles (default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")

    p = sub.add_parser("parse", help="cleaned documents -> stored spaCy parses (runs the model once per text)",
                       description="Parse the cleaned documents with the pinned spaCy model; texts parsed before "
                                   "with the same pipeline are reused from --output.")
    p.add_argument("--input", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.PARSED_DIR, help="(default: %(default)s)")
    add_engine_arguments(p)

    p = sub.add_parser("extract", help="parses -> the five tables, unpublished",
                       description="Extract sentences, entities, dates and numeric claims from the parsed Docs; "
                                   "documents whose inputs did not change are taken from --cache.")
    p.add_argument("--clean", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")
    p.add_argument("--parsed", type=Path, default=INTERIM / stages.PARSED_DIR, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.TABLES_DIR, help="(default: %(default)s)")
    p.add_argument("--cache", type=Path, default=INTERIM / stages.EXTRACTED_DIR,
                   help="per-document rows of earlier runs (default: %(default)s)")
    add_engine_arguments(p)

    p = sub.add_parser("tables", help="publish the tables to processed/ with metadata and metrics",
                       description="Write the published Parquet tables and metrics.json.")
    p.add_argument("--input", type=Path, default=INTERIM / stages.TABLES_DIR, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=Path("processed"), help="(default: %(default)s)")

    p = sub.add_parser("run", help="all stages on any folder, without DVC",
                       description="Clean, parse, extract and publish the articles of --input into --output.")
    p.add_argument("--input", type=Path, required=True, help="folder of raw .txt articles")
    p.add_argument("--output", type=Path, required=True, help="folder for the Parquet tables and metrics.json")
    p.add_argument("--work", type=Path,
                   help="keep the intermediate files here; a later run with the same folder parses and extracts "
                        "only the articles that changed (default: a temporary folder, removed afterwards)")
    add_engine_arguments(p)
    return parser


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=stages.ENGINES,
                   help="where parse and extract run: in this process or on a Dask cluster (default: params "
                        "parse.engine)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: params parse.scheduler; none starts "
                        "a local cluster of parse.n_process workers)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        params = load_params(args.params)
        if args.command == "clean":
            stages.clean_stage(args.input, args.output, params)
        elif args.command == "parse":
            stages.parse_stage(args.input, args.output, params, engine=args.engine, scheduler=args.scheduler)
        elif args.command == "extract":
            stages.extract_stage(args.clean, args.parsed, args.output, params, cache_dir=args.cache,
                                 engine=args.engine, scheduler=args.scheduler)
        elif args.command == "tables":
            stages.publish_stage(args.input, args.output, params)
        elif args.command == "run":
            with ExitStack() as stack:
                work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-")))
                stages.run(args.input, args.output, params, work, engine=args.engine, scheduler=args.scheduler)
    except InputError as err:
        logging.getLogger("pipeline").error("%s", err)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
