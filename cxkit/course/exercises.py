"""Course exercises: rubrics as data, checks as a small fixed vocabulary, kind feedback.

A rubric (``cxkit/rubrics/exNN-*.yml``) lists criteria. Each criterion has points, a
``check`` (one of :data:`CHECKS`) with its parameters, and feedback text in Hebrew and
English. A check returns the share of the criterion that is met (0..1) and one detail
per thing that is missing; each detail becomes one line of feedback, e.g.
"stage 'payment' has no touchpoint yet". Points are awarded in proportion.

>>> from cxkit.course.exercises import check_workbook               # doctest: +SKIP
>>> result = check_workbook(workbook, exercise=2)            # doctest: +SKIP
>>> result.score, result.total                              # doctest: +SKIP
(62.5, 100)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from cxkit.analysis import duplicated_steps
from cxkit.errors import CxkitError, suggestion_suffix
from cxkit.i18n import label_table
from cxkit.workbook.model import Journey, State, Value, Workbook

Detail = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one check found: the share met and one detail per missing thing."""

    share: float
    details: list[Detail] = field(default_factory=list)


def _ratio(ok: int, total: int) -> float:
    return 1.0 if total == 0 else ok / total


def _at_least(found: int, need: int) -> Outcome:
    """Share of a "at least ``need``" criterion met, with one detail when short."""
    return Outcome(
        min(1.0, found / need), [] if found >= need else [{"found": found, "need": need}]
    )


def _journey(wb: Workbook, params: dict[str, Any]) -> Journey | None:
    wanted = params.get("journey")
    for j in wb.journeys:
        if (wanted and j.id == wanted) or (not wanted and j.state is State.CURRENT):
            return j
    return wb.journeys[0] if wb.journeys and not wanted else None


# --------------------------------------------------------------------------- the checks


