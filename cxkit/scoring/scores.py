"""CX metrics with honest uncertainty: NPS, CSAT and CES, by any grouping.

Every figure carries its n and a 95% interval, and says which method made it:

- **NPS**: 100 x the mean of per-respondent scores +1 (9-10), 0 (7-8), -1 (0-6).
  Interval: adjusted Wald (Rocks 2016): add 3/4 promoter and 3/4 detractor,
  n' = n + 3. With tiny n and an extreme score the adjusted interval can miss the
  observed score; it is then widened to include it.
- **CSAT**: top-2-box share (4-5 on 1-5), Wilson interval; mean with a t interval.
- **CES**: mean (1-7) with a t interval; share agreeing (5-7) with a Wilson interval.
- Weights (a ``weight`` column): weighted means, Kish effective n for variances.
- Groups under 30 answers are flagged low confidence; under 100, directional.

All sums are vectorised over the responses (a million rows score in well under a
second); statistics are then computed per group.

>>> import pandas as pd
>>> frame = pd.DataFrame({"nps": [10.0] * 90 + [7.0] * 50 + [3.0] * 60})
>>> s = score(frame).all.nps
>>> round(s.score, 1), round(s.low, 1), round(s.high, 1)
(15.0, 3.1, 26.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxkit.errors import CxkitError, Words
from cxkit.i18n.messages import word
from cxkit.scoring.intervals import Z as Z  # re-exported (compare, tests)
from cxkit.scoring.intervals import nps_interval as nps_interval
from cxkit.scoring.intervals import t975 as t975
from cxkit.scoring.intervals import wilson as wilson
from cxkit.scoring.sums import ALL, aggregate
from cxkit.surveys.answers import DEFAULT_CES, DEFAULT_CSAT, NPS_SCALE
from cxkit.surveys.responses import METRICS, Responses
from cxkit.workbook.model import Scale

LOW_N = 30
DIRECTIONAL_N = 100
PERIOD_ALIASES = {"period": "month"}

NPS_METHOD = (
    "NPS = 100 x (share of 9-10 minus share of 0-6); 95% adjusted-Wald interval "
    "(Rocks 2016: +3/4 promoter, +3/4 detractor, n+3)"
)
TOP2_METHOD = "CSAT = share answering the top two points; 95% Wilson interval"
MEAN_METHOD = "mean answer; 95% t interval"
AGREE_METHOD = "CES agree = share above the scale midpoint (5-7 on 1-7); 95% Wilson interval"


# Answers given but not counted (out of range, unknown labels...) lower the confidence:
# more than 5% of them one level, more than 20% to "low".
EXCLUDED_SHARE = 0.05
EXCLUDED_LOW_SHARE = 0.20
_LEVELS = ("low", "directional", "ok")


def confidence(n: float, excluded: int = 0) -> str:
    """``"low"`` under 30 answers, ``"directional"`` under 100, else ``"ok"``; one level
    lower when more than 5% of the answers given were not counted, ``"low"`` over 20%.

    >>> confidence(250), confidence(250, excluded=20), confidence(250, excluded=80)
    ('ok', 'directional', 'low')
    """
    level = "low" if n < LOW_N else "directional" if n < DIRECTIONAL_N else "ok"
    given = n + excluded
    share = excluded / given if given else 0.0
    if share > EXCLUDED_LOW_SHARE:
        return "low"
    if share > EXCLUDED_SHARE:
        return _LEVELS[max(_LEVELS.index(level) - 1, 0)]
    return level


def confidence_words(n: float, excluded: int = 0) -> list[Words]:
    """Why :func:`confidence` says what it says, as words (any language)."""
    given = n + excluded
    parts = []
    if n < LOW_N:
        parts.append(Words.of("confidence-n", n=int(n), limit=LOW_N))
    elif n < DIRECTIONAL_N:
        parts.append(Words.of("confidence-n", n=int(n), limit=DIRECTIONAL_N))
    if given and excluded / given > EXCLUDED_SHARE:
        share = f"{100 * excluded / given:.0f}"
        parts.append(
            Words.of("confidence-excluded", excluded=excluded, given=int(given), share=share)
        )
    return parts


def confidence_reason(n: float, excluded: int = 0) -> str:
    """Why :func:`confidence` says what it says: ``"n=25 < 30"``, ``"12% not counted"``."""
    return "; ".join(word(w) for w in confidence_words(n, excluded))


class _Confidence:
    """How far one score can be trusted: from its n and the answers left out of it."""

    n: int
    excluded: int

    @property
    def confidence(self) -> str:
        return confidence(self.n, self.excluded)

    @property
    def confidence_reason(self) -> str:
        return confidence_reason(self.n, self.excluded)

    @property
    def confidence_words(self) -> list[Words]:
        return confidence_words(self.n, self.excluded)

    @property
    def low_confidence(self) -> bool:
        return self.confidence == "low"


@dataclass(frozen=True)
class NPSScore(_Confidence):
    """NPS of one group: score -100..100 with its interval and the three shares (%)."""

    n: int
    score: float
    low: float
    high: float
    promoters: float
    passives: float
    detractors: float
    n_effective: float
    method: str = NPS_METHOD
    excluded: int = 0  # answers given but not counted (out of range, unknown label, ...)

    def to_dict(self) -> dict[str, Any]:
        return _rounded(
            {
                "n": self.n,
                "score": self.score,
                "low": self.low,
                "high": self.high,
                "promoters": self.promoters,
                "passives": self.passives,
                "detractors": self.detractors,
                "low_confidence": self.low_confidence,
                "excluded": self.excluded,
                "confidence": self.confidence,
                "confidence_reason": self.confidence_reason,
            }
        )


@dataclass(frozen=True)
class CSATScore(_Confidence):
    """CSAT of one group: top-2-box % (with its interval) and the mean answer."""

    n: int
    top2: float
    low: float
    high: float
    mean: float
    mean_low: float
    mean_high: float
    method: str = f"{TOP2_METHOD}; {MEAN_METHOD}"
    excluded: int = 0  # answers given but not counted (out of range, unknown label, ...)

    def to_dict(self) -> dict[str, Any]:
        return _rounded(
            {
                "n": self.n,
                "top2": self.top2,
                "mean": self.mean,
                "low": self.low,
                "high": self.high,
                "mean_low": self.mean_low,
                "mean_high": self.mean_high,
                "low_confidence": self.low_confidence,
                "excluded": self.excluded,
                "confidence": self.confidence,
                "confidence_reason": self.confidence_reason,
            }
        )


@dataclass(frozen=True)
class CESScore(_Confidence):
    """CES of one group: the mean answer (with its interval) and % agreeing."""

    n: int
    mean: float
    low: float
    high: float
    agree: float
    agree_low: float
    agree_high: float
    method: str = f"CES {MEAN_METHOD}; {AGREE_METHOD}"
    excluded: int = 0  # answers given but not counted (out of range, unknown label, ...)

    def to_dict(self) -> dict[str, Any]:
        return _rounded(
            {
                "n": self.n,
                "mean": self.mean,
                "low": self.low,
                "high": self.high,
                "agree": self.agree,
                "agree_low": self.agree_low,
                "agree_high": self.agree_high,
                "low_confidence": self.low_confidence,
                "excluded": self.excluded,
                "confidence": self.confidence,
                "confidence_reason": self.confidence_reason,
            }
        )


@dataclass(frozen=True)
class GroupScore:
    """All metrics of one group (``group == "ALL"`` for everyone)."""

    group: str
    keys: dict[str, str]
    n: int  # responses in the group
    nps: NPSScore | None
    csat: CSATScore | None
    ces: CESScore | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``cxkit score --json`` (percentages 0-100, 2 decimals)."""
        return {
            "group": self.group,
            "keys": self.keys,
            "n": self.n,
            "nps": self.nps.to_dict() if self.nps else None,
            "csat": self.csat.to_dict() if self.csat else None,
            "ces": self.ces.to_dict() if self.ces else None,
        }


