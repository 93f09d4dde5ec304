"""Plotly figures for the journey report, direction-aware and colour-blind safe.

Figures are built from aggregates only (never raw survey rows), with every
workbook or survey string HTML-escaped (plotly.js reads ``<b>``, ``<a>`` and
entities in labels). In a right-to-left report the time axis runs right to left.
:func:`figure_html` turns a figure into a ``<div>`` plus its JSON; the report
loads plotly.js once and draws every such div.

>>> from cxkit.i18n import locale
>>> fig = effort_chart([], locale("en"), brand="#1f4e79")
>>> fig["layout"]["xaxis"].get("autorange"), fig["data"][0]["type"]
(None, 'bar')
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxkit.analysis import MomentOfTruth
from cxkit.charts.base import (
    FONT,
    NEGATIVE,
    NEUTRAL,
    OKABE_ITO,
    POSITIVE,
    TRACE_TYPES,
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
from cxkit.charts.findings import (
    NpsMix,
    ScoreBar,
    effort_chart,
    hotspot_heatmap,
    nps_composition,
    opportunity_matrix,
    score_chart,
    value_stream_chart,
)
from cxkit.i18n import Locale
from cxkit.workbook.model import Journey, State

__all__ = [
    "FONT",
    "NEGATIVE",
    "NEUTRAL",
    "OKABE_ITO",
    "POSITIVE",
    "TRACE_TYPES",
    "VALUE_COLOURS",
    "Band",
    "Figure",
    "NpsMix",
    "ScoreBar",
    "bidi",
    "effort_chart",
    "emotion_curve",
    "esc",
    "figure_html",
    "figure_json",
    "hotspot_heatmap",
    "nps_composition",
    "opportunity_matrix",
    "score_chart",
    "stage_positions",
    "value_stream_chart",
    "wrap",
]


# --------------------------------------------------------------------------- emotion curve


@dataclass(frozen=True)
class Band:
    """A stage's span on the shared emotion-curve axis."""

    stage_id: str
    name: str
    start: float
    end: float


def stage_positions(
    journeys: Sequence[Journey],
) -> tuple[list[Band], dict[tuple[str, str], float]]:
    """Align several journeys (current and future state) on one axis, stage by stage.

    Stages are matched by id; a stage only one journey has is placed just before
    the next stage the journeys share. Each stage is as wide as its longest touchpoint list, and
    touchpoints spread evenly inside it. Returns the bands and
    ``{(journey id, touchpoint id): x}``.
    """
    order: list[str] = []
    names: dict[str, str] = {}
    width: dict[str, int] = {}
    for j in journeys:
        ids = [s.id for s in j.stages]
        for i, s in enumerate(j.stages):
            if s.id not in order:
                # a stage only this journey has goes just before its next shared stage
                after = next((x for x in ids[i + 1 :] if x in order), None)
                order.insert(order.index(after) if after else len(order), s.id)
                names[s.id] = s.name
            width[s.id] = max(width.get(s.id, 1), len(s.touchpoints))
    bands, start = [], 0.0
    for sid in order:
        bands.append(Band(sid, names[sid], start, start + width[sid]))
        start += width[sid]
    where = {b.stage_id: b for b in bands}
    xs: dict[tuple[str, str], float] = {}
    for j in journeys:
        for s in j.stages:
            band, n = where[s.id], len(s.touchpoints)
            for i, tp in enumerate(s.touchpoints):
                xs[(j.id, tp.id)] = band.start + (i + 0.5) * (band.end - band.start) / n
    return bands, xs


