"""The trainer's class overview: every submission scored, common gaps, emotion curves.

``class_report(folder)`` collects what students handed in (:mod:`cxkit.course.collect`:
per-student folders, loose files, zips, Moodle and Canvas downloads), reads and scores
each one in its own bounded process (:mod:`cxkit.course.bounded`), and renders one
offline page through ``course/templates/class-report.html.j2``. A submission that
cannot be read -- broken, hostile, too large, too slow -- is one row with its reason;
it never stops the page.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxkit.course.bounded import Failure, run_bounded
from cxkit.course.classpage import describe, render_page
from cxkit.course.collect import Found, collect
from cxkit.course.exercises import check_workbook, get_rubric
from cxkit.course.progress import Progress, flag_stuck, observe_all
from cxkit.course.submission import Assessed, Curve, Submission, Why
from cxkit.errors import CxkitError, ProblemsError, Reason
from cxkit.i18n.messages import worded_error
from cxkit.workbook.model import State, Workbook


def _load(path: Path) -> tuple[Workbook | None, Why]:
    """The workbook, or why it cannot be read: its first problem (worded later, in the
    page's language) and how many more there are."""
    from cxkit.workbook.yamlfile import load_workbook

    try:
        return load_workbook(path), ("", ())
    except ProblemsError as exc:
        return None, ("broken", (("problem", exc.problems[0]), ("more", len(exc.problems) - 1)))
    except CxkitError as exc:
        said = exc.words if exc.words is not None else str(exc)
        return None, ("broken", (("detail", said),))
    except (OSError, ValueError) as exc:
        return None, ("broken", (("detail", str(exc)),))


def _curve(wb: Workbook) -> Curve:
    """Every touchpoint of the current journey, with its emotion (None when not set)."""
    if not wb.journeys:
        return ()
    journey = next((j for j in wb.journeys if j.state is State.CURRENT), wb.journeys[0])
    return tuple((t.emotion, t.moment_of_truth, t.name) for _, t in journey.touchpoints())


def assess_path(task: tuple[str, int | None, str | None]) -> Assessed:
    """Read and score one workbook (runs in a bounded child process)."""
    path, exercise, language = Path(task[0]), task[1], task[2]
    wb, why = _load(path)
    if wb is None:
        from cxkit.workbook.language import workbook_language

        return Assessed("broken", describe(why, "en"), language=workbook_language(path), why=why)
    said = wb.course.exercise if wb.course is not None else None
    student = (wb.course.student or "") if wb.course is not None else ""
    lang = wb.client.language.value
    number = exercise or said
    if number is None:
        return Assessed("unknown", "", None, student, lang, None, _curve(wb))
    result = check_workbook(wb, number, language, folder=path.parent)
    status = "ok" if result.score >= result.total else "partial"
    return Assessed(status, "", said, student, lang, result, _curve(wb))


def _run(
    found: list[Found],
    exercise: int | None,
    language: str | None,
    cache: dict[Any, Any] | None = None,
) -> list[Any]:
    """Assess each in a bounded child; ``cache`` keeps results of unchanged files."""
    cache = {} if cache is None else cache
    keys = [(f.label, f.saved, exercise, language) for f in found]
    todo = [(k, f) for k, f in zip(keys, found, strict=True) if k not in cache]
    if todo:
        tasks = [(str(f.path), exercise, language) for _, f in todo]
        for (key, _), got in zip(todo, run_bounded(assess_path, tasks), strict=True):
            cache[key] = got
    return [cache[k] for k in keys]


def _said(s: Submission, why: Why) -> Submission:
    """``s`` with its reason (the code for the page, English words for the terminal)."""
    return replace(s, why=why, reason=describe(why, "en"))


def _whose(s: Submission) -> str:
    """Who handed it in: the LMS identifier, or the top folder or file it came in."""
    return s.student_id if s.lms else s.label.split("/")[0]


def _unique(subs: list[Submission]) -> list[Submission]:
    """Equal names of different students told apart by their LMS identifier or by the
    folder or file they came in (one student's several workbooks keep one name)."""
    owners: dict[str, set[str]] = {}
    for s in subs:
        owners.setdefault(s.student, set()).add(_whose(s))
    return [
        replace(s, student=f"{s.student} ({_whose(s)})") if len(owners[s.student]) > 1 else s
        for s in subs
    ]


def assess_all(
    found: list[Found],
    exercise: int | None,
    language: str | None,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[Submission], int, str]:
    """Every submission scored against the class's exercise (what most answer, unless
    given) and against its own; the page language (what most are written in)."""
    readable = [f for f in found if f.path is not None and not f.skipped]
    # First, each against the exercise it says it answers (for the overview).
    first = dict(zip(map(id, readable), _run(readable, None, language, cache), strict=True))
    books = [a for a in first.values() if isinstance(a, Assessed) and a.status != "broken"]
    if language is None:
        told = [a for a in first.values() if isinstance(a, Assessed) and a.language]
        readable_ones = [a for a in books if a.language]
        langs = Counter(str(a.language) for a in readable_ones or told)  # broken: sniffed
        language = langs.most_common(1)[0][0] if langs else "en"
    if exercise is None:
        votes = Counter(a.exercise for a in books if a.exercise is not None)
        if not votes:
            key = "class-which-exercise" if found else "no-submissions"
            raise worded_error(key, language, Reason.UNKNOWN_EXERCISE)
        exercise = votes.most_common(1)[0][0]
    get_rubric(exercise, language)

    def again(a: Any) -> bool:  # scored against the class's exercise, in the page language
        if not isinstance(a, Assessed) or a.status == "broken":
            return False
        return a.exercise is None or (
            a.exercise == exercise and a.result is not None and a.result.language != language
        )

    redo = [f for f in readable if again(first[id(f)])]
    second = dict(zip(map(id, redo), _run(redo, exercise, language, cache), strict=True))
    subs: list[Submission] = []
    for f in found:
        base = Submission(
            f.label, f.student, f.student_id, f.lms, "skipped", saved=f.saved, path=f.path
        )
        if f.skipped or f.path is None:
            subs.append(_said(base, (f.skipped, f.args)))
            continue
        got = second.get(id(f), first[id(f)])
        if isinstance(got, Failure):
            details = {
                "timeout": (("seconds", f"{got.seconds:g}"),),
                "crash": (("detail", got.detail),),
            }
            subs.append(_said(base, (got.kind, details.get(got.kind, ()))))
            continue
        own = first[id(f)].result if isinstance(first[id(f)], Assessed) else None
        if isinstance(got, Assessed) and got.exercise is None:
            got = replace(got, exercise=exercise)
        name = got.student or f.student
        common = {
            "student": name,
            "exercise": got.exercise,
            "curve": got.curve,
            "language": got.language,
            "own": own,
        }
        if got.status == "broken":
            broken = replace(base, status="broken", student=name, language=got.language)
            subs.append(
                _said(broken, got.why if got.why[0] else ("broken", (("detail", got.reason),)))
            )
        elif got.exercise is not None and got.exercise != exercise:
            why = ("wrong-exercise", (("n", str(exercise)), ("said", str(got.exercise))))
            subs.append(_said(replace(base, status="wrong", **common), why))
        else:
            subs.append(replace(base, status=got.status, result=got.result, **common))
    return _unique(subs), exercise, language


def class_report(
    folder: Path,
    exercise: int | None = None,
    language: str | None = None,
    *,
    anonymous: bool = False,
    stuck_after: float | None = None,
    live: bool = False,
    now: float | None = None,
    cache: dict[Any, Any] | None = None,
    progress: Progress | None = None,
    progress_file: Path | None = None,
) -> tuple[str, list[Submission], int]:
    """Collect and assess every submission in ``folder`` and render the overview page.

    Without ``exercise``, the one most submissions say they answer is used; without
    ``language``, the one most of them are written in. ``stuck_after`` (minutes) flags
    unfinished work whose score has not risen for that long, by the progress record
    (:mod:`cxkit.course.progress`): ``progress`` (the live view's, kept in memory), or
    the one in ``progress_file`` when that file exists. With neither, the flag falls back
    to "not saved for that long" and the page says so. ``live`` adds the refresh script.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise worded_error("not-submissions", language, Reason.FILE_NOT_FOUND, folder=folder)
    when = time.time() if now is None else now
    with tempfile.TemporaryDirectory(prefix="cxkit-class-") as scratch:
        found = collect(folder, Path(scratch))
        subs, number, lang = assess_all(found, exercise, language, cache)
    if progress is None and progress_file is not None and progress_file.is_file():
        progress = Progress.load(progress_file, folder)
    if progress is not None:
        observe_all(progress, subs, when)
        progress.save()
    if stuck_after is not None:
        subs = flag_stuck(subs, progress, stuck_after, when)
    page = render_page(
        subs,
        number,
        lang,
        folder,
        anonymous=anonymous,
        stuck_after=stuck_after,
        live=live,
        now=when,
        stuck_rule="saved" if progress is None else "progress",
    )
    return page, subs, number
