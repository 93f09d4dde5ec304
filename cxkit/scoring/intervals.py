"""The intervals every score carries: adjusted-Wald for NPS, Wilson for shares, t for means.

Written out with numpy (vectorised over groups) so that scoring never imports
scipy.stats or statsmodels (about 2.5 s in every fresh report kernel); tests hold
them to those libraries' values.
"""

from __future__ import annotations

import numpy as np

# 95% two-sided normal quantile, scipy.stats.norm.ppf(0.975). A constant: importing
# scipy.stats and statsmodels costs ~2.5 s in every fresh report kernel.
Z = 1.959963984540054

# Two-sided 95% t quantiles for 1..30 degrees of freedom (scipy.stats.t.ppf(0.975, df)).
_T975 = np.array(
    [
        12.706204736175,
        4.302652729749,
        3.182446305284,
        2.776445105198,
        2.570581835636,
        2.446911851145,
        2.364624251593,
        2.306004135204,
        2.262157162798,
        2.228138851986,
        2.200985160092,
        2.178812829667,
        2.160368656463,
        2.144786687918,
        2.131449545560,
        2.119905299221,
        2.109815577833,
        2.100922040241,
        2.093024054408,
        2.085963447266,
        2.079613844728,
        2.073873067904,
        2.068657610419,
        2.063898561628,
        2.059538552753,
        2.055529438643,
        2.051830516480,
        2.048407141795,
        2.045229642133,
        2.042272456301,
    ]
)


def t975(df: np.ndarray | float) -> np.ndarray:
    """The 95% two-sided t quantile for ``df`` degrees of freedom (df >= 1), vectorised.

    Exact table values up to 30 df (and linear between, for a fractional Kish df), then the
    Cornish-Fisher expansion in 1/df, within 1e-7 of scipy's ``t.ppf(0.975, df)`` there.
    Written out so that scoring never imports scipy.stats (about a second per process).

    >>> round(float(t975(10)), 6), round(float(t975(1000)), 6)
    (2.228139, 1.962339)
    """
    v = np.maximum(np.asarray(df, dtype="float64"), 1.0)
    z = Z
    cf = (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )
    table = np.interp(v, np.arange(1, 31), _T975)
    return np.where(v <= 30, table, cf)


def nps_interval(
    promoters: np.ndarray | float,
    detractors: np.ndarray | float,
    n: np.ndarray | float,
    z: float = Z,
) -> tuple[np.ndarray, np.ndarray]:
    """Adjusted-Wald 95% interval for NPS on -100..100 (Rocks 2016).

    >>> low, high = nps_interval(90, 60, 200)
    >>> round(float(low), 1), round(float(high), 1)
    (3.1, 26.5)
    """
    P, D, N = (np.asarray(v, dtype="float64") for v in (promoters, detractors, n))
    n_adj = N + 3
    p, d = (P + 0.75) / n_adj, (D + 0.75) / n_adj
    c = p - d
    half = z * np.sqrt((p + d - c * c) / n_adj)
    low = np.where(N > 0, np.clip(100 * (c - half), -100, 100), np.nan)
    high = np.where(N > 0, np.clip(100 * (c + half), -100, 100), np.nan)
    return low, high


def wilson(count: np.ndarray | float, nobs: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% interval for a share (0..1), vectorised; NaN where nobs is 0.

    >>> low, high = wilson(160, 200)
    >>> round(float(low) * 100, 1), round(float(high) * 100, 1)
    (73.9, 85.0)
    """
    c, n = np.asarray(count, dtype="float64"), np.asarray(nobs, dtype="float64")
    safe = np.where(n > 0, n, 1.0)
    share = np.where(n > 0, c, 0.0) / safe
    # Wilson score interval (as statsmodels' proportion_confint(method="wilson")).
    z2 = Z * Z
    centre = (share + z2 / (2 * safe)) / (1 + z2 / safe)
    half = Z / (1 + z2 / safe) * np.sqrt(share * (1 - share) / safe + z2 / (4 * safe * safe))
    low, high = centre - half, centre + half
    # Rounding can leave a bound 1e-15 on the wrong side of a 0% or 100% share.
    low, high = np.clip(np.fmin(low, share), 0, 1), np.clip(np.fmax(high, share), 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)
