"""Bad input gets a clear answer, a crash never costs data, and runs are repeatable.

Each bad-input case is checked twice: by default the file is skipped and listed in report.json
with its exact message while the good file goes on; in strict mode the run stops with that
message before anything is written, and the tables published earlier stay as they were.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO
from pipeline import stages
from pipeline.clean import (InputError, dateline_problem, looks_like_date, read_article,
                            title_problem)

GOOD = """Harbour city opens new ferry terminal
2025-03-03
The Port Authority of Westhaven opened a ferry terminal on Monday, Mayor Alice Moreno said.
More than 1,200 passengers used the terminal in its first week, according to the authority.
"""
FROST = """Orchard growers count losses after late frost
April 14, 2024
Fruit growers in the Lindel Valley lost about 40 percent of their apricot crop, the regional farmers' union said on Friday.
The frost came three weeks after the trees had flowered, said union chair Tomas Brandt.
"""
BAKERY = """Bakery chain plans 12 new shops
5 June 2024
The Kornblume bakery chain will open 12 shops in Bavaria next year, its chief executive said.
"""
TODAY = date(2025, 6, 1)


def write(raw: Path, name: str, data: bytes | str) -> Path:
    path = raw / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def dangling_link(raw: Path) -> None:
    (raw / "dangling.txt").symlink_to("missing.txt")


def fifo(raw: Path) -> None:
    os.mkfifo(raw / "pipe.txt")


# (case, files to add beside a good article, params to change, the report's expected rejections)
BAD_INPUTS = [
    ("not UTF-8, no fallback", lambda raw: write(raw, "latin.txt", b"Caf\xe9 owners meet\nThey met.\n"),
     {"fallback_encodings": []},
     [("raw/latin.txt", "not valid UTF-8 (byte 0xe9 on line 1, offset 3); "
                        "no fallback encoding is configured (clean.fallback_encodings)")]),
    ("not UTF-8 nor the fallback", lambda raw: write(raw, "odd.txt", b"Title\n\x81\x8d\x8f body\n"),
     {"fallback_encodings": ["cp1252"]},
     [("raw/odd.txt", "not valid UTF-8 (byte 0x81 on line 2, offset 6), nor cp1252 (clean.fallback_encodings)")]),
    ("PDF renamed to .txt", lambda raw: write(raw, "scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), {},
     [("raw/scan.txt", "binary content, not text: looks like a PDF document")]),
    ("Word document renamed to .txt", lambda raw: write(raw, "memo.txt", b"PK\x03\x04\x14\x00\x06\x00"), {},
     [("raw/memo.txt", "binary content, not text: looks like a ZIP archive or an Office/OpenDocument file")]),
    ("NUL bytes", lambda raw: write(raw, "dump.txt", b"Title\nsome\x00\x00\x01\x02 data"), {},
     [("raw/dump.txt", "binary content, not text: NUL byte at offset 10")]),
    ("empty file", lambda raw: write(raw, "empty.txt", b""), {},
     [("raw/empty.txt", "empty file (0 bytes)")]),
    ("whitespace only", lambda raw: write(raw, "blank.txt", " \n\t\n\u00a0\r\n"), {},
     [("raw/blank.txt", "empty file: no text after removing whitespace")]),
    ("no title: starts with the date", lambda raw: write(raw, "dated.txt", "2024-03-01\nThe mill closed.\n"), {},
     [("raw/dated.txt", "no title line: line 1 is a date ('2024-03-01'); put the title on line 1 and the date "
                        "on line 2")]),
    ("no title: starts with body text", lambda raw: write(
        raw, "lede.txt", "The council voted on Tuesday to raise parking fees by a fifth, officials said.\nMore.\n"), {},
     [("raw/lede.txt", "no title line: line 1 reads as body text (14 words ending in a full stop: "
                       "'The council voted on Tuesday to raise parking fees by a f...')")]),
    ("no title: line 1 too long", lambda raw: write(raw, "long.txt", "word " * 70 + "\nMore.\n"),
     {"max_title_chars": 300},
     [("raw/long.txt", "no title line: line 1 has 349 characters, more than a title (clean.max_title_chars = 300)")]),
    ("date line does not parse", lambda raw: write(raw, "typo.txt", "Mill closes\nFebuary 3, 2024\nIt closed.\n"), {},
     [("raw/typo.txt", "date line 'Febuary 3, 2024' does not parse as a date (write it like 2024-11-05 or "
                       "November 5, 2024)")]),
    ("impossible date", lambda raw: write(raw, "leap.txt", "Mill closes\n2024-02-30\nIt closed.\n"), {},
     [("raw/leap.txt", "date line '2024-02-30' is not a real calendar date")]),
    ("date in the future of the run", lambda raw: write(raw, "later.txt", "Mill closes\n2999-06-03\nIt closed.\n"), {},
     [("raw/later.txt", "date line '2999-06-03' is in the future (the run's date is 2025-06-01)")]),
    ("over the size limit", lambda raw: write(raw, "big.txt", "Big file\n" + "x" * 300), {"max_bytes": 250},
     [("raw/big.txt", "file is 309 bytes, over the limit of 250 (clean.max_bytes)")]),
    ("duplicate doc_id", lambda raw: (write(raw, "mill.txt", "Mill closes\nIt closed.\n"),
                                      write(raw, "mill.TXT", "Mill opens\nIt opened.\n")), {},
     [("raw/mill.TXT", "doc_id 'mill' is also the name of mill.txt; rename one of them"),
      ("raw/mill.txt", "doc_id 'mill' is also the name of mill.TXT; rename one of them")]),
    ("duplicate doc_id by Unicode normalisation", lambda raw: (write(raw, "cafe\u0301.txt", "Cafe opens\nOpen.\n"),
                                                               write(raw, "caf\u00e9.txt", "Cafe shuts\nShut.\n")), {},
     [("raw/cafe\u0301.txt", "doc_id 'caf\u00e9' is also the name of caf\u00e9.txt; rename one of them"),
      ("raw/caf\u00e9.txt", "doc_id 'caf\u00e9' is also the name of cafe\u0301.txt; rename one of them")]),
    ("unreadable: a directory", lambda raw: (raw / "folder.txt").mkdir(), {},
     [("raw/folder.txt", "cannot read file: it is a directory")]),
    ("unreadable: a broken link", dangling_link, {},
     [("raw/dangling.txt", "cannot read file: broken symbolic link to missing.txt")]),
    ("unreadable: a pipe that would block", fifo, {},
     [("raw/pipe.txt", "cannot read file: not a regular file (a pipe, socket or device)")]),
    ("doc_id that is a path", lambda raw: write(raw, "...txt", "Title\nBody.\n"), {},
     [("raw/...txt", "the file name gives the doc_id '..', which is not a usable name")]),
    ("file name not UTF-8", lambda raw: write(raw, os.fsdecode(b"bad\xffname.txt"), "Title\nBody.\n"), {},
     [("raw/bad\\xffname.txt", "the file name is not valid UTF-8")]),
]


def clean_params(params: dict, **changes) -> dict:
    return {**params, "clean": {**params["clean"], **changes}}


@pytest.fixture
def raw(tmp_path, monkeypatch) -> Path:
    """A raw/ folder holding one good article, with the working directory beside it."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "raw"
    folder.mkdir()
    write(folder, "good.txt", GOOD)
    return folder


