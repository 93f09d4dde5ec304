"""Scores quoted in findings are read however a student writes them, in either language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cxkit.course.exercises import check_file
from cxkit.course.quotes import quoted_intervals
from cxkit.workbook.yamlfile import WorkbookFile
from tests.conftest import ROOT

KEY = ROOT / "templates" / "trainer" / "ex04-scoring"

Q = tuple[str, float, float, float]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NPS -15 (95% CI -18 to -11)", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS −15 (95% CI −18 – −11)", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS -15 (95% CI -18 to -11, n = 1,940)", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS +11 (95% CI 4 to 19; n=368;)", [("NPS", 11.0, 4.0, 19.0)]),
        ("NPS +11 [4, 19]", [("NPS", 11.0, 4.0, 19.0)]),
        ("CSAT 45% (43% to 47%)", [("CSAT", 45.0, 43.0, 47.0)]),
        ("CSAT 45% (43%-47%)", [("CSAT", 45.0, 43.0, 47.0)]),
        (
            "CSAT 45% [43, 47] and CES 4.23 (4.16 to 4.30)",
            [("CSAT", 45.0, 43.0, 47.0), ("CES", 4.23, 4.16, 4.30)],
        ),
        ("CES 4,23 (4,16 עד 4,30)", [("CES", 4.23, 4.16, 4.30)]),
        ("NPS -15 ± 3.5", [("NPS", -15.0, -18.5, -11.5)]),
        ("NPS -15 (95% רווח סמך -18 עד -11)", [("NPS", -15.0, -18.0, -11.0)]),
        ("ה-NPS הוא 15- (רווח סמך 95%: 18- עד 11-)", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS \u200e15-\u200e (18- עד 11-), n=1,940", [("NPS", -15.0, -18.0, -11.0)]),
        ("NPS בשלב החידוש 52- (58- – 46-)", [("NPS", -52.0, -58.0, -46.0)]),
        ("ציון ה-CSAT הוא 25% (בין 21% ל-30%)", [("CSAT", 25.0, 21.0, 30.0)]),
        ("NPS was -15, far below last year", []),
        ("NPS 40 (10 to 20)", []),  # the estimate must sit inside its interval
        ("Q3 NPS -15 (-18 to -11)", [("NPS", -15.0, -18.0, -11.0)]),
    ],
)
def test_quote_formats(text: str, expected: list[Q]) -> None:
    assert quoted_intervals(text) == expected


@pytest.mark.parametrize(
    "description",
    [
        "Overall NPS -26 (95% CI -30 to -23, n = 1,921); the new card: NPS -52 (-58 to -46).",
        "Overall NPS −26 [−30, −23]; new card CSAT 25% (21% to 30%).",
        "CSAT mean 3.15 (3.09 to 3.20); CES agree 38.5% (36.3% to 40.8%).",
        "ה-NPS הכולל 26- (רווח סמך 30- עד 23-); בשלב הכרטיס החדש 52- (58- עד 46-).",
        "NPS -26 ± 3.6 overall, and NPS -13 (-21 to -5) for contacting the bank.",
    ],
)
def test_true_quotes_in_either_language_earn_the_interval_points(
    description: str, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    shutil.copytree(KEY, folder)
    doc = WorkbookFile.load(folder)
    doc.workbook.journeys[0].description = description
    doc.save()
    (intervals,) = [c for c in check_file(folder, 4, "en").criteria if c.id == "intervals"]
    assert (intervals.earned, intervals.feedback) == (40.0, [])
