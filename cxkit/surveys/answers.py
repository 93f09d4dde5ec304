"""Turning answers as tools write them into numbers, counting every one rejected.

``"10 - Extremely likely"``, ``"0 - בכלל לא"``, ``"Very satisfied"``, ``9``,
``"9"`` and ``9.0`` are all answers; blanks, ``"12"`` on a 0-10 scale, ``"3.5"``
and ``"n/a"`` are rejected with a reason. Parsing works on the distinct values of
a column (surveys have few), so a million rows cost one hash pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from ruamel.yaml import YAML

from cxkit.errors import Reason
from cxkit.surveys._fast import pooled
from cxkit.surveys._fast.distinct import distinct
from cxkit.surveys.decoding import BIDI_MARKS
from cxkit.workbook.model import Scale

# Why an answer is not counted: Reason codes, so a Problem carries the same code.
BLANK = Reason.BLANK
UNPARSEABLE = Reason.UNPARSEABLE
UNKNOWN_LABEL = Reason.UNKNOWN_LABEL
OUT_OF_RANGE = Reason.OUT_OF_RANGE
NOT_WHOLE = Reason.NOT_WHOLE_NUMBER
REASONS = (BLANK, UNKNOWN_LABEL, UNPARSEABLE, OUT_OF_RANGE, NOT_WHOLE)
REASON_TEXT = {  # "3 NPS answer(s) <text>, not counted"
    BLANK: "blank",
    UNKNOWN_LABEL: "with an unknown label",
    UNPARSEABLE: "not a number",
    OUT_OF_RANGE: "out of range",
    NOT_WHOLE: "not a whole number",
}
_OK = -1

NPS_SCALE = Scale(min=0, max=10)
# NPS cut-offs: promoters answer 9-10, detractors 0-6 (passives 7-8). Defined here only.
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
DEFAULT_CSAT = Scale(min=1, max=5)
DEFAULT_CES = Scale(min=1, max=7)

_LEADING = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)(?![\d])")
# An endpoint label written before its number ("בהחלט - 10", "Not at all likely (0)").
_TRAILING_NUMBER = re.compile(r"[^\W\d_]\s*(?:[-–:]\s*(\d+)|\((\d+)\))$")
_LETTER = re.compile(r"[^\W\d_]")
_TRAILING = re.compile(r"[\s.!,;:]+$")


def normalise_label(text: object) -> str:
    """The form labels are compared in: NFKC, no bidi marks, casefolded, one space."""
    t = unicodedata.normalize("NFKC", str(text))
    t = BIDI_MARKS.sub("", t)
    t = " ".join(t.split()).casefold()
    return _TRAILING.sub("", t)


@cache
def builtin_label_sets() -> dict[str, Any]:
    """The shipped label sets (``cxkit/data/scales.yml``), as plain dicts."""
    text = resources.files("cxkit").joinpath("data/scales.yml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    return dict(data)


def builtin_labels(metric: str, scale: Scale) -> dict[str, int]:
    """Built-in answer texts for ``metric`` on ``scale`` (normalised text -> number).

    NPS gets its anchor labels. CSAT gets the 5-point satisfaction set, CES the
    agreement set with the scale's number of points; a scale whose direction is
    "lower is better" gets none (its wording cannot be guessed).
    """
    sets = builtin_label_sets()
    names: list[str]
    if metric == "nps":
        names = ["nps"]
    elif not scale.higher_is_better:
        names = []
    elif metric == "csat":
        names = ["satisfaction-5", "agreement-5"]
    else:
        names = ["agreement-5", "agreement-7"]
    points = scale.max - scale.min + 1
    out: dict[str, int] = {}
    for name in names:
        spec = sets.get(name, {})
        if name != "nps" and int(spec.get("points", 0)) != points:
            continue
        base = 0 if name == "nps" else scale.min
        for key, words in spec.items():
            if key == "points":
                continue
            for word in words:
                out.setdefault(normalise_label(word), base + int(key))
    return out


@dataclass(frozen=True)
class ParsedAnswers:
    """Numbers for the valid answers (NaN elsewhere) and a reason for each rejected one.

    ``codes`` holds, per answer, -1 if valid or the index of its reason in
    :data:`REASONS` (compact and fast to count); ``reasons`` spells them out.
    """

    values: np.ndarray  # float64
    codes: np.ndarray  # int8

    @property
    def reasons(self) -> np.ndarray:
        """Per answer: None if valid, else its reason code (object array)."""
        names = np.array([*REASONS, None], dtype=object)
        return names[self.codes]

    def where(self, reason: str) -> np.ndarray:
        """Positions of the answers rejected for ``reason``."""
        return np.flatnonzero(self.codes == REASONS.index(reason))

    def counts(self) -> dict[Reason, int]:
        """Rejected answers per reason, in a stable order, zeros left out."""
        found = np.bincount(self.codes[self.codes >= 0], minlength=len(REASONS))
        return {r: int(found[i]) for i, r in enumerate(REASONS) if found[i]}


def _code(reason: str | None) -> int:
    return _OK if reason is None else REASONS.index(reason)


def parse_answers(
    series: pd.Series,
    scale: Scale,
    labels: Mapping[str, int] | Callable[[], Mapping[str, int]],
) -> ParsedAnswers:
    """Parse one column of answers against ``scale`` (inclusive range, whole numbers).

    ``labels`` maps normalised answer text to a number (see :func:`normalise_label`),
    or is a function returning that map (called only if the column holds text).
    A text answer is looked up as a label first, then its leading number is taken
    (``"10 - Extremely likely"`` -> 10). Nothing is clipped: out-of-range answers
    are rejected and counted.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        if isinstance(series.dtype, np.dtype):
            raw = series.to_numpy()  # a float column: a read-only view, not copied
            values = raw if raw.dtype == np.float64 else pooled.copy(raw, "float64")
        else:  # pandas' nullable integers and floats
            values = series.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        codes = pooled.full(len(values), _OK, "int8")
        codes[np.isnan(values)] = _code(BLANK)
        whole = pd.api.types.is_integer_dtype(series.dtype)
    else:
        # Surveys have few distinct answers: parse each once, then spread by code.
        known = labels() if callable(labels) else labels
        found = distinct(series)
        table = [_parse_one(u, known) for u in found.values]
        vals = np.array([v for v, _ in table], dtype="float64")
        why = np.array([_code(r) for _, r in table], dtype="int8")
        values = found.spread(vals, missing=np.nan)
        codes = found.spread(why, missing=_code(BLANK))
        whole = False
    return ParsedAnswers(_check_range(values, codes, scale, whole=whole), codes)


