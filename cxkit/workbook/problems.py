"""Turn pydantic validation errors and reference issues into located :class:`Problem`s.

The same translation serves YAML files (places are YAML paths with a line) and
the Excel template (places are sheet, row and column): a *locator* maps a path in
the workbook (``('journeys', 0, 'stages', 1, 'id')``) to a place in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cxkit._limits import excerpt
from cxkit.errors import Problem, Reason, Term, Words, WorkbookError, did_you_mean
from cxkit.i18n.messages import word
from cxkit.workbook.model import (
    FORMAT_VERSION,
    SLUG_PATTERN,
    Loc,
    RefIssue,
    Workbook,
    check_references,
    format_loc,
)

#: maps a workbook path to (where, line), or (where, line, the place as words) when the
#: place is not a YAML path (an Excel cell); where is "" to use the YAML path itself
Locator = Callable[[Loc], tuple[str, int | None] | tuple[str, int | None, Words | None]]


def _place(locate: Locator, loc: Loc) -> tuple[str, int | None, Words | None]:
    found: tuple[Any, ...] = locate(loc)
    return found[0], found[1], found[2] if len(found) > 2 else None


_NOUNS = {
    "Workbook": "the-workbook",
    "Client": "client",
    "Brand": "brand",
    "Persona": "persona",
    "Journey": "journey",
    "Stage": "stage",
    "Touchpoint": "touchpoint",
    "Opportunity": "opportunity",
    "SurveySource": "survey",
    "SurveyColumns": "survey-columns",
    "Scale": "scale",
}


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/dict wrappers down to the item type."""
    origin = get_origin(annotation)
    if origin is None:
        return annotation
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    if len(args) == 1:  # Optional[X] / Annotated[X, ...]
        return _unwrap(args[0])
    return annotation


