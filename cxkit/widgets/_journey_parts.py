"""Parts of the journey mapper: the touchpoint and opportunity fields, and the emotion curve.

Each field knows how to show a model value (``fill``) and how to turn what the
student chose back into one (``convert``); unset values show as "not set".
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from cxkit.widgets._common import (
    NONE,
    Field,
    Labels,
    choice,
    from_choice,
    lines,
    optional_scale,
    signed,
    text,
    to_choice,
)
from cxkit.widgets._panel import Part, same
from cxkit.workbook.model import Channel, Journey, OpportunityStatus, Value


def _lines_fill(v: Any) -> Any:
    return "\n".join(v or [])


def _enum_fill(v: Any) -> Any:
    return v.value if v is not None else NONE


def _optional(v: Any) -> Any:
    return None if v == NONE else v


def touchpoint_parts(t: Labels) -> dict[str, Part]:
    def multiline(key: str) -> Part:
        return Part(Field(t(key), text(multiline=True), t("one_per_line")), _lines_fill, lines)

    return {
        "name": Part(Field(t("name"), text())),
        "channel": Part(
            Field(
                t("channel"),
                w.Dropdown(
                    options=[(t.channel(c.value), c.value) for c in Channel],
                    layout=w.Layout(width="96%"),
                ),
            ),
            _enum_fill,
        ),
        "action": Part(Field(t("action"), text(multiline=True))),
        "questions": multiline("questions"),
        "expectation": Part(Field(t("expectation"), text(multiline=True))),
        "emotion": Part(
            Field(t("emotion"), optional_scale(range(-2, 3), t, sign=True), t("emotion_hint")),
            to_choice,
            from_choice,
        ),
        "effort": Part(
            Field(t("effort"), optional_scale(range(1, 6), t), t("effort_hint")),
            to_choice,
            from_choice,
        ),
        "moment_of_truth": Part(
            Field(t("moment_of_truth"), w.Checkbox(indent=False)), lambda v: bool(v)
        ),
        "moment_of_truth_reason": Part(Field(t("moment_of_truth_reason"), text())),
        "pain_points": multiline("pain_points"),
        "owner": Part(Field(t("owner"), text())),
        "backstage": multiline("backstage"),
        "documents": multiline("documents"),
        "value": Part(
            Field(
                t("value"),
                w.Dropdown(
                    options=[(t("value_none"), NONE)]
                    + [(t(f"value_{v.value}"), v.value) for v in Value],
                    layout=w.Layout(width="96%"),
                ),
            ),
            _enum_fill,
            _optional,
        ),
    }


def opportunity_parts(t: Labels) -> dict[str, Part]:
    return {
        "title": Part(Field(t("title"), text())),
        "touchpoints": Part(
            Field(
                t("addresses"),
                w.SelectMultiple(options=[], rows=5, layout=w.Layout(width="96%")),
            ),
            lambda v: tuple(v or ()),
            list,
        ),
        "impact": Part(Field(t("impact"), choice([(str(v), v) for v in range(1, 6)])), same),
        "effort": Part(Field(t("effort"), choice([(str(v), v) for v in range(1, 6)])), same),
        "owner": Part(Field(t("owner"), text())),
        "status": Part(
            Field(
                t("status"),
                w.Dropdown(
                    options=[(t.status(s.value), s.value) for s in OpportunityStatus],
                    layout=w.Layout(width="96%"),
                ),
            ),
            _enum_fill,
        ),
    }


def emotion_points(journey: Journey | None) -> tuple[list[str], list[int | None], list[bool]]:
    """x labels, assumed emotions and moment-of-truth flags, in journey order."""
    if journey is None:
        return [], [], []
    xs, ys, mot = [], [], []
    for stage, tp in journey.touchpoints():
        xs.append(f"{stage.name} · {tp.name}")
        ys.append(tp.emotion)
        mot.append(tp.moment_of_truth)
    return xs, ys, mot


class EmotionCurve:
    """The live emotion curve: one line trace, created with the figure (so a page that
    renders the figure later, as Voila does, already has the trace it is asked to update)."""

    def __init__(self, t: Labels, journey: Journey | None) -> None:
        self.t = t
        ticks = list(range(-2, 3))
        xs, ys, mot = emotion_points(journey)
        self._shown: tuple[Any, ...] = (xs, ys, mot)
        self.figure = go.FigureWidget(
            data=[
                go.Scatter(
                    x=xs,
                    y=ys,
                    marker=_marker(mot),
                    mode="lines+markers",
                    name=t("emotion"),
                    connectgaps=False,
                    line={"shape": "spline", "width": 3},
                )
            ],
            layout=go.Layout(
                height=340,
                autosize=True,
                margin={"l": 48, "r": 20, "t": 40, "b": 110},
                title={"text": t("emotion_curve")},
                yaxis={
                    "range": [-2.4, 2.4],
                    "tickvals": ticks,
                    "ticktext": [signed(v) for v in ticks],
                    "zeroline": True,
                },
                xaxis={
                    "autorange": "reversed" if t.rtl else True,
                    "automargin": False,  # long names must not squash the plot
                    "tickangle": -40,
                    "tickvals": xs,
                    "ticktext": _short(xs),
                },
                annotations=_empty_note(t, xs),
            ),
        )
        self.box = w.Box([self.figure], layout=w.Layout(width="100%"))
        self.box.add_class("cxkit-chart")

    def draw(self, journey: Journey | None) -> None:
        """Update the curve; nothing is sent when it shows this already."""
        xs, ys, mot = emotion_points(journey)
        if (xs, ys, mot) == self._shown:
            return
        self._shown = (xs, ys, mot)
        with self.figure.batch_update():
            trace = self.figure.data[0]
            trace.x = xs
            trace.y = ys
            trace.marker = _marker(mot)
            self.figure.layout.xaxis.tickvals = xs
            self.figure.layout.xaxis.ticktext = _short(xs)
            self.figure.layout.annotations = _empty_note(self.t, xs)


def _short(labels: list[str], most: int = 22) -> list[str]:
    """Tick labels short enough to leave room for the plot (the full one is the x value)."""
    out = []
    for label in labels:
        name = label.split(" · ", 1)[-1]
        out.append(name if len(name) <= most else name[: most - 1] + "…")
    return out


def _marker(mot: list[bool]) -> dict[str, Any]:
    return {
        "size": [14 if m else 8 for m in mot],
        "symbol": ["star" if m else "circle" for m in mot],
    }


def _empty_note(t: Labels, xs: list[str]) -> tuple[dict[str, Any], ...]:
    if xs:
        return ()
    return (
        {
            "text": t("no_touchpoints"),
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
        },
    )
