"""Report charts for scores and findings: score bars, NPS mix, hotspots, value, effort,
opportunities. Built on :mod:`cxkit.charts.base`; re-exported by :mod:`cxkit.charts.journey`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxkit.analysis import Hotspots, RankedOpportunity, StageEffort, StageValue
from cxkit.charts.base import (
    NEGATIVE,
    NEGATIVE_INK,
    POSITIVE,
    POSITIVE_INK,
    QUADRANT_COLOURS,
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
from cxkit.i18n import Locale

# --------------------------------------------------------------------------- scores

NPS_RANGE = (-100.0, 100.0)


@dataclass(frozen=True)
class ScoreBar:
    """One group's score with its interval and number of responses (from report_data);
    ``scale`` is the answer scale (1..5 for CSAT, 1..7 for CES; NPS runs -100..100)."""

    key: str
    label: str
    value: float
    low: float | None
    high: float | None
    n: int
    scale: tuple[float, float] | None = None


def _height(rows: int, legend: bool = False) -> int:
    return 120 + 40 * max(rows, 1) + (40 if legend else 0)


def score_chart(rows: Sequence[ScoreBar], metric: str, loc: Locale) -> Figure:
    """Score per stage (journey order, top to bottom) as a dot with its 95% interval, on
    the whole scale (NPS -100..+100, CSAT and CES from the scale's minimum to its
    maximum): no bar starting at a zero that is not on the scale."""
    low, high = (
        NPS_RANGE if metric == "nps" else (rows[0].scale if rows and rows[0].scale else (1.0, 5.0))
    )
    digits = 0 if metric == "nps" else 2
    labels = [
        bidi(loc, wrap(r.label, 26, 2)) + f" <span style='font-size:11px'>(n={r.n})</span>"
        for r in rows
    ]
    fig = figure(
        trace(
            "scatter",
            mode="markers",
            y=list(range(len(rows))),
            x=[round(r.value, 2) for r in rows],
            marker={"color": POSITIVE_INK, "size": 12},
            error_x={
                "type": "data",
                "symmetric": False,
                "color": "#333",
                "thickness": 2,
                "width": 6,
                "array": [round(r.high - r.value, 2) if r.high is not None else 0 for r in rows],
                "arrayminus": [round(r.value - r.low, 2) if r.low is not None else 0 for r in rows],
            },
            customdata=[esc(r.label) for r in rows],
            hovertemplate="%{customdata}<br>%{x}<extra></extra>",
            showlegend=False,
        )
    )
    method = loc.t("interval_nps" if metric == "nps" else "interval_mean")
    scale = f"{loc.number(low, 0)}–{loc.number(high, 0)}"
    layout = base_layout(loc, loc.t(metric), height=_height(len(rows)))
    layout["meta"] = table(
        [loc.t("stage"), loc.t(metric), loc.t("interval_low"), loc.t("interval_high"), "n"],
        [
            [
                r.label,
                loc.number(r.value, digits),
                "" if r.low is None else loc.number(r.low, digits),
                "" if r.high is None else loc.number(r.high, digits),
                str(r.n),
            ]
            for r in rows
        ],
    )
    layout["yaxis"] = rows_axis(loc, labels)
    layout["xaxis"] = value_axis(
        loc,
        low - (high - low) * 0.02,
        high + (high - low) * 0.02,
        tickvals=[-100, -50, 0, 50, 100]
        if metric == "nps"
        else list(range(int(low), int(high) + 1)),
        ticktext=(
            [loc.signed(v) for v in (-100, -50, 0, 50, 100)]
            if metric == "nps"
            else [loc.number(v, 0) for v in range(int(low), int(high) + 1)]
        ),
        zeroline=metric == "nps",
        zerolinecolor="#9aa1ab",
        title={
            "text": bidi(loc, esc(loc.t("score_axis", metric=loc.t(metric), scale=scale)))
            + "<br>"
            + bidi(loc, esc(loc.t("whiskers", method=method)))
        },
    )
    layout["margin"].update(l=10, r=10, b=10)
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
    labels = [bidi(loc, wrap(r.label, 26, 2)) + f" (n={r.n})" for r in rows]
    parts = (("detractors", NEGATIVE), ("passives", "#bdbdbd"), ("promoters", POSITIVE))
    for part, colour in parts:
        fig["data"].append(
            trace(
                "bar",
                y=list(range(len(rows))),
                x=[round(getattr(r, part) * 100, 1) for r in rows],
                name=bidi(loc, esc(loc.t(part))),
                orientation="h",
                marker={"color": colour},
                customdata=[esc(r.label) for r in rows],
                hovertemplate="%{customdata}<br>%{x:.0f}%<extra>" + esc(loc.t(part)) + "</extra>",
            )
        )
    layout = base_layout(loc, loc.t("nps_composition"), height=_height(len(rows), legend=True))
    layout["meta"] = table(
        [loc.t("stage"), *(loc.t(p) for p, _ in parts), "n"],
        [
            [r.label, *(loc.number(getattr(r, p) * 100, 0) + "%" for p, _ in parts), str(r.n)]
            for r in rows
        ],
    )
    layout.update(
        barmode="stack",
        xaxis=value_axis(loc, 0, 100, ticksuffix="%"),
        yaxis=rows_axis(loc, labels),
    )
    # right to left: the legend reads in the order the bars stack, from the right
    layout["legend"].update(traceorder="reversed" if loc.rtl else "normal", y=-0.12, yanchor="top")
    layout["margin"].update(l=10, r=10, b=10)
    fig["layout"].update(layout)
    return fig


# --------------------------------------------------------------------------- findings


def hotspot_heatmap(spots: Hotspots, loc: Locale) -> Figure:
    """Pain points per stage (rows, in journey order) and channel (columns)."""
    counts = [
        [spots.counts[c][s] for c in range(len(spots.channels))] for s in range(len(spots.stages))
    ]
    channels = [loc.channel(c) for c in spots.channels]
    fig = figure(
        trace(
            "heatmap",
            z=counts,
            x=[bidi(loc, esc(c)) for c in channels],
            y=list(range(len(spots.stages))),
            colorscale=[[0, "#ffffff"], [0.001, "#fde9dc"], [1, NEGATIVE_INK]],
            zmin=0,
            zmax=max(1, max((max(r) for r in spots.counts), default=1)),
            xgap=3,
            ygap=3,
            showscale=False,
            text=[[str(v) if v else "" for v in r] for r in counts],
            texttemplate="%{text}",
            customdata=[[esc(name)] * len(channels) for _, name in spots.stages],
            hovertemplate="%{customdata} · %{x}<br>%{z}<extra></extra>",
        )
    )
    layout = base_layout(loc, loc.t("hotspots"), height=_height(len(spots.stages)) + 20)
    layout["meta"] = table(
        [loc.t("stage"), *channels],
        [
            [name, *(str(v) for v in row)]
            for (_, name), row in zip(spots.stages, counts, strict=True)
        ],
    )
    layout["xaxis"] = {
        "side": "bottom",
        "type": "category",
        "fixedrange": True,
        "automargin": True,
        "autorange": "reversed" if loc.rtl else True,
    }
    layout["yaxis"] = rows_axis(loc, [bidi(loc, wrap(name, 26, 2)) for _, name in spots.stages])
    layout["margin"].update(t=50, b=10, l=10, r=10)
    fig["layout"].update(layout)
    return fig


def value_stream_chart(values: Sequence[StageValue], loc: Locale) -> Figure:
    """Shares of adds / needed / waste touchpoints per stage, as 100% stacked bars."""
    fig = figure()
    parts = [
        p
        for p in ("adds", "needed", "waste", "unclassified")
        if p != "unclassified" or any(v.unclassified for v in values)
    ]
    for part in parts:
        fig["data"].append(
            trace(
                "bar",
                orientation="h",
                y=list(range(len(values))),
                x=[round(v.share(part) * 100, 1) for v in values],
                name=bidi(loc, esc(loc.t(part))),
                marker={"color": VALUE_COLOURS[part]},
                customdata=[esc(v.stage) for v in values],
                hovertemplate="%{customdata}<br>%{x:.0f}%<extra>" + esc(loc.t(part)) + "</extra>",
            )
        )
    layout = base_layout(loc, loc.t("value_stream"), height=_height(len(values), legend=True))
    layout["meta"] = table(
        [loc.t("stage"), *(loc.t(p) for p in parts)],
        [[v.stage, *(str(getattr(v, p)) for p in parts)] for v in values],
    )
    layout.update(
        barmode="stack",
        xaxis=value_axis(loc, 0, 100, ticksuffix="%"),
        yaxis=rows_axis(loc, [bidi(loc, wrap(v.stage, 26, 2)) for v in values]),
    )
    layout["legend"].update(traceorder="reversed" if loc.rtl else "normal", y=-0.12, yanchor="top")
    layout["margin"].update(l=10, r=10, b=10)
    fig["layout"].update(layout)
    return fig


def effort_chart(efforts: Sequence[StageEffort], loc: Locale) -> Figure:
    """Mean customer effort per stage (1..5) and, as its own labelled marker, the effort
    of the stage's hardest touchpoint (a maximum, not an interval)."""
    rated = [e for e in efforts if e.mean is not None]
    ys = list(range(len(rated)))
    fig = figure(
        trace(
            "scatter",
            mode="markers",
            y=[y - 0.14 for y in ys],
            x=[round(e.mean or 0, 2) for e in rated],
            name=bidi(loc, esc(loc.t("effort_mean"))),
            marker={"color": POSITIVE_INK, "size": 12},
            customdata=[esc(e.stage) for e in rated],
            hovertemplate="%{customdata}<br>%{x:.1f}<extra></extra>",
        ),
        trace(
            "scatter",
            mode="markers",
            y=[y + 0.14 for y in ys],
            x=[e.max for e in rated],
            name=bidi(loc, esc(loc.t("effort_max"))),
            marker={"color": NEGATIVE_INK, "size": 11, "symbol": "triangle-up"},
            customdata=[esc(e.stage) for e in rated],
            hovertemplate="%{customdata}<br>%{x}<extra></extra>",
        ),
    )
    layout = base_layout(loc, loc.t("effort_by_stage"), height=_height(len(rated), legend=True))
    layout["meta"] = table(
        [loc.t("stage"), loc.t("effort_mean"), loc.t("effort_max")],
        [[e.stage, loc.number(e.mean or 0, 1), str(e.max or "")] for e in rated],
    )
    layout.update(
        xaxis=value_axis(
            loc,
            0.9,
            5.1,
            tickvals=[1, 2, 3, 4, 5],
            title={"text": bidi(loc, esc(loc.t("effort_axis")))},
        ),
        yaxis=rows_axis(loc, [bidi(loc, wrap(e.stage, 26, 2)) for e in rated]),
    )
    layout["legend"].update(y=-0.25, yanchor="top")
    layout["margin"].update(l=10, r=10, b=10)
    fig["layout"].update(layout)
    return fig


