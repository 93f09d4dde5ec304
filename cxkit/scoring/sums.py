"""Per-group sums that every score statistic is computed from (see :mod:`cxkit.scoring.scores`).

For each group and metric :func:`aggregate` returns the answer count ``n``, the
weight sums ``w`` and ``w2``, the weighted sums ``wx`` and ``wx2`` and the weighted
counts of promoters/detractors (``nps_wp``/``nps_wd``) or of the top box (``wtop``).

Answers on a scale are whole numbers in a short range, so the fast way is a
histogram: one ``bincount`` per metric over (group, answer) pairs, after which
every sum is a small matrix product. A frame holding other values (a DataFrame
passed in by hand with ``3.5``) takes the general way: one indicator column per
sum, summed by group. Both give the same sums; tests hold them to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.surveys._fast import pooled
from cxkit.surveys.answers import DETRACTOR_MAX, PROMOTER_MIN, whole_numbers
from cxkit.workbook.model import Scale

ALL = "ALL"
NONE_LABEL = "(none)"


def group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
    """One integer per row for its group (mixed radix over the keys' categories)."""
    levels: list[list[str]] = []
    parts: list[np.ndarray] = []
    for col in by:
        s = frame[col]
        cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
        c = cat.cat.codes.to_numpy()
        labels = [str(v) for v in cat.cat.categories]
        if bool((c < 0).any()):
            c = np.where(c < 0, len(labels), c)
            labels.append(NONE_LABEL)
        parts.append(c)
        levels.append(labels)
    size = int(np.prod([max(len(lv), 1) for lv in levels]))
    codes = pooled.full(len(frame), 0, "int32" if size < 2**31 else "int64")
    for c, labels in zip(parts, levels, strict=True):
        codes *= max(len(labels), 1)  # in place: one array for every key
        codes += c
    return codes, levels


def aggregate(
    frame: pd.DataFrame,
    by: Sequence[str],
    metrics: list[str],
    scales: dict[str, Scale],
    rejected: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Sums per group, the first row (index ``(ALL, ...)``) over every response.

    ``rejected`` (metric -> per-row flag of an answer given but not counted) adds a
    ``<metric>_rejected`` count per group, for the confidence flags.
    """
    n = len(frame)
    codes, levels = group_codes(frame, by) if by else (pooled.full(n, 0, "int32"), [])
    size = int(np.prod([max(len(lv), 1) for lv in levels]))
    if size > 4 * n + 1024:  # sparse cross-tab: number only the groups that occur
        uniq, codes = np.unique(codes, return_inverse=True)
    else:
        uniq = np.arange(size)
    weights = _weights(frame)
    pair = pooled.empty(n, np.intp)  # bincount counts intp; reused by every metric below
    np.copyto(pair, codes)
    rows = np.bincount(pair, minlength=len(uniq)).astype("float64")
    sums: dict[str, np.ndarray] = {"_rows": rows}
    for m in metrics:
        x = frame[m].to_numpy(dtype="float64", na_value=np.nan)
        if _on_scale(x, scales[m]) and len(uniq) * (scales[m].max - scales[m].min + 2) <= 4 * n:
            sums.update(_by_histogram(m, x, codes, len(uniq), scales[m], weights, pair))
        else:
            sums.update(_by_rows(m, x, codes, len(uniq), scales[m], weights))
        flags = (rejected or {}).get(m)
        if flags is not None and len(flags) != n:  # the frame was edited: counts unknown
            flags = None
        sums[f"{m}_rejected"] = (
            np.bincount(codes[flags], minlength=len(uniq)).astype("float64")
            if flags is not None
            else np.zeros(len(uniq))
        )
    present = np.flatnonzero(rows > 0) if by else np.zeros(0, dtype=np.intp)  # ALL only
    index: list[tuple[str, ...]] = [(ALL,) * max(len(by), 1)]
    for pos in present:
        key, rest = [], int(uniq[pos])
        for labels in reversed(levels):
            rest, r = divmod(rest, max(len(labels), 1))
            key.append(labels[r])
        index.append(tuple(reversed(key)))
    data = {k: np.concatenate([[v.sum()], v[present]]) for k, v in sums.items()}
    return pd.DataFrame(data, index=pd.MultiIndex.from_tuples(index))


def _weights(frame: pd.DataFrame) -> np.ndarray | None:
    if "weight" not in frame.columns or not bool(frame["weight"].notna().any()):
        return None
    w = frame["weight"].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(w) | (w < 0), 0.0, w)


def _on_scale(x: np.ndarray, scale: Scale) -> bool:
    """True if every answer is a whole number on the scale (what the importer delivers)."""
    low, high = np.nanmin(x, initial=np.inf), np.nanmax(x, initial=-np.inf)
    if not (scale.min <= low and high <= scale.max):
        return False
    return whole_numbers(x)


def _hits(m: str, values: np.ndarray, scale: Scale) -> dict[str, np.ndarray]:
    """Which answer values count as promoter/detractor or top box (0/1 per value)."""
    if m == "nps":
        return {"nps_wp": values >= PROMOTER_MIN, "nps_wd": values <= DETRACTOR_MAX}
    if m == "csat":
        hit = values >= scale.max - 1 if scale.higher_is_better else values <= scale.min + 1
    else:
        mid = (scale.min + scale.max) / 2
        hit = values > mid if scale.higher_is_better else values < mid
    return {f"{m}_wtop": hit}


def _by_histogram(
    m: str,
    x: np.ndarray,
    codes: np.ndarray,
    groups: int,
    scale: Scale,
    weights: np.ndarray | None,
    pair: np.ndarray,
) -> dict[str, np.ndarray]:
    """Counts per (group, answer) in one pass; the sums follow from the small table.

    ``pair`` (overwritten) receives each row's ``group * k + answer - min``, where
    the last of the ``k`` slots of a group holds the rows without an answer.
    """
    k = scale.max - scale.min + 2  # answers min..max, then one slot for "no answer"
    missing = np.isnan(x)
    if weights is not None:
        missing |= weights <= 0  # a response without a weight counts for no metric
    np.multiply(codes, k, out=pair)
    with np.errstate(invalid="ignore"):  # NaN -> integer is garbage, replaced just below
        np.add(pair, x, out=pair, casting="unsafe")
    if scale.min:
        pair -= scale.min
    pair[missing] = codes[missing] * k + (k - 1)
    shape = (groups, k)
    counts = np.bincount(pair, minlength=groups * k).reshape(shape)[:, :-1]
    if weights is None:
        w = w2 = counts.astype("float64")
    else:
        w = np.bincount(pair, weights=weights, minlength=groups * k).reshape(shape)[:, :-1]
        w2 = np.bincount(pair, weights=weights * weights, minlength=groups * k)
        w2 = w2.reshape(shape)[:, :-1]
    values = np.arange(scale.min, scale.max + 1, dtype="float64")
    out = {
        f"{m}_n": counts.sum(axis=1).astype("float64"),
        f"{m}_w": w.sum(axis=1),
        f"{m}_w2": w2.sum(axis=1),
        f"{m}_wx": w @ values,
        f"{m}_wx2": w @ (values * values),
    }
    for name, hit in _hits(m, values, scale).items():
        out[name] = w @ hit.astype("float64")
    return out


def _by_rows(
    m: str,
    x: np.ndarray,
    codes: np.ndarray,
    groups: int,
    scale: Scale,
    weights: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """The general way: one weighted indicator column per sum, summed by group."""
    valid = ~np.isnan(x)
    if weights is not None:
        valid &= weights > 0
        wv = np.where(valid, weights, 0.0)
    else:
        wv = valid.astype("float64")
    xv = np.where(valid, x, 0.0)
    cols = {
        f"{m}_n": valid.astype("float64"),
        f"{m}_w": wv,
        f"{m}_w2": wv * wv,
        f"{m}_wx": wv * xv,
        f"{m}_wx2": wv * xv * xv,
    }
    for name, hit in _hits(m, xv, scale).items():
        cols[name] = wv * (valid & hit)
    return {k: np.bincount(codes, weights=v, minlength=groups) for k, v in cols.items()}
