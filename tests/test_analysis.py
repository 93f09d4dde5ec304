"""Journey findings on small, named workbooks: one case per finding."""

from __future__ import annotations

import pytest

from cxkit import analysis
from cxkit.workbook.model import Journey
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT, WORKBOOKS

PENSION = ROOT / "data" / "samples" / "pension-withdrawal" / "workbook.yml"


@pytest.fixture(scope="module")
def pension() -> Journey:
    return load_workbook(PENSION).journey("withdrawal-current")


def _journey(**tp_overrides: object) -> Journey:
    stages = [
        {
            "id": "one",
            "name": "One",
            "touchpoints": [
                {
                    "id": "a",
                    "name": "A",
                    "channel": "web",
                    "emotion": 1,
                    "effort": 2,
                    "documents": ["Form W-12."],
                    "owner": "Payments",
                    "value": "adds",
                },
                {
                    "id": "b",
                    "name": "B",
                    "channel": "phone",
                    "emotion": 2,
                    "effort": 1,
                    "pain_points": ["p1"],
                    "value": "needed",
                },
            ],
        },
        {
            "id": "two",
            "name": "Two",
            "touchpoints": [
                {
                    "id": "c",
                    "name": "C",
                    "channel": "mail",
                    "emotion": -2,
                    "effort": 5,
                    "documents": ["form w-12"],
                    "owner": "Tax",
                    "pain_points": ["p2", "p3"],
                    "expectation": "One letter",
                    "value": "waste",
                    **tp_overrides,
                },
            ],
        },
    ]
    opps = [
        {"id": "big", "title": "Big", "touchpoints": ["c"], "impact": 5, "effort": 5},
        {"id": "quick", "title": "Quick", "touchpoints": ["c", "a"], "impact": 4, "effort": 1},
        {"id": "small", "title": "Small", "touchpoints": [], "impact": 2, "effort": 1},
        {"id": "done", "title": "Done", "impact": 5, "effort": 1, "status": "done"},
    ]
    return Journey.model_validate(
        {"id": "j", "title": "J", "persona": "p", "stages": stages, "opportunities": opps}
    )


def test_flagged_moments_come_first_with_their_reason(pension: Journey) -> None:
    moments = analysis.moments_of_truth(pension)
    assert moments[0].flagged and moments[0].touchpoint_id == "sends-form-again-tax"
    assert "stops trusting" in (moments[0].reason or "")


def test_steepest_drop_is_suggested_with_values() -> None:
    (m,) = analysis.moments_of_truth(_journey())
    assert (m.touchpoint_id, m.kind, m.values["before"], m.values["after"]) == (
        "c",
        "emotion-drop",
        2,
        -2,
    )


@pytest.mark.parametrize(
    ("kwargs", "kind", "tp"),
    [
        ({"lowest_score": ("one", "nps", -40.0)}, "lowest-score", "a"),
        ({"negative_comments": {"b": 7, "a": 1}}, "negative-verbatims", "b"),
    ],
)
def test_data_suggests_moments(kwargs: dict, kind: str, tp: str) -> None:
    j = _journey(moment_of_truth=True)  # c is flagged: the emotion drop adds nothing new
    found = {m.kind: m.touchpoint_id for m in analysis.moments_of_truth(j, **kwargs)}
    assert found == {"flagged": "c", kind: tp}


def test_hotspots_count_pain_points_by_channel_and_stage() -> None:
    spots = analysis.hotspots(_journey())
    assert spots.channels == ("web", "phone", "mail")
    assert spots.counts == ((0, 0), (1, 0), (0, 2)) and spots.total == 3


def test_duplicated_document_is_found_across_owners(pension: Journey) -> None:
    docs = [d for d in analysis.duplicated_steps(pension) if d.kind == "document"]
    assert {d.text for d in docs} >= {"Withdrawal request form W-12"}
    w12 = next(d for d in docs if "W-12" in d.text)
    assert [t[0] for t in w12.touchpoints] == ["sends-form-payments", "sends-form-again-tax"]
    assert w12.owners == ("Payments", "Tax & Compliance")


def test_duplicates_ignore_case_and_punctuation() -> None:
    (dup,) = analysis.duplicated_steps(_journey())
    assert dup.kind == "document" and dup.owners == ("Payments", "Tax")


def test_the_exercise_check_and_the_report_agree_on_duplicated_documents() -> None:
    from cxkit.course.exercises import duplicated_documents

    # "Form W-12." and "form w-12" differ only in case and punctuation: one document
    assert duplicated_documents(_journey()) == {"Form W-12.": ["a", "c"]}


def test_value_stream_and_effort_by_stage() -> None:
    one, two = analysis.value_stream(_journey())
    assert (one.adds, one.needed, one.waste, one.share("adds")) == (1, 1, 0, 0.5)
    assert two.share("waste") == 1.0
    e1, e2 = analysis.effort_by_stage(_journey())
    assert (e1.mean, e1.max, e2.mean) == (1.5, 2, 5.0)


def test_expectation_gaps_prefer_measured_emotion() -> None:
    (gap,) = analysis.expectation_gaps(_journey())
    assert (gap.touchpoint_id, gap.assumed, gap.measured) == ("c", -2, None)
    (gap,) = analysis.expectation_gaps(_journey(), {"c": -0.4})
    assert gap.experience == -0.4
    assert analysis.expectation_gaps(_journey(), {"c": 0.5}) == []


def test_quick_wins_rank_first_and_closed_ones_last() -> None:
    ranked = analysis.rank_opportunities(_journey())
    assert [r.opportunity.id for r in ranked] == ["quick", "big", "small", "done"]
    assert [r.quadrant for r in ranked][:3] == ["quick-win", "major-project", "fill-in"]
    quick = ranked[0]
    assert quick.touchpoints == (("c", "C"), ("a", "A")) and quick.pain_points == ("p2", "p3")


def test_journey_stats() -> None:
    s = analysis.journey_stats(_journey())
    assert (s.stages, s.touchpoints, s.pain_points) == (2, 3, 3)
    assert s.mean_effort == pytest.approx(8 / 3) and s.waste_share == pytest.approx(1 / 3)


def test_empty_journey_has_no_findings() -> None:
    j = load_workbook(WORKBOOKS / "valid.yml").journey("renewal-future")
    assert analysis.moments_of_truth(j) == [] and analysis.duplicated_steps(j) == []
    assert analysis.hotspots(j).total == 0 and analysis.rank_opportunities(j) == []