def _cells(ranked: Sequence[RankedOpportunity]) -> list[tuple[int, int, list[RankedOpportunity]]]:
    cells: dict[tuple[int, int], list[RankedOpportunity]] = {}
    for r in ranked:
        cells.setdefault((r.opportunity.effort, r.opportunity.impact), []).append(r)
    return [(e, i, rs) for (e, i), rs in cells.items()]


def opportunity_matrix(ranked: Sequence[RankedOpportunity], loc: Locale) -> Figure:
    """Impact (up) against effort (across), quick-win quadrant top left (top right in RTL).

    Opportunities that share a cell share one bubble listing their ranks (two a line),
    so no bubble is ever printed over another; quadrant names sit in bands outside the
    grid, never on a row of bubbles."""
    cells = _cells(ranked)
    texts = []
    for _, _, rs in cells:
        ranks = [str(r.rank) for r in rs]
        texts.append("<br>".join(" · ".join(ranks[i : i + 2]) for i in range(0, len(ranks), 2)))
    fig = figure(
        trace(
            "scatter",
            x=[e for e, _, _ in cells],
            y=[i for _, i, _ in cells],
            mode="markers+text",
            text=texts,
            textfont={"color": "#fff", "size": 12},
            marker={
                "size": [30 + 14 * ((len(rs) - 1) // 2) for _, _, rs in cells],
                "color": [QUADRANT_COLOURS[rs[0].quadrant] for _, _, rs in cells],
                "line": {"color": "#fff", "width": 1.5},
            },
            customdata=[
                "<br>".join(f"{r.rank}. " + bidi(loc, wrap(r.opportunity.title, 40, 2)) for r in rs)
                for _, _, rs in cells
            ],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    quads = (
        ("quick_wins", 0.5, 2.5, "top", "quick-win"),
        ("major_projects", 2.5, 5.5, "top", "major-project"),
        ("fill_ins", 0.5, 2.5, "bottom", "fill-in"),
        ("thankless", 2.5, 5.5, "bottom", "thankless"),
    )
    layout = base_layout(loc, loc.t("opportunity_matrix"), height=480)
    layout["meta"] = table(
        [loc.t("rank"), loc.t("opportunity"), loc.t("impact"), loc.t("effort"), loc.t("quadrant")],
        [
            [
                str(r.rank),
                r.opportunity.title,
                str(r.opportunity.impact),
                str(r.opportunity.effort),
                loc.t(next(q[0] for q in quads if q[4] == r.quadrant)),
            ]
            for r in ranked
        ],
    )
    layout.update(
        shapes=[
            {
                "type": "rect",
                "x0": q[1],
                "x1": q[2],
                "y0": 3.5 if q[3] == "top" else 0.5,
                "y1": 5.5 if q[3] == "top" else 3.5,
                "fillcolor": QUADRANT_COLOURS[q[4]],
                "opacity": 0.07,
                "line": {"width": 0},
                "layer": "below",
            }
            for q in quads
        ],
        annotations=[
            {
                "x": (q[1] + q[2]) / 2,
                "y": 5.78 if q[3] == "top" else 0.22,
                "text": f"<b>{bidi(loc, esc(loc.t(q[0])))}</b>",
                "showarrow": False,
                "font": {"color": QUADRANT_COLOURS[q[4]], "size": 12},
            }
            for q in quads
        ],
        xaxis={
            "range": [5.5, 0.5] if loc.rtl else [0.5, 5.5],
            "tickvals": [1, 2, 3, 4, 5],
            "title": {"text": bidi(loc, esc(loc.t("effort_axis")))},
            "fixedrange": True,
            "gridcolor": "#f0f0f0",
            "zeroline": False,
        },
        yaxis={
            "range": [0, 6],
            "tickvals": [1, 2, 3, 4, 5],
            "fixedrange": True,
            "title": {"text": bidi(loc, esc(loc.t("impact_axis")))},
            "gridcolor": "#f0f0f0",
            "zeroline": False,
            "side": "right" if loc.rtl else "left",
        },
    )
    layout["margin"].update(l=60, r=60)
    fig["layout"].update(layout)
    return fig
