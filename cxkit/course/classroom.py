"""The trainer's class overview: every submission scored, common gaps, emotion curves.

``class_report(folder, exercise)`` reads a folder of submissions (workbook files, Excel
templates, or one folder per student holding ``workbook.yml``), scores each against the
exercise rubric and builds one offline HTML page. Broken, partial and wrong-exercise
submissions are listed with the reason; they never stop the report.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cxkit.course.exercises import CheckResult, check_workbook, get_rubric
from cxkit.errors import CxkitError, ProblemsError
from cxkit.i18n import label_table
from cxkit.workbook.model import Journey, State, Workbook
from cxkit.workbook.yamlfile import WORKBOOK_FILENAME, load_workbook

SUFFIXES = {".yml", ".yaml", ".xlsx"}


@dataclass(frozen=True)
class Submission:
    path: Path
    student: str
    status: str  # ok | partial | broken | wrong
    reason: str = ""
    workbook: Workbook | None = None
    result: CheckResult | None = None


def find_submissions(folder: Path) -> list[Path]:
    """Workbook files directly in ``folder`` and ``*/workbook.yml`` one level down."""
    if not folder.is_dir():
        raise CxkitError(f"{folder}: not a folder of submissions")
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            inner = entry / WORKBOOK_FILENAME
            xlsx = sorted(entry.glob("*.xlsx"))
            found.append(inner if inner.exists() or not xlsx else xlsx[0])
        elif entry.suffix.lower() in SUFFIXES:
            found.append(entry)
    return found


def _student_name(path: Path, wb: Workbook | None) -> str:
    if wb is not None and wb.course is not None and wb.course.student:
        return wb.course.student
    return path.parent.name if path.name == WORKBOOK_FILENAME else path.stem


def _load(path: Path) -> tuple[Workbook | None, str]:
    """The workbook, or why it could not be read (never raises for a bad file)."""
    try:
        return load_workbook(path), ""
    except ProblemsError as exc:
        first = exc.problems[0]
        more = f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        where = f"{first.where}: " if first.where else ""
        line = f"line {first.line}: " if first.line else ""
        return None, f"{line}{where}{first.message}{more}"
    except (CxkitError, OSError) as exc:
        return None, str(exc)


def assess(
    path: Path, exercise: int, language: str, loaded: tuple[Workbook | None, str] | None = None
) -> Submission:
    """One submission, scored; never raises for a bad file."""
    wb, reason = loaded if loaded is not None else _load(path)
    student = _student_name(path, wb)
    if wb is None:
        return Submission(path, student, "broken", reason)
    if wb.course is not None and wb.course.exercise != exercise:
        return Submission(
            path, student, "wrong", f"answers exercise {wb.course.exercise}, not {exercise}", wb
        )
    result = check_workbook(wb, exercise, language, folder=path.parent)
    status = "ok" if result.score >= result.total else "partial"
    return Submission(path, student, status, "", wb, result)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def emotion_svg(
    journey: Journey | None, rtl: bool, no_curve: str, width: int = 280, height: int = 96
) -> str:
    """A small inline SVG of the journey's assumed emotion curve (no script, no fonts)."""
    points = (
        [
            (tp.emotion, tp.moment_of_truth, tp.name)
            for _, tp in journey.touchpoints()
            if tp.emotion is not None
        ]
        if journey
        else []
    )
    if len(points) < 2:
        return f"<div class='nocurve'>{_e(no_curve)}</div>"
    pad = 10
    step = (width - 2 * pad) / (len(points) - 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        x = pad + i * step
        if rtl:
            x = width - x
        return x, pad + (2 - v) * (height - 2 * pad) / 4

    coords = [xy(i, v) for i, (v, _, _) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    zero = pad + 2 * (height - 2 * pad) / 4
    dots = "".join(
        f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{4.5 if mot else 2.5}' "
        f"class='{'mot' if mot else 'pt'}'><title>{_e(name)}: {v:+d}</title></circle>"
        for (x, y), (v, mot, name) in zip(coords, points, strict=True)
    )
    return (
        f"<svg viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img'>"
        f"<line x1='0' x2='{width}' y1='{zero:.1f}' y2='{zero:.1f}' class='zero'/>"
        f"<polyline points='{path}' class='curve'/>{dots}</svg>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;margin:32px;color:#1d2733}
h1{margin:0 0 4px 0} .meta{color:#5b6673;margin-bottom:24px}
table{border-collapse:collapse;margin:8px 0 28px 0;font-size:14px}
th,td{border-bottom:1px solid #dfe3e8;padding:6px 10px;text-align:start;vertical-align:top}
th{background:#f3f5f8} td.num{font-variant-numeric:tabular-nums;text-align:end}
.full{color:#1b7f3b} .low{color:#b3261e} .status-broken,.status-wrong{color:#b3261e;font-weight:600}
.status-partial{color:#9a6700} .status-ok{color:#1b7f3b}
.gaps li{margin-bottom:6px} .gaps small{color:#5b6673}
.curves{display:flex;flex-wrap:wrap;gap:14px}
.curves figure{margin:0;border:1px solid #dfe3e8;border-radius:8px;padding:8px;background:#fbfcfd}
.curves figcaption{font-weight:600;margin-bottom:4px}
svg .zero{stroke:#c5ccd6;stroke-dasharray:3 3} svg .curve{fill:none;stroke:#0072b2;stroke-width:2}
svg .pt{fill:#0072b2} svg .mot{fill:#e69f00;stroke:#1d2733;stroke-width:1}
.nocurve{color:#8a94a0;font-size:13px;padding:30px 8px}
"""


def render_class_report(
    submissions: list[Submission], exercise: int, language: str, folder: Path
) -> str:
    """The class overview as one self-contained HTML page."""
    t = label_table(f"i18n/locales/classroom.{language}.yml")
    rubric = get_rubric(exercise)
    rtl = t["dir"] == "rtl"
    scored = [s for s in submissions if s.result is not None]
    title = rubric.title.get(language) or rubric.title["en"]
    head = (
        f"<!DOCTYPE html><html lang='{language}' dir='{t['dir']}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(t['title'])}: {_e(title)}</title><style>{_CSS}</style></head><body>"
    )
    generated = t["generated"].format(
        date=dt.date.today().isoformat(), count=len(submissions), folder=folder.name
    )
    parts = [
        head,
        f"<h1>{_e(t['title'])}</h1>",
        f"<div class='meta'>{_e(t['exercise'].format(n=exercise, title=title))}<br>"
        f"{_e(generated)}</div>",
    ]

    # one row per student
    crit_titles = [c.title.get(language) or c.title["en"] for c in rubric.criteria]
    parts.append(
        f"<h2>{_e(t['students'])}</h2><table><thead><tr><th>{_e(t['student'])}</th>"
        + "".join(f"<th>{_e(c)}</th>" for c in crit_titles)
        + f"<th>{_e(t['total'])}</th><th>{_e(t['status'])}</th></tr></thead><tbody>"
    )
    for s in submissions:
        cells = []
        for i in range(len(rubric.criteria)):
            if s.result is None:
                cells.append("<td></td>")
                continue
            c = s.result.criteria[i]
            cls = "full" if c.earned >= c.points else ("low" if c.earned == 0 else "")
            cells.append(f"<td class='num {cls}'>{c.earned:g}/{c.points:g}</td>")
        total = f"{s.result.score:g}/{s.result.total:g}" if s.result else ""
        parts.append(
            f"<tr><td>{_e(s.student)}</td>{''.join(cells)}<td class='num'>{_e(total)}"
            f"</td><td class='status-{s.status}'>{_e(t[s.status])}</td></tr>"
        )
    if scored:
        mean = sum(s.result.score for s in scored if s.result) / len(scored)
        means = [
            sum(s.result.criteria[i].earned for s in scored if s.result) / len(scored)
            for i in range(len(rubric.criteria))
        ]
        parts.append(
            f"<tr><th>{_e(t['average'])}</th>"
            + "".join(f"<td class='num'>{m:.1f}</td>" for m in means)
            + f"<td class='num'>{mean:.1f}</td><td></td></tr>"
        )
    parts.append("</tbody></table>")

    # most common gaps
    gaps: Counter[int] = Counter()
    examples: dict[int, str] = {}
    for s in scored:
        assert s.result is not None
        for i, c in enumerate(s.result.criteria):
            if c.earned < c.points:
                gaps[i] += 1
                if c.feedback:
                    examples.setdefault(i, c.feedback[0])
    if gaps:
        parts.append(f"<h2>{_e(t['gaps'])}</h2><ol class='gaps'>")
        for i, count in gaps.most_common():
            ex = f"<br><small>{_e(t['example'])} {_e(examples[i])}</small>" if i in examples else ""
            line = t["gap_line"].format(count=count, of=len(scored), title=crit_titles[i])
            parts.append(f"<li>{_e(line)}{ex}</li>")
        parts.append("</ol>")

    # emotion curves side by side
    with_journeys = [s for s in scored if s.workbook is not None and s.workbook.journeys]
    if with_journeys:
        parts.append(
            f"<h2>{_e(t['curves'])}</h2><p class='meta'>{_e(t['curves_note'])}</p>"
            "<div class='curves'>"
        )
        for s in with_journeys:
            assert s.workbook is not None
            journey = next(
                (j for j in s.workbook.journeys if j.state is State.CURRENT), s.workbook.journeys[0]
            )
            parts.append(
                f"<figure><figcaption>{_e(s.student)}</figcaption>"
                f"{emotion_svg(journey, rtl, t['no_curve'])}</figure>"
            )
        parts.append("</div>")

    # what needs attention
    trouble = [s for s in submissions if s.status in {"broken", "wrong"}]
    if trouble:
        parts.append(
            f"<h2>{_e(t['problems'])}</h2><table><thead><tr><th>{_e(t['student'])}"
            f"</th><th>{_e(t['status'])}</th><th>{_e(t['reason'])}</th></tr></thead>"
            "<tbody>"
        )
        for s in trouble:
            parts.append(
                f"<tr><td>{_e(s.student)}<br><small>{_e(s.path.name)}</small></td>"
                f"<td class='status-{s.status}'>{_e(t[s.status])}</td>"
                f"<td>{_e(s.reason)}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def class_report(
    folder: Path, exercise: int | None = None, language: str | None = None
) -> tuple[str, list[Submission], int]:
    """Assess every submission in ``folder`` and render the overview page.

    Without ``exercise``, the one most submissions say they answer is used; without
    ``language``, the one most of them are written in.
    """
    paths = find_submissions(folder)
    loaded = [_load(p) for p in paths]
    books = [wb for wb, _ in loaded if wb is not None]
    if exercise is None:
        votes = Counter(wb.course.exercise for wb in books if wb.course is not None)
        if not votes:
            raise CxkitError(
                f"{folder}: cannot tell which exercise these answer; pass --exercise N"
            )
        exercise = votes.most_common(1)[0][0]
    get_rubric(exercise)  # fail early on an unknown exercise
    if language is None:
        langs = Counter(wb.client.language.value for wb in books)
        language = langs.most_common(1)[0][0] if langs else "en"
    submissions = [
        assess(p, exercise, language, pair) for p, pair in zip(paths, loaded, strict=True)
    ]
    return render_class_report(submissions, exercise, language, folder), submissions, exercise
