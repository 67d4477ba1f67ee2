"""notebooks/explore.ipynb runs top to bottom on freshly built tables, and is committed without outputs."""
from __future__ import annotations

import json
import shutil

import nbformat
import pyarrow as pa
import pyarrow.parquet as pq
from nbclient import NotebookClient

from conftest import REPO
from pipeline.tables import SCHEMAS

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def _older_version(built, folder):
    """A copy of the built tables as an earlier version: one entity mention more, one claim's value different."""
    shutil.copytree(built, folder)
    entities = pq.read_table(folder / "entities.parquet").to_pylist()
    entities.insert(1, entities[0] | {"label": "NORP" if entities[0]["label"] != "NORP" else "ORG"})
    pq.write_table(pa.Table.from_pylist(entities, schema=SCHEMAS["entities"]), folder / "entities.parquet")
    claims = pq.read_table(folder / "numeric_claims.parquet").to_pylist()
    claims[0]["value"] *= 2
    pq.write_table(pa.Table.from_pylist(claims, schema=SCHEMAS["numeric_claims"]), folder / "numeric_claims.parquet")


def test_notebook_runs_from_notebooks_folder_and_its_diff_finds_the_changes(built, tmp_path, monkeypatch):
    _older_version(built, tmp_path / "old")
    monkeypatch.setenv("NEWSFACTS_DATA", str(built))
    monkeypatch.setenv("NEWSFACTS_OLD", str(tmp_path / "old"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print(diff_summary.to_json())"))
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()

    figures = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs
               if "image/png" in o.get("data", {})]
    assert len(figures) == 2
    summary = json.loads(notebook.cells[-1].outputs[0]["text"])
    assert summary["removed"] == {"documents": 0, "sentences": 0, "entities": 1, "dates": 0, "numeric_claims": 0}
    assert summary["changed"] == {"documents": 0, "sentences": 0, "entities": 0, "dates": 0, "numeric_claims": 1}
    assert sum(summary["added"].values()) == 0
