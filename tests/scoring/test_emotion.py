"""One rule for measured emotion: the report and cxkit.scoring.emotion agree, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cxkit.report.data import survey_data
from cxkit.report.sections import Report
from cxkit.scoring.emotion import measured_emotion, response_emotion
from cxkit.surveys.answers import DEFAULT_CES, DEFAULT_CSAT
from cxkit.surveys.responses import load_responses
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import FIXTURES

HOTEL = FIXTURES / "surveys" / "hotel-workbook.yml"
SCALES = {"csat": DEFAULT_CSAT, "ces": DEFAULT_CES}


def test_one_nps_response_counts_as_its_nps_score_over_50() -> None:
    # 2 promoters, 1 passive, 1 detractor: NPS = 100 x (2 - 1) / 4 = 25 -> emotion 0.5
    frame = pd.DataFrame({"nps": [10.0, 9.0, 7.0, 3.0]})
    each = response_emotion(frame, SCALES)
    assert list(each) == [2.0, 2.0, 0.0, -2.0]
    assert each.mean() == pytest.approx(25 / 50)


def test_csat_wins_over_nps_and_ces_on_one_response() -> None:
    frame = pd.DataFrame(
        {"csat": [5.0, None, None], "nps": [0.0, 10.0, None], "ces": [1.0, 1.0, 7.0]}
    )
    # CSAT 5 on 1-5 -> +2; no CSAT, NPS 10 -> +2; only CES 7 on 1-7 -> +2
    assert list(response_emotion(frame, SCALES)) == [2.0, 2.0, 2.0]
    frame = pd.DataFrame({"csat": [None], "nps": [None], "ces": [4.0]})
    assert list(response_emotion(frame, SCALES)) == [0.0]


def test_the_report_uses_the_emotion_module_rule() -> None:
    wb = load_workbook(HOTEL)
    responses = load_responses(wb, HOTEL, wb.surveys[0])
    journey = wb.journeys[0]
    stages = {r.stage: r for r in measured_emotion(responses, journey, level="stage")}
    data = survey_data(wb, HOTEL)
    assert data is not None
    measured = data.journeys[journey.id].measured_emotion
    # the survey names stages only, so each touchpoint carries its stage's value
    for stage, tp in journey.touchpoints():
        row = stages[stage.id]
        if row.n:
            assert measured[tp.id] == round(row.emotion, 2)
        else:
            assert tp.id not in measured
    # room: CSAT answers 2 and 3 on 1-5 -> mean 2.5 -> 4 x 1.5 / 4 - 2 = -0.5 (by hand)
    assert measured["room-itself"] == -0.5
    assert not math.isnan(stages["room"].emotion)


def test_the_method_appendix_states_the_rule_with_its_formula() -> None:
    html = str(Report.load(HOTEL).appendix())
    assert "NPS / 50" in html and "4 × (mean − min) / (max − min) − 2" in html
