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
from typing import Any


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
    # why a survey answer was not counted (cxkit.surveys.answers); out-of-range above
    BLANK = "blank"
    UNPARSEABLE = "unparseable"  # not a number, and no label that reads as one
    UNKNOWN_LABEL = "unknown-label"  # words, but no label the scale knows
    NOT_WHOLE_NUMBER = "not-whole-number"
    # errors that are not about one place in a file
    BAD_ARGUMENT = "bad-argument"  # a command-line value or API argument cxkit cannot use
    ALREADY_EXISTS = "already-exists"  # an output would overwrite a file without --force
    TOOL_MISSING = "tool-missing"  # an outside program (Chromium) is not installed
    TOOL_FAILED = "tool-failed"  # an outside program ran but did not do its job
    RENDER_FAILED = "render-failed"  # a report notebook stopped with an error
    UNKNOWN_EXERCISE = "unknown-exercise"  # a workbook or rubric names no known exercise
    TOO_LARGE = "too-large"  # a file over a size limit, or a spreadsheet whose zip inflates too far
    TOO_DEEP = "too-deep"  # nesting deeper than any workbook needs
    YAML_ALIAS = "yaml-alias"  # anchors and aliases: a workbook never needs them
    YAML_TAG = "yaml-tag"  # '!!python/object' and other tags: a workbook never needs them
    OUTSIDE_FOLDER = "outside-folder"  # a referenced file resolves outside the client folder
    NOT_A_FILE = "not-a-regular-file"  # a device, a pipe, a folder where a file was expected
    NOT_AN_IMAGE = "not-an-image"  # a logo whose bytes are not PNG, JPEG, GIF, WebP or SVG
    CANNOT_READ = "cannot-read"  # a file there but unreadable (no permission, an I/O error)
    CANNOT_WRITE = "cannot-write"  # an output path that cannot be written


class Term(str):
    """A word of cxkit's own (``persona``, ``a list``) inside a message's values: worded
    in the message's language, where plain text values (ids, keys, paths) stay as written."""

    __slots__ = ()


@dataclass(frozen=True)
class Words:
    """A message as a template key and its values, so it can be worded in any language.

    The templates are ``cxkit/i18n/locales/messages.<lang>.yml`` and
    ``cxkit.i18n.messages`` fills them in. A value is text kept as written, a number,
    a :class:`Term`, another ``Words`` (a message inside a message) or None.
    """

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, /, **values: Any) -> Words:
        return cls(key, tuple(values.items()))

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.values)


class Said(str):
    """English text that also carries its :class:`Words`, where a plain string is kept
    (a survey's ``notes``, shown as text in JSON): the command line words it in another
    language with ``said.words``."""

    words: Words | None

    def __new__(cls, text: str, words: Words | None = None) -> Said:
        self = super().__new__(cls, text)
        self.words = words
        return self


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, at one place."""

    file: str
    message: str
    reason: Reason
    where: str = ""  # "journeys[0].stages[1].id" or "sheet 'Stages', row 4, column 'id' (B)"
    line: int | None = None  # 1-based, for text files
    loc: tuple[str | int, ...] = ()  # path in the workbook data, when the problem has one
    subject: str | None = None  # the id or value the problem is about (a duplicated id...)
    rows: tuple[int, ...] = ()  # rows of a data file (as a spreadsheet numbers them), if any
    words: Words | None = None  # the message as a template and its values (any language)
    at: Words | None = None  # the place as words, where it is not a YAML path (an Excel cell)

    def __str__(self) -> str:
        head = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{head}: {self.where}: {self.message}" if self.where else f"{head}: {self.message}"


class CxkitError(Exception):
    """Base of every error cxkit raises on purpose (user mistakes, bad files).

    Every error carries a :class:`Reason`: a subclass's default, or the one given.
    Code that reacts to an error looks at ``reason`` (or the class), never at the text.
    ``words`` is the message as a template and its values (the text is its English),
    so the command line can say it in another language; ``language`` is the language
    of what it is about (a Hebrew workbook, a Hebrew class), when the raiser knows it.
    """

    default_reason: Reason = Reason.BAD_ARGUMENT

    def __init__(
        self,
        message: str = "",
        *,
        reason: Reason | None = None,
        words: Words | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason or self.default_reason
        self.words = words
        self.language = language


@dataclass
class ProblemsError(CxkitError):
    """A file has one or more problems; ``problems`` lists all of them."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        first = self.problems[0].reason if self.problems else Reason.MALFORMED
        super().__init__(str(self), reason=first)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class WorkbookError(ProblemsError):
    """A workbook (YAML or Excel) could not be loaded or is not valid."""


class SurveyError(ProblemsError):
    """A survey export could not be read or mapped."""


class LimitExceeded(ProblemsError):
    """An untrusted input is over one of cxkit's limits (size, depth, zip ratio), or
    reaches outside the folder it belongs to (see :mod:`cxkit._limits`)."""


class WorkbookLimitExceeded(WorkbookError, LimitExceeded):
    """A workbook file over a limit: a workbook problem and a limit at once."""


class OutputError(ProblemsError, OSError):
    """An output file or folder cannot be written (the problem names the path).

    Also an ``OSError``, so code that handled the underlying error still does."""


class OptionError(ProblemsError):
    """A command-line value of the wrong form (a date, a path that must be a folder)."""


class TemplateNotFound(CxkitError):
    """``cxkit new`` was given a template name that does not exist."""

    default_reason = Reason.FILE_NOT_FOUND


class ReportError(CxkitError):
    """A report could not be rendered (the message names the client and the cell)."""

    default_reason = Reason.RENDER_FAILED


CHROMIUM_HELP = (
    "no Chromium or Google Chrome was found. Install one "
    "(Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium; "
    "Windows: install Google Chrome), or set CXKIT_CHROMIUM to the browser's path."
)


class ChromiumNotFound(ReportError):
    """PDF printing or an image export needs Chromium, and none was found."""

    default_reason = Reason.TOOL_MISSING

    def __init__(self, purpose: str = "PDF needs a browser") -> None:
        super().__init__(f"{purpose}, and {CHROMIUM_HELP}")


class BrowserError(ReportError):
    """Chromium could not be started or did not answer."""

    default_reason = Reason.TOOL_FAILED


class ExportError(CxkitError):
    """An export could not be written."""


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
