"""The class overview as a trainer uses it: what students hand in however it comes
(folders, loose files, zips, Moodle and Canvas downloads), one page sorted by score,
with who has each gap, last-saved times, the all-exercises view and a projector mode."""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from cxkit.workbook.yamlfile import WorkbookFile
from tests.conftest import ROOT, XSS, cxkit

KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"
EX = {
    1: "ex01-persona",
    2: "ex02-five-interfaces",
    3: "ex03-moments-of-truth",
    4: "ex04-scoring",
    5: "ex05-duplications",
}


def _named(folder: Path, name: str | None) -> Path:
    doc = WorkbookFile.load(folder)
    assert doc.workbook.course is not None
    doc.workbook.course.student = name
    doc.save()
    return folder


def _zip(folder: Path, target: Path, inside: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{inside}{path.relative_to(folder).as_posix()}")
    return target


def _rows(page: str) -> list[str]:
    body = page.split('<table class="students">')[1].split("</table>")[0]
    names = re.findall(r"<tr><th scope=\"row\">([^<]*)</th>", body)
    return [n for n in names if n not in {"Class average", "ממוצע הכיתה"}]


def test_good_partial_corrupt_wrong_and_hostile_names(tmp_path: Path) -> None:
    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copytree(STARTERS / EX[3], subs / "yossi")
    shutil.copytree(KEYS / EX[3], subs / "noa")
    (subs / "dana.yml").write_text("cxkit: 1\nclient: [broken\n", "utf-8")
    shutil.copy(KEYS / EX[2] / "workbook.yml", subs / "avi.yml")
    _named(shutil.copytree(STARTERS / EX[3], subs / "evil"), XSS)
    out = tmp_path / "class.html"
    result = cxkit("class-report", subs, "-o", out)
    assert result.returncode == 0, result.stderr
    assert (
        f"{out}: נכתב עמוד הכיתה של תרגיל 3" in result.stdout
    )  # a Hebrew class: the terminal speaks Hebrew too
    page = out.read_text("utf-8")
    assert "<html lang='he' dir='rtl'>" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _rows(page)[0] == "noa"  # sorted by score, best first
    # the corrupt one is named, with why, in the page's language (its line and the fix)
    assert "dana" in page and re.search(r"שורה \d: תחביר YAML שגוי \(לרוב בהזחה", page)
    assert re.search(r"שורה \d: תחביר YAML שגוי", result.stdout) and "malformed" not in page
    assert "עונה על תרגיל 2, לא על תרגיל 3" in page  # the page speaks its language
    assert "עונה על תרגיל 2, לא על תרגיל 3" in result.stdout
    assert page.count("<svg") == 3  # noa, yossi and evil have journeys
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    # who has each gap, by name
    assert "אצל: &lt;script&gt;alert(1)&lt;/script&gt;, yossi" in page
    # an unfinished journey's curve shows every touchpoint, the empty ones hollow
    assert page.count('class="none"') >= 11
    for row in ("noa", "yossi", "dana", "avi"):
        assert row in result.stdout


def test_a_folder_with_no_exercise_named_asks_for_one(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("nonsense: [\n", "utf-8")
    result = cxkit("class-report", tmp_path, "-o", tmp_path / "c.html")
    assert result.returncode == 1
    assert "cannot tell which exercise these answer; pass --exercise N" in result.stderr


def _moodle_download(tmp_path: Path) -> Path:
    """What Moodle's "Download all submissions" gives: one folder per participant,
    named "Full Name_<id>_assignsubmission_file_", holding what each uploaded."""
    root = tmp_path / "moodle"
    noa = root / "Noa Levi_1234567_assignsubmission_file_"
    shutil.copytree(KEYS / EX[4], noa / "my-work" / "ex04-scoring")
    (noa / "my-work" / "ex04-scoring" / "workbook.yml").rename(
        noa / "my-work" / "ex04-scoring" / "Workbook.yml"
    )
    dan = root / "Dan Cohen_1234568_assignsubmission_file_"
    dan.mkdir(parents=True)
    _zip(STARTERS / EX[4], dan / "ex04.zip", "ex04-scoring/")
    other = root / "Noa Levi_1234569_assignsubmission_file_"  # a second Noa Levi
    shutil.copytree(STARTERS / EX[4], other / "ex04")
    return root


def test_a_moodle_download_folder_and_its_zip(tmp_path: Path) -> None:
    root = _moodle_download(tmp_path)
    zipped = _zip(root, tmp_path / "all-submissions.zip")
    for source in (root, zipped):
        holder = tmp_path / f"in-{source.name}"
        holder.mkdir()
        target = holder / source.name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
        out = tmp_path / f"{source.name}.html"
        result = cxkit("class-report", holder, "-o", out, "-l", "en")
        assert result.returncode == 0, result.stderr
        page = out.read_text("utf-8")
        rows = _rows(page)
        # names from Moodle's folders; the two Noa Levis told apart by their ids
        assert rows == [
            "Noa Levi (Participant 1234567)",
            "Dan Cohen",
            "Noa Levi (Participant 1234569)",
        ]


def test_a_canvas_download_zip(tmp_path: Path) -> None:
    """Canvas names each file "<login>[_LATE]_<user id>_<submission id>_<file name>"."""
    download = tmp_path / "canvas"
    download.mkdir()
    shutil.copy(KEYS / EX[3] / "workbook.yml", download / "levinoa_5551_9001_workbook.yml")
    _zip(STARTERS / EX[3], download / "cohendan_LATE_5552_9002_ex03.zip", "ex03/")
    (download / "friedmanruth_5553_9003_notes.txt").write_text("not a workbook", "utf-8")
    holder = tmp_path / "class"
    holder.mkdir()
    _zip(download, holder / "submissions.zip")
    out = tmp_path / "c.html"
    result = cxkit("class-report", holder, "-o", out, "-l", "en")
    assert result.returncode == 0, result.stderr
    assert _rows(out.read_text("utf-8")) == ["levinoa", "cohendan"]


def test_loose_files_zips_and_equal_names(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    _named(shutil.copytree(KEYS / EX[2], tmp_path / "a"), "Maya")
    _named(shutil.copytree(STARTERS / EX[2], tmp_path / "b"), "Maya")
    shutil.copy(tmp_path / "a" / "workbook.yml", subs / "maya-laptop.yml")
    _zip(tmp_path / "b", subs / "maya-home.zip")
    out = tmp_path / "c.html"
    result = cxkit("class-report", subs, "-o", out, "-l", "en")
    assert result.returncode == 0, result.stderr
    assert _rows(out.read_text("utf-8")) == [
        "Maya (maya-laptop.yml)",
        "Maya (maya-home.zip)",
    ]


def test_projector_mode_shows_no_names(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    _named(shutil.copytree(KEYS / EX[5], subs / "ruth-folder"), "Ruth Friedman")
    _named(shutil.copytree(STARTERS / EX[5], subs / "omer-folder"), "Omer Katz")
    out = tmp_path / "c.html"
    result = cxkit("class-report", subs, "-o", out, "--anonymous")
    assert result.returncode == 0, result.stderr
    page = out.read_text("utf-8")
    for name in ("Ruth", "Omer", "ruth-folder", "omer-folder"):
        assert name not in page
    assert _rows(page) == ["Student 2", "Student 1"]


def test_all_exercises_view_last_saved_and_stuck(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    for slug in EX.values():
        _named(shutil.copytree(KEYS / slug, subs / "noa" / "my-work" / slug), "Noa")
        shutil.copytree(STARTERS / slug, subs / "yossi" / "my-work" / slug)
    hour_ago = time.time() - 3600
    for book in (subs / "yossi").rglob("workbook.yml"):
        os.utime(book, (hour_ago, hour_ago))
    out = tmp_path / "c.html"
    result = cxkit("class-report", subs, "-o", out, "-e", "4", "-l", "en", "--stuck", "30")
    assert result.returncode == 0, result.stderr
    page = out.read_text("utf-8")
    overview = page.split('<table class="overview">')[1].split("</table>")[0]
    assert re.findall(r"<td class=\"num\">([^<]*)</td>", overview) == [
        "100",
        "100",
        "100",
        "100",
        "100",
        "0",
        "7.3",
        "7.7",
        "10",
        "0",
    ]
    assert _rows(page) == ["Noa", "yossi"]
    stamp = time.strftime("%H:%M", time.localtime(hour_ago))
    students = page.split('<table class="students">')[1]
    yossi = students.split('<th scope="row">yossi</th>')[1].split("</tr>")[0]
    flag = '<span class="stuck stuck-idle">stuck</span> <small class="stuck-why">not saved</small>'
    assert flag in yossi
    assert f'<td class="num">{stamp}</td>' in yossi
    # no progress record beside the page: the saved-time rule, and the page says so
    assert "stuck: unfinished and not saved for 30 minutes (no progress record" in page
    noa = students.split('<th scope="row">Noa</th>')[1].split("</tr>")[0]
    assert "stuck" not in noa
    assert '<td class="status-ok">complete' in noa
    assert '<td class="status-started">just started' in yossi  # 10 of 100 is not "partial"


def test_an_excel_workbook_handed_in_loose_or_in_a_folder(tmp_path: Path) -> None:
    from cxkit.workbook.excel import write_excel
    from cxkit.workbook.yamlfile import load_workbook

    subs = tmp_path / "subs"
    (subs / "omer").mkdir(parents=True)
    key = load_workbook(KEYS / EX[1] / "workbook.yml")
    write_excel(_renamed(key, "Ruth"), subs / "ruth.xlsx")
    write_excel(_renamed(key, "Omer"), subs / "omer" / "my persona.xlsx")
    out = tmp_path / "c.html"
    result = cxkit("class-report", subs, "-o", out, "-l", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(_rows(out.read_text("utf-8"))) == ["Omer", "Ruth"]
    assert "100/100" in out.read_text("utf-8")


def _renamed(wb: Any, name: str) -> Any:
    copy = wb.model_copy(deep=True)
    copy.course.student = name
    return copy
