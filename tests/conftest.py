"""Shared fixtures: the real article's tables, built once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline import stages

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def params() -> dict:
    return yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))


def run_pipeline(raw_dir: Path, out_dir: Path, params: dict) -> Path:
    work = out_dir.parent / f"{out_dir.name}-work"
    stages.run(raw_dir, out_dir, params, work)
    shutil.rmtree(work)
    return out_dir


@pytest.fixture(scope="session")
def built(tmp_path_factory, params) -> Path:
    """processed/ for the repository's raw/ folder, built into a temporary folder."""
    return run_pipeline(REPO / "raw", tmp_path_factory.mktemp("built") / "processed", params)


@pytest.fixture(scope="session")
def tables(built) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted(built.glob("*.parquet"))}
