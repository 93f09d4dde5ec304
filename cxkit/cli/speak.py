"""The language the command line speaks about a workbook, and its problem lines.

Each workbook is spoken about in its own language (``client.language``, or a look at
the text of a file too broken to read: :mod:`cxkit.workbook.language`), unless the
user chose one with ``cxkit --lang en|he``. The words are
``cxkit/i18n/locales/messages.<lang>.yml`` (:mod:`cxkit.i18n.messages`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from cxkit.cli.console import err, out
from cxkit.errors import CxkitError, Problem
from cxkit.i18n.messages import count, error_text, problem_text, say

#: the user's choice (``cxkit --lang``); None: each workbook's own language
chosen: str | None = None
#: the language of what the running command is about (its workbook), once it is known
subject: str | None = None


def language_of(path: str | Path | None) -> str:
    """The language to speak about the workbook at ``path``."""
    if chosen is not None:
        return chosen
    if path is None or not str(path):
        return "en"
    from cxkit.workbook.language import workbook_language

    return workbook_language(path)


def one_language(paths: Iterable[str | Path]) -> str:
    """One language for a summary of several workbooks: theirs if they share it, else
    English."""
    langs = {language_of(p) for p in paths}
    return langs.pop() if len(langs) == 1 else "en"


def print_problems(problems: list[Problem], lang: str | None = None) -> None:
    """Each problem on its own line, in ``lang`` or its own file's language."""
    langs: dict[str, str] = {}
    for p in problems:
        said = lang or langs.setdefault(p.file, language_of(p.file))
        err.print(problem_text(p, said), markup=False, highlight=False)


def print_error(text: str, lang: str = "en") -> None:
    """``error: ...`` (``שגיאה: ...``) for a mistake that is not about a place in a file."""
    err.print(say("error", lang, text=text), markup=False, highlight=False)


def error_language(exc: CxkitError) -> str:
    """The language to say ``exc`` in: the user's choice, else that of what it is about.
    An error without words is said in English, its frame too."""
    if exc.words is None:
        return "en"
    return chosen or exc.language or subject or "en"


def print_failure(exc: CxkitError) -> None:
    """``error: ...`` for a plain error, in the language of what it is about."""
    lang = error_language(exc)
    print_error(error_text(exc, lang), lang)


def class_language(subs: Sequence[Any], lang: str | None = None) -> str:
    """The class page's language: the one chosen, else the one its scores are worded in
    (what most submissions are written in), else English."""
    if lang:
        return lang
    scored = Counter(s.result.language for s in subs if s.result is not None)
    if scored:
        return str(scored.most_common(1)[0][0])
    written = Counter(s.language for s in subs if s.language)
    return str(written.most_common(1)[0][0]) if written else "en"


def class_summary(subs: Sequence[Any], number: int, output: Path, lang: str | None) -> str:
    """The class report's table on the terminal, in the class's language; returns it."""
    from cxkit.course.classpage import describe

    said = class_language(subs, lang)
    columns = ("student", "status", "score", "reason")
    table = Table(*(say(f"col.{c}", said) for c in columns), header_style="bold")
    for s in subs:
        score = f"{s.result.score:g}/{s.result.total:g}" if s.result else ""
        reason = describe(s.why, said) if s.why[0] else s.reason
        table.add_row(s.student, say(f"status.{s.status}", said), score, reason)
    out.print(table)
    n = count(len(subs), "submissions", said)
    out.print(say("class-wrote", said, n=number, output=output, count=n), markup=False)
    return said
