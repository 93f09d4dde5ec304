"""cxkit's messages about a user's files, worded in English or Hebrew.

A message is made once, where the problem is found, as :class:`~cxkit.errors.Words`: a
template key and its values (the field, the value found, the allowed range, the id...).
The templates are ``locales/messages.en.yml`` and ``locales/messages.he.yml``; this
module fills them in. ``Problem.message`` is the English wording (what tests and tools
have always read); :func:`problem_text` words a whole problem line in either language.

>>> from cxkit.errors import Term, Words
>>> w = Words.of("expected-text", got=Term("value-list"))
>>> word(w, "en"), word(w, "he")
('expected text, got a list', 'צריך להיות טקסט; הערך שנמצא: רשימה')
>>> count(1, "problems", "he"), count(3, "problems", "he")
('בעיה אחת', '3 בעיות')
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

from cxkit._limits import excerpt
from cxkit.errors import CxkitError, Problem, Reason, Said, Term, Words
from cxkit.i18n import LANGUAGES, label_table

#: keys whose value is a mapping of the user's own keys (answer text, persona ids...)
MAPPINGS = frozenset(
    {"stage_map", "touchpoint_map", "value_labels", "emotion_by_persona", "labels"}
)


def _table(lang: str) -> dict[str, str]:
    return label_table("messages", lang if lang in LANGUAGES else "en")


def _value(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Words):
        return word(value, lang)
    if isinstance(value, Problem):
        return problem_text(value, lang)
    if isinstance(value, Term):
        return _table(lang)[f"term.{value}"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ", ".join(_value(v, lang) for v in value)
    return str(value)


def word(words: Words, lang: str = "en") -> str:
    """The message ``words`` in ``lang`` (``en`` or ``he``)."""
    template = _table(lang)[words.key]
    return template.format(**{k: _value(v, lang) for k, v in words.values})


def worded_error(
    key: str, language: str | None = None, reason: Reason | None = None, **values: Any
) -> CxkitError:
    """A :class:`CxkitError` made of words: its text is the English, the command line says
    it in ``language`` (the language of what it is about), or in the one the user chose."""
    words = Words.of(key, **values)
    return CxkitError(word(words), reason=reason, words=words, language=language)


def said(key: str, /, **values: Any) -> Said:
    """A note worded from ``key``: its English text, carrying its words for other languages."""
    words = Words.of(key, **values)
    return Said(word(words), words)


def in_language(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it carries its words (:class:`~cxkit.errors.Said`)."""
    words = getattr(text, "words", None)
    return word(words, lang) if isinstance(words, Words) and lang != "en" else str(text)


def say(key: str, lang: str = "en", **values: Any) -> str:
    """One message by its key: ``say("problems-in", "he", n=2)``."""
    return word(Words.of(key, **values), lang)


def count(n: int, noun: str, lang: str = "en") -> str:
    """``n`` things with the right plural: ``count.<noun>.one`` for 1, else ``.many``."""
    form = "one" if n == 1 else "many"
    return _table(lang)[f"count.{noun}.{form}"].format(n=n)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def field_label(key: str, lang: str) -> str | None:
    """A workbook key's label as the forms show it (``emotion`` -> ``רגש``), if it has one."""
    if lang == "en":
        return None
    own = _table(lang).get(f"field.{key}")
    if own:
        return own
    forms = label_table("forms", lang)
    return forms.get(key)


def format_loc(loc: Sequence[str | int]) -> str:
    """``('journeys', 0, 'stages', 1, 'id')`` -> ``journeys[0].stages[1].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = excerpt(part, 40)  # a key comes from the file: never quote all of it
            out += f".{key}" if out else key
    return out


_path = format_loc


def where_text(problem: Problem, lang: str) -> str:
    """The place of a problem: the YAML path (or the Excel cell), and in Hebrew the field's
    label with its key in parentheses (``רגש (emotion) ב-journeys[0].stages[1]``)."""
    if lang == "en":
        return problem.where
    at = word(problem.at, lang) if problem.at is not None else None
    loc = problem.loc
    if not loc:
        return at or problem.where
    if len(loc) >= 2 and str(loc[-2]) in MAPPINGS:  # the entry of a mapping: name the field
        field, owner = str(loc[-2]), loc[:-2]
        shown = f"{field}) '{_path([loc[-1]])}'"
    elif isinstance(loc[-1], str):
        field, owner = loc[-1], loc[:-1]
        shown = f"{field})"
    elif len(loc) >= 2 and isinstance(loc[-2], str):  # an item of a list: name the list
        field, owner = loc[-2], loc[:-2]
        shown = f"{field}[{loc[-1]}])"
    else:
        return at or problem.where
    label = field_label(field, lang)
    if label is None:
        return at or problem.where
    named = f"{label} ({shown}"
    inside = at or _path(owner)
    return say("where-in", lang, field=named, owner=inside) if inside else named


def message_text(problem: Problem, lang: str) -> str:
    """The message of a problem in ``lang``; English as made, when it has no template."""
    if lang == "en" or problem.words is None:
        return problem.message
    return word(problem.words, lang)


def problem_text(problem: Problem, lang: str = "en") -> str:
    """One problem as one line: the file (and line) first, then the place and the message.

    The path leads the line in both languages, so a right-to-left terminal keeps it whole;
    ids, keys and values stay as written, in quotes.
    """
    if lang == "en":
        return str(problem)
    head = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    where = where_text(problem, lang)
    message = message_text(problem, lang)
    return f"{head}: {where}: {message}" if where else f"{head}: {message}"


def error_text(exc: Exception, lang: str) -> str:
    """The text of an error in ``lang``: each of a file's problems on its own line, or the
    error's words; its English when it has neither (the forms and the CLI both say it)."""
    problems = getattr(exc, "problems", None)
    if problems and lang != "en":
        return "\n".join(problem_text(p, lang) for p in problems)
    words = getattr(exc, "words", None)
    return word(words, lang) if words is not None and lang != "en" else str(exc)
