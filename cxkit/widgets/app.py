"""App mode for students: serve a form notebook with Voila (code hidden, forms only)."""

from __future__ import annotations

import ast
import os
import sys
import tempfile
from pathlib import Path

import nbformat

from cxkit.errors import CxkitError


def _parameters_default(nb: nbformat.NotebookNode, name: str) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            for node in ast.parse(cell.source).body:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == name
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    return node.value.value
    return None


def prepare_notebook(notebook: Path, workbook: Path | None, folder: Path) -> Path:
    """Copy ``notebook`` into ``folder`` with its ``workbook`` parameter set to an absolute path.

    The default in the notebook is relative to the notebook's own folder; resolving it
    here lets the copy run from anywhere.
    """
    if not notebook.is_file():
        raise CxkitError(f"{notebook}: notebook not found")
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))  # also gives every cell the tags papermill expects
    if workbook is None:
        default = _parameters_default(nb, "workbook")
        if default is None:
            raise CxkitError(f"{notebook}: has no 'workbook' parameter; pass --workbook")
        workbook = (notebook.parent / default).resolve()
        starter = _parameters_default(nb, "starter")
        if starter is not None:  # the notebook's own copy, made from its starter once
            from cxkit.course.exercises import prepare_workspace

            workbook = prepare_workspace(notebook.parent / starter, workbook)
    workbook = workbook.resolve()
    if not workbook.exists():
        raise CxkitError(f"{workbook}: workbook not found")
    params = {"workbook": str(workbook)}
    starter_default = _parameters_default(nb, "starter")
    if starter_default is not None:  # the copy runs elsewhere: its starter path too
        params["starter"] = str((notebook.parent / starter_default).resolve())
    nb = parameterize_notebook(nb, params)
    target = folder / notebook.name
    nbformat.write(nb, target)
    return target


TEMPLATES = Path(__file__).parent / "jupyter"  # voila/templates/cxkit-app
CULL_AFTER = 60  # seconds a kernel whose page was closed stays before it is shut down


def voila_command(
    notebook: Path,
    *,
    port: int,
    open_browser: bool,
    cull_after: int = CULL_AFTER,
    cull_every: int = 30,
) -> list[str]:
    """The command serving ``notebook``: forms only, offline, kernels culled.

    A kernel whose page has been closed (no connection) and that has been idle for
    ``cull_after`` seconds is shut down, checked every ``cull_every`` seconds; a
    shutdown writes the forms' pending edits first (:func:`cxkit.workbook.editing.flush_all`).
    """
    return [
        sys.executable,
        "-m",
        "cxkit.widgets.app",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--theme=light",
        "--template=cxkit-app",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={cull_every}",
        "--MappingKernelManager.cull_connected=False",
        "--no-browser" if not open_browser else "--browser=default",
    ]


def main() -> None:
    """``python -m cxkit.widgets.app ...``: Voila, finding cxkit's page template."""
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p
    )
    from voila.app import main as voila_main

    voila_main()


def app_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="cxkit-app-"))


if __name__ == "__main__":
    main()
