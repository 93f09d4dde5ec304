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
    brand = wb.client.brand.primary
    group = [
        j for j in wb.journeys if j.id == wb.journeys[0].id or j.redesigns == wb.journeys[0].id
    ]
    j = group[0]
    names = {p.id: p.name for p in wb.personas}
    ranked = analysis.rank_opportunities(j)
    return {
        "emotion": charts.emotion_curve(
            group,
            loc,
            persona_names=names,
            brand=brand,
            moments=analysis.moments_of_truth(j),
            measured={"reads-guide": 0.5},
        ),
        "hotspots": charts.hotspot_heatmap(analysis.hotspots(j), loc),
        "value": charts.value_stream_chart(analysis.value_stream(j), loc),
        "effort": charts.effort_chart(analysis.effort_by_stage(j), loc, brand=brand),
        "matrix": charts.opportunity_matrix(ranked, loc, brand=brand),
        "scores": charts.score_chart(
            [charts.ScoreBar("s", "Stage", 12.0, -3.0, 27.0, 80)], "nps", loc, brand=brand
        ),
        "nps_mix": charts.nps_composition([charts.NpsMix("Stage", 0.3, 0.2, 0.5, 80)], loc),
    }


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
            values = trace.get("y") if trace["type"] != "heatmap" else trace["z"]
            assert values is not None and len(values) > 0, f"{name}: a trace with no data"


def test_emotion_curve_lines(pension_figs: dict) -> None:
    names = [t["name"] for t in pension_figs["emotion"]["data"]]
    assert names == [
        "Ruth, retiring this year · Current state",
        "Daniel, moving jobs · Current state",
        "Ruth, retiring this year · Future state",
        "Daniel, moving jobs · Future state",
        "Measured emotion",
        "Moments of truth",
    ]
    future = pension_figs["emotion"]["data"][2]
    assert future["line"]["dash"] == "dash"


def test_hebrew_timeline_runs_right_to_left(caravan_figs: dict, pension_figs: dict) -> None:
    lo, hi = caravan_figs["emotion"]["layout"]["xaxis"]["range"]
    assert lo > hi
    assert pension_figs["emotion"]["layout"]["xaxis"]["range"][0] == 0
    for name in ("hotspots", "value", "effort", "scores"):
        assert caravan_figs[name]["layout"]["xaxis"]["autorange"] == "reversed", name
        assert "autorange" not in pension_figs[name]["layout"]["xaxis"], name


def test_stage_positions_align_current_and_future() -> None:
    wb = load_workbook(PENSION)
    bands, xs = charts.stage_positions(wb.journeys)
    assert [b.stage_id for b in bands] == [
        "explore",
        "apply",
        "duplicate",
        "wait",
        "track",
        "payout",
    ]
    assert xs[("withdrawal-current", "reads-guide")] < xs[("withdrawal-future", "online-request")]


def test_user_text_is_escaped_in_labels_and_html() -> None:
    assert charts.wrap("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    fig = charts.score_chart(
        [charts.ScoreBar("s", "</script><b>", 1, 0, 2, 3)], "csat", locale("en"), brand="#000000"
    )
    html = charts.figure_html(fig, chart_id="c1", alt='a "quoted" <alt>')
    assert "</script><b>" not in html and "<b>" not in html.split("application/json")[1]
    assert 'aria-label="a &quot;quoted&quot; &lt;alt&gt;"' in html
    payload = html.split('data-for="c1">')[1].split("</script>")[0]
    assert json.loads(payload)["data"][0]["x"][0].startswith("&lt;/script&gt;")


def _stable(fig: dict[str, Any]) -> dict[str, Any]:
    fig = json.loads(json.dumps(fig))
    for trace in fig["data"]:
        trace.pop("uid", None)
    return fig


@pytest.mark.parametrize(
    "name", ["emotion", "hotspots", "value", "effort", "matrix", "scores", "nps_mix"]
)
def test_figure_snapshot(name: str, pension_figs: dict, caravan_figs: dict, snapshot: Any) -> None:
    assert _stable(pension_figs[name]) == snapshot(name="en")
    assert _stable(caravan_figs[name]) == snapshot(name="he")
