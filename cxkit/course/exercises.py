"""Course exercises: rubrics as data, checks as a small fixed vocabulary, kind feedback.

A rubric (``cxkit/course/rubrics/exNN-*.yml``) lists criteria. Each criterion has points, a
``check`` (one of :data:`CHECKS`, in :mod:`cxkit.course.checks`) with its parameters,
and feedback text in Hebrew and English. A check returns the share of the criterion
that is met (0..1) and one detail per thing that is missing; each detail becomes one
line of feedback, e.g. "stage 'payment' has no touchpoint yet". Points are awarded in
proportion. Filler and copied text earn nothing, and the feedback says why
(:mod:`cxkit.course.filler`). Feedback points at where to look, never at the answer.

>>> from cxkit.course.exercises import check_workbook               # doctest: +SKIP
>>> result = check_workbook(workbook, exercise=2)            # doctest: +SKIP
>>> result.score, result.total                              # doctest: +SKIP
(62.5, 100)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import cxkit
from cxkit.course import checks as ck
from cxkit.course import quotes as sv
from cxkit.course.checks import Context, Outcome, duplicated_documents
from cxkit.course.filler import KnownTexts, given_texts, workbook_texts, yaml_strings
from cxkit.course.quotes import quoted_intervals
from cxkit.errors import CxkitError, Reason, Words, did_you_mean
from cxkit.i18n import label_table
from cxkit.i18n.messages import worded_error
from cxkit.workbook.model import Workbook

__all__ = [
    "CHECKS",
    "check_file",
    "check_workbook",
    "duplicated_documents",
    "get_rubric",
    "quoted_intervals",
]

CHECKS: dict[str, Callable[[Context, dict[str, Any]], Outcome]] = {
    "persona_fields": ck.check_persona_fields,
    "stage_added": ck.check_stage_added,
    "stage_has_touchpoint": ck.check_stage_has_touchpoint,
    "touchpoint_field": ck.check_touchpoint_field,
    "channels_used": ck.check_channels_used,
    "moments_of_truth": ck.check_moments_of_truth,
    "pain_points": ck.check_pain_points,
    "pain_points_answered": ck.check_pain_points_answered,
    "quick_win": ck.check_quick_win,
    "emotion_range": ck.check_emotion_range,
    "waste_marked": ck.check_waste_marked,
    "duplicates_flagged": ck.check_duplicates_flagged,
    "survey_mapped": sv.check_survey_mapped,
    "interval_quoted": sv.check_interval_quoted,
    "weakest_stage_opportunity": sv.check_weakest_stage_opportunity,
}

#: The folder that holds README.md, data/samples and templates/ in a source checkout.
ROOT = Path(cxkit.__file__).resolve().parent.parent

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
    starter: str = ""  # folder name under templates/exercises/
    translations: tuple[tuple[str, str], ...] = ()  # (language, starter folder) in others

    def starter_for(self, language: str | None) -> str:
        """The starter folder for a workbook in ``language``."""
        return dict(self.translations).get(language or "", self.starter)

    @property
    def starters(self) -> list[str]:
        """Every starter folder of the exercise, in every language."""
        return [self.starter, *(name for _, name in self.translations)] if self.starter else []

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
                hit = did_you_mean(c["check"], list(CHECKS))
                raise worded_error(
                    "unknown-check",
                    file=entry.name,
                    id=c["id"],
                    check=c["check"],
                    hint=Words.of("did-you-mean", suggestion=hit) if hit else None,
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
            int(data["exercise"]),
            data["slug"],
            data["title"],
            data["case"],
            tuple(criteria),
            str(data.get("starter", "")),
            tuple(sorted((data.get("translations") or {}).items())),
        )
        out[rubric.exercise] = rubric
    return out


def get_rubric(exercise: int, language: str | None = None) -> Rubric:
    """The rubric of ``exercise``; an unknown number is an error (in ``language``)."""
    table = rubrics()
    if exercise not in table:
        raise worded_error(
            "no-exercise",
            language,
            Reason.UNKNOWN_EXERCISE,
            n=exercise,
            numbers=", ".join(str(n) for n in sorted(table)),
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
        """Every feedback line, each said once (criteria may share one)."""
        return list(dict.fromkeys(line for c in self.criteria for line in c.feedback))

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


#: Filler lines shown per criterion before "and N more".
MAX_FILLER_LINES = 3


def _counted(detail: dict[str, Any], course: dict[str, str]) -> None:
    """Add ``found_n`` / ``need_n`` ("1 goal", "3 goals") for English messages."""
    noun = course.get(f"noun_{detail.get('noun', detail.get('field', ''))}")
    if noun is None:
        return
    one, many = noun.split("|")
    for key in ("found", "need"):
        if isinstance(detail.get(key), int):
            detail[f"{key}_n"] = f"{detail[key]} {one if detail[key] == 1 else many}"


def _filler_line(detail: dict[str, Any], course: dict[str, str], labels: dict[str, str]) -> str:
    field = str(detail.get("field", ""))
    label = labels.get(field, field.replace("_", " "))
    place = course.get(f"place_{detail['place']}", "{name}").format_map(
        _Blank(name=detail.get("name", ""), field=label.lower())
    )
    why = course[f"why_{detail['why']}"]
    return course["filler"].format_map(_Blank(text=detail["text"], place=place, why=why))


def _lines(criterion: Criterion, outcome: Outcome, language: str) -> list[str]:
    text = criterion.feedback.get(language) or criterion.feedback["en"]
    labels = label_table("forms", language)
    course = label_table("course", language)
    lines: list[str] = []
    fillers = [d for d in outcome.details if d.get("kind") == "filler"]
    shown = list(dict.fromkeys(_filler_line(d, course, labels) for d in fillers))
    lines += shown[:MAX_FILLER_LINES]
    more = len(shown) - MAX_FILLER_LINES
    if more > 0:
        lines.append(course["filler_more_one" if more == 1 else "filler_more"].format(count=more))
    rest = [d for d in outcome.details if d.get("kind") != "filler"]
    for raw in rest or ([{}] if outcome.share < 1 and not fillers else []):
        detail = dict(raw)
        if language == "en":
            _counted(detail, course)
        if "field" in detail:  # "goals" reads as "מטרות" in Hebrew feedback
            detail["field"] = labels.get(detail["field"], detail["field"]).lower()
        template: str = (
            str(text.get(detail.get("kind", "default"), text.get("default", "")))
            if isinstance(text, dict)
            else str(text)
        )
        lines.append(template.format_map(_Blank(detail)))
    return lines


def find_starter(
    rubric: Rubric, folder: Path | None = None, language: str | None = None
) -> Path | None:
    """The exercise's starter workbook (in ``language`` when it has one): under
    ``templates/exercises/`` next to the student's folder (a course pack) or in the cxkit
    source checkout."""
    if not rubric.starter:
        return None
    name = rubric.starter_for(language)
    places = [*(folder.resolve().parents if folder is not None else []), ROOT]
    for base in places:
        candidate = base / "templates" / "exercises" / name / "workbook.yml"
        if candidate.is_file():
            return candidate
    return None


@cache
def _starter(path: Path) -> Workbook | None:
    from cxkit.workbook.yamlfile import load_workbook

    try:
        return load_workbook(path)
    except (CxkitError, OSError):
        return None


@cache
def _rubric_texts(exercise: int) -> tuple[str, ...]:
    rubric = get_rubric(exercise)
    return tuple(t for c in rubric.criteria for t in yaml_strings(c.feedback))


@cache
def _form_defaults() -> KnownTexts:
    """The names the forms give a new stage, touchpoint, opportunity or persona."""
    keys = ("new_stage", "new_touchpoint", "new_opportunity", "new_persona")
    texts = [label_table("forms", lang)[k] for lang in ("en", "he") for k in keys]
    return KnownTexts.from_texts(texts, "", "default")


def known_texts(rubric: Rubric, starter: Path | None) -> KnownTexts:
    """What every student is given for ``rubric``: its starter, the samples, the
    instructions, the README and the rubric's own feedback (its examples)."""
    return _known_texts(rubric.exercise, starter)


