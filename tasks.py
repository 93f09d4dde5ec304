#!/usr/bin/env python3
"""The project's two commands, on a machine that has only Python 3.11+.

    python3 tasks.py demo   # set up .venv, then render every sample client's report into reports/
    python3 tasks.py test   # set up .venv (with dev tools), then lint, type-check, layers, tests
    python3 tasks.py lab    # set up, then open JupyterLab on notebooks/ (the forms)

Set-up is idempotent: the virtual environment is created once, and packages are
(re)installed only when pyproject.toml changes. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".cxkit-setup-stamp"


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an older python3
        sys.exit(f"cxkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(digest)


def demo() -> None:
    """The main job: render every bundled sample client's journey report into reports/."""
    run(BIN / "cxkit", "batch", "data/samples", "-o", "reports")


def test(extra: list[str]) -> None:
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy")
    run(BIN / "lint-imports")  # the layer contract in pyproject.toml (docs/architecture.md)
    run(BIN / "python", "-m", "pytest", *extra)


def lab() -> None:
    run(BIN / "jupyter", "lab", "--notebook-dir", ROOT / "notebooks")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test", "setup", "lab"}:
        sys.exit(__doc__)
    setup()
    if argv[0] == "demo":
        demo()
    elif argv[0] == "test":
        test(argv[1:])
    elif argv[0] == "lab":
        lab()


if __name__ == "__main__":
    main(sys.argv[1:])
