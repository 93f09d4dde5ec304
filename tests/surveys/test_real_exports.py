"""Real survey exports written by other people (``../shared/real-exports/``, outside the repo).

The folder sits next to the repository's root; when it is absent (a clone without
it) every test here skips, saying so. The files are never copied into the project.
Each expected figure below was computed by hand with plain pandas from the file
(promoters 9-10, detractors 0-6, over the non-blank answers), not by cxkit.
"""

from __future__ import annotations

import json

import pytest

from cxkit.surveys.responses import count_responses, read_survey, suggest_roles
from tests.conftest import ROOT, cxkit

REAL = ROOT.parent / "shared" / "real-exports"
pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"no real exports at {REAL} (../shared/real-exports/)"
)

# file, format, layout, header rows, data rows, responses, metric roles suggested
FILES = [
    ("qualtRics_sample.csv", "qualtrics", "qualtrics", 3, 1, 1, {}),
    # 31 generated rows, every one Status 2 (a Qualtrics test response)
    (
        "QualtricsTools_Long_Exhaustive_Sample_Survey.csv",
        "qualtrics",
        "qualtrics-2016",
        3,
        31,
        0,
        {},
    ),
    (
        "rstudio_2019_R_community_survey_en.tsv",
        "google-forms",
        "google-forms",
        1,
        1838,
        1838,
        {"nps": "How likely are you to recommend R to a colleague, friend, or family member?"},
    ),
    ("preppin_2019w40_sudzilla_survey.csv", "google-forms", "google-forms", 1, 39, 39, {}),
    ("cantera_user_survey_2020_responses.csv", "typeform", "typeform-grouped", 2, 55, 55, {}),
    (
        "ohbm_2022_community_survey_public.csv",
        "surveymonkey",
        "surveymonkey-resaved",
        2,
        311,
        311,
        {},
    ),
    (
        "uppmax_20251006_r_course_evaluation.csv",
        "microsoft-forms",
        "microsoft-forms",
        1,
        6,
        6,
        {},
    ),
]


@pytest.mark.parametrize(("name", "fmt", "layout", "heads", "rows", "kept", "metrics"), FILES)
def test_layout_rows_responses_and_metric_columns(name, fmt, layout, heads, rows, kept, metrics):
    raw = read_survey(REAL / name)
    assert (raw.format.value, raw.layout, raw.header_rows, raw.rows) == (fmt, layout, heads, rows)
    assert count_responses(raw)[0] == kept
    roles = suggest_roles(raw)
    assert {m: c for m, c in roles.items() if m in {"nps", "csat", "ces"}} == metrics


def _score(*args: str) -> dict:
    result = cxkit("score", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rstudio_nps_of_r_and_of_python():
    path = REAL / "rstudio_2019_R_community_survey_en.tsv"
    r = _score(str(path))["groups"][0]["nps"]
    # 1,795 answers: 1,107 tens + 279 nines, 58 of 0-6 -> 100 * 1328 / 1795
    assert (r["n"], r["score"], r["promoters"], r["detractors"]) == (1795, 73.98, 77.21, 3.23)
    q = "How likely are you to recommend Python to a colleague, friend, or family member?"
    py = _score(str(path), "--nps", q)["groups"][0]["nps"]
    # 1,015 answers: 335 promoters, 308 detractors -> 100 * 27 / 1015
    assert (py["n"], py["score"], py["promoters"], py["detractors"]) == (1015, 2.66, 33.0, 30.34)


def test_preppin_rating_is_not_suggested_but_scores_as_nps_when_named():
    path = REAL / "preppin_2019w40_sudzilla_survey.csv"
    q = "On a scale of 0-10, how would you rate Sudzilla?"
    nps = _score(str(path), "--nps", q)["groups"][0]["nps"]
    # 39 answers: 8 promoters, 22 detractors -> 100 * -14 / 39
    assert (nps["n"], nps["score"]) == (39, -35.9)
    refused = cxkit("score", str(path), "--csat", q)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"error: CSAT not scored: column '{q}' holds a 0-10 scale: 22 of 39 answers are off "
        "the 1-5 CSAT scale. If that is the question's own scale, score it on that scale "
        "with --csat-scale 0-10 (workbook: csat_scale: {min: 0, max: 10})"
    )


def test_uppmax_yes_no_recommend_is_refused_and_rating_scores_on_its_scale():
    path = REAL / "uppmax_20251006_r_course_evaluation.csv"
    q = "Would you recommend this course to someone else?"
    refused = cxkit("score", str(path), "--nps", q)
    assert refused.returncode == 1
    assert "holds a 2-point labelled scale (Yes, No), not 0-10 numbers" in refused.stderr
    rating = "Overall, how would you rate today's training event?"
    csat = _score(str(path), "--csat", rating, "--csat-scale", "1-10")["groups"][0]["csat"]
    # answers 10, 1, 9, 9, 9, 8: top two points (9-10) 4 of 6; mean 46 / 6
    assert (csat["n"], csat["top2"], csat["mean"], csat["confidence"]) == (6, 66.67, 7.67, "low")


@pytest.mark.parametrize(
    "name",
    [
        "qualtRics_sample.csv",
        "QualtricsTools_Long_Exhaustive_Sample_Survey.csv",
        "cantera_user_survey_2020_responses.csv",
        "ohbm_2022_community_survey_public.csv",
    ],
)
def test_files_without_a_metric_are_refused_plainly(name):
    result = cxkit("score", str(REAL / name))
    assert result.returncode == 1
    assert "no NPS, CSAT or CES column found" in result.stderr
    assert "Traceback" not in result.stderr
