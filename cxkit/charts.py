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
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxkit.analysis import (
    Hotspots,
    MomentOfTruth,
    RankedOpportunity,
    StageEffort,
    StageValue,
)
from cxkit.i18n import Locale
from cxkit.model import Journey, State

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
NEGATIVE, NEUTRAL, POSITIVE = "#D55E00", "#9a9a9a", "#0072B2"
VALUE_COLOURS = {
    "adds": "#009E73",
    "needed": "#56B4E9",
    "waste": "#D55E00",
    "unclassified": "#d9d9d9",
}
FONT = "Segoe UI, Helvetica Neue, Arial, Noto Sans Hebrew, Arial Hebrew, sans-serif"
TRACE_TYPES = ("scatter", "bar", "heatmap")  # must stay inside the vendored plotly.js bundle

# A figure is plotly's JSON form, {"data": [...], "layout": {...}}. Building plain
# dicts instead of plotly.graph_objects keeps plotly out of the report kernel (its
# validation cost ~0.5 s per report); tests validate every figure with
# ``plotly.graph_objects.Figure(fig)``, and ``go.Figure(fig)`` shows one in a notebook.
Figure = dict[str, Any]


def _figure(*traces: dict[str, Any]) -> Figure:
    return {"data": list(traces), "layout": {}}


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    return {"type": kind, **props}


def esc(text: str) -> str:
    """Escape user text for a plotly label (plotly.js interprets tags and entities)."""
    return html.escape(text, quote=False)


def wrap(text: str, width: int = 22, lines: int = 3) -> str:
    """Escape and wrap user text with ``<br>`` for tick labels and annotations."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1] + "…"]
    return "<br>".join(esc(p) for p in parts)


def bidi(loc: Locale, text: str) -> str:
    """In RTL, isolate ``text`` as right-to-left: SVG labels do not inherit the page direction."""
    return f"\u2067{text}\u2069" if loc.rtl and text else text


def _base_layout(loc: Locale, title: str | None, height: int = 380) -> dict[str, Any]:
    return {
        "title": {
            "text": bidi(loc, esc(title or "")),
            "x": 1 if loc.rtl else 0,
            "xanchor": "right" if loc.rtl else "left",
            "font": {"size": 15, "color": "#222"},
        },
        "font": {"family": FONT, "size": 12, "color": "#333"},
        "height": height,
        "margin": {"l": 60, "r": 30, "t": 50, "b": 60},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {
            "orientation": "h",
            "y": -0.18,
            "x": 1 if loc.rtl else 0,
            "xanchor": "right" if loc.rtl else "left",
        },
    }


def _timeline_axis(loc: Locale, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"showgrid": False, "zeroline": False, "fixedrange": True, **extra}
    if loc.rtl:
        axis["autorange"] = "reversed"
    return axis


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
    fig = _figure()
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
                _trace(
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
                _trace(
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
                _trace(
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
    layout = _base_layout(loc, None, height=420)
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
        xaxis=_timeline_axis(
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
    fig = _figure(
        _trace(
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
    layout = _base_layout(loc, loc.t(metric), height=340)
    layout["xaxis"] = _timeline_axis(loc, type="category", tickangle=0)
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
    fig = _figure()
    parts = (("detractors", NEGATIVE), ("passives", "#bdbdbd"), ("promoters", POSITIVE))
    for part, colour in parts:
        fig["data"].append(
            _trace(
                "bar",
                y=[bidi(loc, wrap(r.label, 24)) + f" (n={r.n})" for r in rows],
                x=[round(getattr(r, part) * 100, 1) for r in rows],
                name=bidi(loc, loc.t(part)),
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}<br>%{x:.0f}%<extra>" + loc.t(part) + "</extra>",
            )
        )
    layout = _base_layout(loc, loc.t("nps_composition"), height=120 + 40 * max(len(rows), 1))
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
    fig = _figure(
        _trace(
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
    layout = _base_layout(loc, loc.t("hotspots"), height=140 + 42 * max(len(spots.channels), 1))
    layout["xaxis"] = _timeline_axis(loc, side="top", type="category")
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
    fig = _figure()
    for part in ("adds", "needed", "waste", "unclassified"):
        if part == "unclassified" and not any(v.unclassified for v in values):
            continue
        fig["data"].append(
            _trace(
                "bar",
                x=[bidi(loc, wrap(v.stage, 16)) for v in values],
                y=[round(v.share(part) * 100, 1) for v in values],
                name=bidi(loc, loc.t(part)),
                marker={"color": VALUE_COLOURS[part]},
                hovertemplate="%{x}<br>%{y:.0f}%<extra>" + loc.t(part) + "</extra>",
            )
        )
    layout = _base_layout(loc, loc.t("value_stream"), height=360)
    layout.update(
        barmode="stack",
        xaxis=_timeline_axis(loc, type="category"),
        yaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "gridcolor": "#eee"},
    )
    fig["layout"].update(layout)
    return fig


def effort_chart(efforts: Sequence[StageEffort], loc: Locale, *, brand: str) -> Figure:
    """Mean customer effort per stage (1..5), with the hardest touchpoint as the whisker."""
    rated = [e for e in efforts if e.mean is not None]
    fig = _figure(
        _trace(
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
    layout = _base_layout(loc, loc.t("effort_by_stage"), height=340)
    layout.update(
        xaxis=_timeline_axis(loc, type="category"),
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
    fig = _figure(
        _trace(
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
    layout = _base_layout(loc, loc.t("opportunity_matrix"), height=440)
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
