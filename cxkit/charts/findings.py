"""Report charts for scores and findings: score bars, NPS mix, hotspots, value, effort,
opportunities. Built on :mod:`cxkit.charts.base`; re-exported by :mod:`cxkit.charts.journey`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxkit.analysis import Hotspots, RankedOpportunity, StageEffort, StageValue
from cxkit.charts.base import (
    NEGATIVE,
    POSITIVE,
    VALUE_COLOURS,
    Figure,
    base_layout,
    bidi,
    esc,
    figure,
    timeline_axis,
    trace,
    wrap,
)
from cxkit.i18n import Locale

# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class ScoreBar:
    """One group's score with its interval and number of responses (from report_data)."""

    key: str
    label: str
    value: float
    low: float | None
    high: float | None
    n: int


def score_chart(rows: Sequence[ScoreBar], metric: str, loc: Locale, *, brand: str) -> Figure:
    """Score per stage (journey order) with 95% interval bars and n under each bar."""
    fig = figure(
        trace(
            "bar",
            x=[
                bidi(loc, wrap(r.label, 16)) + f"<br><span style='font-size:10px'>n={r.n}</span>"
                for r in rows
            ],
            y=[round(r.value, 2) for r in rows],
            marker={"color": brand},
            error_y={
                "type": "data",
                "symmetric": False,
                "color": "#333",
                "thickness": 1.5,
                "array": [round(r.high - r.value, 2) if r.high is not None else 0 for r in rows],
                "arrayminus": [round(r.value - r.low, 2) if r.low is not None else 0 for r in rows],
            },
            hovertemplate="%{x}<br>%{y}<extra></extra>",
        )
    )
    layout = base_layout(loc, loc.t(metric), height=340)
    layout["xaxis"] = timeline_axis(loc, type="category", tickangle=0)
    layout["yaxis"] = {
        "gridcolor": "#eee",
        "fixedrange": True,
        "zeroline": True,
        "zerolinecolor": "#999",
        "side": "right" if loc.rtl else "left",
    }
    if metric == "nps":
        layout["yaxis"]["range"] = [-100, 100]
    fig["layout"].update(layout)
    return fig


@dataclass(frozen=True)
class NpsMix:
    label: str
    detractors: float  # shares, 0..1
    passives: float
    promoters: float
    n: int


def nps_composition(rows: Sequence[NpsMix], loc: Locale) -> Figure:
    """Detractors, passives and promoters per group as 100% stacked bars."""
    fig = figure()
    parts = (("detractors", NEGATIVE), ("passives", "#bdbdbd"), ("promoters", POSITIVE))
    for part, colour in parts:
        fig["data"].append(
            trace(
                "bar",
                y=[bidi(loc, wrap(r.label, 24)) + f" (n={r.n})" for r in rows],
                x=[round(getattr(r, part) * 100, 1) for r in rows],
                name=bidi(loc, loc.t(part)),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}<br>%{x:.0f}%<extra>" + loc.t(part) + "</extra>",
            )
        )
    layout = base_layout(loc, loc.t("nps_composition"), height=120 + 40 * max(len(rows), 1))
    layout.update(
        barmode="stack",
        xaxis={
            "range": [100, 0] if loc.rtl else [0, 100],
            "ticksuffix": "%",
            "fixedrange": True,
            "gridcolor": "#eee",
        },
        yaxis={
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
            "side": "right" if loc.rtl else "left",
        },
    )
    layout["legend"]["traceorder"] = "normal"
    fig["layout"].update(layout)
    return fig


# --------------------------------------------------------------------------- findings


def hotspot_heatmap(spots: Hotspots, loc: Locale) -> Figure:
    """Pain points per channel (rows) and stage (columns, in journey order)."""
    fig = figure(
        trace(
            "heatmap",
            z=[list(r) for r in spots.counts],
            x=[bidi(loc, wrap(name, 16)) for _, name in spots.stages],
            y=[bidi(loc, esc(loc.channel(c))) for c in spots.channels],
            colorscale=[[0, "#ffffff"], [0.001, "#fde9dc"], [1, NEGATIVE]],
            zmin=0,
            zmax=max(1, max((max(r) for r in spots.counts), default=1)),
            xgap=3,
            ygap=3,
            showscale=False,
            text=[[str(v) if v else "" for v in r] for r in spots.counts],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}<br>%{z}<extra></extra>",
        )
    )
    layout = base_layout(loc, loc.t("hotspots"), height=140 + 42 * max(len(spots.channels), 1))
    layout["xaxis"] = timeline_axis(loc, side="top", type="category")
    layout["yaxis"] = {
        "fixedrange": True,
        "autorange": "reversed",
        "type": "category",
        "side": "right" if loc.rtl else "left",
    }
    layout["margin"].update(t=90, b=20, l=110 if not loc.rtl else 30, r=110 if loc.rtl else 30)
    layout["title"]["y"] = 0.98
    fig["layout"].update(layout)
    return fig