def _check_range(values: np.ndarray, codes: np.ndarray, scale: Scale, *, whole: bool) -> np.ndarray:
    """Reject answers off the scale or not whole (``whole``: known whole already).

    Returns the values with the rejected ones set to NaN: ``values`` itself when
    all are fine (the usual case, checked without a full-size temporary), else a
    copy, so a read-only view of the export's column is never written to.
    """
    low, high = np.nanmin(values, initial=np.inf), np.nanmax(values, initial=-np.inf)
    if scale.min <= low and high <= scale.max and (whole or whole_numbers(values)):
        return values
    with np.errstate(invalid="ignore"):
        present = ~np.isnan(values)
        not_whole = present & (values != np.floor(values))
        outside = present & ~not_whole & ((values < scale.min) | (values > scale.max))
    codes[not_whole] = _code(NOT_WHOLE)
    codes[outside] = _code(OUT_OF_RANGE)
    values = values.copy()
    values[not_whole | outside] = np.nan
    return values


def whole_numbers(values: np.ndarray, block: int = 1 << 16) -> bool:
    """True if every value is a whole number or NaN; works in blocks (no big temporary)."""
    for i in range(0, len(values), block):
        part = values[i : i + block]
        # NaN is the only value unequal to its own truncation that is allowed.
        if np.count_nonzero(part != np.trunc(part)) != np.count_nonzero(np.isnan(part)):
            return False
    return True


def _parse_one(value: object, labels: Mapping[str, int]) -> tuple[float, str | None]:
    if isinstance(value, bool):
        return np.nan, UNPARSEABLE
    if isinstance(value, int | float | np.integer | np.floating):
        return (np.nan, BLANK) if np.isnan(value) else (float(value), None)
    if not isinstance(value, str):
        return np.nan, UNPARSEABLE  # dates and other cell types
    text = normalise_label(value)
    if not text:
        return np.nan, BLANK
    if text in labels:
        return float(labels[text]), None
    m = _LEADING.match(text)
    if m:
        return float(m.group(1).replace(",", ".")), None
    end = _TRAILING_NUMBER.search(text)
    if end:
        return float(end.group(1) or end.group(2)), None
    return np.nan, (UNKNOWN_LABEL if _LETTER.search(text) else UNPARSEABLE)


def expected(scale: Scale) -> str:
    """``"a whole number 0-10 or one of its labels"`` for messages."""
    return f"a whole number {scale.min}-{scale.max} or one of its labels"