@dataclass
class ScoreTable:
    """Scores per group plus the overall row, and the methods that made them.

    ``frame`` is flat (one row per group, ``ALL`` first; columns such as ``nps``,
    ``nps_low``, ``nps_high``, ``csat_top2``, ``ces_mean``...) for CSV/XLSX and charts;
    ``groups`` holds the same as dataclasses.
    """

    by: tuple[str, ...]
    frame: pd.DataFrame
    groups: list[GroupScore]
    methods: dict[str, str] = field(default_factory=dict)

    @property
    def all(self) -> GroupScore:
        return self.groups[0]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [g.to_dict() for g in self.groups]

    def _repr_html_(self) -> str:
        return str(self.frame.to_html(index=False, float_format=lambda v: f"{v:.1f}"))


def _rounded(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, bool | np.bool_):
            out[k] = bool(v)
        elif isinstance(v, float | np.floating):
            out[k] = None if np.isnan(v) else round(float(v), 2)
        else:
            out[k] = v
    return out


# --------------------------------------------------------------------------- aggregation


def _frame_and_scales(
    data: Responses | pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, Scale], list[str]]:
    if isinstance(data, Responses):
        metrics = [m for m in METRICS if data.mapped(m)]
        return data.frame, data.scales, metrics
    scales = {"nps": NPS_SCALE, "csat": DEFAULT_CSAT, "ces": DEFAULT_CES}
    metrics = [m for m in METRICS if m in data.columns and bool(data[m].notna().any())]
    return data, scales, metrics