@cache
def _known_texts(exercise: int, starter: Path | None) -> KnownTexts:
    rubric = get_rubric(exercise)
    given = given_texts(ROOT, _rubric_texts(rubric.exercise)).merged(_form_defaults())
    if starter is None:
        return given
    kit = starter.parents[3]  # a course pack: its notebooks are the instructions too
    if kit != ROOT:
        given = given.merged(given_texts(kit))
    for name in rubric.starters:  # the starter in the other language is given too
        other = starter.parents[1] / name / "workbook.yml"
        if other != starter and other.is_file():
            given = given.merged(KnownTexts.from_texts(workbook_texts(other), "", "starter"))
    return KnownTexts.from_texts(workbook_texts(starter), "", "starter").merged(given)


def warm() -> None:
    """Load every rubric, starter and the texts students are given (all cached), and
    check each starter once, so that every library a check uses is loaded and warm
    (the readers forked from this process then start ready)."""
    for rubric in rubrics().values():
        for language in ("he", "en"):
            known_texts(rubric, find_starter(rubric, None, language))
        starter = find_starter(rubric)
        if starter is None:
            continue
        workbook = _starter(starter)
        if workbook is not None:
            check_workbook(workbook, rubric.exercise, folder=starter.parent)
        key = starter.parents[2] / "trainer" / rubric.starter  # in a source checkout
        if (key / "workbook.yml").is_file():
            with contextlib.suppress(CxkitError, OSError):
                check_file(key, rubric.exercise)


