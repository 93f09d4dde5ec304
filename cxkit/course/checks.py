"""The checks a rubric can use. Each measures the student's own work.

A check gets a :class:`Context` (the workbook, its folder, the exercise's starter and
the texts every student was given) and the criterion's parameters, and returns an
:class:`Outcome`: the share met (0..1) and one detail per thing missing. Text that is
filler or was copied counts as not written, and says so (a ``filler`` detail).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from cxkit.analysis import duplicated_steps
from cxkit.course.filler import KnownTexts, filler_reason, normalise
from cxkit.workbook.model import Journey, Opportunity, Stage, State, Touchpoint, Value, Workbook

Detail = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one check found: the share met and one detail per missing thing."""

    share: float
    details: list[Detail] = field(default_factory=list)


@dataclass
class Context:
    """What every check may look at."""

    wb: Workbook
    known: KnownTexts
    starter: Workbook | None = None
    folder: Path | None = None
    starter_folder: Path | None = None
    memo: dict[str, Any] = field(default_factory=dict)  # what checks share (the responses)

    def why_not(self, text: str | None, *, given_ok: bool = False) -> str | None:
        """Why ``text`` is not the student's own answer, or None when it is."""
        reason = filler_reason(text, self.known)
        if reason == "copied" and text is not None:
            source = self.known.source(text) or "brief"
            return None if given_ok and source == "starter" else source
        return reason

    def journey(self, params: dict[str, Any]) -> Journey | None:
        wanted = params.get("journey")
        for j in self.wb.journeys:
            if (wanted and j.id == wanted) or (not wanted and j.state is State.CURRENT):
                return j
        return self.wb.journeys[0] if self.wb.journeys and not wanted else None

    def starter_ids(self) -> set[str]:
        """Ids of the touchpoints the starter gives (their names are not the student's)."""
        if self.starter is None:
            return set()
        return {t.id for j in self.starter.journeys for _, t in j.touchpoints()}


def _ratio(ok: int, total: int) -> float:
    return 1.0 if total == 0 else ok / total


def _at_least(found: int, need: int, **extra: Any) -> Outcome:
    return Outcome(
        min(1.0, found / need) if need else 1.0,
        [] if found >= need else [{"found": found, "need": need, **extra}],
    )


def filler(text: str, why: str, place: str, name: str = "", what: str = "", **more: Any) -> Detail:
    """A detail saying that ``text`` at ``place`` earns nothing, and why."""
    short = text if len(text) <= 40 else text[:39] + "…"
    return {
        "kind": "filler",
        "text": short,
        "why": why,
        "place": place,
        "name": name,
        "field": what,
        **more,
    }


def own_items(
    ctx: Context, items: Iterable[str], place: str, name: str, what: str, out: list[Detail]
) -> list[str]:
    """The items of a list that are the student's own and not repeats of each other."""
    seen: set[str] = set()
    kept = []
    for item in items:
        why = ctx.why_not(item)
        if why is None and normalise(item) in seen:
            why = "duplicate"
        if why is not None:
            out.append(filler(item, why, place, name, what))
            continue
        seen.add(normalise(item))
        kept.append(item)
    return kept


def counted_touchpoints(
    ctx: Context, journey: Journey, out: list[Detail] | None = None
) -> list[tuple[Stage, Touchpoint]]:
    """Touchpoints that are real: a name of the student's own, or one the starter gave."""
    given = ctx.starter_ids()
    kept = []
    for stage, tp in journey.touchpoints():
        why = None if tp.id in given else ctx.why_not(tp.name)
        if why is None:
            kept.append((stage, tp))
        elif out is not None:
            out.append(filler(tp.name, why, "touchpoint", tp.name, "name"))
    return kept


# --------------------------------------------------------------------------- personas