def _stats(agg: pd.DataFrame, metrics: list[str], scales: dict[str, Scale]) -> pd.DataFrame:
    """Vectorised statistics from summed indicator columns (one row per group)."""
    out = pd.DataFrame(index=agg.index)
    out["n"] = agg["_rows"].astype("int64")
    for m in metrics:
        n = agg[f"{m}_n"].to_numpy(dtype="float64")
        sw, sw2 = agg[f"{m}_w"].to_numpy(), agg[f"{m}_w2"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = np.where(sw2 > 0, sw * sw / sw2, 0.0)
            mean = agg[f"{m}_wx"].to_numpy() / sw
            var = agg[f"{m}_wx2"].to_numpy() / sw - mean * mean
            var = np.maximum(var, 0) * n_eff / (n_eff - 1)
            se = np.sqrt(var / n_eff)
            t = t975(np.maximum(n_eff - 1, 1))
            sc = scales[m]
            mlow = np.where(n_eff > 1, np.clip(mean - t * se, sc.min, sc.max), np.nan)
            mhigh = np.where(n_eff > 1, np.clip(mean + t * se, sc.min, sc.max), np.nan)
        out[f"{m}_n"] = n.astype("int64")
        out[f"{m}_rejected"] = agg[f"{m}_rejected"].to_numpy().astype("int64")
        if m == "nps":
            with np.errstate(divide="ignore", invalid="ignore"):
                p = agg["nps_wp"].to_numpy() / sw
                d = agg["nps_wd"].to_numpy() / sw
            low, high = nps_interval(p * n_eff, d * n_eff, n_eff)
            s = 100 * (p - d)
            out["nps"] = s
            out["nps_low"] = np.fmin(low, s)
            out["nps_high"] = np.fmax(high, s)
            out["nps_promoters"], out["nps_passives"] = 100 * p, 100 * (1 - p - d)
            out["nps_detractors"] = 100 * d
            out["nps_n_effective"] = n_eff
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            share = agg[f"{m}_wtop"].to_numpy() / sw
        plow, phigh = wilson(share * n_eff, n_eff)
        top = "top2" if m == "csat" else "agree"
        out[f"{m}_{top}"], out[f"{m}_{top}_low"] = 100 * share, 100 * plow
        out[f"{m}_{top}_high"] = 100 * phigh
        out[f"{m}_mean"], out[f"{m}_mean_low"], out[f"{m}_mean_high"] = mean, mlow, mhigh
    return out


# --------------------------------------------------------------------------- public


def _check_by(frame: pd.DataFrame, by: str | Sequence[str]) -> tuple[str, ...]:
    names = (by,) if isinstance(by, str) else tuple(by)
    names = tuple(PERIOD_ALIASES.get(b, b) for b in names)
    missing = [b for b in names if b not in frame.columns]
    if missing:
        raise CxkitError(
            f"cannot group by {', '.join(repr(b) for b in missing)}: no such "
            f"column (columns: {', '.join(map(str, frame.columns))})"
        )
    return names


def score(data: Responses | pd.DataFrame, by: str | Sequence[str] = ()) -> ScoreTable:
    """Score NPS, CSAT and CES overall and per group of ``by`` columns.

    ``by`` names columns of the responses frame, any mix of ``stage``,
    ``touchpoint``, ``persona``, ``segment``, ``month``/``period``, ``quarter``, or an
    extra column. Responses with no value for a grouping column form the group
    ``(none)``, so no response disappears from the groups.

    >>> import pandas as pd
    >>> t = score(pd.DataFrame({"nps": [10.0, 9, 3], "segment": ["a", "a", "b"]}), by="segment")
    >>> [(g.group, g.nps.score) for g in t.groups]
    [('ALL', 33.33333333333333), ('a', 100.0), ('b', -100.0)]
    """
    frame, scales, metrics = _frame_and_scales(data)
    names = _check_by(frame, by)
    rejected = data.rejected if isinstance(data, Responses) else None
    table = _stats(aggregate(frame, names, metrics, scales, rejected), metrics, scales)
    groups = [
        _group_score(key, {str(k): v for k, v in row.items()}, names, metrics, is_all=i == 0)
        for i, (key, row) in enumerate(zip(table.index, table.to_dict("records"), strict=True))
    ]
    flat = table.reset_index(drop=True)
    flat.insert(0, "group", [g.group for g in groups])
    for i, name in enumerate(names):
        flat.insert(1 + i, name, [g.keys.get(name, ALL) for g in groups])
    methods = {
        "nps": NPS_METHOD,
        "csat": f"{TOP2_METHOD}; {MEAN_METHOD}",
        "ces": f"CES {MEAN_METHOD}; {AGREE_METHOD}",
    }
    return ScoreTable(by=names, frame=flat, groups=groups, methods={m: methods[m] for m in metrics})


def _group_score(
    key: tuple[Any, ...],
    row: dict[str, Any],
    names: tuple[str, ...],
    metrics: list[str],
    *,
    is_all: bool,
) -> GroupScore:
    if is_all:
        label, keys = ALL, {}
    else:
        keys = {n: str(k) for n, k in zip(names, key, strict=False)}
        label = " / ".join(keys.values())
    nps = csat = ces = None
    if "nps" in metrics:
        nps = NPSScore(
            n=int(row["nps_n"]),
            score=row["nps"],
            low=row["nps_low"],
            high=row["nps_high"],
            promoters=row["nps_promoters"],
            passives=row["nps_passives"],
            detractors=row["nps_detractors"],
            n_effective=row["nps_n_effective"],
            excluded=int(row["nps_rejected"]),
        )
    if "csat" in metrics:
        csat = CSATScore(
            n=int(row["csat_n"]),
            top2=row["csat_top2"],
            low=row["csat_top2_low"],
            high=row["csat_top2_high"],
            mean=row["csat_mean"],
            mean_low=row["csat_mean_low"],
            mean_high=row["csat_mean_high"],
            excluded=int(row["csat_rejected"]),
        )
    if "ces" in metrics:
        ces = CESScore(
            n=int(row["ces_n"]),
            mean=row["ces_mean"],
            low=row["ces_mean_low"],
            high=row["ces_mean_high"],
            agree=row["ces_agree"],
            agree_low=row["ces_agree_low"],
            agree_high=row["ces_agree_high"],
            excluded=int(row["ces_rejected"]),
        )
    return GroupScore(group=label, keys=keys, n=int(row["n"]), nps=nps, csat=csat, ces=ces)
