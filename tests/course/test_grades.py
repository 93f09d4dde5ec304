"""Grade files that Moodle's and Canvas's imports take, and a feedback file per student."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from tests.conftest import ROOT, cxkit
from tests.course.test_classroom import _moodle_download, _zip

KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"


def test_moodle_grading_worksheet_and_feedback_files(tmp_path: Path) -> None:
    root = _moodle_download(tmp_path)
    grades = tmp_path / "grades.csv"
    result = cxkit("class-report", root, "-o", tmp_path / "c.html", "-l", "en", "--grades", grades)
    assert result.returncode == 0, result.stderr
    assert f"grades: wrote {grades} and 3 feedback files" in result.stdout
    with grades.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Identifier", "Full name", "Grade", "Maximum Grade", "Feedback comments"]
    assert [r[:4] for r in rows[1:]] == [
        ["Participant 1234568", "Dan Cohen", "10", "100"],
        ["Participant 1234567", "Noa Levi (Participant 1234567)", "100", "100"],
        ["Participant 1234569", "Noa Levi (Participant 1234569)", "10", "100"],
    ]
    assert rows[1][4].splitlines()[0] == (
        "the survey has no 'csat' mapping yet; use the feedback scorer's dropdowns."
    )
    assert rows[2][4] == ""
    dan = (tmp_path / "grades-feedback" / "Dan Cohen.txt").read_text("utf-8")
    assert dan.startswith("Scoring a survey export and reading the intervals: 10 / 100\n\n- ")
    assert sorted(p.name for p in (tmp_path / "grades-feedback").iterdir()) == [
        "Dan Cohen.txt",
        "Noa Levi (Participant 1234567).txt",
        "Noa Levi (Participant 1234569).txt",
    ]


def test_canvas_gradebook_import(tmp_path: Path) -> None:
    download = tmp_path / "canvas"
    download.mkdir()
    key = KEYS / "ex03-moments-of-truth" / "workbook.yml"
    shutil.copy(key, download / "levinoa_5551_9001_wb.yml")
    _zip(STARTERS / "ex03-moments-of-truth", download / "cohendan_LATE_5552_9002_ex03.zip")
    grades = tmp_path / "g.csv"
    result = cxkit("class-report", download, "-o", tmp_path / "c.html", "--grades", grades)
    assert result.returncode == 0, result.stderr
    with grades.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "cxkit exercise 3"],
        ["cohendan", "5552", "", "", "", "7.7"],
        ["levinoa", "5551", "", "", "", "100"],
    ]


def test_grades_into_a_folder_is_one_line(tmp_path: Path) -> None:
    shutil.copytree(KEYS / "ex03-moments-of-truth", tmp_path / "class" / "noa")
    page = tmp_path / "c.html"
    result = cxkit("class-report", tmp_path / "class", "-o", page, "--grades", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path}: is a folder; give a file name, e.g. {tmp_path / 'grades.csv'}"
    )
    assert not page.exists()  # nothing written before the mistake is said


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from cxkit.workbook.yamlfile import WorkbookFile

    shutil.copytree(KEYS / "ex03-moments-of-truth", tmp_path / "class" / "x")
    doc = WorkbookFile.load(tmp_path / "class" / "x")
    assert doc.workbook.course is not None
    doc.workbook.course.student = '=HYPERLINK("http://evil.example","click")'
    doc.save()
    grades = tmp_path / "g.csv"
    result = cxkit(
        "class-report", tmp_path / "class", "-o", tmp_path / "c.html", "--grades", grades
    )
    assert result.returncode == 0, result.stderr
    with grades.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][:3] == [
        '\'=HYPERLINK("http://evil.example","click")',
        '\'=HYPERLINK("http://evil.example","click")',
        "100",
    ]