@pytest.mark.parametrize("case, add, changes, expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_file_is_skipped_with_its_problem_in_the_report(raw, params, case, add, changes, expected):
    add(raw)
    summary = stages.clean_stage(raw, Path("interim/clean.jsonl"), clean_params(params, **changes), today=TODAY)
    docs = list(stages.iter_clean(Path("interim/clean.jsonl")))
    report = json.loads(Path("interim/report.json").read_text(encoding="utf-8"))
    assert summary == report
    assert report["rejected"] == [{"file": f, "problem": p} for f, p in expected]
    assert [d.doc_id for d in docs] == ["good"]
    assert report["documents"] == 1


@pytest.mark.parametrize("case, add, changes, expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_strict_mode_stops_before_writing_and_keeps_the_published_tables(raw, params, built, case, add, changes,
                                                                         expected):
    out = raw.parent / "processed"
    shutil.copytree(built, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    add(raw)
    with pytest.raises(InputError, match="strict mode"):
        stages.run(raw, out, clean_params(params, strict=True, **changes), raw.parent / "work")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not (raw.parent / "work").exists()


def test_fallback_encodings_are_tried_in_order_and_reported(raw, params):
    write(raw, "latin.txt", "Caf\u00e9 owners meet\n2024-03-01\nThe caf\u00e9 owners met on Friday.\n".encode("cp1252"))
    write(raw, "chinese.txt", "\u5496\u5561\u9986\u5f00\u4e1a\n2024-03-01\n\u4eca\u5929\u5f00\u4e1a\u3002\n"
          .encode("gb18030"))
    stages.clean_stage(raw, Path("interim/clean.jsonl"),
                       clean_params(params, fallback_encodings=["GB18030", "cp1252"]), today=TODAY)
    docs = list(stages.iter_clean(Path("interim/clean.jsonl")))
    assert {d.doc_id: d.title for d in docs} == {
        "chinese": "\u5496\u5561\u9986\u5f00\u4e1a", "good": "Harbour city opens new ferry terminal",
        "latin": "Caf\u00e9 owners meet"}
    report = json.loads(Path("interim/report.json").read_text(encoding="utf-8"))
    assert report["not_utf8"] == [{"file": "raw/chinese.txt", "encoding": "gb18030"},
                                  {"file": "raw/latin.txt", "encoding": "cp1252"}]


def test_cp1252_fallback_reads_a_western_file(raw, params):
    write(raw, "latin.txt", "Caf\u00e9 owners meet \u2013 again\n2024-03-01\nThey met.\n".encode("cp1252"))
    stages.clean_stage(raw, Path("interim/clean.jsonl"), clean_params(params, fallback_encodings=["cp1252"]),
                       today=TODAY)
    docs = list(stages.iter_clean(Path("interim/clean.jsonl")))
    assert {d.doc_id: d.title for d in docs}["latin"] == "Caf\u00e9 owners meet \u2013 again"
    report = json.loads(Path("interim/report.json").read_text(encoding="utf-8"))
    assert report["not_utf8"] == [{"file": "raw/latin.txt", "encoding": "cp1252"}]


def test_utf16_with_byte_order_mark_is_text(raw, params):
    write(raw, "notepad.txt", "Mill closes\r\n2024-03-01\r\nIt closed.\r\n".encode("utf-16"))
    stages.clean_stage(raw, Path("interim/clean.jsonl"), params, today=TODAY)
    docs = list(stages.iter_clean(Path("interim/clean.jsonl")))
    assert {d.doc_id: d.text for d in docs}["notepad"] == "Mill closes\n\n2024-03-01\n\nIt closed."


def test_permission_denied_is_reported(raw, params, monkeypatch):
    locked = write(raw, "locked.txt", "Title\nBody.\n")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError) as err:
        read_article(locked.resolve(), root=raw.parent.resolve())
    assert str(err.value) == "raw/locked.txt: cannot read file (Permission denied)"


def test_other_files_are_listed_as_ignored(raw, params):
    write(raw, "notes.docx", b"PK\x03\x04")
    stages.clean_stage(raw, Path("interim/clean.jsonl"), params, today=TODAY)
    assert json.loads(Path("interim/report.json").read_text(encoding="utf-8"))["ignored"] == ["notes.docx"]


def test_no_usable_article_writes_nothing(raw, params):
    (raw / "good.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"raw: no article to process \(1 rejected"):
        stages.clean_stage(raw, Path("interim/clean.jsonl"), params, today=TODAY)
    assert not Path("interim").exists()


def test_unknown_fallback_encoding_is_a_parameter_error(raw, params):
    with pytest.raises(InputError, match="clean.fallback_encodings: unknown encoding 'latin-99'"):
        stages.clean_stage(raw, Path("interim/clean.jsonl"), clean_params(params, fallback_encodings=["latin-99"]))


@pytest.mark.parametrize("line", ["Markets rally as central bank holds rates", "Who will pay for the new bridge?",
                                  "Trade talks stall as Europe weighs new duties on steel and aluminium from the U.S.",
                                  "Prices fell.", "1984"])
def test_headlines_are_titles(line):
    assert title_problem(line, max_chars=300) is None


@pytest.mark.parametrize("line", ["Officials met on Monday.", "Updated 2024-11-05 10:00", "12345", "2024",
                                  "Route 66 reopens in 2024", "Mayor Jane Holt, 54, speaks"])
def test_lines_not_written_like_dates_are_paragraphs_not_bad_dates(line):
    assert not looks_like_date(line)
    assert dateline_problem(line, today=TODAY) is None


def test_a_date_one_day_ahead_is_allowed_for_time_zones():
    assert dateline_problem("2025-06-02", today=TODAY) is None
    assert dateline_problem("2025-06-03", today=TODAY) is not None
    assert dateline_problem("2025-06-03", today=None) is None


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def _cli(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "--params", str(REPO / "params.yaml"), *args],
                          capture_output=True, text=True, cwd=cwd, env=env or _env())


def test_cli_strict_exits_2_naming_every_bad_file_and_writes_nothing(raw):
    write(raw, "empty.txt", b"")
    write(raw, "scan.txt", b"%PDF-1.4\n")
    result = _cli("run", "--strict", "--input", "raw", "--output", "out", cwd=raw.parent)
    assert result.returncode == 2
    assert "ERROR raw/empty.txt: empty file (0 bytes)" in result.stderr
    assert "ERROR raw/scan.txt: binary content, not text: looks like a PDF document" in result.stderr
    assert "ERROR raw: 2 of 3 files failed the input checks; strict mode (clean.strict) stops" in result.stderr
    assert not (raw.parent / "out").exists()


def test_cli_run_skips_bad_files_with_a_warning_and_publishes_the_report(raw):
    write(raw, "empty.txt", b"")
    write(raw, "Caf\u00e9 \u00e0 la carte.txt", BAKERY)
    result = _cli("run", "--input", "raw", "--output", "out", cwd=raw.parent)
    assert result.returncode == 0, result.stderr
    assert "WARNING raw/empty.txt: empty file (0 bytes)" in result.stderr
    out = raw.parent / "out"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["rejected"] == [{"file": "raw/empty.txt", "problem": "empty file (0 bytes)"}]
    documents = pd.read_parquet(out / "documents.parquet")
    assert list(documents.doc_id) == ["Caf\u00e9 \u00e0 la carte", "good"]
    assert list(documents.source) == ["raw/Caf\u00e9 \u00e0 la carte.txt", "raw/good.txt"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["documents.parquet", "sentences.parquet", "entities.parquet", "dates.parquet", "numeric_claims.parquet",
         "metrics.json", "report.json", "datapackage.json", "README.md"])
    mode = (out / "documents.parquet").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


# Runs the CLI, but SIGKILLs itself just before the first os.replace onto a path matching KILL_AT:
# a crash at an exact point of the run, as if the machine went down there.
KILLER = """
import os, re, signal, sys
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    if re.search(os.environ["KILL_AT"], os.fspath(dst)):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kwargs)
os.replace = replace
from pipeline.__main__ import main
sys.exit(main(sys.argv[1:]))
"""
KILL_POINTS = [
    r"/clean\.jsonl$",                  # the clean stage's output
    r"/tables/entities\.parquet$",      # halfway through the extracted tables
    r"(^|/)out/(\.staged-[^/]+/)?entities\.parquet$",  # halfway through writing the new dataset
    r"(^|/)out/README\.md$",            # the new dataset whole, the first file to move into place (by name)
]


def test_a_killed_run_leaves_the_previous_tables_and_a_rerun_gives_the_same_bytes(raw, built, tmp_path):
    write(raw, "frost.txt", FROST)
    reference = tmp_path / "reference"
    assert _cli("run", "--input", "raw", "--output", str(reference), cwd=tmp_path).returncode == 0
    out = tmp_path / "out"
    shutil.copytree(built, out)
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    env = _env(TMPDIR=str(tmp_path))
    command = [sys.executable, "-c", KILLER, "--params", str(REPO / "params.yaml"),
               "run", "--input", "raw", "--output", "out"]
    for point in KILL_POINTS:
        result = subprocess.run(command, cwd=tmp_path, env={**env, "KILL_AT": point}, capture_output=True, text=True)
        assert result.returncode == -signal.SIGKILL, (point, result.stderr)
        assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == previous, point
        for name in previous:
            if name.endswith(".parquet"):
                assert len(pd.read_parquet(out / name)) > 0, (point, name)

    with subprocess.Popen([sys.executable, "-m", "pipeline", "--params", str(REPO / "params.yaml"), "run",
                           "--input", "raw", "--output", "out"], cwd=tmp_path, env=env, stderr=subprocess.PIPE,
                          text=True) as proc:
        for line in proc.stderr:
            if line.startswith("INFO parse:"):
                proc.kill()
                break
    assert proc.returncode == -signal.SIGKILL
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == previous

    assert _cli("run", "--input", "raw", "--output", "out", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reference.iterdir())
    for path in reference.iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


# Runs the CLI with the folder listed in a shuffled order.
SHUFFLED = """
import pathlib, random, sys
listing = pathlib.Path.iterdir
pathlib.Path.iterdir = lambda self: iter(random.Random(7).sample(sorted(listing(self)), len(list(listing(self)))))
from pipeline.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_same_bytes_whatever_the_listing_order_time_zone_hash_seed_locale_and_processes(raw, tmp_path, params):
    write(raw, "frost.txt", FROST)
    write(raw, "Caf\u00e9 \u00e0 la carte.txt", BAKERY)
    write(raw, "empty.txt", b"")
    shutil.copy(REPO / "raw" / "000_4c71eecac4199207.txt", raw)
    two = tmp_path / "params-2proc.yaml"
    # the other run uses the other engine path: in-process when params.yaml uses workers, and back
    other_processes = 1 if params["parse"]["n_process"] > 1 else 2
    two.write_text(yaml.safe_dump({**params, "parse": {**params["parse"], "n_process": other_processes}}),
                   encoding="utf-8")
    runs = {
        "reference": ([sys.executable, "-m", "pipeline", "--params", str(REPO / "params.yaml")],
                      _env(TZ="UTC", PYTHONHASHSEED="0", LC_ALL="C.UTF-8")),
        "other": ([sys.executable, "-c", SHUFFLED, "--params", str(two)],
                  _env(TZ="KIR-14", PYTHONHASHSEED="4242", LC_ALL="C")),
    }
    for name, (command, env) in runs.items():
        result = subprocess.run([*command, "run", "--input", "raw", "--output", name], cwd=tmp_path, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    reference = sorted((tmp_path / "reference").iterdir())
    assert len(reference) == 9  # five tables, metrics, report, datapackage.json, README.md
    for path in reference:
        assert (tmp_path / "other" / path.name).read_bytes() == path.read_bytes(), path.name


def test_dvc_keeps_the_published_files_while_the_tables_stage_runs():
    stage = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]["tables"]
    published = [next(iter(o.items())) for o in stage["outs"] + stage["metrics"]]
    assert "processed/report.json" in dict(published)
    assert all(options.get("persist") for _, options in published)


def _safe_yaml_load(call: ast.Call) -> bool:
    """``yaml.load(..., Loader=yaml.SafeLoader)`` or ``yaml.CSafeLoader`` (libyaml's, same safety)."""
    return any(k.arg == "Loader" and isinstance(k.value, ast.Attribute) and isinstance(k.value.value, ast.Name)
               and k.value.value.id == "yaml" and k.value.attr in {"SafeLoader", "CSafeLoader"} for k in call.keywords)


def test_no_unsafe_loading_in_the_pipeline():
    """No pickle-like loader of user data, only safe YAML loaders, no eval/exec."""
    unsafe_modules = {"pickle", "cPickle", "dill", "shelve", "marshal", "joblib", "cloudpickle"}
    for path in sorted((REPO / "pipeline").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        safe_loads = {id(c.func) for c in ast.walk(tree) if isinstance(c, ast.Call) and _safe_yaml_load(c)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & unsafe_modules, path.name
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in unsafe_modules, path.name
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                assert node.attr not in {"unsafe_load", "full_load", "load_all"}, path.name
                assert node.attr != "load" or id(node) in safe_loads, path.name
            elif isinstance(node, ast.Name):
                assert node.id not in {"eval", "exec"}, path.name
