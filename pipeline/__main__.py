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
from .tables import ContractError, staged

INTERIM = Path("data/interim")
STRICT_HELP = ("stop with exit code 2, writing nothing, if any input file fails a check "
               "(default: skip it with a warning and list it in report.json; same as clean.strict: true)")


def load_params(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as f:
            params = yaml.safe_load(f)
    except OSError as err:
        raise InputError(path, f"cannot read parameters ({err.strerror})") from err
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(path, f"not a valid YAML parameter file ({err})") from err
    if not isinstance(params, dict):
        raise InputError(path, "not a parameter file: expected a mapping of sections")
    return params


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
    p.add_argument("--report", type=Path, default=INTERIM / stages.REPORT_FILE,
                   help="JSON list of the rejected files and why (default: %(default)s)")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)

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

    p = sub.add_parser("validate", help="check the tables against the data contract",
                       description="Check every table of --input against docs/DATA_CONTRACT.md (types, allowed values, "
                                   "keys, offsets); exit 1 with table, column and row of each violation.")
    p.add_argument("--input", type=Path, default=INTERIM / stages.TABLES_DIR, help="folder of the five tables (default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.VALIDATION_FILE,
                   help="report of what was checked (default: %(default)s)")

    p = sub.add_parser("tables", help="publish the tables to processed/ with metadata, metrics and dataset card",
                       description="Write the published Parquet tables, metrics.json, datapackage.json and README.md.")
    p.add_argument("--input", type=Path, default=INTERIM / stages.TABLES_DIR, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=Path("processed"), help="(default: %(default)s)")
    p.add_argument("--report", type=Path, default=INTERIM / stages.REPORT_FILE,
                   help="the clean stage's report, published beside the tables (default: %(default)s)")

    p = sub.add_parser("run", help="all stages on any folder, without DVC",
                       description="Clean, parse, extract and publish the articles of --input into --output "
                                   "(the Parquet tables, metrics.json and report.json).")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.add_argument("--input", type=Path, required=True, help="folder of raw .txt articles")
    p.add_argument("--output", type=Path, required=True, help="folder for the Parquet tables and metrics.json")
    p.add_argument("--work", type=Path,
                   help="keep the intermediate files here; a later run with the same folder parses and extracts "
                        "only the articles that changed (default: a temporary folder, removed afterwards)")
    add_engine_arguments(p)

    p = sub.add_parser("diff", help="compare two dataset versions row by row",
                       description="Compare two dataset versions table by table: rows added, removed and changed, "
                                   "schema and metadata changes. A git revision is read from the DVC cache or "
                                   "remote, else rebuilt in a temporary git worktree. Exit status: 0 identical, "
                                   "1 different, 2 error.")
    p.add_argument("old", help="git revision (commit, tag such as data-v0.1.0, HEAD~1) or folder of tables")
    p.add_argument("new", help="the same, for the newer version")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="(default: %(default)s)")
    p.add_argument("--table", action="append", metavar="NAME", help="only this table (repeatable)")
    p.add_argument("--limit", type=_limit, default=20,
                   help="rows listed per table and kind of change, or 'all'; counts are always complete "
                        "(default: %(default)s)")
    return parser


def _limit(value: str) -> int | None:
    if value == "all":
        return None
    if not value.isdigit():
        raise argparse.ArgumentTypeError("a number of rows, or 'all'")
    return int(value)


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
        if args.command == "diff":
            # imported here: diff reads tables with pandas, and every stage is a process of its own that would pay for it
            from . import diff, versions

            result = versions.compare(args.old, args.new, tables=args.table, limit=args.limit)
            sys.stdout.write(diff.render(result, args.format))
            return 0 if result.identical else 1
        params = load_params(args.params)
        if getattr(args, "strict", False):
            params["clean"] = {**params["clean"], "strict": True}
        if args.command == "clean":
            stages.clean_stage(args.input, args.output, params, report=args.report)
        elif args.command == "parse":
            stages.parse_stage(args.input, args.output, params, engine=args.engine, scheduler=args.scheduler)
        elif args.command == "extract":
            stages.extract_stage(args.clean, args.parsed, args.output, params, cache_dir=args.cache,
                                 engine=args.engine, scheduler=args.scheduler)
        elif args.command == "validate":
            stages.validate_stage(args.input, args.output)
        elif args.command == "tables":
            with staged(args.output) as stage:
                stages.publish_stage(args.input, stage, params, report=args.report)
        elif args.command == "run":
            with ExitStack() as stack:
                work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-")))
                stages.run(args.input, args.output, params, work, engine=args.engine, scheduler=args.scheduler)
    except InputError as err:
        logging.getLogger("pipeline").error("%s", err)
        return 2
    except ContractError as err:
        logging.getLogger("pipeline").error("contract violated: %s", err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