def _walk(loc: Sequence[str | int]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model that owns the last key of ``loc`` and that key's field info."""
    model: type[BaseModel] | None = Workbook
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        if info is None:
            return model, None
        target = _unwrap(info.annotation)
        model = target if isinstance(target, type) and issubclass(target, BaseModel) else None
    return model, info


def _parent_model(loc: Loc) -> type[BaseModel] | None:
    model, _ = _walk([p for p in loc[:-1]])
    # _walk returns the model *inside* the last key; for a list item the index is skipped.
    return model


def describe_value(value: Any) -> str:
    """A value as a person would name it in a message: a :class:`Term` for a kind of
    value ('a list', 'a mapping', 'nothing'), the value itself ('5', "'text'") otherwise."""
    if isinstance(value, dict):
        return Term("value-mapping")
    if isinstance(value, list):
        return Term("value-list")
    if value is None:
        return Term("value-nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    return excerpt(value)


def _range(info: FieldInfo | None) -> tuple[Any, Any] | None:
    if info is None:
        return None
    lo = hi = None
    for meta in info.metadata:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    # Annotated aliases keep their bounds one level down for Optional fields.
    for arg in get_args(info.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            for sub in getattr(meta, "metadata", [meta]):
                lo = getattr(sub, "ge", lo)
                hi = getattr(sub, "le", hi)
    if lo is None or hi is None:
        return None
    return lo, hi


def _hint(value: Any, choices: Sequence[str]) -> Words | None:
    """``; did you mean 'x'?`` as words, when something is close."""
    best = did_you_mean(str(value), choices) if isinstance(value, str) else None
    return Words.of("did-you-mean", suggestion=best) if best else None


_OPS = {
    "greater_than_equal": ">=",
    "less_than_equal": "<=",
    "greater_than": ">",
    "less_than": "<",
}
#: pydantic error types whose message needs only the value found
_SIMPLE = {
    "string_type": ("expected-text", Reason.WRONG_TYPE),
    "str_type": ("expected-text", Reason.WRONG_TYPE),
    "list_type": ("expected-list", Reason.WRONG_TYPE),
    "dict_type": ("expected-mapping", Reason.WRONG_TYPE),
    "model_type": ("expected-mapping", Reason.WRONG_TYPE),
    "model_attributes_type": ("expected-mapping", Reason.WRONG_TYPE),
    "bool_parsing": ("expected-bool", Reason.WRONG_TYPE),
    "bool_type": ("expected-bool", Reason.WRONG_TYPE),
}


def _message(err: Any) -> tuple[Words, Reason, Loc]:
    """What a pydantic error means, as words (template key and values) and a reason."""
    kind: str = err["type"]
    loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
    value = err.get("input")
    ctx = err.get("ctx") or {}
    got = describe_value(value)

    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = _parent_model(loc)
        noun = Term(_NOUNS.get(parent.__name__, "this-mapping") if parent else "this-mapping")
        allowed = list(parent.model_fields) if parent else []
        hint = _hint(key, allowed)
        return (
            Words.of("unknown-key", key=excerpt(key), noun=noun, hint=hint),
            Reason.UNKNOWN_KEY,
            loc,
        )
    if kind == "missing":
        key = str(loc[-1])
        parent = _parent_model(loc)
        name = _NOUNS.get(parent.__name__) if parent else None
        if name is None:
            return Words.of("missing-key", key=key), Reason.MISSING, loc
        return Words.of("missing-key-in", key=key, noun=Term(name)), Reason.MISSING, loc
    if kind == "literal_error" and loc == ("cxkit",):
        words = Words.of("unsupported-version", got=got, version=FORMAT_VERSION)
        return words, Reason.UNSUPPORTED_VERSION, loc
    if kind in _OPS:
        bounds = _range(_walk(loc)[1])
        if bounds is None:
            bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
            words = Words.of("expected-bound", op=_OPS[kind], bound=bound, got=got)
        else:
            words = Words.of("expected-range", lo=bounds[0], hi=bounds[1], got=got)
        return words, Reason.OUT_OF_RANGE, loc
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        bounds = _range(_walk(loc)[1])
        if bounds is None:
            return Words.of("expected-whole", got=got), Reason.WRONG_TYPE, loc
        return (
            Words.of("expected-range", lo=bounds[0], hi=bounds[1], got=got),
            Reason.WRONG_TYPE,
            loc,
        )
    if kind in {"enum", "literal_error"}:
        options = tuple(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        words = Words.of("expected-choice", options=options, got=got, hint=_hint(value, options))
        return words, Reason.BAD_VALUE, loc
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG_PATTERN:
            return Words.of("expected-id", got=got), Reason.BAD_VALUE, loc
        if "0-9a-fA-F" in str(ctx.get("pattern")):
            return Words.of("expected-colour", got=got), Reason.BAD_VALUE, loc
        return Words.of("expected-form", got=got), Reason.BAD_VALUE, loc
    if kind == "string_too_short":
        return Words("empty"), Reason.MISSING, loc
    if kind == "string_too_long":
        return Words.of("too-long", most=ctx.get("max_length")), Reason.BAD_VALUE, loc
    if kind in _SIMPLE:
        key, reason = _SIMPLE[kind]
        return Words.of(key, got=got), reason, loc
    return Words.of("invalid", detail=excerpt(err["msg"], 200), got=got), Reason.BAD_VALUE, loc


def problems_from_validation(
    exc: ValidationError, file: str, locate: Locator, prefix: Loc = ()
) -> list[Problem]:
    """One located problem per pydantic error, in file order where lines are known.

    ``prefix`` is the path of the model that raised, when it is not the whole workbook
    (an assignment to one persona raises with paths relative to that persona).
    """
    out = []
    for err in exc.errors(include_url=False):
        err = {**err, "loc": (*prefix, *err["loc"])}
        words, reason, loc = _message(err)
        where, line, at = _place(locate, loc)
        place = where or format_loc(loc)
        out.append(Problem(file, word(words), reason, place, line, loc, words=words, at=at))
    return sorted(out, key=lambda p: (p.line is None, p.line or 0))


def problems_from_refs(issues: list[RefIssue], file: str, locate: Locator) -> list[Problem]:
    out = []
    for issue in issues:
        where, line, at = _place(locate, issue.loc)
        out.append(
            Problem(
                file,
                issue.message,
                issue.reason,
                where=where or format_loc(issue.loc),
                line=line,
                loc=issue.loc,
                subject=issue.target,
                words=issue.words,
                at=at,
            )
        )
    return out


# --------------------------------------------------------------------------- second look

#: An id no user writes; references to it are consequences of a repair, not user mistakes.
PLACEHOLDER_ID = "cxkit-placeholder"


def _placeholder(info: FieldInfo | None) -> Any:
    """A neutral valid value for a required field whose own value was wrong or missing."""
    if info is None:
        return None
    annotation = _unwrap(info.annotation)
    origin = get_origin(info.annotation)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return None  # a whole section is broken: no second look
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if annotation is bool:
        return False
    if annotation is int:
        lo = next((getattr(m, "ge", None) for m in info.metadata if hasattr(m, "ge")), None)
        return 1 if lo is None else lo
    pattern = next(
        (getattr(m, "pattern", None) for m in info.metadata if getattr(m, "pattern", None)), None
    )
    return PLACEHOLDER_ID if pattern == SLUG_PATTERN else "?"


def repaired(data: Any, exc: ValidationError) -> tuple[Any, set[Loc]] | None:
    """A copy of ``data`` with every reported problem neutralised, keeping list positions.

    Bad optional values and unknown keys are removed; bad or missing required values get
    a placeholder. Returns the copy and the repaired locations, or None when a whole
    section is unusable. Used to check references even when fields are wrong, so a user
    sees every problem in one pass.
    """
    import copy

    fixed = copy.deepcopy(data)
    touched: set[Loc] = set()
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
        if not loc:
            return None
        parent: Any = fixed
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return None
        key = loc[-1]
        if not isinstance(parent, dict | list) or (
            isinstance(parent, list) and not isinstance(key, int)
        ):
            return None
        _, info = _walk(loc)
        required = info is not None and info.is_required()
        if err["type"] == "extra_forbidden" or (not required and err["type"] != "missing"):
            if isinstance(parent, dict):
                parent.pop(key, None)
            else:
                return None
        else:
            value = _placeholder(info)
            if value is None or not isinstance(parent, dict):
                return None
            parent[key] = value
        touched.add(loc)
    return fixed, touched


# --------------------------------------------------------------------------- one pass


def validate_data(data: Any, file: str, locate: Any) -> Workbook:
    """Validate plain data as a workbook; raise WorkbookError with every problem."""
    try:
        wb = Workbook.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, file, locate)
        problems += _references_despite(data, exc, file, locate)
        raise WorkbookError(sorted(problems, key=lambda p: (p.line is None, p.line or 0))) from None
    refs = check_references(wb)
    if refs:
        raise WorkbookError(problems_from_refs(refs, file, locate))
    return wb


def _references_despite(data: Any, exc: ValidationError, file: str, locate: Any) -> list[Problem]:
    """Broken references in a workbook whose fields are also wrong (one pass, not two).

    Checks a repaired copy; problems that only the repair caused are left out.
    """
    result = repaired(data, exc)
    if result is None:
        return []
    fixed, touched = result
    try:
        wb = Workbook.model_validate(fixed)
    except ValidationError:
        return []
    # A reference to an id that was itself malformed ("Retiree Group" for "retiree") is the
    # same mistake seen twice: leave it out.
    bad_ids = [str(_at(data, t)) for t in touched if t and t[-1] == "id" and _at(data, t)]

    def consequence(issue: RefIssue) -> bool:
        target = issue.target
        return bool(target and bad_ids and did_you_mean(target, bad_ids))

    issues = [
        issue
        for issue in check_references(wb)
        if PLACEHOLDER_ID not in (issue.target, issue.suggestion)
        and not any(issue.loc[: len(t)] == t for t in touched)
        and not consequence(issue)
    ]
    return problems_from_refs(issues, file, locate)


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
