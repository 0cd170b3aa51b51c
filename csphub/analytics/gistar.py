"""Getis-Ord Gi* on a regular grid, computed by convolution, and the Benjamini-Hochberg false discovery rate.

Gi* (Getis & Ord 1992; Ord & Getis 1995) for cell i over the n cells of the study area, with binary
distance-band weights (w_ij = 1 when the centres of i and j are at most ``band`` apart, the band's edge
included, and w_ii = 1)::

    Gi*_i = (Σ_j w_ij x_j - x̄ W_i) / (S √((n W_i - W_i²) / (n - 1)))

where W_i = Σ_j w_ij (= Σ_j w_ij², the weights being 0 or 1), x̄ the mean and S² = Σ_j x_j² / n - x̄² the
(population) variance of the counts. Gi* is already a z-score; its p-value is the analytic two-sided normal
one, p = 2 (1 - Φ(|z|)).

On a regular grid the weights are the same for every cell up to translation, so Σ_j w_ij x_j is the
convolution of the count grid with a disc of radius ``band`` (and W_i the convolution of the study-area mask
with the same disc): two FFT convolutions (``scipy.signal.fftconvolve``) replace a spatial weights object.
Cells outside the study area take no part: their counts are 0 in the convolution and they are not among the n
cells. With integer counts both sums are integers, so rounding the FFT result to the nearest integer gives
them exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.signal import fftconvolve

from .errors import SettingsError

# Relative slack when testing "distance ≤ band", so that a band edge falling exactly on a cell centre is
# included whatever the floating-point rounding of cell and band.
_EDGE = 1e-12


def band_kernel(cell: float, band: float) -> np.ndarray:
    """The binary distance-band weights as a (2r+1)² kernel: 1 where the offset's centre distance ≤ band."""
    if cell <= 0 or band < 0:
        raise SettingsError(f"the cell size must be positive and the band not negative (cell {cell}, band {band})")
    radius = math.floor(band / cell * (1 + _EDGE))
    offsets = np.arange(-radius, radius + 1, dtype=np.float64) * cell
    dy, dx = np.meshgrid(offsets, offsets, indexing="ij")
    return (dx * dx + dy * dy <= band * band * (1 + _EDGE)).astype(np.float64)


def _convolve(values: np.ndarray, kernel: np.ndarray, exact_integers: bool) -> np.ndarray:
    result = fftconvolve(values, kernel, mode="same")
    return np.rint(result) if exact_integers else result


@dataclass(frozen=True, eq=False)
class GiStarResult:
    """Per cell (NaN outside the study area or where Gi* is undefined): z, two-sided p, and the sums."""

    z: np.ndarray
    p: np.ndarray
    lag: np.ndarray  # Σ_j w_ij x_j
    neighbours: np.ndarray  # W_i (the cell itself included)
    n: int
    mean: float
    std: float


def gi_star(counts: np.ndarray, mask: np.ndarray, kernel: np.ndarray) -> GiStarResult:
    """Gi* z-scores and p-values of every cell of ``counts`` inside ``mask`` (both 2-D, same shape)."""
    if counts.shape != mask.shape or counts.ndim != 2:
        raise ValueError(f"counts {counts.shape} and mask {mask.shape} must be 2-D grids of the same shape")
    inside = mask.astype(bool)
    n = int(inside.sum())
    x = np.where(inside, counts, 0).astype(np.float64)
    integer = np.issubdtype(counts.dtype, np.integer) or np.issubdtype(counts.dtype, np.bool_)
    lag = _convolve(x, kernel, exact_integers=integer)
    neighbours = _convolve(inside.astype(np.float64), kernel, exact_integers=True)
    z = np.full(counts.shape, np.nan)
    p = np.full(counts.shape, np.nan)
    if n < 2:
        return GiStarResult(z, p, lag, neighbours, n, float("nan"), float("nan"))
    values = x[inside]
    mean = float(values.mean())
    std = float(values.std())  # population standard deviation: S² = Σx²/n - x̄²
    if std > 0:
        w = neighbours[inside]
        denominator = std * np.sqrt((n * w - w * w) / (n - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            zi = (lag[inside] - mean * w) / denominator
        zi[~np.isfinite(zi)] = np.nan  # a cell whose neighbourhood is the whole area (W_i = n) has no Gi*
        z[inside] = zi
        p[inside] = 2.0 * stats.norm.sf(np.abs(zi))
    return GiStarResult(z, p, lag, neighbours, n, mean, std)


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini & Hochberg (1995) step-up procedure controlling the false discovery rate at ``alpha``.

    With the m finite p-values sorted p_(1) ≤ … ≤ p_(m), find the largest k with p_(k) ≤ k alpha / m and
    reject the hypotheses of p_(1) … p_(k). Returns a boolean array shaped like ``p`` (False where p is NaN).
    """
    if not 0 < alpha < 1:
        raise SettingsError(f"alpha must be between 0 and 1, not {alpha}")
    flat = np.asarray(p, dtype=np.float64).ravel()
    finite = np.isfinite(flat)
    values = flat[finite]
    m = values.size
    reject = np.zeros(m, dtype=bool)
    if m:
        order = np.argsort(values, kind="stable")
        passing = np.nonzero(values[order] <= alpha * np.arange(1, m + 1) / m)[0]
        if passing.size:
            reject[order[: passing[-1] + 1]] = True
    out = np.zeros(flat.shape, dtype=bool)
    out[finite] = reject
    return out.reshape(np.shape(p))
