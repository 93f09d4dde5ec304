"""Every shipped notebook is committed clean and runs headless (papermill)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import papermill as pm
import pytest

from cxkit.widgets.app import prepare_notebook
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, WORKBOOKS

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
    if "starter" in defaults:  # the notebook's own copy is made from the starter
        starter = (path.parent / defaults["starter"].strip("\"'")).resolve()
        workbook = tmp_path / "my-work" / "workbook.yml"
        params = {"workbook": str(workbook), "starter": str(starter)}
        # A form over a sample copy: opening it must leave the copy as the sample was.
        sample = starter / "workbook.yml"
        before = None if "exercise" in defaults else sample.read_text("utf-8")
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


def test_prepare_notebook_makes_the_default_copy_from_the_sample(tmp_path: Path) -> None:
    # A copy of the repository's layout, so the notebook's my-work/ lands in tmp_path.
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "01_personas.ipynb", tmp_path / "notebooks")
    sample = tmp_path / "data" / "samples" / "caravan-holiday"
    shutil.copytree(ROOT / "data" / "samples" / "caravan-holiday", sample)
    before = (sample / "workbook.yml").read_text("utf-8")
    out = tmp_path / "app"
    out.mkdir()
    prepared = prepare_notebook(tmp_path / "notebooks" / "01_personas.ipynb", None, out)
    copy = tmp_path / "notebooks" / "my-work" / "caravan-holiday" / "workbook.yml"
    assert copy.read_text("utf-8") == before
    text = prepared.read_text("utf-8")
    assert json.dumps(str(copy.resolve()))[1:-1] in text
    assert json.dumps(str(sample.resolve()))[1:-1] in text  # starter made absolute too
