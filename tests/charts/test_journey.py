"""Figures: valid plotly, carry data, escaped labels, right-to-left timelines, snapshots."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import pytest

from cxkit import analysis
from cxkit.charts import journey as charts
from cxkit.i18n import locale
from cxkit.workbook.yamlfile import load_workbook
from tests.conftest import ROOT

PENSION = ROOT / "data" / "samples" / "pension-withdrawal" / "workbook.yml"
CARAVAN = ROOT / "data" / "samples" / "caravan-holiday" / "workbook.yml"


def figures(path: Any, lang: str | None = None) -> dict[str, dict[str, Any]]:
    wb = load_workbook(path)
    loc = locale(lang or wb.client.language.value)
    group = [
        j for j in wb.journeys if j.id == wb.journeys[0].id or j.redesigns == wb.journeys[0].id
    ]
    j = group[0]
    names = {p.id: p.name for p in wb.personas}
    ranked = analysis.rank_opportunities(j)
    figs = {
        "emotion": charts.emotion_curve(
            j,
            loc,
            persona_names=names,
            moments=analysis.moments_of_truth(j),
            measured={"reads-guide": 0.5},
        ),
        "hotspots": charts.hotspot_heatmap(analysis.hotspots(j), loc),
        "value": charts.value_stream_chart(analysis.value_stream(j), loc),
        "effort": charts.effort_chart(analysis.effort_by_stage(j), loc),
        "matrix": charts.opportunity_matrix(ranked, loc),
        "scores": charts.score_chart(
            [charts.ScoreBar("s", "Stage", 12.0, -3.0, 27.0, 80, (-100, 100))], "nps", loc
        ),
        "csat": charts.score_chart(
            [
                charts.ScoreBar("a", "Apply", 3.4, 3.1, 3.7, 80, (1, 5)),
                charts.ScoreBar("b", "Wait", 2.1, 1.8, 2.4, 60, (1, 5)),
            ],
            "csat",
            loc,
        ),
        "nps_mix": charts.nps_composition([charts.NpsMix("Stage", 0.3, 0.2, 0.5, 80)], loc),
    }
    if len(group) > 1:
        figs["emotion_future"] = charts.emotion_curve(group[1], loc, persona_names=names)
    return figs


@pytest.fixture(scope="module")
def pension_figs() -> dict[str, dict[str, Any]]:
    return figures(PENSION)


@pytest.fixture(scope="module")
def caravan_figs() -> dict[str, dict[str, Any]]:
    return figures(CARAVAN)


def test_every_figure_is_valid_plotly_and_carries_data(pension_figs: dict) -> None:
    for name, fig in pension_figs.items():
        go.Figure(fig)  # raises on any property plotly.js does not know
        assert fig["data"], name
        for trace in fig["data"]:
            assert trace["type"] in charts.TRACE_TYPES, name
            values = trace.get("x") if trace["type"] != "heatmap" else trace["z"]
            assert values is not None and len(values) > 0, f"{name}: a trace with no data"


def test_every_figure_carries_its_data_table(pension_figs: dict) -> None:
    for name, fig in pension_figs.items():
        table = charts.figure_table(fig)
        assert table and table["rows"], name
        assert all(len(r) == len(table["columns"]) for r in table["rows"]), name


def test_emotion_is_one_panel_per_journey_state(pension_figs: dict) -> None:
    names = [t["name"] for t in pension_figs["emotion"]["data"]]
    assert names == [
        "\u2068Ruth, retiring this year · Current state\u2069",
        "\u2068Daniel, moving jobs · Current state\u2069",
        "\u2068Measured emotion\u2069",
        "\u2068Moments of truth\u2069",
    ]
    future = [t["name"] for t in pension_figs["emotion_future"]["data"]]
    assert all("Future state" in n for n in future) and future


def test_emotion_lines_are_straight_with_gaps_and_named_touchpoints(pension_figs: dict) -> None:
    wb = load_workbook(PENSION)
    journey = wb.journeys[0]
    fig = pension_figs["emotion"]
    lines = [t for t in fig["data"] if "lines" in t["mode"]]
    for t in lines:
        assert t["line"].get("shape", "linear") in ("linear", "hv"), "no spline overshoot"
        assert t["connectgaps"] is False
        assert max(v for v in t["x"] if v is not None) <= 2
    # a persona rated at only some touchpoints has gaps (None) where it has none
    daniel = lines[1]
    assert None in daniel["x"]
    ticks = " ".join(fig["layout"]["yaxis"]["ticktext"])
    for _, tp in journey.touchpoints():
        assert tp.name.split()[0] in ticks


def test_scales_run_from_their_minimum_to_their_maximum(pension_figs: dict) -> None:
    csat = pension_figs["csat"]["layout"]["xaxis"]
    lo, hi = sorted(csat["range"])
    assert 0.9 <= lo <= 1 and 5 <= hi <= 5.1
    assert "1–5" in csat["title"]["text"] and "t interval" in csat["title"]["text"]
    nps = pension_figs["scores"]["layout"]["xaxis"]
    assert sorted(nps["range"])[0] <= -100 and "adjusted-Wald" in nps["title"]["text"]
    effort = pension_figs["effort"]
    assert [t["name"] for t in effort["data"]] == [
        "\u2068Mean effort of the stage\u2069",
        "\u2068Hardest touchpoint of the stage\u2069",
    ]
    assert not any("error_y" in t or "error_x" in t for t in effort["data"])


def test_right_to_left_mirrors_value_axes_and_puts_labels_on_the_right(
    caravan_figs: dict, pension_figs: dict
) -> None:
    for name in ("emotion", "value", "effort", "scores", "nps_mix"):
        lo, hi = caravan_figs[name]["layout"]["xaxis"]["range"]
        assert lo > hi, name
        assert caravan_figs[name]["layout"]["yaxis"]["side"] == "right", name
        lo, hi = pension_figs[name]["layout"]["xaxis"]["range"]
        assert lo < hi, name
        assert pension_figs[name]["layout"]["yaxis"]["side"] == "left", name


def test_matrix_draws_one_bubble_per_cell(pension_figs: dict) -> None:
    wb = load_workbook(PENSION)
    ranked = analysis.rank_opportunities(wb.journeys[0])
    cells = {(r.opportunity.effort, r.opportunity.impact) for r in ranked}
    trace = pension_figs["matrix"]["data"][0]
    assert len(trace["x"]) == len(cells)
    assert len(set(zip(trace["x"], trace["y"], strict=True))) == len(cells)
    shown = " · ".join(trace["text"]).replace("<br>", " · ")
    assert sorted(int(x) for x in shown.split(" · ")) == [r.rank for r in ranked]
    for a in pension_figs["matrix"]["layout"]["annotations"]:
        assert not 0.5 < a["y"] < 5.5, "quadrant names sit outside the grid of bubbles"


def test_chart_palettes_ignore_the_brand() -> None:
    wb = load_workbook(PENSION)
    loc = locale("en")
    j = wb.journeys[0]
    fig = charts.effort_chart(analysis.effort_by_stage(j), loc)
    colours = json.dumps(fig["data"])
    assert wb.client.brand.primary.lower() not in colours.lower()


def test_user_text_is_escaped_in_labels() -> None:
    assert charts.wrap("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    fig = charts.score_chart(
        [charts.ScoreBar("s", "</script><b>", 1, 0, 2, 3, (1, 5))], "csat", locale("en")
    )
    payload = charts.figure_payload(fig)
    assert "</script>" not in payload and "<b>" not in payload
    assert "&lt;/script&gt;" in json.loads(payload)["layout"]["yaxis"]["ticktext"][0]


def _stable(fig: dict[str, Any]) -> dict[str, Any]:
    fig = json.loads(json.dumps(fig))
    for trace in fig["data"]:
        trace.pop("uid", None)
    return fig


@pytest.mark.parametrize(
    "name", ["emotion", "hotspots", "value", "effort", "matrix", "scores", "csat", "nps_mix"]
)
def test_figure_snapshot(name: str, pension_figs: dict, caravan_figs: dict, snapshot: Any) -> None:
    assert _stable(pension_figs[name]) == snapshot(name="en")
    assert _stable(caravan_figs[name]) == snapshot(name="he")


@pytest.mark.parametrize("against", ["#ffffff", "#eef0f3", "#fffbea", "#1d2430"])
def test_brand_colours_are_made_readable_keeping_their_hue(against: str) -> None:
    import colorsys

    from cxkit.charts.base import contrast, hex_rgb, readable

    brands = [
        load_workbook(p).client.brand.primary
        for p in sorted((ROOT / "data" / "samples").glob("*/workbook.yml"))
    ] + ["#E69F00", "#f2a900", "#9a9a9a", "#ffffff", "#000000"]
    for colour in brands:
        for ratio in (4.5, 3.0):
            out = readable(colour, against, ratio)
            if contrast(colour, against) >= ratio:
                assert out == colour.lower(), "a colour that already reads is left alone"
            assert contrast(out, against) >= ratio or out in ("#000000", "#ffffff"), colour
            h0, _, s0 = colorsys.rgb_to_hls(*hex_rgb(colour))
            h1, _, s1 = colorsys.rgb_to_hls(*hex_rgb(out))
            if s0 > 0.1 and s1 > 0.1:  # a grey has no hue to keep
                assert min(abs(h0 - h1), 1 - abs(h0 - h1)) < 0.03, (colour, out)
