"""Is a difference real? Two-group tests, many-group tests with BH, and trends.

- NPS: z test on the adjusted-Wald values (never promoters and detractors as two
  separate proportions: they are not independent).
- Shares (CSAT top-2, CES agree): Newcombe interval and a score test for the
  difference of two independent proportions (statsmodels).
- Means (CSAT mean, CES mean): Welch t test.
- Weighted responses (a ``weight`` column): the same tests on weighted estimates
  with Kish's effective n in place of the count, as the intervals in scoring use.
- Several groups at once (each against the rest): Benjamini-Hochberg adjusted p.

>>> import pandas as pd
>>> frame = pd.DataFrame({"nps": [10.0] * 60 + [3.0] * 40 + [10.0] * 30 + [3.0] * 70,
...                       "segment": ["web"] * 100 + ["phone"] * 100})
>>> c = compare(frame, "nps", "segment", "web", "phone")
>>> round(c.difference), c.significant
(60, True)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from cxkit.errors import CxkitError, Reason, Said, Term, Words
from cxkit.i18n.messages import word
from cxkit.scoring.scores import LOW_N, ScoreTable, Z, _check_by, _frame_and_scales, score
from cxkit.surveys.answers import DETRACTOR_MAX, PROMOTER_MIN
from cxkit.surveys.responses import Responses

# metric name -> (base metric, frame column of the estimate, label, unit)
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "nps": ("nps", "nps", "NPS", "points"),
    "csat": ("csat", "csat_top2", "CSAT (top-2 %)", "points"),
    "csat_mean": ("csat", "csat_mean", "mean satisfaction", ""),
    "ces": ("ces", "ces_mean", "CES (mean)", ""),
    "ces_agree": ("ces", "ces_agree", "CES agree %", "points"),
}


@dataclass(frozen=True)
class Comparison:
    """Group ``a`` against group ``b`` on one metric, with a plain-language verdict."""

    metric: str
    a: str
    b: str
    n_a: int
    n_b: int
    estimate_a: float
    estimate_b: float
    difference: float  # a - b
    low: float
    high: float
    p_value: float
    p_adjusted: float | None
    significant: bool
    method: str
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        return {
            k: (round(v, 4) if isinstance(v, float) and not np.isnan(v) else v)
            for k, v in out.items()
        }


def _answers(frame: pd.DataFrame, base: str) -> tuple[np.ndarray, np.ndarray]:
    """The answers to ``base`` and their weights (1 each without a weight column).

    As in scoring, a response whose weight is missing or not positive counts for
    no metric.
    """
    x = frame[base].to_numpy(dtype="float64", na_value=np.nan)
    if "weight" in frame.columns and bool(frame["weight"].notna().any()):
        w = frame["weight"].to_numpy(dtype="float64", na_value=np.nan)
        w = np.where(np.isnan(w), 0.0, w)
    else:
        w = np.ones(len(x))
    keep = ~np.isnan(x) & (w > 0)
    return x[keep], w[keep]


def _effective_n(w: np.ndarray) -> float:
    """Kish's effective sample size; the plain count when every weight is equal."""
    return float(w.sum() ** 2 / (w * w).sum()) if len(w) else 0.0


def _weighted(frame: pd.DataFrame) -> bool:
    return "weight" in frame.columns and bool(frame["weight"].notna().any())


