"""One column of an export at a time: resolving it, parsing its answers, its problems.

The pieces :func:`cxkit.surveys.responses.responses_from_raw` builds the responses
frame from, one role's column each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from cxkit.errors import Problem, SurveyError, Term, Words
from cxkit.i18n.messages import said, word
from cxkit.surveys.answers import (
    BLANK,
    ParsedAnswers,
    builtin_labels,
    normalise_label,
    parse_answers,
)
from cxkit.surveys.formats import RawSurvey
from cxkit.surveys.frame import SourceSummary
from cxkit.surveys.roles import ROLES
from cxkit.workbook.model import Scale, SurveyFormat


def shared(values: np.ndarray, column: pd.Series) -> np.ndarray | pd.Series:
    """The export's own column when ``values`` is its data (copy-on-write keeps it safe)."""
    if values.dtype == column.dtype and np.shares_memory(values, column.to_numpy()):
        return column
    return values


def has(raw: RawSurvey, name: str) -> bool:
    try:
        raw.resolve(name)
    except SurveyError:
        return False
    return True


def resolve_all(raw: RawSurvey, mapping: Mapping[str, str]) -> dict[str, str]:
    cols: dict[str, str] = {}
    problems: list[Problem] = []
    for role, name in mapping.items():
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}'; roles are {', '.join(ROLES)}")
        try:
            cols[role] = raw.resolve(name, role=role)
        except SurveyError as exc:
            problems += [replace(p, subject=role) for p in exc.problems]
    if problems:
        raise SurveyError(problems)
    return cols


def default_id(raw: RawSurvey) -> str | None:
    names = {c.casefold(): c for c in raw.columns}
    by_format = {
        SurveyFormat.QUALTRICS: ("responseid", "response id"),
        SurveyFormat.SURVEYMONKEY: ("respondent id", "respondentid"),
        SurveyFormat.MICROSOFT_FORMS: ("id",),
        SurveyFormat.TYPEFORM: ("#", "response id", "token"),
    }
    for name in by_format.get(raw.format, ()):
        if name in names:
            return names[name]
    return None


def parse_metric(
    raw: RawSurvey,
    values: pd.Series,
    metric: str,
    scale: Scale,
    own: Mapping[str, int],
    summary: SourceSummary,
) -> ParsedAnswers:

    def labels() -> dict[str, int]:  # only text answers need them
        out = builtin_labels(metric, scale)
        out.update({normalise_label(k): v for k, v in scale.labels.items()})
        out.update({normalise_label(k): v for k, v in own.items()})
        return out

    if metric == "nps" and raw.format is SurveyFormat.QUALTRICS:
        # A 0-10 question built as plain multiple choice exports recoded as 1-11.
        wide = parse_answers(values, Scale(min=0, max=11), labels)
        present = wide.values[~np.isnan(wide.values)]
        if present.size and present.min() >= 1 and present.max() == 11:
            summary.notes.append(said("note-qualtrics-shift", column=values.name))
            return ParsedAnswers(wide.values - 1, wide.codes)
    return parse_answers(values, scale, labels)


def shown_value(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def answer_issues(
    raw: RawSurvey,
    col: str,
    metric: str,
    scale: Scale,
    parsed: ParsedAnswers,
    values: pd.Series,
    rows: np.ndarray,
) -> list[Problem]:
    out = []
    for reason, count in parsed.counts().items():
        if reason == BLANK:
            continue
        where_bad = parsed.where(reason)
        shown = where_bad[:5]
        form = "one" if count == 1 else "many"
        words = Words.of(
            "answers-not-counted.one" if count == 1 else "answers-not-counted.many",
            n=count,
            metric=metric.upper(),
            why=Term(f"answer-{reason}.{form}"),
            examples=tuple(
                Words.of("row-value", row=int(rows[i]), value=shown_value(values.iloc[i]))
                for i in shown
            ),
            more=Words.of("and-more", n=count - len(shown)) if count > len(shown) else None,
            expected=Words.of("expected-answer", min=scale.min, max=scale.max),
        )
        out.append(
            Problem(
                str(raw.path),
                word(words),
                reason,
                where=f"column '{col}'",
                subject=metric,
                rows=tuple(int(rows[i]) for i in where_bad[:100]),
                words=words,
                at=Words.of("at-column", column=col),
            )
        )
    return out


def comments(values: pd.Series) -> np.ndarray:
    text = values.astype("str").str.strip()
    return text.where(values.notna() & (text != "")).to_numpy(dtype=object)


def weights(values: pd.Series, summary: SourceSummary) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(values.dtype):  # "0,86" from European Excel
        values = (
            values.astype("str").str.strip().str.replace(r"^(\d+),(\d+)$", r"\1.\2", regex=True)
        )
    w = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", copy=True)
    bad = np.isnan(w) | (w <= 0)
    if bad.any():
        summary.excluded["weight"] = {"missing-or-not-positive": int(bad.sum())}
    w[bad] = np.nan
    return w
