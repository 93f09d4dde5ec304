"""Dates as survey tools write them, and their months and quarters (fast on a million rows).

Helpers for :mod:`cxkit.surveys.responses` (via :mod:`cxkit.surveys.roles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import numpy as np
import pandas as pd

from cxkit.surveys._fast import pooled

_TZ_SUFFIX = re.compile(r"\s*(GMT|UTC)\s*[+-]?\d{0,2}(:?\d{2})?\s*$", re.IGNORECASE)
DATE_FORMATS = (
    "ISO8601",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%m-%d-%Y %H:%M",
    "%Y/%m/%d",
)


def parse_dates(values: pd.Series) -> tuple[pd.Series, int]:
    """Datetimes for a column of dates as tools write them, and how many failed.

    Handles datetime cells, Excel serial numbers and text in the common layouts
    (ISO, day/month/year, month/day/year, with or without time, Google Forms'
    ``GMT+2`` suffix). The layout is chosen by what parses most of a sample; day
    before month wins a tie. Time zones are dropped (periods are calendar months).
    """
    n_present = int(values.notna().sum())
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        return pd.Series(out, index=values.index), 0
    if pd.api.types.is_numeric_dtype(values.dtype):
        num = values.astype("float64")
        serial = num.where((num > 20000) & (num < 80000))
        out = pd.to_datetime(serial, unit="D", origin="1899-12-30")
        return out, n_present - int(out.notna().sum())
    stamps = None
    if values.dtype == object:  # Excel cells: datetimes mixed with text
        stamps = values.map(lambda v: isinstance(v, datetime | date), na_action="ignore")
        stamps = stamps.fillna(False).astype(bool)
    text = values.astype("str").str.strip().str.replace(_TZ_SUFFIX, "", regex=True)
    text = text.where(values.notna())
    if stamps is not None:
        text = text.where(~stamps)
    sample = text.dropna().head(300)
    best_fmt, best_ok = DATE_FORMATS[0], -1
    for fmt in DATE_FORMATS:
        ok = int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
        if ok > best_ok:
            best_fmt, best_ok = fmt, ok
        if ok == len(sample):
            break
    out = pd.to_datetime(text, format=best_fmt, errors="coerce")
    left = out.isna() & text.notna()
    if bool(left.any()):  # a few rows in another layout (a date without its time, ...)
        same = [f for f in DATE_FORMATS if f[:2] == best_fmt[:2] and f != best_fmt]
        for fmt in same + [f for f in DATE_FORMATS if f not in same and f != best_fmt]:
            out[left] = pd.to_datetime(text[left], format=fmt, errors="coerce")
            left = out.isna() & text.notna()
            if not bool(left.any()):
                break
    if stamps is not None and bool(stamps.any()):
        cells = pd.to_datetime(values.where(stamps).astype(object), errors="coerce")
        out = out.where(~stamps, cells)
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out, n_present - int(out.notna().sum())


_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000}
_PER_DAY["ns"] = 1000 * _PER_DAY["us"]
_BLOCK = 1 << 16


def periods(dates: pd.Series) -> tuple[pd.Categorical[str], pd.Categorical[str]]:
    """``("2024-03", "2024-Q1")`` labels as ordered categoricals, fast on a million rows.

    Each row's day is one integer division; a table built for the few hundred
    days the survey spans gives each day its month and quarter code, so the
    calendar arithmetic is done once per day, not once per response.
    """
    stamps = dates.to_numpy()
    if stamps.dtype.kind != "M":
        stamps = pd.to_datetime(dates).to_numpy()
    missing = np.isnat(stamps)
    unit, count = np.datetime_data(stamps.dtype)
    if unit not in _PER_DAY or _PER_DAY[unit] % count:
        stamps, unit, count = stamps.astype("datetime64[s]"), "s", 1
    per_day = _PER_DAY[unit] // count
    ticks = stamps.view("int64")
    big = np.iinfo("int64").max
    low = int(np.min(ticks, where=~missing, initial=big))
    if low == big:  # no dates at all
        none = np.full(len(stamps), -1, dtype="int8")
        cats = pd.Index([], dtype="str")
        return (
            pd.Categorical.from_codes(none, categories=cats, ordered=True),
            pd.Categorical.from_codes(none.copy(), categories=cats, ordered=True),
        )
    first = low // per_day  # floor division: days since 1970
    span = int(np.max(ticks, where=~missing, initial=low)) // per_day - first + 1
    seen = np.zeros(span + 1, dtype=bool)  # the days some response has
    for _, day in _days(ticks, missing, per_day, first, span):
        seen[day] = True
    seen = seen[:span]
    calendar = (np.arange(span) + first).astype("datetime64[D]").astype("datetime64[M]")
    day_month = calendar.view("int64")[seen]  # months since 1970 of those days
    used = np.unique(day_month)
    labels = [f"{k // 12 + 1970}-{k % 12 + 1:02d}" for k in used.tolist()]
    quarters = [f"{label[:4]}-Q{(int(label[5:]) + 2) // 3}" for label in labels]
    q_labels = list(dict.fromkeys(quarters))
    small = _small_int(len(labels))
    month_of = np.full(span + 1, -1, dtype=small)  # per day of the span, then "no date"
    quarter_of = np.full(span + 1, -1, dtype=small)
    month_of[:span][seen] = np.searchsorted(used, day_month)
    quarter_of[:span][seen] = np.array([q_labels.index(q) for q in quarters])[month_of[:span][seen]]
    month = pooled.empty(len(ticks), small)
    quarter = pooled.empty(len(ticks), small)
    for where, day in _days(ticks, missing, per_day, first, span):
        month[where], quarter[where] = month_of[day], quarter_of[day]
    return (
        pd.Categorical.from_codes(month, categories=pd.Index(labels), ordered=True),
        pd.Categorical.from_codes(quarter, categories=pd.Index(q_labels), ordered=True),
    )


def _days(
    ticks: np.ndarray, missing: np.ndarray, per_day: int, first: int, span: int
) -> Iterator[tuple[slice, np.ndarray]]:
    """Day numbers (0 = ``first``; ``span`` = no date) block by block: no full-size temporary."""
    for i in range(0, len(ticks), _BLOCK):
        where = slice(i, i + _BLOCK)
        day = ticks[where] // per_day - first
        day[missing[where]] = span
        yield where, day


def _small_int(n: int) -> str:
    """The smallest signed integer type that holds codes 0..n-1 and -1."""
    return "int8" if n < 127 else "int16" if n < 32767 else "int32"
