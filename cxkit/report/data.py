"""The report's one door to survey data: aggregates in, never raw rows.

:func:`survey_data` reads a workbook's survey exports (through
:mod:`cxkit.surveys.responses`) and returns small score tables for the report's data
sections, or ``None`` when the workbook has no surveys. Every score and interval
comes from :mod:`cxkit.scoring.scores`, so the report shows exactly what ``cxkit score``
prints. The report only ever sees these dataclasses, so its size does not grow
with the number of responses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxkit.charts.journey import NpsMix, ScoreBar
from cxkit.workbook.model import Scale, Workbook

if TYPE_CHECKING:
    import pandas as pd

    from cxkit.scoring.scores import ScoreTable
    from cxkit.surveys.responses import Responses

METRICS = ("nps", "csat", "ces")
VERBATIMS_PER_JOURNEY = 6
VERBATIM_POOL = 300  # the strongest comments each way that quotes are chosen from


@dataclass(frozen=True)
class Verbatim:
    text: str
    stage: str | None
    emotion: float  # the response's score on the -2..+2 emotion scale
    theme: str | None = None  # the theme it was chosen for, in the report's language


@dataclass(frozen=True)
class SourceInfo:
    id: str
    file: str
    rows: int
    kept: int


@dataclass
class JourneyScores:
    """Everything the report draws for one journey's survey data."""

    by_stage: dict[str, list[ScoreBar]] = field(default_factory=dict)  # metric -> bars
    nps_mix: list[NpsMix] = field(default_factory=list)
    measured_emotion: dict[str, float] = field(default_factory=dict)  # touchpoint id -> -2..+2
    lowest: tuple[str, str, float] | None = None  # (stage id, metric, value)
    negative_comments: dict[str, int] = field(default_factory=dict)  # stage id -> count
    verbatims: list[Verbatim] = field(default_factory=list)


@dataclass
class SurveyData:
    headline: list[ScoreBar]  # one per metric, all journeys pooled
    journeys: dict[str, JourneyScores]
    sources: list[SourceInfo]
    responses: int


def _scale(scales: dict[str, Scale], metric: str) -> tuple[float, float]:
    default = (1.0, 5.0) if metric == "csat" else (1.0, 7.0)
    s = scales.get(metric)
    return (float(s.min), float(s.max)) if s is not None else default


def _bars(
    table: ScoreTable,
    labels: dict[str, str],
    overall: bool,
    scales: dict[str, Scale] | None = None,
) -> tuple[dict[str, list[ScoreBar]], list[NpsMix]]:
    """Bars per metric and the NPS mix from a score table (``labels``: stage id -> name;
    ``overall``: the table's ALL row only, labelled by metric)."""
    out: dict[str, list[ScoreBar]] = {m: [] for m in METRICS}
    mix: list[NpsMix] = []
    scales = scales or {}
    groups = {
        ("" if overall else g.keys.get("stage", "")): g
        for g in table.groups[: 1 if overall else None]
        if overall or g.group != "ALL"
    }
    for key, label in labels.items():
        g = groups.get(key)
        if g is None:
            continue
        if g.nps is not None and g.nps.n:
            out["nps"].append(
                ScoreBar(
                    key or "nps",
                    label or "NPS",
                    g.nps.score,
                    g.nps.low,
                    g.nps.high,
                    g.nps.n,
                    (-100.0, 100.0),
                )
            )
            mix.append(
                NpsMix(
                    label or "NPS",
                    g.nps.detractors / 100,
                    g.nps.passives / 100,
                    g.nps.promoters / 100,
                    g.nps.n,
                )
            )
        if g.csat is not None and g.csat.n:
            out["csat"].append(
                ScoreBar(
                    key or "csat",
                    label or "CSAT",
                    g.csat.mean,
                    g.csat.mean_low,
                    g.csat.mean_high,
                    g.csat.n,
                    _scale(scales, "csat"),
                )
            )
        if g.ces is not None and g.ces.n:
            out["ces"].append(
                ScoreBar(
                    key or "ces",
                    label or "CES",
                    g.ces.mean,
                    g.ces.low,
                    g.ces.high,
                    g.ces.n,
                    _scale(scales, "ces"),
                )
            )
    return out, mix