def value_stream_chart(values: Sequence[StageValue], loc: Locale) -> Figure:
    """Stacked shares of adds / needed / waste touchpoints per stage."""
    fig = figure()
    for part in ("adds", "needed", "waste", "unclassified"):
        if part == "unclassified" and not any(v.unclassified for v in values):
            continue
        fig["data"].append(
            trace(
                "bar",
                x=[bidi(loc, wrap(v.stage, 16)) for v in values],
                y=[round(v.share(part) * 100, 1) for v in values],
                name=bidi(loc, loc.t(part)),
                marker={"color": VALUE_COLOURS[part]},
                hovertemplate="%{x}<br>%{y:.0f}%<extra>" + loc.t(part) + "</extra>",
            )
        )
    layout = base_layout(loc, loc.t("value_stream"), height=360)
    layout.update(
        barmode="stack",
        xaxis=timeline_axis(loc, type="category"),
        yaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "gridcolor": "#eee"},
    )
    fig["layout"].update(layout)
    return fig


def effort_chart(efforts: Sequence[StageEffort], loc: Locale, *, brand: str) -> Figure:
    """Mean customer effort per stage (1..5), with the hardest touchpoint as the whisker."""
    rated = [e for e in efforts if e.mean is not None]
    fig = figure(
        trace(
            "bar",
            x=[bidi(loc, wrap(e.stage, 16)) for e in rated],
            y=[round(e.mean or 0, 2) for e in rated],
            marker={"color": [NEGATIVE if (e.mean or 0) >= 3.5 else brand for e in rated]},
            error_y={
                "type": "data",
                "symmetric": False,
                "color": "#555",
                "array": [round((e.max or 0) - (e.mean or 0), 2) for e in rated],
                "arrayminus": [0] * len(rated),
            },
            hovertemplate="%{x}<br>%{y:.1f}<extra></extra>",
        )
    )
    layout = base_layout(loc, loc.t("effort_by_stage"), height=340)
    layout.update(
        xaxis=timeline_axis(loc, type="category"),
        yaxis={
            "range": [0, 5.4],
            "tickvals": [1, 2, 3, 4, 5],
            "fixedrange": True,
            "gridcolor": "#eee",
        },
    )
    fig["layout"].update(layout)
    return fig


def opportunity_matrix(ranked: Sequence[RankedOpportunity], loc: Locale, *, brand: str) -> Figure:
    """Impact (up) against effort (across), quick-win quadrant shaded; points numbered by rank."""
    seen: dict[tuple[int, int], int] = {}
    xs, ys = [], []
    for r in ranked:
        key = (r.opportunity.effort, r.opportunity.impact)
        k = seen[key] = seen.get(key, -1) + 1  # spread points that share a cell
        xs.append(key[0] + 0.18 * ((k % 3) - 1 if k else 0))
        ys.append(key[1] + 0.18 * (k // 3) * (1 if k % 2 else -1))
    colours = {
        "quick-win": "#009E73",
        "major-project": "#0072B2",
        "fill-in": "#E69F00",
        "thankless": "#999999",
    }
    fig = figure(
        trace(
            "scatter",
            x=xs,
            y=ys,
            mode="markers+text",
            text=[str(r.rank) for r in ranked],
            textfont={"color": "#fff", "size": 11},
            marker={
                "size": 26,
                "color": [colours[r.quadrant] for r in ranked],
                "line": {"color": "#fff", "width": 1.5},
            },
            customdata=[bidi(loc, wrap(r.opportunity.title, 40)) for r in ranked],
            hovertemplate="%{text}. %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    quads = (
        ("quick_wins", 0.5, 2.5, 3.5, 5.5, "#009E73"),
        ("major_projects", 2.5, 5.5, 3.5, 5.5, "#0072B2"),
        ("fill_ins", 0.5, 2.5, 0.5, 3.5, "#E69F00"),
        ("thankless", 2.5, 5.5, 0.5, 3.5, "#999999"),
    )
    layout = base_layout(loc, loc.t("opportunity_matrix"), height=440)
    layout.update(
        shapes=[
            {
                "type": "rect",
                "x0": q[1],
                "x1": q[2],
                "y0": q[3],
                "y1": q[4],
                "fillcolor": q[5],
                "opacity": 0.08,
                "line": {"width": 0},
                "layer": "below",
            }
            for q in quads
        ],
        annotations=[
            {
                "x": (q[1] + q[2]) / 2,
                "y": q[4] - 0.15,
                "text": f"<b>{bidi(loc, loc.t(q[0]))}</b>",
                "showarrow": False,
                "font": {"color": q[5], "size": 12},
            }
            for q in quads
        ],
        xaxis={
            "range": [5.5, 0.5] if loc.rtl else [0.5, 5.5],
            "tickvals": [1, 2, 3, 4, 5],
            "title": {"text": bidi(loc, loc.t("effort"))},
            "fixedrange": True,
            "gridcolor": "#f0f0f0",
            "zeroline": False,
        },
        yaxis={
            "range": [0.5, 5.5],
            "tickvals": [1, 2, 3, 4, 5],
            "fixedrange": True,
            "title": {"text": bidi(loc, loc.t("impact"))},
            "gridcolor": "#f0f0f0",
            "zeroline": False,
            "side": "right" if loc.rtl else "left",
        },
    )
    fig["layout"].update(layout)
    return fig
