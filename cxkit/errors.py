"""One exception tree for cxkit.

Every user-facing problem is a :class:`Problem`: it names the file, the place in
it (a YAML path with its line, or an Excel sheet/row/column), what was expected
and, where it helps, the nearest valid value. Errors carry lists of problems so a
user sees everything that is wrong at once, never only the first thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    """Stable reason codes: tests and tools match on these, not on wording."""

    FILE_NOT_FOUND = "file-not-found"
    MALFORMED = "malformed"
    UNSUPPORTED_VERSION = "unsupported-version"
    UNKNOWN_KEY = "unknown-key"
    MISSING = "missing"
    WRONG_TYPE = "wrong-type"
    OUT_OF_RANGE = "out-of-range"
    BAD_VALUE = "bad-value"
    BAD_REFERENCE = "bad-reference"
    DUPLICATE_ID = "duplicate-id"
    MISSING_SHEET = "missing-sheet"
    MISSING_COLUMN = "missing-column"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, at one place."""

    file: str
    message: str
    reason: Reason
    where: str = ""  # "journeys[0].stages[1].id" or "sheet 'Stages', row 4, column 'id' (B)"
    line: int | None = None  # 1-based, for text files
    loc: tuple[str | int, ...] = ()  # path in the workbook data, when the problem has one

    def __str__(self) -> str:
        head = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{head}: {self.where}: {self.message}" if self.where else f"{head}: {self.message}"


class CxkitError(Exception):
    """Base of every error cxkit raises on purpose (user mistakes, bad files)."""


@dataclass
class ProblemsError(CxkitError):
    """A file has one or more problems; ``problems`` lists all of them."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class WorkbookError(ProblemsError):
    """A workbook (YAML or Excel) could not be loaded or is not valid."""


class SurveyError(ProblemsError):
    """A survey export could not be read or mapped."""


class TemplateNotFound(CxkitError):
    """``cxkit new`` was given a template name that does not exist."""


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """Return the closest of ``choices`` to ``value``, or None if nothing is close.

    >>> did_you_mean("onbording", ["inspiration", "onboarding", "payment"])
    'onboarding'
    """
    options = [c for c in choices if c]
    lowered = {c.lower(): c for c in options}
    hit = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[hit[0]] if hit else None


def suggestion_suffix(value: str, choices: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` or an empty string."""
    best = did_you_mean(value, choices)
    return f"; did you mean '{best}'?" if best else ""
