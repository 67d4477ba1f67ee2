"""Command line: ``python -m pipeline <command>``; each DVC stage is one command."""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

import yaml

from . import __version__, stages
from .clean import InputError
from .tables import staged

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
    parser.add_argument("--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("clean", help="raw .txt articles -> cleaned documents (JSON lines)",
                       description="Normalise each raw article and split off its title and date line.")
    p.add_argument("--input", type=Path, default=Path("raw"), help="folder of raw articles (default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")
    p.add_argument("--report", type=Path, default=INTERIM / stages.REPORT_FILE,
                   help="JSON list of the rejected files and why (default: %(default)s)")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)

    p = sub.add_parser("parse", help="cleaned documents -> spaCy DocBin (runs the model once)",
                       description="Parse every cleaned document with the pinned spaCy model.")
    p.add_argument("--input", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / stages.PARSED_FILE, help="(default: %(default)s)")

    p = sub.add_parser("extract", help="DocBin -> the five tables, unpublished",
                       description="Extract sentences, entities, dates and numeric claims from the parsed Docs.")
    p.add_argument("--clean", type=Path, default=INTERIM / stages.CLEAN_FILE, help="(default: %(default)s)")
    p.add_argument("--parsed", type=Path, default=INTERIM / stages.PARSED_FILE, help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=INTERIM / "tables", help="(default: %(default)s)")

    p = sub.add_parser("tables", help="publish the tables to processed/ with metadata and metrics",
                       description="Write the published Parquet tables and metrics.json.")
    p.add_argument("--input", type=Path, default=INTERIM / "tables", help="(default: %(default)s)")
    p.add_argument("--output", type=Path, default=Path("processed"), help="(default: %(default)s)")
    p.add_argument("--report", type=Path, default=INTERIM / stages.REPORT_FILE,
                   help="the clean stage's report, published beside the tables (default: %(default)s)")

    p = sub.add_parser("run", help="all stages on any folder, without DVC",
                       description="Clean, parse, extract and publish the articles of --input into --output "
                                   "(the Parquet tables, metrics.json and report.json).")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.add_argument("--input", type=Path, required=True, help="folder of raw .txt articles")
    p.add_argument("--output", type=Path, required=True, help="folder for the Parquet tables and metrics.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        params = load_params(args.params)
        if getattr(args, "strict", False):
            params["clean"] = {**params["clean"], "strict": True}
        if args.command == "clean":
            stages.clean_stage(args.input, args.output, params, report=args.report)
        elif args.command == "parse":
            stages.parse_stage(args.input, args.output, params)
        elif args.command == "extract":
            stages.extract_stage(args.clean, args.parsed, args.output, params)
        elif args.command == "tables":
            with staged(args.output) as stage:
                stages.publish_stage(args.input, stage, params, report=args.report)
        elif args.command == "run":
            with tempfile.TemporaryDirectory(prefix="pipeline-") as work:
                stages.run(args.input, args.output, params, Path(work))
    except InputError as err:
        logging.getLogger("pipeline").error("%s", err)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