def emotion_curve(
    journeys: Sequence[Journey],
    loc: Locale,
    *,
    persona_names: Mapping[str, str],
    brand: str,
    measured: Mapping[str, float] | None = None,
    moments: Sequence[MomentOfTruth] = (),
) -> Figure:
    """Assumed (and measured) emotion along the journey, -2..+2.

    One line per persona when several share a journey; a future-state journey in
    ``journeys`` is overlaid dashed; ``measured`` (touchpoint id -> emotion) adds a
    measured line for the first journey; moments of truth are starred.
    """
    bands, xs = stage_positions(journeys)
    fig = figure()
    colours = iter((brand, *OKABE_ITO))
    for j in journeys:
        future = j.state is State.FUTURE
        state = loc.t("future_state" if future else "current_state")
        personas = [
            j.persona,
            *sorted(
                {p for _, t in j.touchpoints() for p in t.emotion_by_persona if p != j.persona}
            ),
        ]
        for pid in personas:
            pts = [
                (
                    xs[(j.id, t.id)],
                    t.emotion if pid == j.persona else t.emotion_by_persona.get(pid),
                    s.name,
                    t.name,
                )
                for s, t in j.touchpoints()
            ]
            pts = [p for p in pts if p[1] is not None]
            if not pts:
                continue
            name = bidi(loc, f"{esc(persona_names.get(pid, pid))} · {state}")
            fig["data"].append(
                trace(
                    "scatter",
                    x=[p[0] for p in pts],
                    y=[p[1] for p in pts],
                    mode="lines+markers",
                    name=name,
                    line={
                        "color": next(colours, "#555"),
                        "width": 3,
                        "shape": "spline",
                        "smoothing": 0.6,
                        "dash": "dash" if future else "solid",
                    },
                    marker={"size": 9},
                    customdata=[[esc(p[2]), esc(p[3])] for p in pts],
                    hovertemplate="%{customdata[1]}<br><i>%{customdata[0]}</i><br>%{y}<extra></extra>",
                )
            )
    if measured and journeys:
        j = journeys[0]
        pts2 = [
            (xs[(j.id, t.id)], measured[t.id], t.name)
            for _, t in j.touchpoints()
            if t.id in measured
        ]
        if pts2:
            fig["data"].append(
                trace(
                    "scatter",
                    x=[p[0] for p in pts2],
                    y=[round(p[1], 2) for p in pts2],
                    mode="lines+markers",
                    name=bidi(loc, loc.t("measured_emotion")),
                    line={"color": "#000000", "width": 2, "dash": "dot"},
                    marker={"symbol": "diamond", "size": 9},
                    customdata=[esc(p[2]) for p in pts2],
                    hovertemplate="%{customdata}<br>%{y:.2f}<extra></extra>",
                )
            )
    if moments and journeys:
        j = journeys[0]
        emo = {t.id: t.emotion for _, t in j.touchpoints()}
        mx = [
            (xs[(j.id, m.touchpoint_id)], emo.get(m.touchpoint_id), m.touchpoint)
            for m in moments
            if (j.id, m.touchpoint_id) in xs
        ]
        mx = [m for m in mx if m[1] is not None]
        if mx:
            fig["data"].append(
                trace(
                    "scatter",
                    x=[m[0] for m in mx],
                    y=[m[1] for m in mx],
                    mode="markers",
                    name=bidi(loc, loc.t("moments_of_truth")),
                    marker={
                        "symbol": "star",
                        "size": 20,
                        "color": "#F0E442",
                        "line": {"color": "#000", "width": 1.2},
                    },
                    customdata=[esc(m[2]) for m in mx],
                    hovertemplate="★ %{customdata}<extra></extra>",
                )
            )
    layout = base_layout(loc, None, height=420)
    end = bands[-1].end if bands else 1
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": b.start,
            "x1": b.end,
            "y0": 0,
            "y1": 1,
            "fillcolor": "#f3f4f6" if i % 2 == 0 else "rgba(0,0,0,0)",
            "line": {"width": 0},
            "layer": "below",
        }
        for i, b in enumerate(bands)
    ]
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": 0,
            "y1": 0,
            "line": {"color": "#bbb", "width": 1},
        }
    )
    layout.update(
        shapes=shapes,
        annotations=[
            {
                "x": (b.start + b.end) / 2,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": bidi(loc, wrap(b.name, 18, 2)),
                "showarrow": False,
                "font": {"size": 11, "color": "#444"},
            }
            for b in bands
        ],
        xaxis=timeline_axis(
            loc,
            range=[end, 0] if loc.rtl else [0, end],
            showticklabels=False,
            title={"text": bidi(loc, loc.t("journey_progress"))},
        ),
        yaxis={
            "range": [-2.5, 2.5],
            "tickvals": [-2, -1, 0, 1, 2],
            "ticktext": [loc.signed(v) for v in (-2, -1, 0, 1, 2)],
            "fixedrange": True,
            "gridcolor": "#eee",
            "zeroline": False,
            "side": "right" if loc.rtl else "left",
            "title": {"text": bidi(loc, loc.t("emotion_axis"))},
        },
    )
    layout["margin"]["t"] = 50
    layout["xaxis"].pop("autorange", None)  # the explicit range already runs right to left
    fig["layout"].update(layout)
    return fig


# --------------------------------------------------------------------------- HTML


def figure_json(fig: Figure) -> dict[str, Any]:
    """The figure exactly as plotly.js receives it (JSON round trip), for tests and snapshots."""
    data: dict[str, Any] = json.loads(json.dumps(fig, ensure_ascii=False))
    return data


def _script_safe(text: str) -> str:
    # Inside <script>, "</script>" or "<!--" in a label would end the block early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_html(fig: Figure, *, chart_id: str, alt: str) -> str:
    """A ``<figure>`` with an accessible name and the figure's JSON for the report's loader."""
    payload = _script_safe(json.dumps(figure_json(fig), ensure_ascii=False, separators=(",", ":")))
    height = fig.get("layout", {}).get("height") or 380
    return (
        # plotly-graph-div: the class plotly's own HTML uses, so tools recognise the charts
        f'<figure class="cx-chart-box"><div class="cx-chart plotly-graph-div" '
        f'id="{html.escape(chart_id)}" '
        f'role="img" aria-label="{html.escape(alt)}" title="{html.escape(alt)}" '
        f'style="min-height:{int(height)}px"></div>'
        f'<script type="application/json" class="cx-chart-data" '
        f'data-for="{html.escape(chart_id)}">{payload}</script>'
        f'<figcaption class="cx-sr">{html.escape(alt)}</figcaption></figure>'
    )
