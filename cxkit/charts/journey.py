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

import json
from collections.abc import Mapping, Sequence
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
    rows_axis,
    table,
    trace,
    value_axis,
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
    "Figure",
    "NpsMix",
    "ScoreBar",
    "bidi",
    "effort_chart",
    "emotion_curve",
    "esc",
    "figure_json",
    "figure_payload",
    "figure_table",
    "hotspot_heatmap",
    "nps_composition",
    "opportunity_matrix",
    "score_chart",
    "value_stream_chart",
    "wrap",
]


# --------------------------------------------------------------------------- emotion curve


# Colour-blind-safe series colours (Okabe & Ito), never the brand's: vermillion and yellow
# are kept for "negative" and the moments of truth, black for the measured line.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
DASHES = ("solid", "dash", "dashdot", "longdash", "dot")
SYMBOLS = ("circle", "square", "triangle-up", "diamond-open", "x")


def _rows(journey: Journey) -> tuple[list[tuple[int, str]], dict[str, int], list[str]]:
    """Row positions down the emotion panel: a header row per stage, then its touchpoints.

    Returns (stage header rows as (position, name), touchpoint id -> position, labels).
    """
    headers: list[tuple[int, str]] = []
    where: dict[str, int] = {}
    labels: list[str] = []
    for s in journey.stages:
        if not s.touchpoints:
            continue
        headers.append((len(labels), s.name))
        labels.append("")
        for tp in s.touchpoints:
            where[tp.id] = len(labels)
            labels.append(tp.name)
    return headers, where, labels


