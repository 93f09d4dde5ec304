"""Does a column hold answers on a metric's scale? If not, say what it holds and refuse.

The principle: **a score is printed only when its column holds answers on that
metric's scale.** A column is refused for a metric when

- more than :data:`REFUSE_SHARE` (a quarter) of its non-blank answers are not on
  the scale (out of range, unknown labels, not numbers), or
- more than :data:`WIDER_SHARE` (10%) are out of range and take :data:`WIDER_VALUES`
  (3) or more different numbers: a wider scale, not a few typos or a "99" code, or
- for NPS, more than half of its answers are labels without a number ("Very
  likely", "Unlikely"): a labelled likelihood question is not a 0-10 NPS.

Below those, rejected answers are counted and shown, and the score's confidence
flag says how many were left out. :func:`describe` puts what the answers look
like into words ("a 0-10 scale", "a 4-point labelled scale (Very likely, ...)").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxkit.errors import Words
from cxkit.i18n.messages import word
from cxkit.surveys._fast.distinct import distinct
from cxkit.surveys.answers import BLANK, OUT_OF_RANGE, REASONS, ParsedAnswers, normalise_label
from cxkit.workbook.model import Scale

REFUSE_SHARE = 0.25
WIDER_SHARE = 0.10
WIDER_VALUES = 3
LABELLED_SHARE = 0.5
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?(?!\d)|[^\W\d_]\s*(?:[-–:]\s*\d+|\(\d+\))$")
THRESHOLD_TEXT = (
    "a column is refused for a metric when more than 25% of its non-blank answers are "
    "off the metric's scale, when more than 10% are out of range with 3 or more "
    "different values (a wider scale), or, for NPS, when most answers are labels "
    "without a number"
)


@dataclass(frozen=True)
class Refusal:
    """Why a column is not scored as a metric, and what to do about it."""

    metric: str
    column: str
    answers: int  # non-blank answers
    off_scale: int  # answers not on the scale
    looks_like: str  # "a 0-10 scale", "a 4-point labelled scale (...)"
    message: str
    words: Words | None = None  # the message as a template and its values (any language)

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "column": self.column,
            "answers": self.answers,
            "off_scale": self.off_scale,
            "looks_like": self.looks_like,
            "message": self.message,
        }


def _number(value: object) -> float | None:
    """The number an answer holds (a cell, "9", "10 - Extremely likely", "בהחלט - 10")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return None if np.isnan(value) else float(value)
    text = normalise_label(value)
    m = _NUMBER.search(text)
    if not m:
        return None
    digits = re.search(r"[+-]?\d+(?:[.,]\d+)?", m.group(0))
    return float(digits.group(0).replace(",", ".")) if digits else None


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(values: pd.Series) -> str:
    """What the non-blank answers of a column look like, in a few words."""
    return word(looks_like(values))


def looks_like(values: pd.Series) -> Words:
    """What the non-blank answers of a column look like, as words (any language)."""
    found = distinct(values)
    if not found.values:
        return Words("looks-none")
    counts = found.counts
    numbers = [_number(v) for v in found.values]
    numeric = sum(int(c) for n, c in zip(numbers, counts, strict=True) if n is not None)
    total = int(counts.sum())
    if numeric * 2 > total:
        nums = [n for n in numbers if n is not None]
        low, high = min(nums), max(nums)
        span = {"low": _shown(low), "high": _shown(high)}
        whole = all(float(n).is_integer() for n in nums)
        if whole:
            usual_low = 0 if low == 0 else 1 if low >= 1 else low
            usual_high = next((h for h in (5, 7, 10) if high <= h), high)
            if (low, high) == (usual_low, usual_high):
                looks = Words.of("looks-scale", **span)
            elif high > 10 or low < 0:
                looks = Words.of("looks-whole", **span)
            else:
                usual = {"ulow": _shown(usual_low), "uhigh": _shown(usual_high)}
                looks = Words.of("looks-likely", **span, **usual)
        else:
            looks = Words.of("looks-decimals", **span)
        if numeric < total:
            n = total - numeric
            key = "looks-and-text.one" if n == 1 else "looks-and-text.many"
            looks = Words.of(key, looks=looks, n=n)
        return looks
    labels = [
        str(v).strip()
        for v, n, _ in sorted(
            zip(found.values, numbers, counts, strict=True), key=lambda t: -int(t[2])
        )
        if n is None
    ]
    if len(labels) > 10:
        return Words.of("looks-free", n=len(labels))
    return Words.of("looks-labels", n=len(labels), labels=", ".join(labels))


