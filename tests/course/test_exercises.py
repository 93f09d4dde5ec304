"""Course kit: rubrics as data, answer keys at full marks, starters with a head start,
exact feedback for flawed work, and the class overview."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cxkit.course.exercises import (
    CHECKS,
    check_file,
    get_rubric,
    prepare_workspace,
    quoted_intervals,
    rubrics,
)
from cxkit.workbook.model import Value, Workbook
from cxkit.workbook.yamlfile import WorkbookFile
from tests.conftest import ROOT, cxkit

KEYS = ROOT / "templates" / "trainer"
STARTERS = ROOT / "templates" / "exercises"
SLUGS = {
    1: "ex01-persona",
    2: "ex02-five-interfaces",
    3: "ex03-moments-of-truth",
    4: "ex04-scoring",
    5: "ex05-duplications",
}
STARTER_SCORES = {1: 10.0, 2: 22.3, 3: 12.7, 4: 10.0, 5: 6.2}


def test_rubrics_are_complete_data() -> None:
    assert sorted(rubrics()) == [1, 2, 3, 4, 5]
    for rubric in rubrics().values():
        assert rubric.total == 100
        assert set(rubric.title) == {"en", "he"}
        for c in rubric.criteria:
            assert c.check in CHECKS
            assert set(c.feedback) == {"en", "he"} and set(c.title) == {"en", "he"}


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_answer_key_scores_full_marks(exercise: int) -> None:
    result = check_file(KEYS / SLUGS[exercise], exercise)
    assert (result.score, result.feedback) == (100, [])


@pytest.mark.parametrize("exercise", sorted(SLUGS))
def test_starter_scores_low_but_not_zero(exercise: int) -> None:
    result = check_file(STARTERS / SLUGS[exercise], exercise)
    assert result.score == STARTER_SCORES[exercise]
    assert result.feedback


def test_student_material_does_not_contain_the_keys() -> None:
    for slug in SLUGS.values():
        starter = (STARTERS / slug / "workbook.yml").read_bytes()
        assert starter != (KEYS / slug / "workbook.yml").read_bytes()
    assert not list((ROOT / "notebooks").rglob("*trainer*"))


# --------------------------------------------------------------------------- flawed work

Edit = Callable[[Workbook], None]


def _drop_first_touchpoints(wb: Workbook) -> None:
    wb.journeys[0].stages[1].touchpoints = []


def _forget_emotion(wb: Workbook) -> None:
    wb.journeys[0].stages[0].touchpoints[0].emotion = None


def _unreasoned_mot(wb: Workbook) -> None:
    tp = next(t for _, t in wb.journeys[0].touchpoints() if t.moment_of_truth)
    tp.moment_of_truth_reason = None


def _no_opportunities(wb: Workbook) -> None:
    wb.journeys[0].opportunities = [o for o in wb.journeys[0].opportunities if o.effort > 2]


def _unmark_waste(wb: Workbook) -> None:
    for _, tp in wb.journeys[0].touchpoints():
        if tp.value is Value.WASTE:
            tp.value = Value.NEEDED


def _wrong_interval(wb: Workbook) -> None:
    wb.journeys[0].description = "NPS -15 (95% CI -18 to -11). NPS -30 (95% CI -35 to -25)."


def _thin_persona(wb: Workbook) -> None:
    wb.personas[0].goals = wb.personas[0].goals[:1]
    wb.personas[0].quote = None


FLAWED: list[tuple[int, str, Edit, list[str]]] = [
    (2, "empty-stage", _drop_first_touchpoints, ["stage 'פנייה ראשונה' has no touchpoint yet."]),
    (
        2,
        "missing-emotion",
        _forget_emotion,
        ['touchpoint \'מודעה ברשתות - "20 ק"ג בשנה"\' has no emotion yet (-2 .. +2).'],
    ),
    (
        3,
        "moment-without-reason",
        _unreasoned_mot,
        [
            "moment of truth 'מכתב עדכון פוליסה בנוסח משפטי' has no reason: why does the customer "
            "decide here?"
        ],
    ),
    (
        5,
        "no-quick-win",
        _no_opportunities,
        [
            "no quick win yet: add an opportunity with impact 4+ and effort 2 or less, tied to a "
            "touchpoint."
        ],
    ),
    (
        5,
        "waste-not-marked",
        _unmark_waste,
        [
            "no step is marked waste yet; which step gives the customer nothing?",
            *(
                f"'{doc}' is asked for at both 'Sends the withdrawal form and documents to "
                "Payments' and 'Asked by Tax & Compliance to send the same form again'; mark the "
                "repeated step as waste."
                for doc in (
                    "Withdrawal request form W-12",
                    "Copy of passport or ID card",
                    "Bank account confirmation",
                )
            ),
        ],
    ),
    (
        4,
        "interval-does-not-match-survey",
        _wrong_interval,
        [
            "your findings quote 1 scores with a 95% interval; quote at least 2, like "
            '"NPS -15 (95% CI -18 to -11)".',
            '"NPS -30 (-35 to -25)" does not match the survey; check the score and its '
            "interval again.",
        ],
    ),
    (
        1,
        "thin-persona",
        _thin_persona,
        [
            "persona 'מיכל, האמא שמתכננת' has 1 goals; write at least 2, in the customer's words.",
            "persona 'מיכל, האמא שמתכננת' needs a quote: a sentence they would say, and who they "
            "represent.",
        ],
    ),
]


def _flawed(exercise: int, edit: Edit, tmp_path: Path) -> list[str]:
    folder = tmp_path / "student"
    shutil.copytree(KEYS / SLUGS[exercise], folder)
    doc = WorkbookFile.load(folder)
    edit(doc.workbook)
    doc.save()
    return check_file(folder, exercise, "en").feedback


@pytest.mark.parametrize(
    ("exercise", "edit", "expected"),
    [(f[0], f[2], f[3]) for f in FLAWED],
    ids=[f[1] for f in FLAWED],
)
def test_flawed_workbooks_get_exact_feedback(
    exercise: int, edit: Edit, expected: list[str], tmp_path: Path
) -> None:
    assert _flawed(exercise, edit, tmp_path) == expected


def test_feedback_in_hebrew_uses_hebrew_field_names(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    shutil.copytree(STARTERS / SLUGS[1], folder)
    lines = check_file(folder, 1).feedback  # the workbook is Hebrew
    assert lines[0].endswith("יש 0 מטרות; כתבו לפחות 2, במילים של הלקוח.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NPS -15 (95% CI -18 to -11)", [("NPS", -15.0, -18.0, -11.0)]),
        (
            "CSAT 45% [43, 47] and CES 4.23 (4.16 to 4.30)",
            [("CSAT", 45.0, 43.0, 47.0), ("CES", 4.23, 4.16, 4.30)],
        ),
        ("NPS -15 (95% רווח סמך -18 עד -11)", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS was -15, far below last year", []),
        ("NPS 40 (10 to 20)", []),  # the estimate must sit inside its interval
    ],
)
def test_quoted_intervals(text: str, expected: list[tuple[str, float, float, float]]) -> None:
    import re

    assert quoted_intervals(re.sub(r"95\s*%", "", text)) == expected


# --------------------------------------------------------------------------- workspace and CLI


def test_prepare_workspace_copies_once_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "me" / "workbook.yml"
    path = prepare_workspace(STARTERS / SLUGS[4], target)
    assert path == target and (tmp_path / "me" / "surveys").is_dir()
    target.write_text(target.read_text("utf-8") + "# my notes\n", "utf-8")
    prepare_workspace(STARTERS / SLUGS[4], target)
    assert target.read_text("utf-8").endswith("# my notes\n")


def test_check_button_shows_score_and_feedback(tmp_path: Path) -> None:
    from cxkit.widgets import exercise

    page = exercise(5, tmp_path / "me" / "workbook.yml", STARTERS / SLUGS[5], delay=0)
    page.check_button.click()
    assert "Duplications, value stream and quick wins: 6.2 of 100 points" in page.result.value
    assert "no step is marked waste yet" in page.result.value
    mapper = page.forms[0]
    mapper.stages.select.value = mapper.stages.select.options[2][1]
    page.check_button.click()
    assert "<b>" in page.result.value


def test_cli_check_json_and_text(tmp_path: Path) -> None:
    result = cxkit("check", STARTERS / SLUGS[2], "--exercise", "2", "--json", "-l", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["exercise"], data["score"], data["total"]) == (2, 22.3, 100.0)
    assert [c["id"] for c in data["criteria"]] == [c.id for c in get_rubric(2).criteria]
    assert "stage 'פנייה ראשונה' has no touchpoint yet." in data["criteria"][1]["feedback"]
    text = cxkit("check", KEYS / SLUGS[2], "-e", "2")
    assert text.returncode == 0 and "100 / 100" in text.stdout
    default = cxkit("check", KEYS / SLUGS[2], "--json")  # the exercise the workbook names
    assert json.loads(default.stdout)["exercise"] == 2
    wrong = cxkit("check", STARTERS / SLUGS[1], "-e", "3")
    assert wrong.returncode == 1
    assert "this workbook answers exercise 1, not 3" in wrong.stderr
    bad = cxkit("check", KEYS / SLUGS[2], "-e", "7")
    assert bad.returncode == 1 and "no exercise 7; exercises are 1, 2, 3, 4, 5" in bad.stderr


# --------------------------------------------------------------------------- class overview


def test_class_report_with_good_partial_corrupt_and_wrong_submissions(tmp_path: Path) -> None:
    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copytree(KEYS / SLUGS[3], subs / "noa")
    shutil.copytree(STARTERS / SLUGS[3], subs / "yossi")
    (subs / "dana.yml").write_text("cxkit: 1\nclient: [broken\n", "utf-8")
    shutil.copy(KEYS / SLUGS[2] / "workbook.yml", subs / "avi.yml")
    shutil.copytree(STARTERS / SLUGS[3], subs / "evil")
    doc = WorkbookFile.load(subs / "evil")
    assert doc.workbook.course is not None
    doc.workbook.course.student = "<script>alert(1)</script>"
    doc.save()
    out = tmp_path / "class.html"
    result = cxkit("class-report", subs, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "exercise 3: wrote" in result.stdout
    page = out.read_text("utf-8")
    assert "<html lang='he' dir='rtl'>" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "dana" in page and "malformed YAML" in page  # the corrupt one is named, with why
    assert "answers exercise 2, not 3" in page
    assert page.count("<svg") == 3  # noa, yossi and evil have journeys
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    for row in ("noa", "yossi", "dana", "avi"):
        assert row in result.stdout


def test_class_report_needs_an_exercise_when_nothing_says(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("nonsense: [\n", "utf-8")
    result = cxkit("class-report", tmp_path, "-o", tmp_path / "c.html")
    assert result.returncode == 1
    assert "cannot tell which exercise these answer; pass --exercise N" in result.stderr
