"""The CLI reads like a CLI: plain option types, whole choices, whole paths when piped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, WORKBOOKS

COMMANDS = [
    [],
    ["templates"],
    ["new"],
    ["validate"],
    ["schema"],
    ["convert"],
    ["check"],
    ["class-report"],
    ["app"],
    ["score"],
    ["report"],
    ["batch"],
    ["export"],
    ["survey", "inspect"],
]


def _help(args: list[str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "cxkit", *args, "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80", "TERM": "dumb"},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "cxkit")
def test_help_shows_no_python_type_names(args: list[str]) -> None:
    text = _help(args)
    assert not re.search(r"<(bool|int|float|str|path|list|tuple)\b[^>]*>", text), text
    assert "list[" not in text and "Path]" not in text, text
    assert "{" not in text.split("\n", 3)[1], text  # usage line: WORKBOOK, not {workbook}


def test_choices_are_never_broken_mid_word_at_80_columns() -> None:
    text = _help(["export"])
    for choice in ("pdf", "png", "xlsx", "md", "mermaid", "pptx"):
        assert re.search(rf"\b{choice}\b", text), (choice, text)
    text = _help(["score"])
    for choice in ("qualtrics", "surveymonkey", "google-forms", "typeform", "generic"):
        assert re.search(rf"\b{re.escape(choice)}\b", text), (choice, text)


def test_a_piped_summary_table_keeps_each_output_path_whole(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-for-reports-" * 4) / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "cxkit", "batch", str(WORKBOOKS / "valid.yml"), "-o", str(deep)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = sorted(deep.glob("*.html"))
    assert written, proc.stdout
    for path in written:
        assert len(str(path)) > 120
        assert str(path) in proc.stdout, proc.stdout
