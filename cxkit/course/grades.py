"""Grades for the LMS, and a feedback file per student.

``write_grades(subs, exercise, path, lms=...)`` writes ``path`` in the format the LMS's
grade import takes:

- **Moodle** ("Upload grading worksheet" of an assignment): ``Identifier`` (as in the
  download, ``Participant 1234567``), ``Full name``, ``Grade``, ``Maximum Grade``,
  ``Feedback comments``.
- **Canvas** (Gradebook > Import): ``Student``, ``ID``, ``SIS User ID``, ``SIS Login
  ID``, ``Section`` and one column for the exercise; Canvas takes no comments in a CSV,
  so the feedback goes in the per-student files.

Next to it, ``<name>-feedback/`` holds one text file per student: the score and every
feedback line. A student who handed in several versions is graded on the last saved.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from cxkit._files import atomic_write
from cxkit._spreadsheet import csv_text
from cxkit.course.submission import Submission
from cxkit.errors import CxkitError

MOODLE_COLUMNS = ["Identifier", "Full name", "Grade", "Maximum Grade", "Feedback comments"]
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _latest(subs: list[Submission]) -> list[Submission]:
    """One submission per student (the last saved), in name order."""
    best: dict[str, Submission] = {}
    for s in subs:
        if s.result is None:
            continue
        key = s.student_id if s.lms else s.student
        kept = best.get(key)
        if kept is None or (s.saved or 0) > (kept.saved or 0):
            best[key] = s
    return sorted(best.values(), key=lambda s: s.student.casefold())


def _feedback_text(s: Submission) -> str:
    assert s.result is not None
    lines = [f"{s.result.title}: {s.result.score:g} / {s.result.total:g}", ""]
    lines += [f"- {line}" for line in s.result.feedback] or ["- (nothing missing)"]
    return "\n".join(lines) + "\n"


def _file_name(s: Submission) -> str:
    stem = re.sub(r"[^\w\- .()]+", "_", s.student).strip(" .") or "student"
    return f"{stem}.txt"


def _safe(row: list[str]) -> list[str]:
    """Students' text stays text when the CSV is opened in a spreadsheet (no formulas)."""
    return [csv_text(cell) for cell in row]


def write_grades(subs: list[Submission], exercise: int, path: Path, *, lms: str | None) -> int:
    """Write the grade CSV and the feedback files; the number of feedback files."""
    if path.is_dir():
        raise CxkitError(f"{path}: is a folder; give a file name, e.g. {path / 'grades.csv'}")
    found = Counter(s.lms for s in subs if s.lms)
    kind = lms or (found.most_common(1)[0][0] if found else "moodle")
    graded = _latest(subs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if kind == "canvas":
        writer.writerow(_safe([*CANVAS_COLUMNS, f"cxkit exercise {exercise}"]))
        for s in graded:
            assert s.result is not None
            uid = s.student_id if s.lms == "canvas" else ""
            writer.writerow(_safe([s.student, uid, "", "", "", f"{s.result.score:g}"]))
    else:
        writer.writerow(_safe(MOODLE_COLUMNS))
        for s in graded:
            assert s.result is not None
            ident = s.student_id if s.lms == "moodle" else s.student
            comments = "\n".join(s.result.feedback)
            row = [ident, s.student, f"{s.result.score:g}", f"{s.result.total:g}", comments]
            writer.writerow(_safe(row))
    atomic_write(path, buffer.getvalue(), backup=False)
    folder = path.with_name(f"{path.stem}-feedback")
    folder.mkdir(exist_ok=True)
    for s in graded:
        atomic_write(folder / _file_name(s), _feedback_text(s), backup=False)
    return len(graded)
