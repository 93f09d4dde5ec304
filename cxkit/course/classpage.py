"""The class page's content, computed here and written out by a Jinja template
(``course/templates/class-report.html.j2``, autoescaped): rows sorted by score, each
common gap with who has it, stuck flags, emotion curves and the all-exercises view."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from cxkit.course.exercises import get_rubric
from cxkit.course.submission import Curve, Submission, Why
from cxkit.errors import Problem, Words
from cxkit.i18n import label_table
from cxkit.i18n.messages import count, message_text, say, where_text, word


@cache
def _environment() -> jinja2.Environment:
    folder = resources.files("cxkit").joinpath("course", "templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def describe(why: Why, language: str) -> str:
    """The words for a reason code and its details, in ``language``."""
    code, args = why
    if not code:
        return ""
    values = dict(args)
    problem = values.get("problem")
    if isinstance(problem, Problem):  # a workbook that does not read: its first problem
        return broken_text(problem, int(values.get("more") or 0), language)
    detail = values.get("detail")
    if isinstance(detail, Words):
        values["detail"] = word(detail, language)
    t = label_table("classroom", language)
    return t[f"why_{code}"].format(**values)


def broken_text(problem: Problem, more: int, language: str) -> str:
    """``line 12: journeys[0].persona: persona 'x' not found (+2 more)``, in ``language``:
    the place in the file and what is wrong (the file is the row's own)."""
    line = say("at-line", language, line=problem.line) if problem.line else ""
    where = where_text(problem, language)
    said = message_text(problem, language)
    extra = count(more, "more-problems", language) if more > 0 else ""
    return f"{line}{where + ': ' if where else ''}{said}{extra}"


#: Where a score sits, so that 12.7 and 97.3 never read alike.
BANDS = ((1.0, "ok"), (0.8, "almost"), (0.4, "partial"), (0.0, "started"))


def band(score: float, total: float) -> str:
    """ "ok" (complete), "almost" (80%+), "partial" (40%+) or "started"."""
    share = score / total if total else 0.0
    return next(name for floor, name in BANDS if share >= floor)


def curve_geometry(curve: Curve, rtl: bool, width: int = 280, height: int = 96) -> dict[str, Any]:
    """Where each touchpoint's dot sits; a touchpoint with no emotion is a hollow dot on
    the zero line, and the line breaks there (an almost empty journey looks empty)."""
    pad = 10
    if len(curve) < 2:
        return {"dots": [], "lines": [], "width": width, "height": height, "zero": 0.0}
    step = (width - 2 * pad) / (len(curve) - 1)
    zero = pad + 2 * (height - 2 * pad) / 4
    dots: list[dict[str, Any]] = []
    lines: list[str] = []
    run: list[str] = []
    for i, (emotion, mot, name) in enumerate(curve):
        x = pad + i * step
        x = width - x if rtl else x
        if emotion is None:
            dots.append({"x": x, "y": zero, "r": 3.0, "cls": "none", "name": name, "value": ""})
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        y = pad + (2 - emotion) * (height - 2 * pad) / 4
        value = f"{emotion:+d}" if emotion else "0"
        dots.append(
            {
                "x": x,
                "y": y,
                "r": 4.5 if mot else 2.5,
                "cls": "mot" if mot else "pt",
                "name": name,
                "value": value,
            }
        )
        run.append(f"{x:.1f},{y:.1f}")
    if len(run) > 1:
        lines.append(" ".join(run))
    return {"dots": dots, "lines": lines, "width": width, "height": height, "zero": zero}


def _saved(when: float | None, now: float) -> str:
    if when is None:
        return ""
    stamp = dt.datetime.fromtimestamp(when)
    today = dt.datetime.fromtimestamp(now).date()
    return stamp.strftime("%H:%M") if stamp.date() == today else stamp.strftime("%Y-%m-%d %H:%M")


def anonymised(subs: list[Submission], label: str) -> list[Submission]:
    """Names replaced by "Student 1", "Student 2"... (by where they came from)."""
    order = {s.label: i for i, s in enumerate(sorted(subs, key=lambda s: s.label), 1)}
    return [replace(s, student=f"{label} {order[s.label]}", label="") for s in subs]


def page_context(
    subs: list[Submission],
    exercise: int,
    language: str,
    folder: Path,
    *,
    anonymous: bool,
    stuck_after: float | None,
    live: bool,
    now: float,
    stuck_rule: str = "progress",
) -> dict[str, Any]:
    """Everything the template shows, already worked out."""
    t = label_table("classroom", language)
    if anonymous:
        subs = anonymised(subs, t["anonymous_student"])
    rubric = get_rubric(exercise)
    title = rubric.title.get(language) or rubric.title["en"]
    crit_titles = [c.title.get(language) or c.title["en"] for c in rubric.criteria]
    scored = sorted(
        (s for s in subs if s.result is not None),
        key=lambda s: (-(s.result.score if s.result else 0), s.student.casefold()),
    )
    rows = []
    for s in scored:
        assert s.result is not None
        cells = [
            {
                "text": f"{c.earned:g}/{c.points:g}",
                "cls": "full" if c.earned >= c.points else ("low" if c.earned == 0 else ""),
            }
            for c in s.result.criteria
        ]
        rows.append(
            {
                "student": s.student,
                "cells": cells,
                "status": band(s.result.score, s.result.total),
                "total": f"{s.result.score:g}/{s.result.total:g}",
                "stuck": s.stuck if stuck_after is not None else "",
                "saved": _saved(s.saved, now),
            }
        )
    means: list[str] = []
    mean = ""
    if scored:
        n = len(scored)
        means = [
            f"{sum(s.result.criteria[i].earned for s in scored if s.result) / n:.1f}"
            for i in range(len(rubric.criteria))
        ]
        mean = f"{sum(s.result.score for s in scored if s.result) / n:.1f}"
    gaps: list[dict[str, Any]] = []
    for i, ctitle in enumerate(crit_titles):
        who = [
            s
            for s in scored
            if s.result and s.result.criteria[i].earned < rubric.criteria[i].points
        ]
        if not who:
            continue
        example = next(
            (
                s.result.criteria[i].feedback[0]
                for s in who
                if s.result and s.result.criteria[i].feedback
            ),
            "",
        )
        gaps.append(
            {
                "count": len(who),
                "line": t["gap_line"].format(count=len(who), of=len(scored), title=ctitle),
                "example": example,
                "who": [s.student for s in who],
            }
        )
    gaps.sort(key=lambda g: -g["count"])
    rtl = t["dir"] == "rtl"
    curves = [{"student": s.student, **curve_geometry(s.curve, rtl)} for s in scored if s.curve]
    trouble = [s for s in subs if s.status in {"broken", "wrong", "skipped"}]
    overview = _overview(subs)
    return {
        "lang": language,
        "dir": t["dir"],
        "t": t,
        "title": title,
        "heading": t["exercise"].format(n=exercise, title=title),
        "generated": t["generated"].format(
            date=dt.date.fromtimestamp(now).isoformat(), count=len(subs), folder=folder.name
        ),
        "crit_titles": crit_titles,
        "rows": rows,
        "means": means,
        "mean": mean,
        "gaps": gaps,
        "curves": curves,
        "trouble": [
            {
                "student": s.student,
                "label": s.label,
                "status": s.status,
                "reason": describe(s.why, language) if s.why[0] else s.reason,
            }
            for s in trouble
        ],
        "overview": overview,
        "anonymous": anonymous,
        "stuck_note": (
            t[f"stuck_note_{stuck_rule}"].format(minutes=f"{stuck_after:g}")
            if stuck_after is not None
            else ""
        ),
        "live": live,
    }


def _overview(subs: list[Submission]) -> dict[str, Any] | None:
    """Student x exercise, when the folder holds more than one exercise."""
    table: dict[str, dict[int, float]] = defaultdict(dict)
    for s in subs:
        result = s.own or s.result
        if result is None:
            continue
        best = table[s.student].get(result.exercise)
        table[s.student][result.exercise] = max(result.score, best or 0.0)
    exercises = sorted({n for row in table.values() for n in row})
    if len(exercises) < 2:
        return None
    rows = [
        {"student": name, "cells": [f"{row[n]:g}" if n in row else "" for n in exercises]}
        for name, row in sorted(table.items(), key=lambda kv: kv[0].casefold())
    ]
    return {"exercises": exercises, "rows": rows}


def render_page(
    subs: list[Submission], exercise: int, language: str, folder: Path, **options: Any
) -> str:
    """The class overview as one self-contained HTML page."""
    context = page_context(subs, exercise, language, folder, **options)
    return _environment().get_template("class-report.html.j2").render(**context)