def check_persona_fields(ctx: Context, p: dict[str, Any]) -> Outcome:
    """Every persona has at least N own items of each listed field (or an own text)."""
    if not ctx.wb.personas:
        return Outcome(0.0, [{"field": "persona", "need": 1, "found": 0, "persona": "-"}])
    needs: dict[str, int] = p["fields"]
    details: list[Detail] = []
    fillers: list[Detail] = []
    ok = total = 0
    for persona in ctx.wb.personas:
        for name, need in needs.items():
            value = getattr(persona, name)
            if isinstance(value, list) and value and isinstance(value[0], Enum):
                found = len(value)  # channels: chosen from a list
                if found >= int(p.get("too_many", 99)):
                    fillers.append({"kind": "everything", "persona": persona.name, "field": name})
                    found = 0
            else:
                texts = value if isinstance(value, list) else ([value] if value else [])
                found = len(own_items(ctx, texts, "persona", persona.name, name, fillers))
            total += 1
            if found >= need:
                ok += 1
            else:
                details.append(
                    {"persona": persona.name, "field": name, "need": need, "found": found}
                )
    return Outcome(_ratio(ok, total), fillers + details)


# --------------------------------------------------------------------------- journeys


def check_stage_added(ctx: Context, p: dict[str, Any]) -> Outcome:
    """A stage of the student's own after stage ``after``, with a real touchpoint."""
    journey = ctx.journey(p)
    if journey is None:
        return Outcome(0.0, [{"kind": "missing", "last": "-"}])
    ids = [s.id for s in journey.stages]
    start = ids.index(p["after"]) + 1 if p["after"] in ids else len(ids)
    details: list[Detail] = []
    real = counted_touchpoints(ctx, journey)
    for stage in journey.stages[start:]:
        why = ctx.why_not(stage.name)
        if why is not None:
            details.append(filler(stage.name, why, "stage", stage.name, "name"))
        elif any(s is stage for s, _ in real):
            return Outcome(1.0)
        else:
            details.append({"kind": "empty", "stage": stage.name})
    last = journey.stages[-1].name if journey.stages else "-"
    return Outcome(0.0, [*details, {"kind": "missing", "last": last}])


def check_stage_has_touchpoint(ctx: Context, p: dict[str, Any]) -> Outcome:
    journey = ctx.journey(p)
    if journey is None or not journey.stages:
        return Outcome(0.0, [{"stage": "-"}])
    fillers: list[Detail] = []
    real = {id(s) for s, _ in counted_touchpoints(ctx, journey, fillers)}
    empty = [s for s in journey.stages if id(s) not in real]
    return Outcome(
        _ratio(len(journey.stages) - len(empty), len(journey.stages)),
        fillers + [{"stage": s.name, "stage_id": s.id} for s in empty],
    )


def check_touchpoint_field(ctx: Context, p: dict[str, Any]) -> Outcome:
    """Every touchpoint has ``field`` filled in with the student's own answer.

    A touchpoint whose name is filler counts as not filled in; the same text at three
    or more touchpoints counts once; for ``emotion`` and ``value``, the same value at
    every touchpoint (the form's default, or a guess) counts as not filled in. ``needs``
    (for ``value``) names classes the stream must hold once some steps are classified,
    e.g. ``[adds]``: a value stream with no step that adds value earns half.
    """
    journey = ctx.journey(p)
    tps = list(journey.touchpoints()) if journey else []
    if not tps:
        return Outcome(0.0, [{"touchpoint": "-", "stage": "-"}])
    real = {id(t) for _, t in counted_touchpoints(ctx, journey)} if journey else set()
    name = p["field"]
    values = [getattr(t, name) for _, t in tps]
    if name in {"emotion", "value"}:
        filled = [v for v in values if v is not None]
        if len(filled) >= 3 and len(set(filled)) == 1 and len(filled) * 2 > len(values):
            v = filled[0]
            shown = (f"{v:+d}" if v else "0") if isinstance(v, int) else str(v)
            return Outcome(0.0, [{"kind": "flat", "value": shown}])
    details: list[Detail] = []
    fillers: list[Detail] = []
    texts = [v if isinstance(v, str) and not isinstance(v, Enum) else None for v in values]
    counts = Counter(normalise(v) for v in texts if v is not None)
    seen: set[str] = set()
    ok = 0
    for (stage, tp), value, text in zip(tps, values, texts, strict=True):
        if id(tp) not in real:  # its name is filler: nothing on it counts yet
            named = ctx.why_not(tp.name) or "placeholder"
            fillers.append(filler(tp.name, named, "touchpoint", tp.name, "name"))
            continue
        if value in (None, "", []):
            details.append({"touchpoint": tp.name, "stage": stage.name})
            continue
        if text is not None:
            why = ctx.why_not(text)
            key = normalise(text)
            if why is None and counts[key] >= 3 and key in seen:
                why = "duplicate"
            seen.add(key)
            if why is not None:
                fillers.append(filler(text, why, "touchpoint", tp.name, name))
                continue
        ok += 1
    share = _ratio(ok, len(tps))
    if name == "value" and ok:
        have = {v for v in values if v is not None}
        for kind in p.get("needs", []):
            if Value(kind) not in have:
                details.append({"kind": f"no_{kind}"})
                share /= 2
    return Outcome(share, fillers + details)


