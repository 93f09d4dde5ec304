"""What every report chart shares: palette, fonts, escaping, direction, base layout.

A figure is plotly's JSON form, ``{"data": [...], "layout": {...}}``; see
:mod:`cxkit.charts.journey` for the figures themselves.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

from cxkit.i18n import Locale

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


def figure(*traces: dict[str, Any]) -> Figure:
    return {"data": list(traces), "layout": {}}


def trace(kind: str, **props: Any) -> dict[str, Any]:
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


def base_layout(loc: Locale, title: str | None, height: int = 380) -> dict[str, Any]:
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


def timeline_axis(loc: Locale, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"showgrid": False, "zeroline": False, "fixedrange": True, **extra}
    if loc.rtl:
        axis["autorange"] = "reversed"
    return axis
