"""Saving keeps what a person wrote; saving is atomic; Excel round trips lose nothing."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from cxkit._files import atomic_write
from cxkit.errors import WorkbookError
from cxkit.workbook.excel import read_excel, write_excel
from cxkit.workbook.model import Opportunity, Stage, Touchpoint
from cxkit.workbook.starters import create_client, list_starters
from cxkit.workbook.yamlfile import WorkbookFile, load_workbook, save_workbook
from tests.conftest import SAMPLES, WORKBOOKS


def test_unchanged_save_is_byte_identical(valid_copy: Path) -> None:
    before = valid_copy.read_text("utf-8")
    WorkbookFile.load(valid_copy).save()
    assert valid_copy.read_text("utf-8") == before


def test_api_edits_keep_comments_order_and_style(valid_copy: Path) -> None:
    doc = WorkbookFile.load(valid_copy)
    wb = doc.workbook
    wb.client.name = "Northwind Cards Ltd"
    renewal = wb.journey("renewal")
    renewal.stages[0].touchpoints[0].pain_points = ["Arrives after the card expired"]
    renewal.stages.append(
        Stage(
            id="first-use",
            name="First use",
            touchpoints=[Touchpoint(id="first-payment", name="First payment", channel="web")],
        )
    )
    renewal.opportunities.append(
        Opportunity(
            id="sms-reminder",
            title="SMS reminder",
            touchpoints=["first-payment"],
            impact=3,
            effort=1,
        )
    )
    doc.save()
    text = valid_copy.read_text("utf-8")
    # Comments, flow style and key order written by hand survive.
    assert text.startswith("# A small but complete workbook")
    assert "    name: Busy traveller   # never enters a branch\n" in text
    assert '  brand: {primary: "#0b6e4f"}\n' in text
    assert "    stage_map: {Onboarding: onboarding}\n" in text
    assert text.index("  name: Northwind Cards Ltd") < text.index("  language: en")
    # New content is written in the same style, with no noise from defaults.
    assert "            pain_points:\n              - Arrives after the card expired\n" in text
    assert "      - id: first-use\n        name: First use\n        touchpoints:\n" in text
    assert "null" not in text
    assert load_workbook(valid_copy) == wb
    assert (valid_copy.parent / "workbook.yml.bak").read_text("utf-8").count("Ltd") == 0


def test_reordering_and_deleting_items_keeps_their_comments(valid_copy: Path) -> None:
    doc = WorkbookFile.load(valid_copy)
    doc.workbook.personas.reverse()
    del doc.workbook.journey("renewal").stages[1].touchpoints[0].emotion_by_persona["retiree"]
    doc.save()
    text = valid_copy.read_text("utf-8")
    assert text.index("id: retiree") < text.index("id: busy-traveller")
    assert "# never enters a branch" in text
    assert "emotion_by_persona" not in text


def test_save_refuses_an_invalid_workbook_and_keeps_the_file(valid_copy: Path) -> None:
    before = valid_copy.read_text("utf-8")
    doc = WorkbookFile.load(valid_copy)
    doc.workbook.journeys[0].persona = "nobody"
    with pytest.raises(WorkbookError, match="persona 'nobody' not found"):
        doc.save()
    assert valid_copy.read_text("utf-8") == before


def test_interrupted_save_leaves_old_file_intact(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = valid_copy.read_text("utf-8")
    doc = WorkbookFile.load(valid_copy)
    doc.workbook.client.name = "Half written"

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)  # dies after the temp file is written
    with pytest.raises(OSError, match="disk full"):
        doc.save()
    assert valid_copy.read_text("utf-8") == before
    assert sorted(p.name for p in valid_copy.parent.iterdir()) == ["surveys", "workbook.yml"]


def test_atomic_write_keeps_backup_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "notes.yml"
    atomic_write(path, "one\n")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    path.chmod(0o640)
    atomic_write(path, "two\n")
    assert path.read_text() == "two\n"
    assert (tmp_path / "notes.yml.bak").read_text() == "one\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_save_workbook_to_new_path(tmp_path: Path) -> None:
    wb = load_workbook(WORKBOOKS / "valid.yml")
    out = save_workbook(wb, tmp_path / "copy" / "workbook.yml")
    assert load_workbook(out) == wb


# --------------------------------------------------------------------------- Excel

STARTERS = [(s.name, lang) for s in list_starters() for lang in ("he", "en")]


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_excel_round_trip_is_lossless_for_every_sample(sample: Path, tmp_path: Path) -> None:
    wb = load_workbook(sample)
    write_excel(wb, tmp_path / "wb.xlsx")
    assert read_excel(tmp_path / "wb.xlsx") == wb


@pytest.mark.parametrize(("template", "language"), STARTERS)
def test_excel_round_trip_is_lossless_for_starters(
    template: str, language: str, tmp_path: Path
) -> None:
    wb = load_workbook(create_client(tmp_path, "c", template=template, language=language))
    write_excel(wb, tmp_path / "wb.xlsx")
    assert read_excel(tmp_path / "wb.xlsx") == wb


def test_excel_round_trip_of_fixture_with_maps_and_text_that_looks_like_a_formula(
    tmp_path: Path,
) -> None:
    wb = load_workbook(WORKBOOKS / "valid.yml")
    wb.personas[0].quote = '=HYPERLINK("x") is just text'
    wb.surveys[0].value_labels = {"Q3": {"Very satisfied": 5, "מרוצה מאוד": 5}}
    write_excel(wb, tmp_path / "wb.xlsx")
    assert read_excel(tmp_path / "wb.xlsx") == wb


def test_hebrew_excel_sheets_are_right_to_left(tmp_path: Path) -> None:
    import openpyxl

    path = create_client(tmp_path, "c", template="lifecycle", language="he")
    write_excel(load_workbook(path), tmp_path / "wb.xlsx")
    book = openpyxl.load_workbook(tmp_path / "wb.xlsx")
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)


def test_shipped_excel_templates_are_valid_starters(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    for name, language in (("workbook-template.xlsx", "en"), ("workbook-template.he.xlsx", "he")):
        wb = read_excel(ROOT / "templates" / name)
        starter = load_workbook(
            create_client(tmp_path / language, "c", template="five-interfaces", language=language)
        )
        assert wb.journeys == starter.journeys
        assert wb.client.language.value == language


def test_yaml_excel_yaml_keeps_text_with_line_breaks_whole(tmp_path: Path) -> None:
    from tests.conftest import cxkit

    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "workbook.yml").write_text(
        "cxkit: 1\nclient: {name: Acme}\npersonas: [{id: p, name: P}]\n"
        "journeys:\n  - id: j\n    title: J\n    persona: p\n    stages:\n"
        "      - id: s\n        name: S\n        touchpoints:\n"
        "          - id: t\n            name: T\n            channel: web\n"
        '            pain_points: ["first line\\nsecond line\\nthird line", "another"]\n'
        '            questions: ["[draft] is this a JSON list?"]\n'
        "            documents: [one, two]\n"
        "surveys:\n  - id: s\n    file: s.csv\n"
        '    columns: {nps: "How likely are you\\nto recommend us?", comment: "Why: tell us"}\n',
        "utf-8",
    )
    assert cxkit("convert", folder, tmp_path / "wb.xlsx").returncode == 0
    proc = cxkit("convert", tmp_path / "wb.xlsx", tmp_path / "back" / "workbook.yml")
    assert proc.returncode == 0, proc.stderr
    [tp] = [tp for _, tp in load_workbook(tmp_path / "back").journeys[0].touchpoints()]
    assert tp.pain_points == ["first line\nsecond line\nthird line", "another"]
    assert tp.questions == ["[draft] is this a JSON list?"]
    assert tp.documents == ["one", "two"]  # a plain list is still one item per line
    columns = load_workbook(tmp_path / "back").surveys[0].columns
    assert columns.nps == "How likely are you\nto recommend us?"
    assert columns.comment == "Why: tell us"
    sheet = openpyxl.load_workbook(tmp_path / "wb.xlsx")["Touchpoints"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("documents") + 1).value == "one\ntwo"
