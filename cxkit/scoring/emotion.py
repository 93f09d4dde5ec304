"""Measured emotion: survey scores placed on the journey's -2..+2 emotion scale.

This module is the one rule for measured emotion; the report, its method appendix,
the forms and the exercises all use it. The workshop *assumes* an emotion per
touchpoint (-2 very negative .. +2 very positive); surveys *measure* one:

- CSAT mean on a scale ``min..max``: ``emotion = 4 x (mean - min) / (max - min) - 2``
  (1-5: 1 -> -2, 3 -> 0, 5 -> +2). Reversed when lower is better.
- NPS: ``emotion = NPS / 50`` (-100 -> -2, 0 -> 0, +100 -> +2).
- CES mean: as CSAT, on the CES scale (1-7: 1 -> -2, 4 -> 0, 7 -> +2).

A group (touchpoint or stage) uses CSAT where it has CSAT answers (closest to a
feeling about *this* step), else NPS, else CES (``metric="auto"``). The interval is
mapped the same way, so the report can show whether assumed emotion lies inside it.
A touchpoint that no answer names takes its stage's value.

One response (to colour its comment) follows the same order on its own answers, each
mapped so that the mean over a group is the group's value: a CSAT or CES answer
linearly as above, an NPS answer as its NPS score / 50 (promoter +2, passive 0,
detractor -2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError
from cxkit.scoring.scores import LOW_N, score
from cxkit.surveys.answers import DEFAULT_CES, DEFAULT_CSAT, DETRACTOR_MAX, PROMOTER_MIN
from cxkit.surveys.responses import Responses
from cxkit.workbook.model import Journey, Scale

AUTO_ORDER = ("csat", "nps", "ces")
MAPPING = {
    "csat": "emotion = 4 x (CSAT mean - scale min) / (scale max - scale min) - 2",
    "nps": "emotion = NPS / 50",
    "ces": "emotion = 4 x (CES mean - scale min) / (scale max - scale min) - 2",
}


@dataclass(frozen=True)
class MeasuredEmotion:
    """Assumed and measured emotion of one touchpoint (or stage) of a journey."""

    stage: str
    touchpoint: str | None  # None for a stage-level row
    name: str
    assumed: float | None
    metric: str | None  # the metric used, None when no answers
    n: int
    score: float  # the metric's own value (NPS points, or the mean answer)
    emotion: float  # -2..+2
    low: float
    high: float
    mapping: str

    @property
    def low_confidence(self) -> bool:
        return self.n < LOW_N

    @property
    def gap(self) -> float | None:
        """Measured minus assumed (negative: worse than the workshop thought)."""
        if self.assumed is None or np.isnan(self.emotion):
            return None
        return float(self.emotion - self.assumed)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["gap"], out["low_confidence"] = self.gap, self.low_confidence
        return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in out.items()}


def to_emotion(value: float | np.ndarray, metric: str, scale: Scale) -> np.ndarray:
    """Map a metric value onto -2..+2 (see the module docstring for the formulas)."""
    v = np.asarray(value, dtype="float64")
    if metric == "nps":
        out = v / 50
    else:
        out = 4 * (v - scale.min) / (scale.max - scale.min) - 2
        if not scale.higher_is_better:
            out = -out
    return np.clip(out, -2, 2)


def measured_emotion(
    responses: Responses,
    journey: Journey,
    *,
    level: str = "touchpoint",
    metric: str = "auto",
    persona: str | None = None,
) -> list[MeasuredEmotion]:
    """Measured against assumed emotion for each touchpoint (or stage) of ``journey``.

    Rows follow the journey's order; a touchpoint with no answers gets ``n = 0``
    and NaN values. ``persona`` picks that persona's assumed emotion
    (``emotion_by_persona``) and only that persona's responses, when the survey has
    a persona column. Stage-level assumed emotion is the mean of its touchpoints'.
    """
    if level not in {"touchpoint", "stage"}:
        raise CxkitError(f"level must be 'touchpoint' or 'stage', not '{level}'")
    frame = responses.frame
    if "journey" in frame.columns and bool(frame["journey"].notna().any()):
        frame = frame[(frame["journey"] == journey.id) | frame["journey"].isna()]
    if persona is not None and bool(frame["persona"].notna().any()):
        frame = frame[frame["persona"] == persona]
    table = score(
        Responses(frame=frame, sources=responses.sources, scales=responses.scales), by=level
    )
    found = {g.keys[level]: g for g in table.groups[1:]}
    rows = []
    if level == "touchpoint":
        for stage, tp in journey.touchpoints():
            assumed = tp.emotion_by_persona.get(persona, tp.emotion) if persona else tp.emotion
            rows.append(
                _row(stage.id, tp.id, tp.name, assumed, found.get(tp.id), metric, responses)
            )
    else:
        for stage in journey.stages:
            felt: list[float] = []
            for t in stage.touchpoints:
                e = t.emotion_by_persona.get(persona, t.emotion) if persona else t.emotion
                if e is not None:
                    felt.append(float(e))
            assumed_mean = float(np.mean(felt)) if felt else None
            rows.append(
                _row(
                    stage.id, None, stage.name, assumed_mean, found.get(stage.id), metric, responses
                )
            )
    return rows


def _row(
    stage: str,
    tp: str | None,
    name: str,
    assumed: float | None,
    group: Any,
    metric: str,
    responses: Responses,
) -> MeasuredEmotion:
    nan = float("nan")
    chosen = None
    if group is not None:
        order = AUTO_ORDER if metric == "auto" else (metric,)
        for m in order:
            part = getattr(group, m, None)
            if part is not None and part.n > 0:
                chosen = m
                break
    if chosen is None:
        return MeasuredEmotion(
            stage,
            tp,
            name,
            None if assumed is None else float(assumed),
            None,
            0,
            nan,
            nan,
            nan,
            nan,
            "no answers",
        )
    part = getattr(group, chosen)
    value, low, high = (
        (part.score, part.low, part.high)
        if chosen == "nps"
        else (
            part.mean,
            part.mean_low if chosen == "csat" else part.low,
            part.mean_high if chosen == "csat" else part.high,
        )
    )
    scale = responses.scales[chosen]
    e, lo, hi = (float(to_emotion(v, chosen, scale)) for v in (value, low, high))
    if not scale.higher_is_better:
        lo, hi = hi, lo
    return MeasuredEmotion(
        stage,
        tp,
        name,
        None if assumed is None else float(assumed),
        chosen,
        int(part.n),
        float(value),
        e,
        lo,
        hi,
        MAPPING[chosen],
    )


def response_emotion(frame: pd.DataFrame, scales: dict[str, Scale]) -> pd.Series:
    """Each response on -2..+2, by the module's rule: CSAT, else NPS, else CES.

    An NPS answer counts as its NPS score / 50 (promoter +2, passive 0, detractor -2), so
    the mean over a group's NPS answers is that group's ``NPS / 50``.
    """
    out = pd.Series(float("nan"), index=frame.index)
    for metric in reversed(AUTO_ORDER):  # earlier metrics in AUTO_ORDER win
        if metric not in frame or not frame[metric].notna().any():
            continue
        values = frame[metric].astype("float64")
        if metric == "nps":
            mapped = pd.Series(
                np.select(
                    [values >= PROMOTER_MIN, values <= DETRACTOR_MAX], [2.0, -2.0], default=0.0
                ),
                index=frame.index,
            ).where(values.notna())
        else:
            scale = scales.get(metric) or (DEFAULT_CSAT if metric == "csat" else DEFAULT_CES)
            mapped = pd.Series(to_emotion(values.to_numpy(), metric, scale), index=frame.index)
        out = mapped.where(mapped.notna(), out)
    return out


def journey_emotions(
    responses: Responses, journey: Journey
) -> tuple[dict[str, float], dict[str, float]]:
    """Measured emotion per touchpoint id and per stage id, by the module's rule.

    A touchpoint no answer names takes its stage's value; stages without answers (and
    so their touchpoints) are left out. One pass per level, shared by both results.
    """
    stage_rows = {r.stage: r for r in measured_emotion(responses, journey, level="stage")}
    tp_rows = {r.touchpoint: r for r in measured_emotion(responses, journey)}
    touchpoints: dict[str, float] = {}
    for stage, tp in journey.touchpoints():
        own, fallback = tp_rows.get(tp.id), stage_rows.get(stage.id)
        row = own if own is not None and own.n else fallback
        if row is not None and row.n:
            touchpoints[tp.id] = float(row.emotion)
    stages = {sid: float(r.emotion) for sid, r in stage_rows.items() if r.n}
    return touchpoints, stages


def emotion_frame(rows: list[MeasuredEmotion]) -> pd.DataFrame:
    """The rows as a DataFrame (for charts)."""
    return pd.DataFrame([r.to_dict() for r in rows])
