"""Hostile submissions cost one row of the class page, never the page: links to
/dev/zero or out of the folder, special files, zips that escape or explode, a YAML
bomb, a survey file that is /dev/zero. Each is listed with its reason."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

from cxkit.course.bounded import Failure, run_bounded
from tests.conftest import ROOT, cxkit

KEY = ROOT / "templates" / "trainer" / "ex03-moments-of-truth"
KEY4 = ROOT / "templates" / "trainer" / "ex04-scoring"

YAML_BOMB = (
    "cxkit: 1\n"
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "client: {name: [*i,*i,*i,*i,*i,*i,*i,*i,*i]}\n"
)


def test_hostile_submissions_are_listed_and_the_page_is_written(tmp_path: Path) -> None:
    subs = tmp_path / "class"
    subs.mkdir()
    shutil.copytree(KEY, subs / "noa")
    (subs / "zero.yml").symlink_to("/dev/zero")
    (subs / "passwd.yml").symlink_to("/etc/passwd")
    outside = tmp_path / "elsewhere"
    shutil.copytree(KEY, outside)
    (subs / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(subs / "pipe.yml")
    (subs / "huge.yml").write_bytes(b"cxkit: 1\n" + b"#" * 6_000_000)
    (subs / "bomb.yml").write_text(YAML_BOMB, "utf-8")
    with zipfile.ZipFile(subs / "escape.zip", "w") as zf:
        zf.writestr("../../evil/workbook.yml", "cxkit: 1\n")
    with zipfile.ZipFile(subs / "zipbomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("workbook.yml", b"\0" * 50_000_000)
    (subs / "notzip.zip").write_bytes(b"this is not a zip")
    # a real workbook whose survey file is /dev/zero
    shutil.copytree(KEY4, tmp_path / "dz")
    (tmp_path / "dz" / "surveys" / "card-renewal-surveymonkey.xlsx").unlink()
    (tmp_path / "dz" / "surveys" / "card-renewal-surveymonkey.xlsx").symlink_to("/dev/zero")
    shutil.copytree(tmp_path / "dz", subs / "survey-is-dev-zero", symlinks=True)
    out = tmp_path / "class.html"
    started = time.monotonic()
    result = cxkit("class-report", subs, "-o", out, "-e", "3", "-l", "en")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert took < 120
    page = out.read_text("utf-8")
    for name, reason in [
        ("zero", "a link to /dev/zero, outside the class folder"),
        ("passwd", "a link to /etc/passwd, outside the class folder"),
        ("linked", f"a link to {outside.resolve()}, outside the class folder"),
        ("pipe", "not a regular file (a device, pipe or socket)"),
        ("huge", "6,000,009 bytes; a workbook is far smaller"),
        ("escape", "a path that leaves the zip (../../evil/workbook.yml)"),
        ("zipbomb", "workbook.yml unpacks to 50,000,000 bytes (a zip bomb?)"),
        ("notzip", "not a readable zip (File is not a zip file)"),
    ]:
        row = page.split(f'<th scope="row">{name}<br>')[1].split("</tr>")[0]
        assert reason in row, (name, row)
    bomb = page.split('<th scope="row">bomb<br>')[1].split("</tr>")[0]
    assert any(
        why in bomb
        for why in ("needed too much memory", "took too long to read", "could not be read")
    )
    assert not (tmp_path / "evil").exists()
    # the good one and the one whose survey is /dev/zero are still scored
    assert '<th scope="row">noa</th>' in page
    assert "answers exercise 4, not 3" in page
    hebrew = cxkit("class-report", subs, "-o", tmp_path / "he.html", "-e", "3", "-l", "he")
    assert hebrew.returncode == 0, hebrew.stderr
    he_page = (tmp_path / "he.html").read_text("utf-8")
    assert "קישור אל /dev/zero, מחוץ לתיקיית הכיתה" in he_page
    assert "עונה על תרגיל 4, לא על תרגיל 3" in he_page


def test_class_report_output_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    shutil.copytree(KEY, tmp_path / "class" / "noa")
    result = cxkit("class-report", tmp_path / "class", "-o", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path}: is a folder; give a file name for the page, e.g. "
        f"{tmp_path / 'class.html'}"
    ]


def test_a_reader_that_never_ends_is_stopped_and_the_rest_come_back() -> None:
    started = time.monotonic()
    results = run_bounded(time.sleep, [60, 0, 0], jobs=2, timeout=2)
    assert time.monotonic() - started < 20
    assert results[0] == Failure("timeout", "still reading after 2 s", 2)
    assert results[1:] == [None, None]


def test_a_reader_that_wants_too_much_memory_is_stopped() -> None:
    results = run_bounded(bytearray, [8 * 1024**3, 10], memory=1024**3)
    assert results[0].kind == "memory"
    assert results[1] == bytearray(10)
