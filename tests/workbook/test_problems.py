"""A table of broken workbooks, each with the exact messages a user must see."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cxkit.errors import Reason, WorkbookError
from cxkit.workbook.excel import read_excel, write_excel
from cxkit.workbook.yamlfile import load_workbook, validate_path
from tests.conftest import WORKBOOKS, cxkit

VALID = (WORKBOOKS / "valid.yml").read_text("utf-8")
TP0 = "journeys[0].stages[0].touchpoints[0]"

# (case id, [(old text, new text)], [expected "line: where: message"])
YAML_CASES = [
    (
        "bad-stage-reference",
        [("{Onboarding: onboarding}", "{Onboarding: onbording}")],
        [
            "58: surveys[0].stage_map.Onboarding: stage 'onbording' not found in journey "
            "'renewal'; did you mean 'onboarding'?"
        ],
    ),
    (
        "bad-touchpoint-reference",
        [("touchpoints: [renewal-letter]", "touchpoints: [renewal-leter]")],
        [
            "42: journeys[0].opportunities[0].touchpoints[0]: touchpoint 'renewal-leter' not "
            "found in journey 'renewal'; did you mean 'renewal-letter'?"
        ],
    ),
    (
        "bad-persona-reference",
        [("    persona: busy-traveller\n    stages", "    persona: busy-travler\n    stages")],
        [
            "18: journeys[0].persona: persona 'busy-travler' not found; did you mean "
            "'busy-traveller'?"
        ],
    ),
    (
        "emotion-out-of-range",
        [("emotion: -1", "emotion: -5")],
        [f"26: {TP0}.emotion: expected a whole number from -2 to 2, got -5"],
    ),
    (
        "effort-out-of-range-and-wrong-type",
        [
            ("effort: 2\n            value", "effort: hard\n            value"),
            ("impact: 5", "impact: 9"),
        ],
        [
            f"27: {TP0}.effort: expected a whole number from 1 to 5, got 'hard'",
            "43: journeys[0].opportunities[0].impact: expected a whole number from 1 to 5, got 9",
        ],
    ),
    (
        "duplicate-id",
        [("      - id: onboarding\n", "      - id: notice\n")],
        [
            "29: journeys[0].stages[1].id: duplicate stage id 'notice' (first used at "
            "journeys[0].stages[0].id)",
            "58: surveys[0].stage_map.Onboarding: stage 'onboarding' not found in journey "
            "'renewal'",
        ],
    ),
    (
        "unknown-key",
        [("            effort: 2\n", "            efort: 2\n")],
        [f"27: {TP0}.efort: unknown key 'efort' in touchpoint; did you mean 'effort'?"],
    ),
    (
        "wrong-type-list",
        [("goals: [Renew without a call]", "goals: {a: b}")],
        ["11: personas[0].goals: expected a list, got a mapping"],
    ),
    (
        "bad-enum-with-hint",
        [("channel: mail", "channel: e-mail")],
        [
            f"25: {TP0}.channel: expected one of phone, web, mobile, chat, email, mail, sms, "
            "messaging, social, face-to-face, ivr, video, self-service, other; got 'e-mail'; "
            "did you mean 'email'?"
        ],
    ),
    (
        "bad-slug",
        [("- id: retiree", "- id: Retiree Group")],
        [
            "13: personas[1].id: expected an id of lowercase letters, digits and hyphens "
            "(like 'first-contact'), got 'Retiree Group'"
        ],
    ),
    (
        "missing-required",
        [("    title: Card renewal\n", "")],
        ["16: journeys[0].title: missing required key 'title' in journey"],
    ),
    (
        "unsupported-version",
        [("cxkit: 1", "cxkit: 2")],
        ["3: cxkit: unsupported format version 2; this cxkit reads version 1"],
    ),
    (
        "redesigns-on-current-journey",
        [("    state: future\n", "")],
        [
            "48: journeys[1].redesigns: only a future-state journey can redesign another; "
            "set state: future or remove redesigns"
        ],
    ),
    (
        "several-problems-at-once",
        [
            ("emotion: 1", "emotion: 3"),
            ("channel: phone", "channel: fone"),
            ("name: Retiree", "nam: Retiree"),
        ],
        [
            "13: personas[1].name: missing required key 'name' in persona",
            "14: personas[1].nam: unknown key 'nam' in persona; did you mean 'name'?",
            "34: journeys[0].stages[1].touchpoints[0].channel: expected one of phone, web, "
            "mobile, chat, email, mail, sms, messaging, social, face-to-face, ivr, video, "
            "self-service, other; got 'fone'; did you mean 'phone'?",
            "35: journeys[0].stages[1].touchpoints[0].emotion: expected a whole number from -2 "
            "to 2, got 3",
        ],
    ),
    (
        "field-and-reference-problems-in-one-pass",
        [
            ("emotion: -1", "emotion: 7"),
            ("touchpoints: [renewal-letter]", "touchpoints: [letter]"),
            ("    persona: busy-traveller\n    stages", "    persona: busy-travler\n    stages"),
        ],
        [
            "18: journeys[0].persona: persona 'busy-travler' not found; did you mean "
            "'busy-traveller'?",
            f"26: {TP0}.emotion: expected a whole number from -2 to 2, got 7",
            "42: journeys[0].opportunities[0].touchpoints[0]: touchpoint 'letter' not found in "
            "journey 'renewal'; did you mean 'renewal-letter'?",
        ],
    ),
    (
        "malformed-yaml",
        [("  language: en\n", "  language: [en\n")],
        ["7: malformed YAML: while parsing a flow sequence expected ',' or ']', but got ':'"],
    ),
    (
        "duplicate-yaml-key",
        [("  language: en\n", "  language: en\n  language: he\n")],
        [
            '7: malformed YAML: while constructing a mapping found duplicate key "language" '
            'with value "he" (original value: "en")'
        ],
    ),
    (
        "not-a-mapping",
        [(VALID, "- just\n- a list\n")],
        ["1: expected a mapping at the top of the file (starting with 'cxkit: 1'), got a list"],
    ),
    (
        "just-text",
        [(VALID, "just some text\n")],
        [
            "1: expected a mapping at the top of the file (starting with 'cxkit: 1'), got "
            "'just some text'"
        ],
    ),
]


@pytest.mark.parametrize(
    ("edits", "expected"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES]
)
def test_broken_yaml_gives_exact_messages(
    tmp_path: Path, edits: list[tuple[str, str]], expected: list[str]
) -> None:
    text = VALID
    for old, new in edits:
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / "workbook.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    got = [str(p).removeprefix(f"{path}:") for p in info.value.problems]
    assert got == expected


def test_valid_fixture_loads_and_validates(valid_copy: Path) -> None:
    wb, problems = validate_path(valid_copy)
    assert problems == []
    assert wb is not None
    assert [j.id for j in wb.journeys] == ["renewal", "renewal-future"]


def test_missing_survey_file_is_reported_with_line(valid_copy: Path) -> None:
    (valid_copy.parent / "surveys" / "renewal.csv").unlink()
    _, problems = validate_path(valid_copy)
    assert [str(p) for p in problems] == [
        f"{valid_copy}:55: surveys[0].file: file 'surveys/renewal.csv' not found next to the "
        "workbook"
    ]


def test_missing_file_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match=r"nope\.yml: file not found"):
        load_workbook(tmp_path / "nope.yml")
    bad = tmp_path / "latin.yml"
    bad.write_bytes("cxkit: 1\nclient: {name: \xe9}\n".encode("latin-1"))
    with pytest.raises(WorkbookError, match="is not UTF-8 text"):
        load_workbook(bad)


# --------------------------------------------------------------------------- Excel


def _excel_copy(tmp_path: Path) -> Path:
    path = tmp_path / "wb.xlsx"
    write_excel(load_workbook(WORKBOOKS / "valid.yml"), path)
    return path


def _messages(path: Path) -> list[str]:
    with pytest.raises(WorkbookError) as info:
        read_excel(path)
    return [str(p).removeprefix(f"{path}: ") for p in info.value.problems]


def test_excel_missing_sheet(tmp_path: Path) -> None:
    path = _excel_copy(tmp_path)
    book = openpyxl.load_workbook(path)
    del book["Touchpoints"]
    book.save(path)
    assert _messages(path) == [
        "sheet 'Touchpoints' is missing; the template has sheets: Client, Personas, Journeys, "
        "Stages, Touchpoints, Opportunities, Surveys, SurveyMaps"
    ]


def test_excel_cell_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = _excel_copy(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Touchpoints"]
    assert ws["I1"].value == "emotion" and ws["B1"].value == "stage"
    ws["I2"] = 4
    ws["B3"] = "onbording"
    book["Personas"]["K1"] = "hobbies"
    book.save(path)
    assert _messages(path) == [
        "sheet 'Personas', row 1, column 'hobbies' (K): unknown column 'hobbies'",
    ]
    book["Personas"]["K1"] = None
    book.save(path)
    assert _messages(path) == [  # a row with a bad parent does not hide the others' problems
        "sheet 'Touchpoints', row 3, column 'stage' (B): stage 'onbording' not found in "
        "journey 'renewal'; did you mean 'onboarding'?",
        "sheet 'Touchpoints', row 2, column 'emotion' (I): expected a whole number from -2 to "
        "2, got 4",
    ]
    ws["B3"] = "onboarding"
    book.save(path)
    assert _messages(path) == [
        "sheet 'Touchpoints', row 2, column 'emotion' (I): expected a whole number from -2 to "
        "2, got 4",
    ]


def test_excel_not_an_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", "utf-8")
    [message] = _messages(path)
    assert message.startswith("cannot be read as an Excel workbook")


def test_cli_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "workbook.yml"
    path.write_text(
        VALID.replace("emotion: -1", "emotion: 7").replace("effort: 2\n", "efort: 2\n", 1), "utf-8"
    )
    result = cxkit("validate", path)
    assert result.returncode == 1
    assert f"{path}:26: {TP0}.emotion: expected a whole number from -2 to 2, got 7" in result.stderr
    assert (
        f"{path}:27: {TP0}.efort: unknown key 'efort' in touchpoint; did you mean 'effort'?"
        in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_problem_reasons_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "workbook.yml"
    path.write_text(VALID.replace("touchpoints: [renewal-letter]", "touchpoints: [x]"), "utf-8")
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    assert [p.reason for p in info.value.problems] == [Reason.BAD_REFERENCE]
