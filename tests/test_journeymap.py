"""The poster and persona cards: lanes, RTL mirroring, escaping, snapshots."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cxkit import journeymap
from cxkit.i18n import locale
from cxkit.workbook.model import Persona, Workbook
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT

PENSION = ROOT / "data" / "samples" / "pension-withdrawal" / "workbook.yml"
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def pension() -> Workbook:
    return load_workbook(PENSION)


def test_poster_has_every_lane_and_one_column_per_touchpoint(pension: Workbook) -> None:
    html = journeymap.poster(pension.journey("withdrawal-current"), locale("en"))
    assert "--cx-cols: 8" in html
    for label in (
        "Customer actions",
        "Questions and thoughts",
        "Emotion",
        "Pain points",
        "Opportunities",
        "Backstage and owner",
        "Touchpoints and channels",
    ):
        assert f">{label}<" in html
    assert html.count('class="cx-stage"') == 5
    assert 'class="cx-dup"' in html  # the W-12 form asked for twice


def _dots(html: str) -> list[float]:
    return [float(x) for x in re.findall(r"left: ([\d.]+)%", html)]


def test_emotion_lane_is_mirrored_right_to_left(pension: Workbook) -> None:
    j = pension.journey("withdrawal-current")
    ltr, rtl = _dots(journeymap.poster(j, locale("en"))), _dots(journeymap.poster(j, locale("he")))
    assert ltr == sorted(ltr) and rtl == sorted(rtl, reverse=True)
    assert [round(a + b, 6) for a, b in zip(ltr, rtl, strict=True)] == [100.0] * len(ltr)


def test_labels_come_from_the_locale(pension: Workbook) -> None:
    html = journeymap.poster(pension.journey("withdrawal-current"), locale("he"))
    assert ">נקודות כאב<" in html and "Pain points" not in html


def test_user_text_is_escaped() -> None:
    wb = Workbook.model_validate(
        {
            "cxkit": 1,
            "client": {"name": XSS},
            "personas": [{"id": "p", "name": XSS, "quote": XSS, "goals": [XSS]}],
            "journeys": [
                {
                    "id": "j",
                    "title": XSS,
                    "persona": "p",
                    "stages": [
                        {
                            "id": "s",
                            "name": XSS,
                            "touchpoints": [
                                {
                                    "id": "t",
                                    "name": XSS,
                                    "channel": "web",
                                    "emotion": -1,
                                    "action": XSS,
                                    "questions": [XSS],
                                    "pain_points": [XSS],
                                    "owner": XSS,
                                    "documents": [XSS],
                                    "moment_of_truth": True,
                                    "moment_of_truth_reason": '"><script>x</script>',
                                }
                            ],
                        }
                    ],
                    "opportunities": [
                        {"id": "o", "title": XSS, "touchpoints": ["t"], "impact": 5, "effort": 1}
                    ],
                }
            ],
        }
    )
    html = journeymap.poster(wb.journeys[0], locale("en")) + journeymap.persona_cards(
        wb.personas, locale("en"), brand="#000000"
    )
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_persona_card_initials() -> None:
    # initials come from the name, not from the description after the comma
    assert journeymap.initials("Ruth, retiring this year") == "R"
    assert journeymap.initials("Dana Levi, the busy long-time cardholder") == "DL"
    assert journeymap.initials("Dana Levi - renter") == "DL"
    assert journeymap.initials("מיכל, האמא שמתכננת") == "מ"
    cards = journeymap.persona_cards([Persona(id="p", name="Solo")], locale("en"), brand="#000")
    assert ">S<" in cards and "Goals" not in cards  # empty lists are left out


def test_poster_snapshot(pension: Workbook, snapshot: Any) -> None:
    j = pension.journey("withdrawal-current")
    assert journeymap.poster(j, locale("en")) == snapshot(name="en")
    assert journeymap.poster(j, locale("he")) == snapshot(name="he")
    assert journeymap.persona_cards(pension.personas, locale("en"), brand="#1b4d3e") == snapshot(
        name="personas"
    )