def check_channels_used(ctx: Context, p: dict[str, Any]) -> Outcome:
    journey = ctx.journey(p)
    tps = counted_touchpoints(ctx, journey) if journey else []
    return _at_least(len({t.channel for _, t in tps}), int(p["count"]), noun="channels")


def check_moments_of_truth(ctx: Context, p: dict[str, Any]) -> Outcome:
    """At least ``count`` moments of truth, each with an own reason; not every touchpoint."""
    journey = ctx.journey(p)
    tps = counted_touchpoints(ctx, journey) if journey else []
    mots = [t for _, t in tps if t.moment_of_truth]
    most = float(p.get("most", 0.5))
    if len(tps) >= 4 and len(mots) > most * len(tps):
        return Outcome(0.0, [{"kind": "all", "found": len(mots), "of": len(tps)}])
    need = int(p.get("count", 1))
    details: list[Detail] = []
    with_reason = 0
    reasons: set[str] = set()
    for t in mots:
        why = ctx.why_not(t.moment_of_truth_reason)
        if why is None and t.moment_of_truth_reason is not None:
            said = normalise(t.moment_of_truth_reason)
            why = "duplicate" if said in reasons else None
            reasons.add(said)
        if t.moment_of_truth_reason is None:
            details.append({"touchpoint": t.name, "kind": "reason"})
        elif why is not None:
            details.append(
                filler(
                    t.moment_of_truth_reason, why, "touchpoint", t.name, "moment_of_truth_reason"
                )
            )
        else:
            with_reason += 1
    if len(mots) < need:
        details.insert(0, {"kind": "count", "found": len(mots), "need": need, "noun": "moments"})
    share = min(1.0, with_reason / need)
    if mots:  # each moment needs its reason, even once there are enough of them
        share *= with_reason / len(mots)
    return Outcome(share, details)


def _own_pains(ctx: Context, journey: Journey, out: list[Detail]) -> dict[str, list[str]]:
    """Touchpoint id -> its pain points that are the student's own."""
    pains: dict[str, list[str]] = {}
    seen: set[str] = set()
    for _, t in counted_touchpoints(ctx, journey):
        kept = []
        for pain in own_items(ctx, t.pain_points, "touchpoint", t.name, "pain_points", out):
            if normalise(pain) not in seen:
                kept.append(pain)
                seen.add(normalise(pain))
        if kept:
            pains[t.id] = kept
    return pains


def check_pain_points(ctx: Context, p: dict[str, Any]) -> Outcome:
    journey = ctx.journey(p)
    fillers: list[Detail] = []
    found = sum(map(len, _own_pains(ctx, journey, fillers).values())) if journey else 0
    out = _at_least(found, int(p["count"]), noun="pain_points")
    return Outcome(out.share, fillers + out.details)


def real_opportunities(
    ctx: Context, journey: Journey, out: list[Detail] | None = None
) -> list[Opportunity]:
    """Opportunities with an own title that point at a few touchpoints, not at all of them."""
    total = sum(1 for _ in journey.touchpoints())
    kept = []
    titles: set[str] = set()
    for o in journey.opportunities:
        why = ctx.why_not(o.title)
        if why is None:  # the same idea twice counts once
            why = "duplicate" if normalise(o.title) in titles else None
            titles.add(normalise(o.title))
        if why is None and total >= 4 and len(set(o.touchpoints)) > total / 2:
            if out is not None:
                out.append(
                    {
                        "kind": "everything",
                        "opportunity": o.title,
                        "found": len(set(o.touchpoints)),
                        "of": total,
                    }
                )
            continue
        if why is not None:
            if out is not None:
                out.append(filler(o.title, why, "opportunity", o.title, "title"))
            continue
        kept.append(o)
    return kept


