"""Emerging hotspots: how each cell's Gi* changes month by month, in the categories analysts know from desktop
GIS.

For each month the cells' Gi* z-scores and their significance (Benjamini-Hochberg over that month's cells) are
computed on the same grid and band as :mod:`.hotspots`. Each cell's series of z-scores gets a Mann-Kendall
trend test (Mann 1945; Kendall 1975)::

    S = Σ_{i<j} sign(z_j - z_i)
    Var(S) = [T(T-1)(2T+5) - Σ_g t_g(t_g-1)(2t_g+5)] / 18      (t_g: sizes of groups of tied values)
    Z = (S - 1)/√Var(S) if S > 0;  0 if S = 0;  (S + 1)/√Var(S) if S < 0      p = 2 (1 - Φ(|Z|))

and is put in one category (hot shown; cold is the mirror image, hot ⇄ cold), following the definitions of
ArcGIS Pro's Emerging Hot Spot Analysis. "90 %" means at least 90 % of the T months; "final" is the last
month:

- persistent / intensifying / diminishing: hot in ≥ 90 % of months including the final one; with a significant
  upward trend → intensifying, downward → diminishing, no significant trend → persistent;
- oscillating: hot in the final month, hot in < 90 %, and cold in some earlier month;
- new: hot in the final month and never before;
- consecutive: hot in an unbroken run of ≥ 2 months ending in the final one, never hot before the run, < 90 %;
- sporadic: hot in the final month, on and off before, < 90 %, never cold;
- historical: not hot in the final month but hot in ≥ 90 % of months (needs at least 10 months);
- no pattern: none of these.

One difference from ArcGIS: its Gi* neighbourhood can reach into earlier months (a space-time cube); here each
month's Gi* uses only that month's cells. Where a category fits both a hot and a cold reading the final month
decides; oscillating is tested before new (a cell cold earlier and hot now is oscillating).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import stats

from .errors import SettingsError
from .gistar import band_kernel, benjamini_hochberg, gi_star
from .grid import Grid
from .hotspots import HotspotSettings

MIN_MONTHS = 3
NINETY_PERCENT = 0.9

CATEGORIES: tuple[str, ...] = (
    "no pattern",
    *(
        f"{kind} {spot} spot"
        for spot in ("hot", "cold")
        for kind in (
            "new",
            "consecutive",
            "intensifying",
            "persistent",
            "diminishing",
            "sporadic",
            "oscillating",
            "historical",
        )
    ),
)


@dataclass(frozen=True, eq=False)
class MannKendallResult:
    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray


def mann_kendall(series: np.ndarray) -> MannKendallResult:
    """Mann-Kendall trend test of each row of ``series`` (rows: cells, columns: time in order), with ties."""
    series = np.asarray(series, dtype=np.float64)
    if series.ndim != 2:
        raise ValueError("series must be 2-D: one row per series, one column per time step")
    m, t = series.shape
    s = np.zeros(m)
    for i in range(t - 1):
        s += np.sign(series[:, i + 1 :] - series[:, i : i + 1]).sum(axis=1)
    # Sizes of tied groups per row: sort, number the runs of equal values, count each run.
    ordered = np.sort(series, axis=1)
    starts = np.ones((m, t), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run = np.cumsum(starts, axis=1) - 1
    sizes = np.bincount((np.arange(m)[:, None] * t + run).ravel(), minlength=m * t).reshape(m, t)
    ties = (sizes * (sizes - 1) * (2 * sizes + 5)).sum(axis=1)
    var_s = (t * (t - 1) * (2 * t + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(var_s)
        z = np.where(s > 0, (s - 1) / sd, np.where(s < 0, (s + 1) / sd, 0.0))
    z = np.where(var_s > 0, z, 0.0)
    p = 2.0 * stats.norm.sf(np.abs(z))
    return MannKendallResult(s, var_s, z, p)


@dataclass(frozen=True, eq=False)
class EmergingResult:
    grid: Grid
    settings: HotspotSettings
    months: tuple[date, ...]
    z: np.ndarray  # (T, ny, nx) Gi* per month
    hot: np.ndarray  # (T, ny, nx) significantly hot
    cold: np.ndarray  # (T, ny, nx) significantly cold
    trend_z: np.ndarray  # (ny, nx) Mann-Kendall Z of the Gi* series
    trend_p: np.ndarray
    category: np.ndarray  # (ny, nx) object array of category names ("" outside the study area)


def _categorise(
    hot: np.ndarray, cold: np.ndarray, trend_z: np.ndarray, trend_p: np.ndarray, alpha: float
) -> np.ndarray:
    """Category of each column of the (T, m) boolean series ``hot`` and ``cold``."""
    t, m = hot.shape
    result = np.full(m, "no pattern", dtype=object)
    up = (trend_p < alpha) & (trend_z > 0)
    down = (trend_p < alpha) & (trend_z < 0)
    for spot, this, other in (("cold", cold, hot), ("hot", hot, cold)):
        count = this.sum(axis=0)
        final = this[-1]
        ninety = count >= NINETY_PERCENT * t
        before = this[:-1].any(axis=0)
        other_before = other[:-1].any(axis=0)
        # Length of the run of significant months ending in the final month.
        run = np.zeros(m, dtype=np.int64)
        still = np.ones(m, dtype=bool)
        for step in range(t - 1, -1, -1):
            still &= this[step]
            run += still
        rising, falling = (up, down) if spot == "hot" else (down, up)
        rules = (
            (final & ninety & rising, "intensifying"),
            (final & ninety & falling, "diminishing"),
            (final & ninety, "persistent"),
            (final & other_before, "oscillating"),
            (final & ~before, "new"),
            (final & (run >= 2) & (run == count), "consecutive"),
            (final, "sporadic"),
            (~final & ninety, "historical"),
        )
        decided = np.zeros(m, dtype=bool)
        for condition, name in rules:
            chosen = condition & ~decided
            # The final month decides between a hot and a cold reading: a historical reading gives way to one
            # about the final month of the other kind (set in the previous pass).
            if name == "historical":
                chosen &= result == "no pattern"
            result[chosen] = f"{name} {spot} spot"
            decided |= chosen
    return result


def emerging_hotspots(
    grid: Grid, monthly_counts: np.ndarray, months: tuple[date, ...], settings: HotspotSettings
) -> EmergingResult:
    """Emerging hotspot categories from a (T, ny, nx) stack of monthly count grids, months in order."""
    t = monthly_counts.shape[0]
    if monthly_counts.shape[1:] != grid.shape or len(months) != t:
        raise ValueError("monthly counts must be (months, *grid.shape) with one date per month")
    if t < MIN_MONTHS:
        raise SettingsError(f"emerging hotspots need at least {MIN_MONTHS} months, got {t}")
    if list(months) != sorted(set(months)):
        raise ValueError("months must be distinct and in order")
    kernel = band_kernel(settings.cell, settings.band)
    z = np.full((t, *grid.shape), np.nan)
    hot = np.zeros((t, *grid.shape), dtype=bool)
    cold = np.zeros((t, *grid.shape), dtype=bool)
    for step in range(t):
        gi = gi_star(monthly_counts[step], grid.mask, kernel)
        significant = benjamini_hochberg(gi.p, settings.alpha)
        z[step] = gi.z
        hot[step] = significant & (gi.z > 0)
        cold[step] = significant & (gi.z < 0)
    inside = grid.mask
    series = np.nan_to_num(z[:, inside], nan=0.0).T  # a month without a defined Gi* counts as no clustering
    trend = mann_kendall(series)
    trend_z = np.full(grid.shape, np.nan)
    trend_p = np.full(grid.shape, np.nan)
    trend_z[inside] = trend.z
    trend_p[inside] = trend.p
    category = np.full(grid.shape, "", dtype=object)
    category[inside] = _categorise(hot[:, inside], cold[:, inside], trend.z, trend.p, settings.alpha)
    return EmergingResult(grid, settings, tuple(months), z, hot, cold, trend_z, trend_p, category)