def emotion_curve(
    journey: Journey,
    loc: Locale,
    *,
    persona_names: Mapping[str, str],
    measured: Mapping[str, float] | None = None,
    moments: Sequence[MomentOfTruth] = (),
) -> Figure:
    """Assumed (and measured) emotion at each touchpoint of one journey, -2..+2.

    One panel per journey (a future state gets its own): touchpoints run down the page
    in journey order with their names on the axis and each stage as a header row, so
    the names never collide at any width. Lines are straight (no spline overshoot) and
    break where a touchpoint has no value. One line per persona; ``measured``
    (touchpoint id -> emotion) adds the survey's line; moments of truth are starred.
    """
    headers, where, labels = _rows(journey)
    state = loc.t("future_state" if journey.state is State.FUTURE else "current_state")
    tps = [t for _, t in journey.touchpoints()]
    personas = [
        journey.persona,
        *sorted({p for t in tps for p in t.emotion_by_persona if p != journey.persona}),
    ]
    fig = figure()
    columns = [loc.t("stage"), loc.t("touchpoint")]
    series: list[dict[str, float | None]] = []
    digits: list[int] = []  # the workshop's emotions are whole numbers; measured ones are not
    for pid in personas:
        values = {
            t.id: (t.emotion if pid == journey.persona else t.emotion_by_persona.get(pid))
            for t in tps
        }
        if all(v is None for v in values.values()):
            continue
        k = len(series)
        series.append({k2: (None if v is None else float(v)) for k2, v in values.items()})
        digits.append(0)
        columns.append(f"{persona_names.get(pid, pid)} · {state}")
        fig["data"].append(
            trace(
                "scatter",
                y=[where[t.id] for t in tps],
                x=[values[t.id] for t in tps],
                mode="lines+markers",
                connectgaps=False,
                name=bidi(loc, f"{esc(persona_names.get(pid, pid))} · {esc(state)}"),
                line={"color": SERIES[k % len(SERIES)], "width": 3, "dash": DASHES[k % 5]},
                marker={"size": 9, "symbol": SYMBOLS[k % 5]},
                customdata=[esc(t.name) for t in tps],
                hovertemplate="%{customdata}<br>%{x}<extra></extra>",
            )
        )
    if measured:
        values2 = {t.id: measured.get(t.id) for t in tps}
        if any(v is not None for v in values2.values()):
            series.append({k2: v for k2, v in values2.items()})
            digits.append(1)
            columns.append(loc.t("measured_emotion"))
            fig["data"].append(
                trace(
                    "scatter",
                    y=[where[t.id] for t in tps],
                    x=[None if v is None else round(v, 2) for v in values2.values()],
                    mode="lines+markers",
                    connectgaps=False,
                    name=bidi(loc, esc(loc.t("measured_emotion"))),
                    line={"color": "#000000", "width": 2, "dash": "dot"},
                    marker={"symbol": "diamond", "size": 9},
                    customdata=[esc(t.name) for t in tps],
                    hovertemplate="%{customdata}<br>%{x:.2f}<extra></extra>",
                )
            )
    emo = {t.id: t.emotion for t in tps}
    stars = [
        m for m in moments if m.touchpoint_id in where and emo.get(m.touchpoint_id) is not None
    ]
    if stars:
        fig["data"].append(
            trace(
                "scatter",
                y=[where[m.touchpoint_id] for m in stars],
                x=[emo[m.touchpoint_id] for m in stars],
                mode="markers",
                name=bidi(loc, esc(loc.t("moments_of_truth"))),
                marker={
                    "symbol": "star",
                    "size": 18,
                    "color": "#F0E442",
                    "line": {"color": "#000", "width": 1.2},
                },
                customdata=[esc(m.touchpoint) for m in stars],
                hovertemplate="★ %{customdata}<extra></extra>",
            )
        )
    starred = {m.touchpoint_id for m in stars}
    stage_of = {t.id: s.name for s, t in journey.touchpoints()}
    rows = [
        [
            stage_of[t.id],
            t.name + (" ★" if t.id in starred else ""),
            *(
                "" if v.get(t.id) is None else loc.signed(float(v[t.id] or 0), d)
                for v, d in zip(series, digits, strict=True)
            ),
        ]
        for t in tps
    ]
    height = 90 + 34 * len(labels) + 26 * max(1, len(fig["data"]))
    layout = base_layout(loc, None, height=height)
    layout["meta"] = table(columns, rows)
    layout["margin"] = {"l": 10, "r": 10, "t": 70, "b": 10}
    layout["legend"] = {**layout["legend"], "y": -0.02, "yanchor": "top"}
    ticks = [bidi(loc, wrap(label, 26, 2)) if label else "" for label in labels]
    layout.update(
        shapes=[
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": pos - 0.5,
                "y1": pos + 0.5,
                "fillcolor": "#eef0f3",
                "line": {"width": 0},
                "layer": "below",
            }
            for pos, _ in headers
        ],
        annotations=[
            {
                "x": 1 if loc.rtl else 0,
                "xref": "paper",
                "xanchor": "right" if loc.rtl else "left",
                "y": pos,
                "yref": "y",
                "text": f"<b>{bidi(loc, wrap(name, 60, 1))}</b>",
                "showarrow": False,
                "bgcolor": "#eef0f3",
                "font": {"size": 12, "color": "#1d2430"},
            }
            for pos, name in headers
        ],
        yaxis=rows_axis(loc, ticks),
        xaxis=value_axis(
            loc,
            -2.3,
            2.3,
            side="top",
            tickvals=[-2, -1, 0, 1, 2],
            ticktext=[loc.signed(v) for v in (-2, -1, 0, 1, 2)],
            zeroline=True,
            zerolinecolor="#9aa1ab",
            title={"text": bidi(loc, wrap(loc.t("emotion_axis"), 34, 2))},
        ),
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


def figure_payload(fig: Figure) -> str:
    """The figure's JSON, safe inside a ``<script type="application/json">`` block."""
    return _script_safe(json.dumps(figure_json(fig), ensure_ascii=False, separators=(",", ":")))


def figure_table(fig: Figure) -> dict[str, Any] | None:
    """The data table a chart carries (``{"columns": [...], "rows": [[...]]}``), if any."""
    meta = fig.get("layout", {}).get("meta")
    return meta.get("table") if isinstance(meta, dict) else None
