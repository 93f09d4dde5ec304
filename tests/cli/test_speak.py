"""The command line speaks about a Hebrew workbook in Hebrew: `validate`, `check`,
`class-report` and the errors of every command, run as a user runs them (a subprocess
on a copy of a Hebrew sample, broken the way students break them). English workbooks
still get English, and `cxkit --lang` chooses."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.workbook.mistakes import (
    ENGLISH_SAMPLE,
    FIELD_MISTAKES,
    break_workbook,
    copy_sample,
    edit,
)

HEBREW = re.compile(r"[\u0590-\u05ff]")


def run(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `cxkit` in a subprocess, from this checkout, with extra settings."""
    return subprocess.run(
        [sys.executable, "-m", "cxkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={
            "COLUMNS": "200",
            "PATH": "/usr/bin:/bin",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONPATH": str(ROOT),
            **env,
        },
    )


def problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_every_field_and_reference_mistake_is_said_in_hebrew_at_its_line(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    break_workbook(wb, *FIELD_MISTAKES)
    result = run("validate", wb.parent)
    assert result.returncode == 1
    lines = problem_lines(result)
    for name, (_, _, said) in FIELD_MISTAKES.items():
        if name == "survey file not found":
            continue  # a file named by the workbook is looked for once its fields are right
        hits = [line for line in lines if said in line]
        assert hits, f"{name}: {said!r} not in\n{result.stderr}"
        # the path leads the line (whole, left to right), then the line number
        assert re.match(rf"^{re.escape(str(wb))}:\d+: ", hits[0]), hits[0]
    assert lines[-1] == "חוברת עבודה אחת עם בעיות"
    assert "8 בעיות" in result.stdout and "תיקיית לקוח" in result.stdout
    assert not re.search(r"[a-z]{4,} (?:key|expected|not found|got)\b", result.stderr)


def test_the_same_mistakes_in_english_with_lang_en(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    break_workbook(wb, "bad reference", "out of range")
    result = run("--lang", "en", "validate", wb.parent)
    lines = problem_lines(result)
    assert f"{wb}:71: journeys[0].persona: persona 'planing-mother' not found; did you mean " in (
        "\n".join(lines)
    )
    assert "expected a whole number from -2 to 2, got 7" in result.stderr
    assert lines[-1] == "1 workbook(s) with problems"
    assert not HEBREW.search(result.stderr)


def test_an_english_workbook_still_gets_english(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path, sample=ENGLISH_SAMPLE)
    text = wb.read_text("utf-8")
    persona = re.search(r"^    persona: (\S+)", text, re.MULTILINE)
    assert persona
    edit(wb, f"    persona: {persona[1]}", "    persona: nobody-at-all")
    result = run("validate", wb.parent)
    assert result.returncode == 1
    assert "persona 'nobody-at-all' not found" in result.stderr
    assert problem_lines(result)[-1] == "1 workbook(s) with problems"
    assert "client folder" in result.stdout and "1 problem(s)" in result.stdout
    assert not HEBREW.search(result.stderr)


def test_a_valid_hebrew_workbook_is_valid_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    result = run("validate", wb.parent)
    assert result.returncode == 0, result.stderr
    assert "תקין" in result.stdout and "צימר נוף הגליל" in result.stdout


def test_a_mixed_folder_speaks_each_workbook_s_language(tmp_path: Path) -> None:
    break_workbook(copy_sample(tmp_path, "he"), "out of range")
    english = copy_sample(tmp_path, "en", ENGLISH_SAMPLE)
    edit(english, "cxkit: 1\n", "cxkit: 1\nbogus: 1\n")
    result = run("validate", tmp_path)
    lines = problem_lines(result)
    assert "unknown key 'bogus' in the workbook" in lines[0]  # en/ comes first
    assert "צריך להיות מספר שלם בטווח -2 עד 2; הערך שנמצא: 7" in lines[1]
    assert lines[-1] == "2 workbook(s) with problems"  # the summary: one language for all
    assert "client folder" in result.stdout and "1 problem(s)" in result.stdout
    assert "בעיה אחת" in result.stdout  # each row's status in its own workbook's language


def test_two_broken_hebrew_workbooks_are_counted_in_the_plural(tmp_path: Path) -> None:
    for name in ("a", "b"):
        break_workbook(copy_sample(tmp_path, name), "out of range")
    result = run("validate", tmp_path)
    assert problem_lines(result)[-1] == "2 חוברות עבודה עם בעיות"
    assert result.stdout.count("בעיה אחת") == 2


def test_files_the_workbook_names_are_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    break_workbook(wb, "survey file not found")
    edit(wb, '    secondary: "#3d6b4f"', '    secondary: "#3d6b4f"\n    logo: logo.png')
    (wb.parent / "logo.png").write_text("not an image", "utf-8")
    result = run("validate", wb.parent)
    text = "\n".join(problem_lines(result))
    assert f"{wb}:20: לוגו (logo) ב-client.brand: 'logo.png' אינו תמונה: " in text
    assert f"{wb}:391: {FIELD_MISTAKES['survey file not found'][2]}" in text


def test_a_file_outside_the_client_folder_is_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    (tmp_path / "elsewhere.csv").write_text("a,b\n1,2\n", "utf-8")
    edit(wb, "surveys/guest-feedback-responses.csv", "../elsewhere.csv")
    result = run("validate", wb.parent)
    text = "\n".join(problem_lines(result))
    assert "קובץ (file) ב-surveys[0]: '../elsewhere.csv' נמצא מחוץ לתיקיית הלקוח" in text
    assert "cxkit --allow-folder" in text


def test_survey_answers_that_match_no_stage_are_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    edit(wb, "      התכנון מול חיים: plan\n", "")
    lines = problem_lines(run("validate", wb.parent))
    assert lines[0].startswith(f"{wb}: מיפוי לשלבים (stage_map) ב-surveys[0]: ")
    assert "הערך 'התכנון מול חיים' (79 תשובות) לא מתאים לאף שלב בחוברת העבודה" in lines[0]
    assert "אפשר למפות אותו לשלב תחת stage_map של הסקר" in lines[0]


def test_a_survey_column_off_its_scale_is_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    edit(wb, "      csat: עד כמה הייתם מרוצים מהשלב הזה?", "      csat: מי הייתם בחופשה?")
    lines = problem_lines(run("validate", wb.parent))
    assert lines[0].startswith(
        f"{wb}: עמודת ה-CSAT (csat) ב-surveys[0].columns: surveys/guest-feedback-responses.csv: "
        "CSAT לא חושב: בעמודה 'מי הייתם בחופשה?' יש סולם מילולי של 4 דרגות ("
    )
    assert "404 מתוך 404 התשובות נמצאות מחוץ לסולם ה-CSAT של 1-5" in lines[0]
    assert "או לציין עמודה אחרת עם --csat" in lines[0]


def test_a_mistyped_survey_question_is_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    edit(wb, "      csat: עד כמה הייתם מרוצים מהשלב הזה?", "      csat: עד כמה הייתם מרוצים?")
    (line, _) = problem_lines(run("validate", wb.parent))
    assert line.startswith(f"{wb}: עמודת ה-CSAT (csat) ב-surveys[0].columns: ")
    assert (
        "העמודה 'עד כמה הייתם מרוצים?' של csat לא נמצאה; "
        "אולי הכוונה ל-'עד כמה הייתם מרוצים מהשלב הזה?'? (העמודות: 'חותמת זמן', "
    ) in line


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ("  industry: תיירות ואירוח", "  industry: &i תיירות ואירוח"),
            "עוגן או כינוי של YAML ('i')",
        ),
        (("  industry: תיירות ואירוח", "  industry: !!str תיירות"), "תגית YAML '!!str'"),
        (("cxkit: 1\n", "cxkit: 1\ndeep: " + "[" * 30 + "]" * 30 + "\n"), "הקינון עמוק מ-20 רמות"),
        (("  language: he\n", "  language: he\n  language: he\n"), "מפתח שמופיע פעמיים"),
        (("cxkit: 1\n", "cxkit: [1\n"), "תחביר YAML שגוי"),
    ],
    ids=["alias", "tag", "too deep", "duplicate key", "malformed"],
)
def test_yaml_that_cannot_be_read_is_said_in_hebrew(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    wb = copy_sample(tmp_path)
    edit(wb, *change)
    result = run("validate", wb.parent)
    assert result.returncode == 1
    (line,) = [x for x in problem_lines(result) if x.startswith(str(wb))]
    assert re.match(rf"^{re.escape(str(wb))}:\d+: ", line), line
    assert said in line


def test_a_file_with_no_language_line_is_sniffed_by_its_letters(tmp_path: Path) -> None:
    wb = tmp_path / "client" / "workbook.yml"
    wb.parent.mkdir()
    wb.write_text("cxkit: 1\nclient:\n  name: [צימר נוף הגליל\n  industry: תיירות\n", "utf-8")
    assert "תחביר YAML שגוי" in run("validate", wb).stderr
    wb.write_text("cxkit: 1\nclient:\n  name: [Acme rentals\n", "utf-8")
    assert "malformed YAML" in run("validate", wb).stderr


def test_too_large_and_not_utf8_are_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    size = f"{wb.stat().st_size:,}"
    result = run("validate", wb.parent, CXKIT_MAX_WORKBOOK_MB="0.01")
    assert (
        f"{wb}: גודלו {size} בתים, מעל המגבלה של 0 MB לחוברת עבודה; "
        "אם הוא באמת גדול כל כך, אפשר לקבוע את CXKIT_MAX_WORKBOOK_MB" in result.stderr
    )
    with wb.open("a", encoding="utf-8") as fh:  # a long note at the end
        fh.write("# " + "מילים " * 100_000 + "\n")
    said = run("validate", wb.parent).stderr
    assert re.search(r": גודלו 1\.\d MB, מעל המגבלה של 1 MB לחוברת עבודה; ", said), said
    wb.write_bytes(wb.read_text("utf-8").encode("cp1255"))
    said = run("validate", wb.parent).stderr
    assert f"{wb}: אינו טקסט UTF-8 (בית " in said and "יש לשמור אותו בקידוד UTF-8" in said


def test_a_missing_workbook_is_english_unless_hebrew_is_chosen(tmp_path: Path) -> None:
    missing = tmp_path / "nobody" / "workbook.yml"
    assert f"{missing}: folder '{missing.parent}' not found" in run("validate", missing).stderr
    said = run("--lang", "he", "validate", missing)
    assert f"{missing}: התיקייה '{missing.parent}' לא נמצאה" in said.stderr
    assert problem_lines(said)[-1] == "חוברת עבודה אחת עם בעיות"


def test_other_commands_say_a_hebrew_workbook_s_problems_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    break_workbook(wb, "bad reference")
    for args in (("score", wb.parent), ("convert", wb, tmp_path / "out.xlsx")):
        result = run(*args)
        assert result.returncode == 1, args
        assert "אין פרסונה עם המזהה 'planing-mother'" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


EXERCISE = ROOT / "templates" / "exercises" / "ex01-persona"


def test_check_speaks_hebrew_for_a_hebrew_exercise(tmp_path: Path) -> None:
    work = tmp_path / "student"
    shutil.copytree(EXERCISE, work)
    ok = run("check", work)
    assert ok.returncode == 0, ok.stderr
    assert "קריטריון" in ok.stdout and "נקודות" in ok.stdout
    edit(work / "workbook.yml", "  - id: michal-planner", "  - id: Michal Planner")
    broken = run("check", work)
    assert broken.returncode == 1
    (line,) = problem_lines(broken)
    assert line.startswith(f"{work / 'workbook.yml'}:")
    assert "מזהה (id) ב-personas[0]: צריך להיות מזהה של אותיות אנגליות קטנות" in line
    assert "'Michal Planner'" in line


def test_class_report_summary_is_hebrew_for_a_hebrew_class(tmp_path: Path) -> None:
    room = tmp_path / "room"
    for name in ("dana", "noa"):
        shutil.copytree(EXERCISE, room / name)
    edit(room / "noa" / "workbook.yml", "cxkit: 1\n", "cxkit: [1\n")
    page, grades = tmp_path / "class.html", tmp_path / "grades.csv"
    result = run("class-report", room, "-o", page, "--grades", grades)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    wrote = f"{page}: נכתב עמוד הכיתה של תרגיל 1"
    for said in ("שם", "מצב", "ציון", "סיבה", "לא ניתן לקריאה", wrote):
        assert said in result.stdout, (said, result.stdout)
    assert "(2 הגשות)" in result.stdout and page.is_file()
    assert f"{grades}: נכתב קובץ הציונים, ועוד קובץ משוב אחד" in result.stdout


@pytest.mark.skipif(os.name == "nt", reason="a POSIX path in the expected line")
def test_english_lines_are_exactly_as_before(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path, sample=ENGLISH_SAMPLE)
    edit(wb, "cxkit: 1\n", "cxkit: 1\nbogus: 1\n")
    (line, summary) = problem_lines(run("validate", wb))
    assert line == f"{wb}:{line.split(':')[1]}: bogus: unknown key 'bogus' in the workbook"
    assert summary == "1 workbook(s) with problems"


def test_the_excel_template_of_a_hebrew_workbook_is_said_in_hebrew(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "client" / "workbook.xlsx"
    assert run("convert", copy_sample(tmp_path, "yaml"), book).returncode == 0
    xl = load_workbook(book)
    sheet = xl["Touchpoints"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("emotion") + 1, value=7)
    xl.save(book)
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index("emotion")]
    assert problem_lines(run("validate", book)) == [
        f"{book}: רגש (emotion) ב-גיליון 'Touchpoints', שורה 2, עמודה 'emotion' ({letter}): "
        "צריך להיות מספר שלם בטווח -2 עד 2; הערך שנמצא: 7",
        "חוברת עבודה אחת עם בעיות",
    ]
    sheet.cell(row=1, column=len(header) + 1, value="colour")
    xl.save(book)
    extra = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(header)]
    assert problem_lines(run("validate", book))[0] == (
        f"{book}: גיליון 'Touchpoints', שורה 1, עמודה 'colour' ({extra}): עמודה לא מוכרת 'colour'"
    )


def test_new_speaks_the_language_of_the_workbook_it_creates(tmp_path: Path) -> None:
    he = run("new", "acme", "--language", "he", "--root", tmp_path)
    en = run("new", "beta", "--root", tmp_path)
    assert he.returncode == en.returncode == 0
    assert he.stdout.splitlines()[0] == f"{tmp_path}/acme/workbook.yml: נוצר"
    assert "cxkit validate" in he.stdout and HEBREW.search(he.stdout.splitlines()[1])
    assert en.stdout.splitlines() == [
        f"created {tmp_path}/beta/workbook.yml",
        f"next: edit it, then run  cxkit validate {tmp_path}/beta",
    ]
