"""What every report chart shares: palette, fonts, escaping, direction, base layout.

A figure is plotly's JSON form, ``{"data": [...], "layout": {...}}``; see
:mod:`cxkit.charts.journey` for the figures themselves.
"""

from __future__ import annotations

import colorsys
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
# Darker twins of the palette for text, and for backgrounds that carry white text (4.5:1).
NEGATIVE_INK, POSITIVE_INK, GOOD_INK = "#B34700", "#005A8C", "#00735A"
QUADRANT_COLOURS = {
    "quick-win": GOOD_INK,
    "major-project": POSITIVE_INK,
    "fill-in": "#8F5F00",
    "thankless": "#666666",
}
FONT = "Segoe UI, Helvetica Neue, Arial, Noto Sans Hebrew, Arial Hebrew, sans-serif"
TRACE_TYPES = ("scatter", "bar", "heatmap")  # must stay inside the vendored plotly.js bundle

# A figure is plotly's JSON form, {"data": [...], "layout": {...}}. Building plain
# dicts instead of plotly.graph_objects keeps plotly out of the report kernel (its
# validation cost ~0.5 s per report); tests validate every figure with
# ``plotly.graph_objects.Figure(fig)``, and ``go.Figure(fig)`` shows one in a notebook.
Figure = dict[str, Any]


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def hex_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` (or ``#rgb``) as three 0..1 floats."""
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def rgb_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (_channel(c) for c in hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, against: str = "#ffffff", ratio: float = 4.5) -> str:
    """``colour`` darkened or lightened (hue and saturation kept) until it reaches
    ``ratio`` against ``against``; unchanged when it already does.

    Used for a brand colour as text on white and as a background under white text
    (the same pair): 4.5:1 for normal text, 3:1 for large text.

    >>> readable("#2a9d8f")  # the clinic's teal, darkened to carry text
    '#238479'
    >>> round(contrast(readable("#2a9d8f"), "#fff"), 2) >= 4.5
    True
    """
    if contrast(colour, against) >= ratio:
        return rgb_hex(hex_rgb(colour))
    h, lightness, sat = colorsys.rgb_to_hls(*hex_rgb(colour))
    darker = luminance(against) > 0.18  # a light background needs a darker colour

    def at(light: float) -> str:
        return rgb_hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, light)), sat))

    def passes(light: float) -> bool:
        return contrast(at(light), against) >= ratio

    # bisect on lightness: the passing colour closest to the original
    far, near = (0.0, lightness) if darker else (1.0, lightness)
    for _ in range(24):
        mid = (far + near) / 2
        far, near = (mid, near) if passes(mid) else (far, mid)
    step = -0.004 if darker else 0.004
    while not passes(far) and 0.0 < far < 1.0:  # rounding to 8 bits can lose a hair
        far += step
    return at(far)


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
    """Isolate ``text`` with its own direction (U+2068 FSI .. U+2069 PDI): SVG labels do not
    inherit the page direction, and a Hebrew name in an English chart (or the reverse)
    keeps its punctuation at the right end."""
    return f"\u2068{text}\u2069" if text else text


def table(columns: list[str], rows: list[list[str]]) -> dict[str, Any]:
    """The data behind a chart, as the report prints it under the chart (plain text;
    the template escapes it). Kept in ``layout.meta`` so the figure stays one dict."""
    return {"table": {"columns": columns, "rows": rows}}


def rows_axis(loc: Locale, labels: list[str], **extra: Any) -> dict[str, Any]:
    """A category axis down the page (first row on top), one tick per label, on the
    reading side (left, or right in a right-to-left report)."""
    n = len(labels)
    return {
        "tickvals": list(range(n)),
        "ticktext": labels,
        "range": [n - 0.5, -0.5],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
        "side": "right" if loc.rtl else "left",
        "ticks": "",
        **extra,
    }


def value_axis(loc: Locale, low: float, high: float, **extra: Any) -> dict[str, Any]:
    """A value axis across the page from ``low`` to ``high``; mirrored in right to left so
    bars grow away from their labels."""
    return {
        "range": [high, low] if loc.rtl else [low, high],
        "fixedrange": True,
        "gridcolor": "#e6e6e6",
        "zeroline": False,
        "automargin": True,
        **extra,
    }


def legend_below(loc: Locale) -> dict[str, Any]:
    return {
        "orientation": "h",
        "y": 0,
        "yref": "container",
        "yanchor": "bottom",
        "x": 1 if loc.rtl else 0,
        "xanchor": "right" if loc.rtl else "left",
    }


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
