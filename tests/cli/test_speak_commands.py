"""`check`, `class-report`, `score`, `report` and `batch` speak about a Hebrew workbook in
Hebrew: their errors, their tables and the reasons they give, run as a user runs them (the
real CLI in a subprocess, on a copy of a Hebrew sample or exercise, broken). English
workbooks keep their English, word for word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.cli.test_speak import HEBREW, problem_lines, run
from tests.conftest import ROOT
from tests.workbook.mistakes import ENGLISH_SAMPLE, break_workbook, copy_sample, edit

EXERCISES = ROOT / "templates" / "exercises"
SURVEY = "surveys/guest-feedback-responses.csv"
CSAT_QUESTION = "      csat: עד כמה הייתם מרוצים מהשלב הזה?"
NPS_QUESTION = "באיזו מידה הייתם ממליצים על חופשת קרוואן אצלנו לחברים או למשפחה?"


def one_error(result: object) -> str:
    """The one line a failed command printed (no traceback)."""
    lines = problem_lines(result)  # type: ignore[arg-type]
    assert getattr(result, "returncode", None) == 1, lines
    assert len(lines) == 1, lines
    return lines[0]


def student(tmp_path: Path, exercise: str = "ex01-persona") -> Path:
    work = tmp_path / "student"
    shutil.copytree(EXERCISES / exercise, work)
    return work / "workbook.yml"


# --------------------------------------------------------------------------- check


def test_check_says_which_exercise_is_wrong_in_hebrew(tmp_path: Path) -> None:
    wb = student(tmp_path)
    assert one_error(run("check", wb.parent, "-e", "3")) == (
        f"שגיאה: {wb}: חוברת העבודה הזו עונה על תרגיל 1, לא על תרגיל 3"
    )
    assert one_error(run("check", wb.parent, "-e", "7")) == (
        "שגיאה: אין תרגיל 7; התרגילים הם 1, 2, 3, 4, 5"
    )
    edit(wb, "  exercise: 1\n", "")
    assert one_error(run("check", wb.parent)) == (
        f"שגיאה: {wb}: לא כתוב איזה תרגיל זה; יש לציין אותו עם --exercise N"
    )


def test_check_on_an_english_exercise_keeps_its_english(tmp_path: Path) -> None:
    wb = student(tmp_path, "ex01-persona-en")
    assert one_error(run("check", wb.parent, "-e", "3")) == (
        f"error: {wb}: this workbook answers exercise 1, not 3"
    )
    assert one_error(run("check", wb.parent, "-e", "7")) == (
        "error: no exercise 7; exercises are 1, 2, 3, 4, 5"
    )
    # and --lang chooses, whatever the workbook's language
    hebrew = one_error(run("--lang", "he", "check", wb.parent, "-e", "7"))
    assert hebrew == "שגיאה: אין תרגיל 7; התרגילים הם 1, 2, 3, 4, 5"


# --------------------------------------------------------------------------- class-report


def test_an_unreadable_submission_s_reason_is_said_in_the_class_s_language(
    tmp_path: Path,
) -> None:
    room = tmp_path / "room"
    for name in ("dana", "noa", "avi"):
        shutil.copytree(EXERCISES / "ex01-persona", room / name)
    edit(room / "noa" / "workbook.yml", "  - id: michal-planner", "  - id: Michal Planner")
    edit(room / "avi" / "workbook.yml", "  exercise: 1\n", "  exercise: x\n")
    edit(room / "avi" / "workbook.yml", "  - id: michal-planner", "  - id: Michal Planner")
    page = tmp_path / "class.html"
    result = run("class-report", room, "-o", page)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    text = page.read_text("utf-8")
    noa = re.search(r"שורה (\d+): מזהה \(id\) ב-personas\[0\]: צריך להיות מזהה של אותיות", text)
    assert noa, text
    assert "הערך שנמצא: &#39;Michal Planner&#39;" in text
    # two problems in avi's: the first, and one more (the plural of one, in Hebrew)
    assert "הערך שנמצא: &#39;Michal Planner&#39; (ועוד בעיה אחת)</td>" in text
    assert "expected" not in text and "more)" not in text
    # the terminal's summary says the same, in the same language
    assert f"שורה {noa[1]}: מזהה (id) ב-personas[0]" in result.stdout
    assert "(ועוד בעיה אחת)" in result.stdout and "לא ניתן לקריאה" in result.stdout


def test_a_class_whose_exercise_cannot_be_told_is_said_in_hebrew(tmp_path: Path) -> None:
    room = tmp_path / "room"
    shutil.copytree(EXERCISES / "ex01-persona", room / "dana")
    edit(room / "dana" / "workbook.yml", "cxkit: 1\n", "cxkit: [1\n")
    said = one_error(run("class-report", room, "-o", tmp_path / "class.html"))
    assert said == "שגיאה: לא ברור על איזה תרגיל ההגשות עונות; יש לציין אותו עם --exercise N"


# --------------------------------------------------------------------------- score


def test_score_on_a_hebrew_workbook_prints_hebrew_around_the_numbers(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    result = run("score", wb.parent)
    assert result.returncode == 0, result.stderr
    head = result.stdout.splitlines()
    assert head[0] == (
        f"guest-feedback: {wb.parent / SURVEY} (google-forms, קידוד cp1255, שורת כותרת אחת) - "
        "404 שורות, 404 תשובות"
    )
    for said in (
        "ציונים לפי שלב",
        "קבוצה",
        "NPS [רווח סמך 95%]",
        "ממליצים / נייטרלים / מלעיזים %",
        "CSAT ממוצע",
        "מהימנות",
        "כל התשובות",
        "נמוכה (n=28, פחות מ-30)",
        "מגמה בלבד (n=79, פחות מ-100)",
        "לא נספרו",
        "תווית לא מוכרת",
        "מחוץ לטווח",
        "nps: NPS = 100 x (שיעור המשיבים 9-10 פחות שיעור המשיבים 0-6)",
    ):
        assert said in result.stdout, (said, result.stdout)
    for english in ("scores by", "confidence", "directional", "not counted", "header row"):
        assert english not in result.stdout, english
    # answers left out: where, how many (with the plural of one), which rows, what is expected
    warnings = problem_lines(result)
    assert warnings[0] == (
        f"אזהרה: {wb.parent / SURVEY}: עמודה '{NPS_QUESTION}': 7 תשובות NPS עם תווית לא מוכרת ולא "
        "נספרו: שורה 69 'לא יודע', שורה 96 'מעולה', שורה 119 'לא יודע', שורה 214 'לא יודע', "
        "שורה 243 'מעולה' ועוד 2; צריך להיות מספר שלם 0-10 או אחת התוויות שלו"
    )
    assert (
        f"עמודה '{NPS_QUESTION}': תשובת NPS אחת מחוץ לטווח ולא נספרה: שורה 21 '11'" in (warnings[1])
    )


def test_survey_answers_that_match_no_stage_are_warned_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    edit(wb, "      התכנון מול חיים: plan\n", "")
    result = run("score", wb.parent)
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in problem_lines(result) if "התכנון מול חיים" in x]
    assert line.startswith(f"אזהרה: {wb.parent / SURVEY}: עמודה '")
    assert "הערך 'התכנון מול חיים' (79 תשובות) לא מתאים לאף שלב בחוברת העבודה" in line


def test_score_on_an_english_workbook_is_as_before(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path, sample=ENGLISH_SAMPLE)
    result = run("score", wb.parent)
    assert result.returncode == 0, result.stderr
    assert not HEBREW.search(result.stdout.replace(str(wb.parent), ""))
    for said in ("header row(s)) - ", "group", "NPS [95% CI]", "confidence", "ALL"):
        assert said in result.stdout, said


def test_a_refused_metric_is_said_in_hebrew_with_the_same_numbers(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    text = wb.read_text("utf-8")
    edit(wb, CSAT_QUESTION, f"      csat: {NPS_QUESTION}")  # the 0-10 question as CSAT
    assert wb.read_text("utf-8") != text
    edit(wb, f"      nps: {NPS_QUESTION}\n", "")
    said = one_error(run("score", wb.parent))
    assert said.startswith(f"שגיאה: CSAT לא חושב: בעמודה '{NPS_QUESTION}' יש סולם 0-11 ")
    assert "377 מתוך 402 התשובות נמצאות מחוץ לסולם ה-CSAT של 1-5" in said
    assert "--csat-scale 0-11 (בחוברת העבודה: csat_scale: {min: 0, max: 11})" in said
    english = one_error(run("--lang", "en", "score", wb.parent))
    assert english.startswith(f"error: CSAT not scored: column '{NPS_QUESTION}' holds a 0-11 ")
    assert "377 of 402 answers are off the 1-5 CSAT scale" in english


def test_a_raw_export_is_english_unless_hebrew_is_chosen(tmp_path: Path) -> None:
    csv = tmp_path / "s.csv"
    csv.write_text("id,sat\n" + "".join(f"{i},{i % 11}\n" for i in range(40)), "utf-8")
    english = one_error(run("score", csv, "--csat", "sat"))
    assert english.startswith("error: CSAT not scored: column 'sat' holds a 0-10 scale: ")
    hebrew = one_error(run("--lang", "he", "score", csv, "--csat", "sat"))
    assert hebrew.startswith("שגיאה: CSAT לא חושב: בעמודה 'sat' יש סולם 0-10: ")
    assert "20 מתוך 40 התשובות" in hebrew and "--csat-scale 0-10" in hebrew
    said = one_error(run("--lang", "he", "score", csv, "--csat-scale", "5-1"))
    assert said == "שגיאה: --csat-scale 5-1: המינימום צריך להיות קטן מהמקסימום"


def test_survey_files_that_do_not_read_are_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    csv = wb.parent / SURVEY
    original = csv.read_bytes()
    at = f"{wb}: קובץ (file) ב-surveys[0]: {csv}: "
    csv.write_bytes(b"")
    assert one_error(run("score", wb.parent)) == f"{at}הקובץ ריק"
    rows = original.split(b"\n")
    rows[5] += b',"x","y",1,1,1,1,1'
    csv.write_bytes(b"\n".join(rows))
    said = one_error(run("score", wb.parent))
    assert re.fullmatch(
        rf"{re.escape(at)}שורה \d+: בשורה יש \d+ שדות, ובשורת הכותרת יש 7 "
        r"\(אולי מירכאה או תו מפריד לא במקומם\?\)",
        said,
    ), said
    csv.write_bytes(original)
    edit(wb, "    encoding: cp1255", "    encoding: klingon")
    assert one_error(run("score", wb.parent)) == f"{at}encoding: הקידוד 'klingon' אינו מוכר"
    edit(wb, "    encoding: klingon", "    encoding: cp1255")
    edit(wb, "      segment: מי הייתם בחופשה?", "      segment: nothing")
    said = one_error(run("score", wb.parent))
    assert said.startswith(f"{wb}: ")
    assert "העמודה 'nothing' של segment לא נמצאה" in said


def test_a_workbook_without_surveys_is_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    text = wb.read_text("utf-8")
    wb.write_text(text[: text.index("\nsurveys:")] + "\n", "utf-8")
    said = one_error(run("score", wb.parent))
    assert said == (f"שגיאה: {wb}: בחוברת העבודה אין סקרים (אפשר להוסיף אותם תחת 'surveys:')")


# --------------------------------------------------------------------------- report, batch


def test_a_failed_hebrew_report_says_why_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    break_workbook(wb, "bad reference")
    out = tmp_path / "out"
    result = run("report", wb.parent, "-o", out)
    lines = problem_lines(result)
    assert result.returncode == 1
    assert lines[0].startswith("client: התא In [")
    assert (
        f"נכשל: {wb}:71: הפרסונה (persona) ב-journeys[0]: אין פרסונה עם המזהה "
        "'planing-mother'; אולי הכוונה ל-'planning-mother'?; "
        f"אפשר להריץ `cxkit validate {wb.parent}` כדי לראות את כל הבעיות"
    ) in lines[0]
    assert lines[1] == f"המחברת שהורצה בחלקה נשמרה ב-{out / 'client.failed.ipynb'}"
    batch = run("batch", wb.parent, "-o", out, "-j", "1")
    assert batch.returncode == 1
    assert problem_lines(batch)[-1] == "דוח אחד מתוך 1 נכשל"
    for said in ("לקוח", "מצב", "זמן", "פלט", "נכשל", "אין פרסונה עם המזהה"):
        assert said in batch.stdout, (said, batch.stdout)


def test_a_failed_english_report_is_as_before(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path, sample=ENGLISH_SAMPLE)
    text = wb.read_text("utf-8")
    persona = re.search(r"^    persona: (\S+)", text, re.MULTILINE)
    assert persona
    edit(wb, f"    persona: {persona[1]}", "    persona: nobody-at-all")
    result = run("report", wb.parent, "-o", tmp_path / "out")
    lines = problem_lines(result)
    assert result.returncode == 1
    assert re.match(r"^client: cell In \[\d+\] failed: ", lines[0]), lines[0]
    assert "persona 'nobody-at-all' not found" in lines[0]
    assert f"; run `cxkit validate {wb.parent}` to see all" in lines[0]
    assert lines[1].startswith("the partly executed notebook is ")
    assert not HEBREW.search("\n".join(lines))


def test_a_survey_outside_the_client_folder_is_refused_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    (tmp_path / "elsewhere.csv").write_text("a,b\n1,2\n", "utf-8")
    edit(wb, SURVEY, "../elsewhere.csv")
    said = one_error(run("score", wb.parent))
    assert said.startswith(
        f"{wb}: קובץ (file) ב-surveys[0]: '../elsewhere.csv' נמצא מחוץ לתיקיית הלקוח; "
    )
    assert f"`cxkit --allow-folder {tmp_path} ...`" in said


def test_other_command_errors_follow_the_workbook_s_language(tmp_path: Path) -> None:
    hebrew, english = copy_sample(tmp_path, "he"), copy_sample(tmp_path, "en", ENGLISH_SAMPLE)
    target = tmp_path / "x.pdf"
    assert one_error(run("convert", hebrew, target)) == (
        f"שגיאה: {target}: סוג פלט לא מוכר '.pdf'; יש להשתמש בסיומת xlsx או yml"
    )
    assert one_error(run("convert", english, target)) == (
        f"error: {target}: unknown output type '.pdf'; use .xlsx or .yml"
    )
    assert one_error(run("score", hebrew.parent, "-o", target)) == (
        f"שגיאה: {target}: את הציונים אפשר לכתוב רק לקובץ עם הסיומת csv או xlsx"
    )
    said = one_error(run("class-report", tmp_path, "-o", tmp_path, "-l", "he"))
    assert (
        said
        == f"שגיאה: {tmp_path}: זו תיקייה; יש לתת שם קובץ לעמוד, למשל {tmp_path / 'class.html'}"
    )


def test_a_comparison_of_two_groups_is_said_in_hebrew(tmp_path: Path) -> None:
    wb = copy_sample(tmp_path)
    result = run("score", wb.parent, "--by", "segment", "--compare", "זוג", "משפחה אחת")
    assert result.returncode == 0, result.stderr
    assert (
        "NPS: 'זוג' 63.8 (n=58) מול 'משפחה אחת' 59.6 (n=146); הפרש של +4.2 נקודות "
        "(רווח סמך 95%: -18.8 עד +23.4), p = 0.833. ייתכן שההפרש מקרי (לא מובהק ברמה של "
        "95%); לא כדאי לפעול לפיו בלי תשובות נוספות."
    ) in result.stdout
    assert "מבחן z על NPS לפי Wald מתוקן (Rocks 2016)" in result.stdout
    assert "difference" not in result.stdout and "z test" not in result.stdout


def test_export_says_what_it_wrote_in_the_workbook_s_language(tmp_path: Path) -> None:
    hebrew, english = copy_sample(tmp_path, "he"), copy_sample(tmp_path, "en", ENGLISH_SAMPLE)
    out = tmp_path / "out"
    said = run("export", hebrew.parent, "--to", "md", "-o", out)
    assert said.returncode == 0, said.stderr
    assert said.stdout.strip() == f"{out / 'he.md'}: נכתב"
    said = run("export", english.parent, "--to", "md", "-o", out)
    assert said.stdout.strip() == f"wrote {out / 'en.md'}"
