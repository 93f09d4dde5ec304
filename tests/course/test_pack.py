"""The student kit holds the exercises and nothing that solves one."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from cxkit.course.exercises import check_workbook, rubrics
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, cxkit

STARTER_SCORES = {1: 0.0, 2: 7.3, 3: 7.7, 4: 10.0, 5: 0.0}


def _kit(tmp_path: Path) -> Path:
    kit = tmp_path / "kit"
    result = cxkit("course", "pack", "-o", kit)
    assert result.returncode == 0, result.stderr
    assert f"wrote {kit} (10 starter workbooks, 1 wheels)" in result.stdout
    return kit


def test_the_kit_has_no_key_and_no_workbook_scores_above_the_starter(tmp_path: Path) -> None:
    kit = _kit(tmp_path)
    files = sorted(p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file())
    assert not [f for f in files if "trainer" in f or "samples" in f]
    assert len([f for f in files if f.endswith(".ipynb")]) == 10  # each in both languages
    books = sorted(kit.rglob("workbook.yml"))
    assert len(books) == 10
    for book in books:
        wb = load_workbook(book)
        for n in sorted(rubrics()):
            assert check_workbook(wb, n, "en", folder=book.parent).score <= STARTER_SCORES[n]
    keys = {p.read_bytes() for p in (ROOT / "templates" / "trainer").rglob("*") if p.is_file()}
    starters = {p.read_bytes() for p in (ROOT / "templates" / "exercises").rglob("*.xlsx")}
    for path in kit.rglob("*"):  # not one file of an answer key, except the shared survey
        if path.is_file():
            assert path.read_bytes() not in keys - starters, path
    with zipfile.ZipFile(next((kit / "wheels").glob("cxkit-*.whl"))) as wheel:
        assert not [n for n in wheel.namelist() if "trainer" in n or "samples/" in n]


def test_every_notebook_finds_its_starter_in_the_kit(tmp_path: Path) -> None:
    kit = _kit(tmp_path)
    for nb in sorted((kit / "notebooks" / "exercises").glob("*.ipynb")):
        cells = json.loads(nb.read_text("utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        starter = code.split('starter = "')[1].split('"')[0]
        assert (nb.parent / starter / "workbook.yml").is_file(), nb.name


def test_a_zip_kit_and_refusals(tmp_path: Path) -> None:
    target = tmp_path / "kit.zip"
    result = cxkit("course", "pack", "-o", target)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    assert "kit/notebooks/exercises/ex04_scoring.ipynb" in names
    assert "kit/templates/exercises/ex04-scoring/surveys/card-renewal-surveymonkey.xlsx" in names
    assert not [n for n in names if "trainer" in n]
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("mine", "utf-8")
    again = cxkit("course", "pack", "-o", tmp_path / "full")
    assert again.returncode == 1
    assert "already exists and is not empty; choose a new folder" in again.stderr
    assert (tmp_path / "full" / "x").read_text("utf-8") == "mine"


@pytest.mark.parametrize("platform", ["amiga"])
def test_an_unknown_platform_is_one_line(tmp_path: Path, platform: str) -> None:
    result = cxkit("course", "pack", "-o", tmp_path / "k", "--offline", "--platform", platform)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: --platform amiga: expected one of linux, windows, macos"
    )