def _compare_frames(
    fa: pd.DataFrame,
    fb: pd.DataFrame,
    metric: str,
    a: str,
    b: str,
    scales: dict[str, Any],
    alpha: float,
) -> Comparison:
    if metric not in MEASURES:
        raise CxkitError(f"unknown metric '{metric}'; use one of {', '.join(MEASURES)}")
    base, column, _, _ = MEASURES[metric]
    sa, sb = score(fa).frame.iloc[0], score(fb).frame.iloc[0]
    if column not in sa.index:
        raise CxkitError(f"no {base.upper()} answers to compare", reason=Reason.MISSING_COLUMN)
    na, nb = int(sa[f"{base}_n"]), int(sb[f"{base}_n"])
    ea, eb = float(sa[column]), float(sb[column])
    (xa, wa), (xb, wb) = _answers(fa, base), _answers(fb, base)
    if min(na, nb) < 2:
        p, low, high, test = np.nan, np.nan, np.nan, "test-untested"
    elif metric == "nps":
        p, low, high = _nps_test((xa, wa), (xb, wb))
        test = "test-nps"
    elif column.endswith(("top2", "agree")):
        # Weighted shares on effective counts (share x Kish n); plain counts unweighted.
        ma, mb = _effective_n(wa), _effective_n(wb)
        ca, cb = ea / 100 * ma, eb / 100 * mb
        with np.errstate(divide="ignore", invalid="ignore"):  # 0% or 100% in a group
            p = float(test_proportions_2indep(ca, ma, cb, mb, method="score").pvalue)
            lo, hi = confint_proportions_2indep(ca, ma, cb, mb, method="newcomb")
        low, high = 100 * float(lo), 100 * float(hi)
        test = "test-shares"
    else:
        p, low, high = _welch((xa, wa), (xb, wb), alpha)
        test = "test-welch"
    weighted = Words("test-weighted") if _weighted(fa) or _weighted(fb) else None
    words = Words.of(test, weighted=weighted)
    method = Said(word(words), words)
    diff = ea - eb
    significant = bool(p < alpha) if not np.isnan(p) else False
    verdict = _verdict(metric, a, b, ea, eb, diff, low, high, p, significant, na, nb, alpha)
    return Comparison(
        metric, a, b, na, nb, ea, eb, diff, low, high, p, None, significant, method, verdict
    )


def _nps_test(
    ga: tuple[np.ndarray, np.ndarray], gb: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float, float]:
    parts = []
    for x, w in (ga, gb):
        n = _effective_n(w)  # promoters and detractors counted on the effective n
        n_adj = n + 3
        p = (float(w[x >= PROMOTER_MIN].sum()) / w.sum() * n + 0.75) / n_adj
        d = (float(w[x <= DETRACTOR_MAX].sum()) / w.sum() * n + 0.75) / n_adj
        parts.append((p - d, (p + d - (p - d) ** 2) / n_adj))
    (c1, v1), (c2, v2) = parts
    se = float(np.sqrt(v1 + v2))
    z = (c1 - c2) / se
    p_value = float(2 * sps.norm.sf(abs(z)))
    return p_value, 100 * (c1 - c2 - Z * se), 100 * (c1 - c2 + Z * se)


def _welch(
    ga: tuple[np.ndarray, np.ndarray], gb: tuple[np.ndarray, np.ndarray], alpha: float
) -> tuple[float, float, float]:
    """Welch's t test on (weighted) means; with equal weights exactly scipy's ttest_ind."""
    means, ses, dfs = [], [], []
    for x, w in (ga, gb):
        n = _effective_n(w)
        m = float(np.average(x, weights=w))
        var = float(np.average((x - m) ** 2, weights=w)) * n / (n - 1)
        means.append(m)
        ses.append(var / n)
        dfs.append(n - 1)
    se2 = ses[0] + ses[1]
    diff = means[0] - means[1]
    if se2 == 0:
        return (1.0 if diff == 0 else 0.0), diff, diff
    df = se2**2 / (ses[0] ** 2 / dfs[0] + ses[1] ** 2 / dfs[1])
    t = diff / np.sqrt(se2)
    p = float(2 * sps.t.sf(abs(t), df))
    half = float(sps.t.ppf(1 - alpha / 2, df) * np.sqrt(se2))
    return p, diff - half, diff + half


def _verdict(
    metric: str,
    a: str,
    b: str,
    ea: float,
    eb: float,
    diff: float,
    low: float,
    high: float,
    p: float,
    significant: bool,
    na: int,
    nb: int,
    alpha: float,
) -> Said:
    """The verdict in plain words: English text that carries its words (any language)."""
    label = Term(f"measure-{metric}")
    numbers = {"ea": f"{ea:.1f}", "eb": f"{eb:.1f}", "na": na, "nb": nb}
    head = Words.of("verdict-head", label=label, a=a, b=b, **numbers)
    if np.isnan(p):
        words = Words.of("verdict-untested", head=head)
        return Said(word(words), words)
    shown = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    unit = Term("unit-points") if MEASURES[metric][3] else None
    body = Words.of(
        "verdict-body",
        diff=f"{diff:+.1f}",
        unit=unit,
        low=f"{low:+.1f}",
        high=f"{high:+.1f}",
        p=shown,
    )
    level = f"{100 * (1 - alpha):.0f}%"
    tail = Words.of("verdict-real" if significant else "verdict-chance", level=level)
    few = Words.of("verdict-few", n=LOW_N) if min(na, nb) < LOW_N else None
    words = Words.of("verdict", head=head, body=body, tail=tail, few=few)
    return Said(word(words), words)


