"""Every shipped notebook is committed clean and runs headless (papermill)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import papermill as pm
import pytest

from cxkit.app import prepare_notebook
from cxkit.workbook import load_workbook

from .conftest import ROOT, WORKBOOKS

NOTEBOOKS = sorted(
    p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
# The report notebook is executed by the report tests with its own parameters.
FORM_NOTEBOOKS = [p for p in NOTEBOOKS if not p.name.startswith("04_")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean_with_kernel_metadata(path: Path) -> None:
    nb = json.loads(path.read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["metadata"]["language_info"]["name"] == "python"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters'"


def _parameters(path: Path) -> dict[str, str]:
    return {name: info["default"] for name, info in pm.inspect_notebook(str(path)).items()}


@pytest.mark.parametrize("path", FORM_NOTEBOOKS, ids=[p.name for p in FORM_NOTEBOOKS])
def test_form_notebook_runs_headless_on_a_copy(path: Path, tmp_path: Path) -> None:
    defaults = _parameters(path)
    if "starter" in defaults:  # an exercise: the student's copy is made from the starter
        starter = (path.parent / defaults["starter"].strip("\"'")).resolve()
        workbook = tmp_path / "my-work" / "workbook.yml"
        params = {"workbook": str(workbook), "starter": str(starter)}
        before = None
    else:
        shutil.copytree(WORKBOOKS, tmp_path / "client")
        workbook = tmp_path / "client" / "valid.yml"
        params = {"workbook": str(workbook)}
        before = workbook.read_text("utf-8")
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=params,
        cwd=str(path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    executed = json.loads(out.read_text("utf-8"))
    last = executed["cells"][-1]
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last["outputs"]
    ), "the form was displayed"
    if before is not None:
        assert workbook.read_text("utf-8") == before  # opening a form never rewrites the file
    load_workbook(workbook)


def test_prepare_notebook_resolves_the_default_workbook(tmp_path: Path) -> None:
    prepared = prepare_notebook(ROOT / "notebooks" / "01_personas.ipynb", None, tmp_path)
    text = prepared.read_text("utf-8")
    expected = (ROOT / "data" / "samples" / "caravan-holiday" / "workbook.yml").resolve()
    assert json.dumps(str(expected))[1:-1] in text