def check_fit(
    metric: str,
    column: str,
    values: pd.Series,
    parsed: ParsedAnswers,
    scale: Scale,
    given_labels: Collection[str] = (),
) -> Refusal | None:
    """A :class:`Refusal` if ``values`` are not answers on ``scale`` (rules above), else None.

    ``given_labels`` are the (normalised) labels the user mapped to numbers (the
    workbook's ``value_labels`` or the scale's ``labels``): those count as numbers.
    """
    codes = parsed.codes
    answers = int(np.count_nonzero(codes != REASONS.index(BLANK)))
    if answers == 0:
        return None
    off = int(np.count_nonzero(codes >= 0) - np.count_nonzero(codes == REASONS.index(BLANK)))
    outside = parsed.where(OUT_OF_RANGE)
    wider: set[float] = set()
    if outside.size:
        present = values.iloc[outside[:5000]]
        wider = {n for n in (_number(v) for v in present.unique()) if n is not None}
    labelled = metric == "nps" and _label_only(values, given_labels) * 2 > answers
    wide = len(wider) >= WIDER_VALUES and outside.size > WIDER_SHARE * answers
    if not labelled and off <= REFUSE_SHARE * answers and not wide:
        return None
    looks = looks_like(values)
    said = {"name": metric.upper(), "column": column, "looks": looks}
    counted = {"off": off, "answers": answers}
    if labelled:
        words = Words.of("refused-labelled", **said)
    elif metric == "nps":
        words = Words.of("refused-nps", **said, **counted)
    else:
        span = _span(looks)
        if span:
            lo, hi = span
            hint = Words.of("hint-span", metric=metric, span=f"{lo}-{hi}", lo=lo, hi=hi)
        else:
            hint = Words.of("hint-labels", metric=metric)
        words = Words.of(
            "refused-scale", **said, **counted, min=scale.min, max=scale.max, hint=hint
        )
    return Refusal(metric, column, answers, off, word(looks), word(words), words)


def _span(looks: Words) -> tuple[str, str] | None:
    """The usual scale the answers look like ("a 1-7 scale"), if they look like one."""
    if looks.key.startswith("looks-and-text"):
        inner = looks.params["looks"]
        return _span(inner) if isinstance(inner, Words) else None
    if looks.key == "looks-scale":
        return looks.params["low"], looks.params["high"]
    if looks.key == "looks-likely":
        return looks.params["ulow"], looks.params["uhigh"]
    return None


def _label_only(values: pd.Series, given: Collection[str] = ()) -> int:
    """Non-blank answers that are text without a number (and not a label given a number)."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return 0  # number cells (the fast path's columns): no labels to count
    found = distinct(values)
    return sum(
        int(c)
        for v, c in zip(found.values, found.counts, strict=True)
        if isinstance(v, str)
        and normalise_label(v)
        and _number(v) is None
        and normalise_label(v) not in given
    )


def fits(metric: str, values: pd.Series, parsed: ParsedAnswers, scale: Scale) -> bool:
    """True if a column may be *suggested* for ``metric``: no refusal, 75% valid answers."""
    if check_fit(metric, str(values.name), values, parsed, scale) is not None:
        return False
    answers = int(np.count_nonzero(parsed.codes != REASONS.index(BLANK)))
    valid = int(np.count_nonzero(parsed.codes < 0))
    return answers > 0 and valid >= 0.75 * answers
