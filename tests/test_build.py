"""Rebuilds are byte-identical, `run` works on any folder, and DVC re-runs only what changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO, run_pipeline

SECOND_ARTICLE = """Harbour city opens new ferry terminal
March 3, 2025
The Port Authority of Westhaven opened a ferry terminal on Monday, Mayor Alice Moreno said.
More than 1,200 passengers used the terminal in its first week, according to the authority.
"""


def test_rebuild_is_byte_identical(tmp_path, built, params):
    again = run_pipeline(REPO / "raw", tmp_path / "again", params)
    for first in sorted(built.iterdir()):
        assert (again / first.name).read_bytes() == first.read_bytes(), first.name


def test_run_on_a_folder_of_two_articles_gives_rows_for_both(tmp_path, params):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(REPO / "raw" / "000_4c71eecac4199207.txt", raw)
    (raw / "westhaven.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "--params", str(REPO / "params.yaml"), "run",
                             "--input", str(raw), "--output", str(out)], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    for name in ("documents", "sentences", "entities", "dates", "numeric_claims"):
        table = pd.read_parquet(out / f"{name}.parquet")
        assert set(table.doc_id) == {"000_4c71eecac4199207", "westhaven"}, name
    assert (out / "metrics.json").exists()


def test_help_explains_every_command():
    for command in ([], ["clean"], ["parse"], ["extract"], ["tables"], ["run"]):
        result = subprocess.run([sys.executable, "-m", "pipeline", *command, "--help"], capture_output=True, text=True,
                                cwd=REPO)
        assert result.returncode == 0 and "usage:" in result.stdout, command


def _dvc(repo: Path, *args: str) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(Path(sys.executable).parent / "dvc"), *args], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def dvc_repo(tmp_path_factory) -> Path:
    """A throwaway copy of the project as a git + DVC repository, reproduced once."""
    repo = tmp_path_factory.mktemp("dvcrepo")
    for name in ("pipeline", "raw", "dvc.yaml", "params.yaml", ".dvc/config", ".dvcignore"):
        src = REPO / name
        dst = repo / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dst)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _dvc(repo, "repro")
    return repo


def test_dvc_repro_twice_does_nothing_the_second_time(dvc_repo):
    assert (dvc_repro_tables := sorted(p.name for p in (dvc_repo / "processed").glob("*.parquet")))
    assert len(dvc_repro_tables) == 5
    out = _dvc(dvc_repo, "repro")
    assert "Running stage" not in out
    assert "didn't change" in out or "up to date" in out


def test_extraction_parameter_change_reruns_only_extract_stages(dvc_repo):
    params_file = dvc_repo / "params.yaml"
    params = yaml.safe_load(params_file.read_text())
    params["entities"]["labels"] = [label for label in params["entities"]["labels"] if label != "NORP"]
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    out = _dvc(dvc_repo, "repro")
    ran = {line.split("'")[1] for line in out.splitlines() if line.startswith("Running stage")}
    assert ran == {"extract", "tables"}
    assert "NORP" not in set(pd.read_parquet(dvc_repo / "processed" / "entities.parquet").label)
