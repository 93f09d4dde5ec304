"""What the class page is made of: one assessed submission per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxkit.course.exercises import CheckResult

Curve = tuple[tuple[int | None, bool, str], ...]
#: why a row is not scored: a reason code and its details (text, or a ``Problem`` /
#: ``Words`` worded in the page's language by ``classpage.describe``)
Why = tuple[str, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True)
class Assessed:
    """What a reader found in one workbook (sent back from its child process)."""

    status: str  # ok | partial | broken | unknown
    reason: str = ""
    exercise: int | None = None  # the exercise the workbook says it answers
    student: str = ""  # the name in the workbook's course block
    language: str | None = None
    result: CheckResult | None = None
    curve: Curve = ()
    why: Why = ("", ())  # for a broken one: its first problem, worded in any language


@dataclass(frozen=True)
class Submission:
    """One row of the class page."""

    label: str  # where it came from, inside the class folder
    student: str  # the name shown (made unique, or "Student 3" when anonymous)
    student_id: str  # LMS identifier, for grade files
    lms: str
    status: str  # ok | partial | broken | wrong | skipped
    reason: str = ""
    exercise: int | None = None
    saved: float | None = None
    result: CheckResult | None = None
    curve: Curve = ()
    language: str | None = None
    path: Path | None = None
    own: CheckResult | None = field(default=None, compare=False)  # against its own exercise
    why: Why = ("", ())  # reason code and its details
    stuck: str = ""  # "" | "saving" (saved, but no progress) | "idle" (not saved)
