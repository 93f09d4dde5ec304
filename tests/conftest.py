"""Shared helpers: paths to fixtures and samples, and running the real `cxkit` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKBOOKS = FIXTURES / "workbooks"
SAMPLES = sorted((ROOT / "data" / "samples").glob("*/workbook.yml"))


def cxkit(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "cxkit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        encoding="utf-8",
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture
def valid_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture workbook and its survey file."""
    target = tmp_path / "client"
    (target / "surveys").mkdir(parents=True)
    (target / "workbook.yml").write_text((WORKBOOKS / "valid.yml").read_text("utf-8"), "utf-8")
    (target / "surveys" / "renewal.csv").write_bytes(
        (WORKBOOKS / "surveys" / "renewal.csv").read_bytes()
    )
    return target / "workbook.yml"


def find_chromium() -> str | None:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a system Chromium; skips with a reason when absent, fails in CI."""
    import os

    path = find_chromium()
    if path is None:
        message = (
            "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests need a browser in CI: {message}")
        pytest.skip(message)
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
