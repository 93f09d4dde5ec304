"""Metrics: worked checks from SCORING-NOTES, properties, comparisons, emotion, themes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit.errors import CxkitError, SurveyError
from cxkit.scoring.compare import compare, compare_groups, trend
from cxkit.scoring.emotion import measured_emotion, to_emotion
from cxkit.scoring.scores import confidence, nps_interval, score, wilson
from cxkit.scoring.themes import explain, load_codebook, tag_comment, tag_themes, theme_summary
from cxkit.surveys.responses import load_responses
from cxkit.workbook.model import Scale
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import FIXTURES, ROOT

FIX = FIXTURES / "surveys"


def nps_frame(promoters: int, passives: int, detractors: int, **cols: list) -> pd.DataFrame:
    values = [10.0] * promoters + [8.0] * passives + [2.0] * detractors
    return pd.DataFrame({"nps": values, **cols})


# --------------------------------------------------------------------------- worked checks


def test_adjusted_wald_worked_check():
    nps = score(nps_frame(90, 50, 60)).all.nps
    assert nps is not None
    assert round(nps.score, 1) == 15.0
    assert (round(nps.low, 1), round(nps.high, 1)) == (3.1, 26.5)
    assert (nps.promoters, nps.passives, nps.detractors) == pytest.approx((45, 25, 30))


def test_wilson_worked_check():
    frame = pd.DataFrame({"csat": [5.0] * 100 + [4.0] * 60 + [2.0] * 40})
    csat = score(frame).all.csat
    assert csat is not None
    assert csat.top2 == 80.0
    assert (round(csat.low, 1), round(csat.high, 1)) == (73.9, 85.0)


def test_t_interval_for_means():
    frame = pd.DataFrame({"ces": [1.0, 2, 3, 4, 5, 6, 7]})
    ces = score(frame).all.ces
    assert ces is not None
    # mean 4, sd 2.160, se 0.8165, t(6) 2.4469 -> 4 +- 1.998
    assert (ces.mean, ces.low, ces.high) == pytest.approx((4.0, 2.002, 5.998), abs=1e-3)
    assert ces.agree == pytest.approx(300 / 7)


def test_weights_use_kish_effective_n():
    frame = pd.DataFrame({"nps": [10.0, 0.0], "weight": [3.0, 1.0]})
    nps = score(frame).all.nps
    assert nps is not None
    assert nps.score == pytest.approx(50.0)  # (3 - 1) / 4
    assert nps.n_effective == pytest.approx(16 / 10)


def test_wald_width_at_n_100_is_about_plus_minus_18():
    low, high = nps_interval(40, 30, 100)
    assert 15 < (high - low) / 2 < 21


@pytest.mark.parametrize(
    ("n", "label"), [(0, "low"), (29, "low"), (30, "directional"), (99, "directional"), (100, "ok")]
)
def test_confidence_bands(n, label):
    assert confidence(n) == label


def test_small_groups_are_flagged_low_confidence():
    table = score(nps_frame(20, 5, 5, segment=["a"] * 29 + ["b"]), by="segment")
    flags = {g.group: g.nps.low_confidence for g in table.groups if g.nps}
    assert flags == {"ALL": False, "a": True, "b": True}


def test_empty_group_gives_nan_not_an_error():
    assert np.isnan(wilson(0, 0)[0])
    frame = pd.DataFrame({"nps": [np.nan, 9.0], "csat": [4.0, np.nan], "s": ["x", "y"]})
    table = score(frame, by="s")
    x = next(g for g in table.groups if g.group == "x")
    assert x.nps is not None and x.nps.n == 0 and np.isnan(x.nps.score)
    assert x.to_dict()["nps"]["score"] is None


def test_blank_group_values_form_a_none_group():
    frame = pd.DataFrame({"nps": [9.0, 3.0, 7.0], "segment": ["a", None, "a"]})
    assert [g.group for g in score(frame, by="segment").groups] == ["ALL", "a", "(none)"]


def test_cross_tab_by_two_columns():
    frame = nps_frame(2, 0, 2, stage=["s1", "s2", "s1", "s2"], segment=["x", "x", "y", "y"])
    table = score(frame, by=["stage", "segment"])
    assert [g.group for g in table.groups] == ["ALL", "s1 / x", "s1 / y", "s2 / x", "s2 / y"]
    assert table.groups[1].keys == {"stage": "s1", "segment": "x"}
    assert list(table.frame.columns[:3]) == ["group", "stage", "segment"]


def test_unknown_grouping_column_is_a_user_error():
    with pytest.raises(CxkitError, match="cannot group by 'region'"):
        score(nps_frame(1, 1, 1), by="region")


def test_methods_are_stated():
    table = score(pd.DataFrame({"nps": [9.0], "csat": [4.0]}))
    assert "adjusted-Wald" in table.methods["nps"]
    assert "Wilson" in table.methods["csat"] and "t interval" in table.methods["csat"]
    assert "ces" not in table.methods


# --------------------------------------------------------------------------- properties

answers = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(answers)
def test_nps_is_within_bounds_and_inside_its_interval(values):
    nps = score(pd.DataFrame({"nps": np.array(values, dtype=float)})).all.nps
    assert nps is not None
    assert -100 <= nps.low <= nps.score <= nps.high <= 100
    assert nps.promoters + nps.passives + nps.detractors == pytest.approx(100)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=500), st.sampled_from([9, 10]))
def test_all_promoters_is_100(n, value):
    nps = score(pd.DataFrame({"nps": [float(value)] * n})).all.nps
    assert nps is not None and nps.score == 100 and nps.high == 100


@settings(max_examples=100, deadline=None)
@given(answers, st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_row_order(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    a = score(pd.DataFrame({"nps": np.array(values, float)})).all.nps
    b = score(pd.DataFrame({"nps": np.array(shuffled, float)})).all.nps
    assert a is not None and b is not None
    assert (a.score, a.low, a.high) == pytest.approx((b.score, b.low, b.high))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200))
def test_csat_intervals_contain_their_estimates(values):
    csat = score(pd.DataFrame({"csat": np.array(values, float)})).all.csat
    assert csat is not None
    assert 0 <= csat.low <= csat.top2 <= csat.high <= 100
    if len(values) > 1:
        assert 1 <= csat.mean_low <= csat.mean <= csat.mean_high <= 5


@settings(max_examples=50, deadline=None)
@given(answers, st.lists(st.sampled_from(["a", "b", "c"]), min_size=300, max_size=300))
def test_groups_add_up_to_all(values, groups):
    frame = pd.DataFrame({"nps": np.array(values, float), "g": groups[: len(values)]})
    table = score(frame, by="g")
    assert sum(g.n for g in table.groups[1:]) == table.all.n


# --------------------------------------------------------------------------- comparisons


def test_compare_nps_says_a_real_difference_is_real():
    frame = pd.concat(
        [nps_frame(60, 0, 40, seg=["web"] * 100), nps_frame(30, 0, 70, seg=["phone"] * 100)]
    )
    c = compare(frame, "nps", "seg", "web", "phone")
    assert c.difference == pytest.approx(60)  # NPS 20 vs -40
    assert c.significant and c.p_value < 0.001
    assert c.low < 60 < c.high
    assert "The difference is real" in c.verdict
    assert "p < 0.001" in c.verdict  # not "p = 0.000"


def test_compare_small_difference_could_be_chance():
    frame = pd.concat([nps_frame(11, 5, 9, seg=["a"] * 25), nps_frame(10, 5, 10, seg=["b"] * 25)])
    c = compare(frame, "nps", "seg", "a", "b")
    assert not c.significant
    assert "could be chance" in c.verdict and "Low confidence" in c.verdict


def test_groups_too_small_to_test_say_so_in_both_languages():
    from cxkit.i18n.messages import in_language

    frame = pd.DataFrame({"nps": [9.0, 3.0, 10.0], "seg": ["a", "b", "b"]})
    c = compare(frame, "nps", "seg", "a", "b")
    assert c.method == "not tested (fewer than 2 answers)"
    assert c.verdict == "NPS: 'a' 100.0 (n=1) vs 'b' 0.0 (n=2): too few answers to test."
    assert in_language(c.method, "he") == "לא נבדק (פחות מ-2 תשובות)"
    assert in_language(c.verdict, "he").endswith(": אין מספיק תשובות לבדיקה.")


@pytest.mark.parametrize(
    ("metric", "method"),
    [("csat", "Newcombe"), ("csat_mean", "Welch"), ("ces", "Welch"), ("ces_agree", "Newcombe")],
)
def test_compare_other_metrics(metric, method):
    frame = pd.DataFrame(
        {
            "csat": [5.0, 4, 4, 2, 1, 1] * 10,
            "ces": [7.0, 6, 5, 3, 2, 1] * 10,
            "seg": ["a", "a", "a", "b", "b", "b"] * 10,
        }
    )
    c = compare(frame, metric, "seg", "a", "b")
    assert method in c.method and c.significant


def _mixed_frame(seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 240
    return pd.DataFrame(
        {
            "nps": rng.integers(0, 11, n).astype(float),
            "csat": rng.integers(1, 6, n).astype(float),
            "ces": rng.integers(1, 8, n).astype(float),
            "seg": rng.choice(["a", "b"], n, p=[0.4, 0.6]),
        }
    )


def test_welch_matches_scipy_without_weights():
    from scipy import stats

    frame = _mixed_frame()
    c = compare(frame, "ces", "seg", "a", "b")
    xa = frame.loc[frame["seg"] == "a", "ces"]
    xb = frame.loc[frame["seg"] == "b", "ces"]
    res = stats.ttest_ind(xa, xb, equal_var=False)
    ci = res.confidence_interval(0.95)
    assert (c.p_value, c.low, c.high) == pytest.approx((res.pvalue, ci.low, ci.high))


@pytest.mark.parametrize("metric", ["nps", "csat", "csat_mean", "ces", "ces_agree"])
def test_equal_weights_test_exactly_as_no_weights(metric):
    frame = _mixed_frame()
    plain = compare(frame, metric, "seg", "a", "b")
    weighted = compare(frame.assign(weight=2.5), metric, "seg", "a", "b")
    assert (weighted.p_value, weighted.low, weighted.high) == pytest.approx(
        (plain.p_value, plain.low, plain.high)
    )
    assert "weighted (Kish effective n)" in weighted.method
    assert "weighted" not in plain.method


@pytest.mark.parametrize("metric", ["nps", "csat", "ces"])
def test_uneven_weights_shrink_the_evidence(metric):
    # 70/30 against 30/70: clear with 100 answers a side. Weighting ten respondents a
    # side 5000x leaves every estimate where it was but the effective n near 10, and
    # the same gap is no longer conclusive.
    high = {"nps": 10.0, "csat": 5.0, "ces": 7.0}[metric]
    low = {"nps": 3.0, "csat": 2.0, "ces": 2.0}[metric]
    values = [high] * 70 + [low] * 30 + [high] * 30 + [low] * 70
    heavy = [50.0] * 7 + [0.01] * 63 + [50.0] * 3 + [0.01] * 27  # a: 7 of 70, 3 of 30
    heavy += [50.0] * 3 + [0.01] * 27 + [50.0] * 7 + [0.01] * 63  # b: 3 of 30, 7 of 70
    frame = pd.DataFrame({metric: values, "seg": ["a"] * 100 + ["b"] * 100})
    plain = compare(frame, metric, "seg", "a", "b")
    weighted = compare(frame.assign(weight=heavy), metric, "seg", "a", "b")
    assert plain.significant
    assert weighted.difference == pytest.approx(plain.difference, rel=0.01)
    assert not weighted.significant, weighted.verdict
    assert weighted.n_a == 100  # answers are still counted as answers


def test_compare_unknown_group_lists_the_values():
    with pytest.raises(CxkitError, match=r"no responses with seg = 'c' \(values: a, b\)"):
        compare(nps_frame(1, 0, 1, seg=["a", "b"]), "nps", "seg", "a", "c")


def test_compare_groups_uses_benjamini_hochberg():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {"nps": rng.integers(0, 11, 600).astype(float), "stage": rng.choice(list("abcdef"), 600)}
    )
    out = compare_groups(frame, "stage")
    assert len(out) == 6
    for c in out:
        assert c.p_adjusted is not None and c.p_adjusted >= c.p_value
        assert "Benjamini-Hochberg" in c.method


def test_trend_orders_periods_and_tests_each_step():
    frame = pd.DataFrame(
        {
            "nps": [10.0] * 40 + [0.0] * 40 + [10.0] * 20 + [0.0] * 60,
            "month": ["2024-02"] * 80 + ["2024-01"] * 80,
        }
    )
    t = trend(frame, "nps", period="month")
    assert [g.group for g in t.table.groups] == ["ALL", "2024-01", "2024-02"]
    (step,) = t.changes
    assert (step.a, step.b) == ("2024-02", "2024-01")
    assert step.difference == pytest.approx(50)


# --------------------------------------------------------------------------- emotion


@pytest.mark.parametrize(
    ("value", "metric", "scale", "expected"),
    [
        (-100, "nps", Scale(min=0, max=10), -2),
        (0, "nps", Scale(min=0, max=10), 0),
        (50, "nps", Scale(min=0, max=10), 1),
        (1, "csat", Scale(min=1, max=5), -2),
        (3, "csat", Scale(min=1, max=5), 0),
        (5, "csat", Scale(min=1, max=5), 2),
        (4, "ces", Scale(min=1, max=7), 0),
        (7, "ces", Scale(min=1, max=7), 2),
        (1, "ces", Scale(min=1, max=5, higher_is_better=False), 2),
    ],
)
def test_emotion_mapping(value, metric, scale, expected):
    assert float(to_emotion(value, metric, scale)) == pytest.approx(expected)


def test_measured_emotion_per_stage_against_assumed():
    path = FIX / "hotel-workbook.yml"
    wb = load_workbook(path)
    responses = load_responses(wb, path, wb.surveys[0])
    rows = measured_emotion(responses, wb.journeys[0], level="stage")
    assert [r.stage for r in rows] == ["check-in", "room", "check-out"]
    room = rows[1]
    # CSAT answers 2 and 3 on 1-5 -> mean 2.5 -> 4 x 1.5 / 4 - 2 = -0.5; assumed +1
    assert (room.metric, room.n, room.emotion, room.assumed) == ("csat", 2, -0.5, 1.0)
    assert room.gap == pytest.approx(-1.5) and room.low_confidence
    tps = measured_emotion(responses, wb.journeys[0])
    assert [r.touchpoint for r in tps] == ["front-desk", "room-itself", "bill"]
    assert all(r.n == 0 and r.metric is None for r in tps)  # survey names stages only


# --------------------------------------------------------------------------- themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Waited an hour in the queue", ["waiting"]),
        ("The agent was rude and it was too expensive", ["staff-attitude", "price"]),
        ("וההמתנה הייתה ארוכה", ["waiting"]),  # prefixes ו + ה stripped
        ("הנציגה הייתה אדיבה מאוד", ["staff-attitude"]),
        ("I called again and again, nobody called back", ["repeated-contact"]),
        ("The app kept crashing on login", ["digital-channel"]),
        ("Lovely view", []),
        ("", []),
    ],
)
def test_theme_tagging(text, themes):
    assert tag_comment(text) == themes


def test_explain_shows_the_keyword_that_fired():
    assert explain("we were on hold forever")["waiting"] == ["on hold"]


def test_tag_themes_is_aligned_and_handles_blanks():
    s = pd.Series(["too expensive", None, "rude staff"], index=[5, 6, 7])
    tags = tag_themes(s)
    assert list(tags.index) == [5, 6, 7]
    assert list(tags["price"]) == [True, False, False]


def test_theme_summary_counts_by_stage_and_nps_group():
    frame = pd.DataFrame(
        {
            "comment": [
                "too expensive",
                "waited ages in the queue",
                None,
                "expensive but worth it",
            ],
            "stage": ["pay", "arrive", "pay", "pay"],
            "nps": [2.0, 3.0, 10.0, 9.0],
        }
    )
    summary = theme_summary(frame, by="stage")
    assert (summary.comments, summary.tagged) == (3, 3)
    assert summary.counts.loc["price", "pay"] == 2 and summary.counts.loc["price", "ALL"] == 2
    assert summary.by_nps_group.loc["price", "detractor"] == 1
    # 20-240 characters first, then file order: the short one comes last
    assert summary.quotes["price"] == ["expensive but worth it", "too expensive"]


def test_user_codebook_and_its_errors(tmp_path):
    good = tmp_path / "themes.yml"
    good.write_text(
        "themes:\n  parking:\n    label: {en: Parking}\n    keywords:\n"
        "      en: [parking, car park]\n      he: [חניה]\n",
        encoding="utf-8",
    )
    book = load_codebook(good)
    assert tag_comment("no car park at all", book) == ["parking"]
    assert tag_comment("אין חניה", book) == ["parking"]
    bad = tmp_path / "bad.yml"
    bad.write_text("themes:\n  parking:\n    keywords: [parking]\n")
    with pytest.raises(SurveyError, match=r"themes.parking: expected 'keywords:'"):
        load_codebook(bad)


@pytest.mark.parametrize(
    "module",
    [
        "cxkit.scoring.scores",
        "cxkit.scoring.compare",
        "cxkit.scoring.themes",
        "cxkit.surveys.responses",
    ],
)
def test_docstring_examples_run(module, monkeypatch):
    import doctest
    import importlib

    monkeypatch.chdir(ROOT)  # examples use repo-relative paths
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_t_quantile_matches_scipy() -> None:
    from scipy import stats

    from cxkit.scoring.scores import Z, t975

    df = np.concatenate([np.arange(1, 31), np.arange(31, 5000, 7), [10_000, 1e6]])
    assert np.max(np.abs(t975(df) - stats.t.ppf(0.975, df))) < 2e-7
    assert pytest.approx(stats.norm.ppf(0.975), abs=1e-15) == Z


def test_wilson_matches_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    from cxkit.scoring.scores import wilson

    count = np.array([0, 1, 5, 37, 160, 200, 999])
    nobs = np.array([10, 3, 9, 1000, 200, 200, 1000])
    low, high = wilson(count, nobs)
    ref_low, ref_high = proportion_confint(count, nobs, method="wilson")
    assert np.allclose(low, ref_low, atol=1e-12) and np.allclose(high, ref_high, atol=1e-12)


def test_confidence_counts_exclusions_per_group(tmp_path):
    from cxkit.surveys.responses import read_survey, responses_from_raw

    lines = ["seg,nps"] + [f"a,{i % 11}" for i in range(120)]
    lines += [f"b,{i % 11}" for i in range(120)] + ["b,12"] * 20
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    responses = responses_from_raw(read_survey(path), {"nps": "nps", "segment": "seg"})
    table = score(responses, by="segment")
    flags = {g.group: (g.nps.n, g.nps.excluded, g.nps.confidence) for g in table.groups if g.nps}
    assert flags == {
        "ALL": (240, 20, "directional"),  # 20 of 260 answers (7.7%) not counted
        "a": (120, 0, "ok"),
        "b": (120, 20, "directional"),  # 20 of 140 (14%)
    }
    assert table.groups[2].nps.confidence_reason == "20 of 140 answers (14%) not counted"