def check_pain_points_answered(ctx: Context, p: dict[str, Any]) -> Outcome:
    """Every touchpoint with an own pain point is addressed by a real opportunity."""
    journey = ctx.journey(p)
    if journey is None:
        return Outcome(0.0, [{"touchpoint": "-"}])
    notes: list[Detail] = []
    answered = {ref for o in real_opportunities(ctx, journey, notes) for ref in o.touchpoints}
    pains = _own_pains(ctx, journey, [])
    if not pains:
        return Outcome(0.0, [*notes, {"kind": "none"}])
    names = {t.id: t.name for _, t in journey.touchpoints()}
    open_ = [i for i in pains if i not in answered]
    return Outcome(
        _ratio(len(pains) - len(open_), len(pains)),
        notes + [{"touchpoint": names[i], "pain": pains[i][0]} for i in open_],
    )


def check_quick_win(ctx: Context, p: dict[str, Any]) -> Outcome:
    """At least one real opportunity with high impact and low effort."""
    journey = ctx.journey(p)
    impact, effort = int(p.get("impact", 4)), int(p.get("effort", 2))
    notes: list[Detail] = []
    opps = real_opportunities(ctx, journey, notes) if journey else []
    wins = [o for o in opps if o.impact >= impact and o.effort <= effort and o.touchpoints]
    if wins:
        return Outcome(1.0)
    return Outcome(0.0, [*notes, {"impact": impact, "effort": effort}])


def check_emotion_range(ctx: Context, p: dict[str, Any]) -> Outcome:
    """The curve shows highs and lows: at least one negative and one positive emotion."""
    journey = ctx.journey(p)
    tps = counted_touchpoints(ctx, journey) if journey else []
    values = [t.emotion for _, t in tps if t.emotion is not None]
    lows, highs = any(v < 0 for v in values), any(v > 0 for v in values)
    details = [{"kind": side} for side, ok in (("negative", lows), ("positive", highs)) if not ok]
    return Outcome((lows + highs) / 2, details)


def check_waste_marked(ctx: Context, p: dict[str, Any]) -> Outcome:
    """At least ``count`` steps marked waste, but not most of them."""
    journey = ctx.journey(p)
    tps = list(journey.touchpoints()) if journey else []
    found = sum(1 for _, t in tps if t.value is Value.WASTE)
    if len(tps) >= 4 and found > float(p.get("most", 0.5)) * len(tps):
        return Outcome(0.0, [{"kind": "all", "found": found, "of": len(tps)}])
    out = _at_least(found, int(p.get("count", 1)), noun="waste")
    if found and out.details:  # some waste named, not all of it
        out.details[0]["kind"] = "few"
    return out


def duplicated_documents(journey: Journey) -> dict[str, list[str]]:
    """Document (as first written) -> ids of the touchpoints that ask for it, for documents
    asked for at two or more touchpoints; the same rule as the report
    (:func:`cxkit.analysis.duplicated_steps`: case, punctuation and spacing ignored)."""
    return {
        d.text: [tp_id for tp_id, _, _ in d.touchpoints]
        for d in duplicated_steps(journey)
        if d.kind == "document"
    }


def check_duplicates_flagged(ctx: Context, p: dict[str, Any]) -> Outcome:
    """Each repeated request is marked waste (the repeat, not the first request) and a
    real opportunity removes it. Feedback never names the step: finding it is the task."""
    journey = ctx.journey(p)
    dups = duplicated_documents(journey) if journey else {}
    if journey is None or not dups:
        return Outcome(0.0, [{"kind": "none"}])
    by_id = {t.id: t for _, t in journey.touchpoints()}
    removed = {ref for o in real_opportunities(ctx, journey) for ref in o.touchpoints}
    groups = sorted({tuple(ids) for ids in dups.values()})  # the same steps ask for several
    details: list[Detail] = []
    ok = 0.0
    for ids in groups:
        first, repeats = ids[0], ids[1:]
        wasted = [i for i in repeats if by_id[i].value is Value.WASTE]
        first_wasted = by_id[first].value is Value.WASTE
        if not wasted:
            details.append({"kind": "first" if first_wasted else "waste"})
        elif not set(wasted) & removed:
            details.append({"kind": "opportunity"})
        elif first_wasted:  # the repeat is found, but the first, needed request is waste too
            details.append({"kind": "both"})
            ok += 0.5
        else:
            ok += 1
    return Outcome(ok / len(groups), details)