def check_persona_fields(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """Every persona has at least N of each listed field (lists) or a value (text)."""
    if not wb.personas:
        return Outcome(0.0, [{"field": "persona", "need": 1, "found": 0, "persona": "-"}])
    needs: dict[str, int] = p["fields"]
    details, ok, total = [], 0, 0
    for persona in wb.personas:
        for name, need in needs.items():
            value = getattr(persona, name)
            found = len(value) if isinstance(value, list) else int(bool(value))
            total += 1
            if found >= need:
                ok += 1
            else:
                details.append(
                    {"persona": persona.name, "field": name, "need": need, "found": found}
                )
    return Outcome(_ratio(ok, total), details)


def check_min_stages(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    found = len(journey.stages) if journey else 0
    need = int(p["count"])
    return _at_least(found, need)


def check_stage_has_touchpoint(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    if journey is None or not journey.stages:
        return Outcome(0.0, [{"stage": "-"}])
    empty = [s for s in journey.stages if not s.touchpoints]
    return Outcome(
        _ratio(len(journey.stages) - len(empty), len(journey.stages)),
        [{"stage": s.name, "stage_id": s.id} for s in empty],
    )


def check_touchpoint_field(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """Every touchpoint of the journey has ``field`` filled in."""
    journey = _journey(wb, p)
    tps = list(journey.touchpoints()) if journey else []
    if not tps:
        return Outcome(0.0, [{"touchpoint": "-", "stage": "-"}])
    name = p["field"]
    missing = [(s, t) for s, t in tps if getattr(t, name) in (None, "", [])]
    return Outcome(
        _ratio(len(tps) - len(missing), len(tps)),
        [{"touchpoint": t.name, "stage": s.name} for s, t in missing],
    )


def check_channels_used(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    found = len({t.channel for _, t in journey.touchpoints()}) if journey else 0
    need = int(p["count"])
    return _at_least(found, need)


def check_moments_of_truth(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """At least ``count`` moments of truth, each with a reason."""
    journey = _journey(wb, p)
    mots = [t for _, t in journey.touchpoints() if t.moment_of_truth] if journey else []
    need = int(p.get("count", 1))
    with_reason = [t for t in mots if t.moment_of_truth_reason]
    details: list[Detail] = [
        {"touchpoint": t.name, "kind": "reason"} for t in mots if not t.moment_of_truth_reason
    ]
    if len(mots) < need:
        details.insert(0, {"kind": "count", "found": len(mots), "need": need})
    share = min(1.0, len(with_reason) / need)
    if mots:  # each moment needs its reason, even once there are enough of them
        share *= len(with_reason) / len(mots)
    return Outcome(share, details)


def check_pain_points(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    found = sum(len(t.pain_points) for _, t in journey.touchpoints()) if journey else 0
    need = int(p["count"])
    return _at_least(found, need)


def check_pain_points_answered(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """Every touchpoint with a pain point is addressed by at least one opportunity."""
    journey = _journey(wb, p)
    if journey is None:
        return Outcome(0.0, [{"touchpoint": "-"}])
    answered = {ref for o in journey.opportunities for ref in o.touchpoints}
    painful = [t for _, t in journey.touchpoints() if t.pain_points]
    if not painful:
        return Outcome(0.0, [{"touchpoint": "-", "pain": "-"}])
    open_ = [t for t in painful if t.id not in answered]
    return Outcome(
        _ratio(len(painful) - len(open_), len(painful)),
        [{"touchpoint": t.name, "pain": t.pain_points[0]} for t in open_],
    )


def check_opportunities(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    found = len(journey.opportunities) if journey else 0
    need = int(p["count"])
    return _at_least(found, need)


def check_quick_win(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """At least one opportunity with high impact and low effort."""
    journey = _journey(wb, p)
    impact, effort = int(p.get("impact", 4)), int(p.get("effort", 2))
    wins = [
        o
        for o in (journey.opportunities if journey else [])
        if o.impact >= impact and o.effort <= effort and o.touchpoints
    ]
    return Outcome(1.0 if wins else 0.0, [] if wins else [{"impact": impact, "effort": effort}])


def check_emotion_range(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """The curve shows highs and lows: at least one negative and one positive emotion."""
    journey = _journey(wb, p)
    values = (
        [t.emotion for _, t in journey.touchpoints() if t.emotion is not None] if journey else []
    )
    lows, highs = any(v < 0 for v in values), any(v > 0 for v in values)
    details = [{"kind": side} for side, ok in (("negative", lows), ("positive", highs)) if not ok]
    return Outcome((lows + highs) / 2, details)


def check_waste_marked(wb: Workbook, p: dict[str, Any]) -> Outcome:
    journey = _journey(wb, p)
    found = sum(1 for _, t in journey.touchpoints() if t.value is Value.WASTE) if journey else 0
    need = int(p.get("count", 1))
    return _at_least(found, need)


def duplicated_documents(journey: Journey) -> dict[str, list[str]]:
    """Document (as first written) -> ids of the touchpoints that ask for it, for documents
    asked for at two or more touchpoints; the same rule as the report
    (:func:`cxkit.analysis.duplicated_steps`: case, punctuation and spacing ignored)."""
    return {
        d.text: [tp_id for tp_id, _, _ in d.touchpoints]
        for d in duplicated_steps(journey)
        if d.kind == "document"
    }


def check_duplicates_flagged(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """Documents asked for twice: found, one step marked waste, and an opportunity for it."""
    journey = _journey(wb, p)
    if journey is None:
        return Outcome(0.0, [{"kind": "none"}])
    dups = duplicated_documents(journey)
    if not dups:
        return Outcome(0.0, [{"kind": "none"}])
    by_id = {t.id: t for _, t in journey.touchpoints()}
    addressed = {ref for o in journey.opportunities for ref in o.touchpoints}
    details: list[Detail] = []
    ok = 0
    for doc, ids in dups.items():
        wasted = [i for i in ids if by_id[i].value is Value.WASTE]
        if not wasted:
            details.append(
                {
                    "kind": "waste",
                    "document": doc,
                    "first": by_id[ids[0]].name,
                    "second": by_id[next(i for i in ids if i != ids[0])].name,
                }
            )
        elif not set(wasted) & addressed:
            details.append(
                {"kind": "opportunity", "document": doc, "touchpoint": by_id[wasted[0]].name}
            )
        else:
            ok += 1
    return Outcome(_ratio(ok, len(dups)), details)


def check_survey_mapped(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """A survey source with the listed roles mapped and its stage answers linked."""
    roles: list[str] = p.get("roles", ["nps", "stage"])
    if not wb.surveys:
        return Outcome(0.0, [{"role": r} for r in roles])
    survey = wb.surveys[0]
    missing = [r for r in roles if getattr(survey.columns, r) is None]
    details: list[Detail] = [{"role": r} for r in missing]
    linked = bool(survey.stage_map) or "stage" not in roles
    if not linked:
        details.append({"role": "stage_map"})
    return Outcome(_ratio(len(roles) - len(missing) + linked, len(roles) + 1), details)


_NUM = r"[-−]?\d+(?:[.,]\d+)?"
_INTERVAL = re.compile(
    rf"\b(NPS|CSAT|CES)\b[^\n\d−-]{{0,40}}({_NUM})[^\n\d−-]{{0,40}}?({_NUM})\s*(?:to|עד|–|—|-|,)\s*({_NUM})",
    re.IGNORECASE,
)


def quoted_intervals(text: str) -> list[tuple[str, float, float, float]]:
    """``(metric, estimate, low, high)`` for every score quoted with its interval in ``text``.

    >>> quoted_intervals("NPS -15 (95% CI -22 to -8) at renewal")
    [('NPS', -15.0, -22.0, -8.0)]
    """
    out = []
    for m in _INTERVAL.finditer(text):
        est, low, high = (float(g.replace("−", "-").replace(",", ".")) for g in m.groups()[1:])
        if m.group(2) == "95" and m.group(3).startswith("%"):
            continue
        if low <= est <= high:
            out.append((m.group(1).upper(), est, low, high))
    return out


def _actual_scores(wb: Workbook, folder: Path) -> list[tuple[str, float, float, float]]:
    """Every overall and per-stage NPS / CSAT / CES the workbook's surveys give."""
    from cxkit.scoring.scores import score
    from cxkit.surveys.responses import load_responses

    out: list[tuple[str, float, float, float]] = []
    for source in wb.surveys:
        try:
            responses = load_responses(wb, folder / "workbook.yml", source)
        except (CxkitError, OSError, ValueError):
            continue
        for by in ((), ("stage",)):
            try:
                table = score(responses, by=by)
            except (CxkitError, KeyError, ValueError):
                continue
            for g in table.groups:
                if g.nps is not None and g.nps.n:
                    out.append(("NPS", g.nps.score, g.nps.low, g.nps.high))
                if g.csat is not None and g.csat.n:
                    out.append(("CSAT", g.csat.top2, g.csat.low, g.csat.high))
                if g.ces is not None and g.ces.n:
                    out.append(("CES", g.ces.mean, g.ces.low, g.ces.high))
    return out


def _matches(
    quote: tuple[str, float, float, float], actual: list[tuple[str, float, float, float]]
) -> bool:
    metric, est, low, high = quote
    tol = 0.15 if metric == "CES" else 1.5  # quotes are rounded
    return any(
        m == metric and abs(est - e) <= tol and abs(low - lo) <= tol and abs(high - hi) <= tol
        for m, e, lo, hi in actual
    )


def check_interval_quoted(wb: Workbook, p: dict[str, Any]) -> Outcome:
    """Findings quote at least ``count`` scores with their 95% interval (estimate inside).

    With ``verify``, each quote must match a score the workbook's surveys really give
    (overall or for a stage), within rounding.
    """
    texts: list[str] = []
    for j in wb.journeys:
        texts += [j.description or ""]
        texts += [o.description or "" for o in j.opportunities]
    # "95% CI" would read as a number; drop the label before matching.
    found = [q for t in texts for q in quoted_intervals(re.sub(r"95\s*%", "", t))]
    details: list[Detail] = []
    if p.get("verify") and found and p.get("_folder") is not None:
        actual = _actual_scores(wb, Path(p["_folder"]))
        wrong = [q for q in found if not _matches(q, actual)]
        details += [
            {"kind": "mismatch", "quote": f"{m} {e:g} ({lo:g} to {hi:g})"} for m, e, lo, hi in wrong
        ]
        found = [q for q in found if q not in wrong]
    need = int(p.get("count", 1))
    if len(found) < need:
        details.insert(0, {"found": len(found), "need": need})
    return Outcome(min(1.0, len(found) / need), details)


CHECKS: dict[str, Callable[[Workbook, dict[str, Any]], Outcome]] = {
    "persona_fields": check_persona_fields,
    "min_stages": check_min_stages,
    "stage_has_touchpoint": check_stage_has_touchpoint,
    "touchpoint_field": check_touchpoint_field,
    "channels_used": check_channels_used,
    "moments_of_truth": check_moments_of_truth,
    "pain_points": check_pain_points,
    "pain_points_answered": check_pain_points_answered,
    "opportunities": check_opportunities,
    "quick_win": check_quick_win,
    "emotion_range": check_emotion_range,
    "waste_marked": check_waste_marked,
    "duplicates_flagged": check_duplicates_flagged,
    "survey_mapped": check_survey_mapped,
    "interval_quoted": check_interval_quoted,
}


# --------------------------------------------------------------------------- rubrics


@dataclass(frozen=True)
class Criterion:
    id: str
    points: float
    check: str
    params: dict[str, Any]
    feedback: dict[str, Any]  # language -> text, or language -> {detail kind -> text}
    title: dict[str, str]


@dataclass(frozen=True)
class Rubric:
    exercise: int
    slug: str
    title: dict[str, str]
    case: str
    criteria: tuple[Criterion, ...]

    @property
    def total(self) -> float:
        return sum(c.points for c in self.criteria)


def _rubric_files() -> Iterable[Any]:
    folder = resources.files("cxkit") / "course" / "rubrics"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yml")), key=lambda e: e.name)


@cache
def rubrics() -> dict[int, Rubric]:
    """Every shipped rubric by exercise number."""
    out = {}
    for entry in _rubric_files():
        data = YAML(typ="safe").load(entry.read_text(encoding="utf-8"))
        criteria = []
        for c in data["criteria"]:
            if c["check"] not in CHECKS:
                raise CxkitError(
                    f"{entry.name}: criterion '{c['id']}': unknown check "
                    f"'{c['check']}'{suggestion_suffix(c['check'], list(CHECKS))}"
                )
            criteria.append(
                Criterion(
                    c["id"],
                    float(c["points"]),
                    c["check"],
                    c.get("params") or {},
                    c["feedback"],
                    c["title"],
                )
            )
        rubric = Rubric(
            int(data["exercise"]), data["slug"], data["title"], data["case"], tuple(criteria)
        )
        out[rubric.exercise] = rubric
    return out


def get_rubric(exercise: int) -> Rubric:
    table = rubrics()
    if exercise not in table:
        raise CxkitError(
            f"no exercise {exercise}; exercises are {', '.join(str(n) for n in sorted(table))}"
        )
    return table[exercise]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    points: float
    earned: float
    feedback: list[str]


@dataclass(frozen=True)
class CheckResult:
    exercise: int
    title: str
    language: str
    criteria: list[CriterionResult]

    @property
    def score(self) -> float:
        return round(sum(c.earned for c in self.criteria), 1)

    @property
    def total(self) -> float:
        return sum(c.points for c in self.criteria)

    @property
    def feedback(self) -> list[str]:
        return [line for c in self.criteria for line in c.feedback]

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "title": self.title,
            "language": self.language,
            "score": self.score,
            "total": self.total,
            "criteria": [
                {
                    "id": c.id,
                    "title": c.title,
                    "points": c.points,
                    "earned": c.earned,
                    "feedback": c.feedback,
                }
                for c in self.criteria
            ],
        }


class _Blank(dict[str, Any]):
    """Format values; a detail a message does not have reads as "…", never as "{name}"."""

    def __missing__(self, key: str) -> str:
        return "…"


def _lines(criterion: Criterion, outcome: Outcome, language: str) -> list[str]:
    text = criterion.feedback.get(language) or criterion.feedback["en"]
    labels = label_table(f"widgets/locales/{language}.yml")
    lines = []
    for raw in outcome.details or ([{}] if outcome.share < 1 else []):
        detail = dict(raw)
        if "field" in detail:  # "goals" reads as "מטרות" in Hebrew feedback
            detail["field"] = labels.get(detail["field"], detail["field"]).lower()
        template: str = (
            str(text.get(detail.get("kind", "default"), text.get("default", "")))
            if isinstance(text, dict)
            else str(text)
        )
        lines.append(template.format_map(_Blank(detail)))
    return lines


def check_workbook(
    wb: Workbook, exercise: int, language: str | None = None, folder: Path | None = None
) -> CheckResult:
    """Score ``wb`` against exercise ``exercise``'s rubric; feedback in ``language``.

    ``folder`` is the workbook's folder, needed by checks that read its survey files.
    """
    rubric = get_rubric(exercise)
    lang = language or wb.client.language.value
    results = []
    for criterion in rubric.criteria:
        outcome = CHECKS[criterion.check](wb, {**criterion.params, "_folder": folder})
        share = max(0.0, min(1.0, outcome.share))
        results.append(
            CriterionResult(
                criterion.id,
                criterion.title.get(lang) or criterion.title["en"],
                criterion.points,
                round(criterion.points * share, 1),
                _lines(criterion, outcome, lang) if share < 1 else [],
            )
        )
    return CheckResult(exercise, rubric.title.get(lang) or rubric.title["en"], lang, results)


def check_file(
    path: str | Path, exercise: int | None = None, language: str | None = None
) -> CheckResult:
    """Check a workbook file; ``exercise`` defaults to the one its ``course`` block names."""
    from cxkit.workbook.yamlfile import load_workbook, resolve_workbook_path

    if exercise is not None:
        get_rubric(exercise)  # an unknown exercise number is the first thing to say
    p = resolve_workbook_path(path)
    wb = load_workbook(p)
    said = wb.course.exercise if wb.course is not None else None
    if exercise is None:
        if said is None:
            raise CxkitError(f"{p}: which exercise is this? pass --exercise N")
        exercise = said
    elif said is not None and said != exercise:
        raise CxkitError(f"{p}: this workbook answers exercise {said}, not {exercise}")
    return check_workbook(wb, exercise, language, folder=p.parent)


def prepare_workspace(starter: str | Path, workbook: str | Path) -> Path:
    """The student's workbook, copied from ``starter`` the first time only.

    Work already there is never overwritten, so re-running a notebook loses nothing.
    """
    import shutil

    from cxkit.workbook.yamlfile import resolve_workbook_path

    target = resolve_workbook_path(workbook)
    if target.exists():
        return target
    source = resolve_workbook_path(starter)
    if not source.exists():
        raise CxkitError(f"{source}: starter workbook not found")
    shutil.copytree(source.parent, target.parent, dirs_exist_ok=True)
    if source.name != target.name:
        (target.parent / source.name).rename(target)
    return target
