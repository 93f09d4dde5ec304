"""Shared helpers: paths to fixtures and samples, and running the real `cxkit` command."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKBOOKS = FIXTURES / "workbooks"
SAMPLES = sorted((ROOT / "data" / "samples").glob("*/workbook.yml"))
XSS = "<script>alert(1)</script>"


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


@pytest.fixture(scope="session")
def browser(chromium: str) -> Any:
    """One Playwright Chromium for the whole session, shared by every browser test.

    Playwright's sync API allows one running instance per thread, so the report and
    the form tests must share it; each test opens its own page or context.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _xss_workbook(folder: Path) -> None:
    folder.mkdir(parents=True)
    tp = {
        "id": "t",
        "name": XSS,
        "channel": "web",
        "emotion": -1,
        "effort": 4,
        "action": XSS,
        "questions": [XSS],
        "expectation": XSS,
        "pain_points": [XSS],
        "owner": XSS,
        "documents": [XSS],
        "backstage": [XSS],
        "moment_of_truth": True,
        "moment_of_truth_reason": XSS,
    }
    tp2 = {**copy.deepcopy(tp), "id": "u", "emotion": 1, "moment_of_truth": False}  # no aliases
    wb = {
        "cxkit": 1,
        "client": {"name": XSS, "industry": XSS, "description": XSS},
        "personas": [{"id": "p", "name": XSS, "quote": XSS, "goals": [XSS]}],
        "journeys": [
            {
                "id": "j",
                "title": XSS,
                "persona": "p",
                "description": XSS,
                "stages": [{"id": "s", "name": XSS, "touchpoints": [tp, tp2]}],
                "opportunities": [
                    {
                        "id": "o",
                        "title": XSS,
                        "description": XSS,
                        "owner": XSS,
                        "touchpoints": ["t"],
                        "impact": 5,
                        "effort": 1,
                    }
                ],
            }
        ],
    }
    with (folder / "workbook.yml").open("w", encoding="utf-8") as fh:
        YAML().dump(wb, fh)


@pytest.fixture(scope="session")
def batch(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Every sample, plus a broken client and one whose every name is a script tag,
    rendered once per session by the real `cxkit batch` (the report and browser tests
    share it)."""
    root = tmp_path_factory.mktemp("clients")
    broken = root / "broken-client"
    broken.mkdir()
    (broken / "workbook.yml").write_text("cxkit: 1\nclient: {name: Broken}\njourneys: 3\n", "utf-8")
    _xss_workbook(root / "xss-client")
    out = tmp_path_factory.mktemp("reports")
    args = [*(p.parent for p in SAMPLES), broken, root / "xss-client"]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cxkit",
            "batch",
            *map(str, args),
            "-o",
            str(out),
            "-j",
            "2",
            "--date",
            "2026-03-05",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )
    return proc, out


def _language_of(workbook: Path) -> str:
    for line in workbook.read_text("utf-8").splitlines():
        if line.strip().startswith("language:"):
            return line.split(":", 1)[1].split("#")[0].strip()
    return "en"


@pytest.fixture(scope="session")
def other_language_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample rendered once in the language it is *not* written in (Hebrew clients
    in English, English clients in Hebrew), as ``<client>.<lang>.html``: the reports
    where the page's language and the client's text differ."""
    out = tmp_path_factory.mktemp("other-language")
    for lang in ("he", "en"):
        clients = [p.parent for p in SAMPLES if _language_of(p) != lang]
        proc = subprocess.run(
            [
                *(sys.executable, "-m", "cxkit", "batch", *map(str, clients), "-o", str(out)),
                *("-j", "2", "-l", lang, "--date", "2026-03-05"),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out
