"""Journey findings: moments of truth, hotspots, duplicated steps, value stream, effort.

Every function takes a :class:`~cxkit.workbook.model.Journey` (plus, where data sharpens
the finding, aggregates from surveys) and returns small frozen dataclasses that
charts and the poster draw. Nothing here formats text for a language: reasons
are codes with values, labelled later through :mod:`cxkit.i18n`.

>>> from cxkit.workbook.model import Journey, Stage, Touchpoint
>>> j = Journey(id="j", title="J", persona="p", stages=[Stage(id="s", name="S", touchpoints=[
...     Touchpoint(id="a", name="A", channel="web", emotion=1),
...     Touchpoint(id="b", name="B", channel="mail", emotion=-2)])])
>>> [(m.touchpoint_id, m.kind) for m in moments_of_truth(j)]
[('b', 'emotion-drop')]
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cxkit.workbook.model import Journey, Opportunity, OpportunityStatus, Stage, Touchpoint

MotKind = Literal["flagged", "emotion-drop", "lowest-score", "negative-verbatims"]
Quadrant = Literal["quick-win", "major-project", "fill-in", "thankless"]
QUADRANTS: tuple[Quadrant, ...] = ("quick-win", "major-project", "fill-in", "thankless")


@dataclass(frozen=True)
class MomentOfTruth:
    """A moment of truth, flagged in the workshop or suggested by the data."""

    stage_id: str
    stage: str
    touchpoint_id: str
    touchpoint: str
    kind: MotKind
    reason: str | None = None  # the workshop's own words, for flagged ones
    values: dict[str, float | str] = field(default_factory=dict)  # for suggested ones

    @property
    def flagged(self) -> bool:
        return self.kind == "flagged"


def _where(journey: Journey, tp_id: str) -> tuple[Stage, Touchpoint] | None:
    return next(((s, t) for s, t in journey.touchpoints() if t.id == tp_id), None)


def steepest_drop(journey: Journey) -> tuple[Touchpoint, Touchpoint, Stage] | None:
    """The consecutive pair of touchpoints (with emotions) where emotion falls most."""
    rated = [(s, t) for s, t in journey.touchpoints() if t.emotion is not None]
    best: tuple[Touchpoint, Touchpoint, Stage] | None = None
    worst = 0
    for (_, before), (stage, after) in itertools.pairwise(rated):
        assert before.emotion is not None and after.emotion is not None
        delta = after.emotion - before.emotion
        if delta < worst:
            worst, best = delta, (before, after, stage)
    return best


def moments_of_truth(
    journey: Journey,
    *,
    lowest_score: tuple[str, str, float] | None = None,
    negative_comments: Mapping[str, int] | None = None,
) -> list[MomentOfTruth]:
    """Flagged moments of truth, then suggested ones, each with why it was suggested.

    ``lowest_score`` is ``(touchpoint_or_stage_id, metric, value)`` from survey data;
    ``negative_comments`` counts negative verbatims per touchpoint or stage id.
    A suggestion that repeats a flagged touchpoint is not listed twice.
    """
    out: list[MomentOfTruth] = []
    for stage, tp in journey.touchpoints():
        if tp.moment_of_truth:
            out.append(
                MomentOfTruth(
                    stage.id,
                    stage.name,
                    tp.id,
                    tp.name,
                    "flagged",
                    reason=tp.moment_of_truth_reason,
                )
            )
    seen = {m.touchpoint_id for m in out}

    def suggest(tp_or_stage: str, kind: MotKind, values: dict[str, float | str]) -> None:
        found = _where(journey, tp_or_stage)
        if found is None:  # a stage id: its worst-feeling touchpoint stands for it
            stage = next((s for s in journey.stages if s.id == tp_or_stage), None)
            if stage is None or not stage.touchpoints:
                return
            tp = min(stage.touchpoints, key=lambda t: t.emotion if t.emotion is not None else 3)
            found = (stage, tp)
        stage, tp = found
        if tp.id not in seen:
            seen.add(tp.id)
            out.append(MomentOfTruth(stage.id, stage.name, tp.id, tp.name, kind, values=values))

    drop = steepest_drop(journey)
    if drop is not None:
        before, after, _ = drop
        assert before.emotion is not None and after.emotion is not None
        suggest(
            after.id,
            "emotion-drop",
            {"before": before.emotion, "after": after.emotion, "from": before.name},
        )
    if lowest_score is not None:
        ref, metric, value = lowest_score
        suggest(ref, "lowest-score", {"metric": metric, "value": value})
    if negative_comments:
        ref, count = max(negative_comments.items(), key=lambda kv: (kv[1], kv[0]))
        if count > 0:
            suggest(ref, "negative-verbatims", {"count": count})
    return out


# --------------------------------------------------------------------------- hotspots


@dataclass(frozen=True)
class Hotspots:
    """Pain points counted by channel (rows) and stage (columns)."""

    stages: tuple[tuple[str, str], ...]  # (id, name)
    channels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[channel][stage]

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))


def hotspots(journey: Journey) -> Hotspots:
    """Pain points by stage x channel (channels in order of first appearance)."""
    channels: list[str] = []
    for _, tp in journey.touchpoints():
        if tp.channel.value not in channels:
            channels.append(tp.channel.value)
    stages = tuple((s.id, s.name) for s in journey.stages)
    grid = [[0] * len(stages) for _ in channels]
    for si, stage in enumerate(journey.stages):
        for tp in stage.touchpoints:
            grid[channels.index(tp.channel.value)][si] += len(tp.pain_points)
    return Hotspots(stages, tuple(channels), tuple(tuple(r) for r in grid))


@dataclass(frozen=True)
class PainPoint:
    text: str
    stage: str
    touchpoint: str
    touchpoint_id: str
    emotion: int | None
    effort: int | None


def top_pain_points(journey: Journey, k: int = 5) -> list[PainPoint]:
    """The pain points where the customer feels worst and works hardest."""
    found = [
        PainPoint(p, s.name, t.name, t.id, t.emotion, t.effort)
        for s, t in journey.touchpoints()
        for p in t.pain_points
    ]
    found.sort(key=lambda p: (p.emotion if p.emotion is not None else 0, -(p.effort or 0)))
    return found[:k]


# --------------------------------------------------------------------------- duplicates


@dataclass(frozen=True)
class Duplicate:
    """The same action or document demanded at several touchpoints or by several owners."""

    kind: Literal["document", "action"]
    text: str
    touchpoints: tuple[tuple[str, str, str], ...]  # (touchpoint id, touchpoint name, stage name)
    owners: tuple[str, ...]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def duplicated_steps(journey: Journey) -> list[Duplicate]:
    """Documents or actions asked for at more than one touchpoint of ``journey``.

    Texts match after case, punctuation and spacing are ignored, so "Form W-12"
    and "form w12 " are not the same but "Form W-12." and "form w-12" are.
    """
    groups: dict[tuple[str, str], list[tuple[Stage, Touchpoint, str]]] = {}
    for stage, tp in journey.touchpoints():
        for doc in tp.documents:
            groups.setdefault(("document", _norm(doc)), []).append((stage, tp, doc))
        if tp.action:
            groups.setdefault(("action", _norm(tp.action)), []).append((stage, tp, tp.action))
    out: list[Duplicate] = []
    for (kind, key), hits in groups.items():
        tps = list(dict.fromkeys((t.id, t.name, s.name) for s, t, _ in hits))
        if not key or len(tps) < 2:
            continue
        owners = tuple(dict.fromkeys(t.owner for _, t, _ in hits if t.owner))
        out.append(Duplicate(kind, hits[0][2], tuple(tps), owners))  # type: ignore[arg-type]
    return out


# --------------------------------------------------------------------------- value, effort


@dataclass(frozen=True)
class StageValue:
    stage_id: str
    stage: str
    adds: int
    needed: int
    waste: int
    unclassified: int

    @property
    def total(self) -> int:
        return self.adds + self.needed + self.waste + self.unclassified

    def share(self, part: str) -> float:
        total = self.total
        return getattr(self, part) / total if total else 0.0


def value_stream(journey: Journey) -> list[StageValue]:
    """Per stage: how many touchpoints add value, are needed, are waste, or are unclassified."""
    out = []
    for s in journey.stages:
        values = [t.value.value if t.value else None for t in s.touchpoints]
        out.append(
            StageValue(
                s.id,
                s.name,
                values.count("adds"),
                values.count("needed"),
                values.count("waste"),
                values.count(None),
            )
        )
    return out


@dataclass(frozen=True)
class StageEffort:
    stage_id: str
    stage: str
    mean: float | None
    max: int | None
    rated: int


def effort_by_stage(journey: Journey) -> list[StageEffort]:
    """Mean and highest customer effort (1..5) per stage, over touchpoints that rate it."""
    out = []
    for s in journey.stages:
        efforts = [t.effort for t in s.touchpoints if t.effort is not None]
        mean = sum(efforts) / len(efforts) if efforts else None
        out.append(StageEffort(s.id, s.name, mean, max(efforts) if efforts else None, len(efforts)))
    return out


# --------------------------------------------------------------------------- expectation gaps


@dataclass(frozen=True)
class ExpectationGap:
    stage: str
    touchpoint_id: str
    touchpoint: str
    expectation: str
    assumed: int | None
    measured: float | None  # emotion scale -2..+2, from surveys

    @property
    def experience(self) -> float:
        if self.measured is not None:
            return self.measured
        return float(self.assumed) if self.assumed is not None else 0.0


def expectation_gaps(
    journey: Journey, measured: Mapping[str, float] | None = None, *, threshold: float = 0.0
) -> list[ExpectationGap]:
    """Touchpoints whose expectation meets a negative experience, worst first.

    The experience is the measured emotion where surveys give one (``measured``,
    by touchpoint id), otherwise the workshop's assumed emotion.
    """
    measured = measured or {}
    gaps = []
    for stage, tp in journey.touchpoints():
        if not tp.expectation:
            continue
        gap = ExpectationGap(
            stage.name, tp.id, tp.name, tp.expectation, tp.emotion, measured.get(tp.id)
        )
        if (gap.measured is not None or gap.assumed is not None) and gap.experience < threshold:
            gaps.append(gap)
    gaps.sort(key=lambda g: g.experience)
    return gaps


# --------------------------------------------------------------------------- opportunities


@dataclass(frozen=True)
class RankedOpportunity:
    """An opportunity with its quadrant and the touchpoints and pain points it answers."""

    rank: int
    opportunity: Opportunity
    quadrant: Quadrant
    touchpoints: tuple[tuple[str, str], ...]  # (id, name)
    pain_points: tuple[str, ...]


def quadrant(impact: int, effort: int) -> Quadrant:
    """Impact 4-5 is high; effort 1-2 is low."""
    high, low = impact >= 4, effort <= 2
    if high:
        return "quick-win" if low else "major-project"
    return "fill-in" if low else "thankless"


def rank_opportunities(journey: Journey) -> list[RankedOpportunity]:
    """Quick wins first, then by impact (high first) and effort (low first).

    Opportunities already done or dropped go last.
    """
    names = {t.id: (t.name, t.pain_points) for _, t in journey.touchpoints()}
    closed = {OpportunityStatus.DONE, OpportunityStatus.DROPPED}

    def key(item: tuple[int, Opportunity]) -> tuple[bool, int, int, int, int]:
        i, o = item
        return (
            o.status in closed,
            QUADRANTS.index(quadrant(o.impact, o.effort)),
            -o.impact,
            o.effort,
            i,
        )

    ranked = []
    for rank, (_, o) in enumerate(sorted(enumerate(journey.opportunities), key=key), start=1):
        tps = tuple((ref, names[ref][0]) for ref in o.touchpoints if ref in names)
        pains = tuple(
            dict.fromkeys(p for ref in o.touchpoints if ref in names for p in names[ref][1])
        )
        ranked.append(RankedOpportunity(rank, o, quadrant(o.impact, o.effort), tps, pains))
    return ranked


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class JourneyStats:
    stages: int
    touchpoints: int
    pain_points: int
    mean_effort: float | None
    waste_share: float | None


def journey_stats(journey: Journey) -> JourneyStats:
    """Counts for the summary: stages, touchpoints, pain points, mean effort, waste share."""
    tps = [t for _, t in journey.touchpoints()]
    efforts = [t.effort for t in tps if t.effort is not None]
    valued = [t.value for t in tps if t.value is not None]
    return JourneyStats(
        stages=len(journey.stages),
        touchpoints=len(tps),
        pain_points=sum(len(t.pain_points) for t in tps),
        mean_effort=sum(efforts) / len(efforts) if efforts else None,
        waste_share=(sum(v.value == "waste" for v in valued) / len(valued)) if valued else None,
    )