def _journey_scores(
    wb: Workbook, jid: str, frame: pd.DataFrame, responses: Responses
) -> JourneyScores:

    from cxkit.scoring.emotion import journey_emotions, response_emotion
    from cxkit.scoring.scores import score

    scales = responses.scales
    journey = wb.journey(jid)
    out = JourneyScores()
    stages = {s.id: s for s in journey.stages}
    frame = frame.assign(emotion_=response_emotion(frame, scales))
    lowest: tuple[float, str, str, float] | None = None
    here = replace(responses, frame=frame)
    table = score(here, by="stage")
    bars, out.nps_mix = _bars(
        table, {sid: s.name for sid, s in stages.items()}, overall=False, scales=scales
    )
    out.by_stage = {m: bars[m] for m in METRICS if bars[m]}
    # One rule for measured emotion (cxkit.scoring.emotion): answers that name their
    # touchpoint measure it; the others get their stage's value.
    by_tp, by_stage = journey_emotions(here, journey)
    out.measured_emotion = {tp: round(v, 2) for tp, v in by_tp.items() if not math.isnan(v)}
    for sid, value in by_stage.items():
        if not math.isnan(value) and (lowest is None or value < lowest[0]):
            lowest = (value, sid, "emotion", round(value, 2))
    if lowest is not None:
        out.lowest = (lowest[1], lowest[2], lowest[3])
    comments = frame[frame["comment"].notna() & (frame["comment"].astype(str).str.strip() != "")]
    negative = comments[comments["emotion_"] < 0]
    out.negative_comments = {
        str(k): int(v) for k, v in negative.groupby("stage", observed=True).size().items() if v
    }
    picked = comments.dropna(subset=["emotion_"]).sort_values(
        ["emotion_", "comment"], kind="stable"
    )
    language = wb.client.language.value
    half = VERBATIMS_PER_JOURNEY // 2
    worst = picked[picked["emotion_"] < 0].head(VERBATIM_POOL)
    best = picked[picked["emotion_"] >= 0].iloc[::-1].head(VERBATIM_POOL)
    for pool in (worst, best):
        for comment, stage, emotion, theme in _spread_over_themes(pool, half, language):
            name = stages[stage].name if isinstance(stage, str) and stage in stages else None
            out.verbatims.append(Verbatim(comment, name, float(emotion), theme))
    return out


def _spread_over_themes(
    pool: pd.DataFrame, count: int, language: str
) -> list[tuple[str, Any, float, str | None]]:
    """Up to ``count`` distinct comments from ``pool`` (strongest first), one per theme.

    The most frequent themes of the pool come first, each represented by its
    strongest comment, so the quotes show the main subjects rather than five takes
    on one; comments without a new theme fill what is left.
    """
    from cxkit.scoring.themes import load_codebook, tag_themes

    book = load_codebook()
    tags = tag_themes(pool["comment"], book)
    labels = {t.id: t.label(language) for t in book.themes}
    order = [
        t for t in tags.sum().sort_values(ascending=False, kind="stable").index if tags[t].any()
    ]
    chosen: list[tuple[str, Any, float, str | None]] = []
    seen: set[str] = set()

    def take(row: Any, theme: str | None) -> None:
        text = str(row.comment).strip()[:400]
        if text not in seen and len(chosen) < count:
            seen.add(text)
            chosen.append((text, row.stage, float(row.emotion_), theme))

    for theme in order:
        first = pool[tags[theme]].head(1)
        for row in first.itertuples():
            take(row, labels[theme])
    for row in pool.itertuples():
        take(row, None)
    return chosen


def survey_data(wb: Workbook, workbook_path: str | Path) -> SurveyData | None:
    """Aggregated survey scores for the report, or ``None`` if the workbook has no surveys.

    Raises :class:`~cxkit.errors.SurveyError` if an export cannot be read.
    """
    if not wb.surveys:
        return None
    from cxkit.scoring.scores import score
    from cxkit.surveys.responses import load_all_responses

    responses = load_all_responses(wb, workbook_path)
    frame = responses.frame
    bars, _ = _bars(score(responses), {"": ""}, overall=True, scales=responses.scales)
    headline = [b for m in METRICS for b in bars[m]]
    journeys: dict[str, JourneyScores] = {}
    if "journey" in frame:
        for jid, part in frame.groupby("journey", observed=True):
            if any(j.id == jid for j in wb.journeys):
                journeys[str(jid)] = _journey_scores(wb, str(jid), part, responses)
    folder = Path(workbook_path).resolve()
    folder = folder if folder.is_dir() else folder.parent
    sources = [
        SourceInfo(s.id, shown_path(s.file, folder), s.rows, s.kept) for s in responses.sources
    ]
    return SurveyData(headline, journeys, sources, len(frame))


def shown_path(file: str | Path, folder: Path) -> str:
    """A survey file as the report shows it: relative to the client folder, with ``/``
    (never the machine's absolute path); a file outside the folder shows its name only."""
    path = Path(file)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return path.name