def _not_built_on(ctx: Context) -> str | None:
    """The starter's journey or persona this workbook lacks (it is not the exercise's)."""
    if ctx.starter is None:
        return None
    have = {j.id for j in ctx.wb.journeys} | {p.id for p in ctx.wb.personas}
    for j in ctx.starter.journeys:
        if j.id not in have:
            return j.title
    for p in ctx.starter.personas:
        if p.id not in have:
            return p.name
    mine = {t.id for j in ctx.wb.journeys for _, t in j.touchpoints()}
    for j in ctx.starter.journeys:
        for _, t in j.touchpoints():
            if t.id not in mine:
                return t.name
    return None


def check_workbook(
    wb: Workbook, exercise: int, language: str | None = None, folder: Path | None = None
) -> CheckResult:
    """Score ``wb`` against exercise ``exercise``'s rubric; feedback in ``language``.

    ``folder`` is the workbook's folder, needed by checks that read its survey files.
    """
    lang = language or wb.client.language.value
    rubric = get_rubric(exercise, lang)
    starter = find_starter(rubric, folder, wb.client.language.value)
    ctx = Context(
        wb,
        known_texts(rubric, starter),
        _starter(starter) if starter is not None else None,
        folder,
        starter.parent if starter is not None else None,
    )
    missing = _not_built_on(ctx)
    results: list[CriterionResult] = []
    for criterion in rubric.criteria:
        if missing is not None:
            course = label_table("course", lang)
            line = course["not_starter"].format(n=exercise, missing=missing)
            results.append(
                CriterionResult(
                    criterion.id,
                    criterion.title.get(lang) or criterion.title["en"],
                    criterion.points,
                    0.0,
                    [line] if not results else [],
                )
            )
            continue
        outcome = CHECKS[criterion.check](ctx, dict(criterion.params))
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
        get_rubric(exercise, language)  # an unknown exercise number is the first thing to say
    p = resolve_workbook_path(path)
    wb = load_workbook(p)
    said = wb.course.exercise if wb.course is not None else None
    lang = language or wb.client.language.value
    if exercise is None:
        if said is None:
            raise worded_error("which-exercise", lang, Reason.UNKNOWN_EXERCISE, file=p)
        exercise = said
    elif said is not None and said != exercise:
        raise worded_error(
            "other-exercise", lang, Reason.UNKNOWN_EXERCISE, file=p, said=said, n=exercise
        )
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
        raise worded_error("starter-not-found", reason=Reason.FILE_NOT_FOUND, file=source)
    shutil.copytree(source.parent, target.parent, dirs_exist_ok=True)
    if source.name != target.name:
        (target.parent / source.name).rename(target)
    return target