def compare(
    data: Responses | pd.DataFrame, metric: str, by: str, a: str, b: str, *, alpha: float = 0.05
) -> Comparison:
    """Compare group ``a`` with group ``b`` of column ``by`` on ``metric``.

    ``metric`` is ``"nps"``, ``"csat"`` (top-2 %), ``"csat_mean"``, ``"ces"`` (mean)
    or ``"ces_agree"``. The verdict says plainly whether the difference is real.
    """
    frame, scales, _ = _frame_and_scales(data)
    (col,) = _check_by(frame, by)
    values = frame[col].astype("object")
    for g in (a, b):
        if not bool((values == g).any()):
            known = ", ".join(map(str, sorted(values.dropna().unique())))
            raise CxkitError(f"no responses with {col} = '{g}' (values: {known})")
    return _compare_frames(frame[values == a], frame[values == b], metric, a, b, scales, alpha)


def compare_groups(
    data: Responses | pd.DataFrame, by: str, metric: str = "nps", *, alpha: float = 0.05
) -> list[Comparison]:
    """Each group of ``by`` against all other responses, p-values BH-adjusted.

    Use this for "which stages (or stage x persona cells) really differ": with many
    groups some would look significant by chance; Benjamini-Hochberg keeps the
    false-discovery rate at ``alpha``.
    """
    frame, scales, _ = _frame_and_scales(data)
    (col,) = _check_by(frame, by)
    values = frame[col].astype("object")
    out = []
    for g in sorted(values.dropna().unique(), key=str):
        mask = values == g
        out.append(
            _compare_frames(frame[mask], frame[~mask], metric, str(g), "the rest", scales, alpha)
        )
    ps = np.array([c.p_value for c in out], dtype="float64")
    tested = ~np.isnan(ps)
    adjusted = np.full(len(out), np.nan)
    if tested.any():
        adjusted[tested] = multipletests(ps[tested], alpha=alpha, method="fdr_bh")[1]
    result = []
    for c, q in zip(out, adjusted, strict=True):
        sig = bool(q < alpha) if not np.isnan(q) else False
        verdict = c.verdict
        if sig != c.significant:
            verdict += (
                " After correcting for the number of groups compared "
                f"(Benjamini-Hochberg, adjusted p = {q:.3f}), it is "
                f"{'real' if sig else 'not significant'}."
            )
        result.append(
            Comparison(
                **{
                    **c.__dict__,
                    "p_adjusted": None if np.isnan(q) else float(q),
                    "significant": sig,
                    "verdict": verdict,
                    "method": c.method + "; Benjamini-Hochberg adjusted",
                }
            )
        )
    return result


@dataclass
class Trend:
    """Scores per period (chronological) and the test of each step to the next."""

    table: ScoreTable
    changes: list[Comparison]


def trend(
    data: Responses | pd.DataFrame,
    metric: str = "nps",
    *,
    period: str = "month",
    by: Sequence[str] = (),
) -> Trend:
    """Scores by ``period`` (``"month"`` or ``"quarter"``), optionally within ``by`` groups.

    ``changes`` tests each period against the one before (within each group).
    """
    frame, scales, _ = _frame_and_scales(data)
    keys = _check_by(frame, [period, *by])
    table = score(data, by=keys)
    changes: list[Comparison] = []
    dated = frame[frame[keys[0]].notna()]
    groups = [((), dated)] if not by else list(dated.groupby(list(keys[1:]), observed=True))
    for label, part in groups:
        seq = sorted(part[keys[0]].dropna().unique())
        for prev, cur in itertools.pairwise(seq):
            fa = part[part[keys[0]] == cur]
            fb = part[part[keys[0]] == prev]
            suffix = f" ({' / '.join(map(str, label))})" if by else ""
            changes.append(
                _compare_frames(fa, fb, metric, f"{cur}{suffix}", f"{prev}{suffix}", scales, 0.05)
            )
    return Trend(table=table, changes=changes)
