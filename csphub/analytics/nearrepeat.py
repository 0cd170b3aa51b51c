"""Near-repeat analysis (Knox 1964) with Monte Carlo significance, as in the Near Repeat Calculator.

For every pair of events the distance d and the time apart Δt fall in one space band and one time band. Bands
are given by their upper limits: the first band is 0 ≤ d ≤ b₀, the next b₀ < d ≤ b₁, and so on (a first limit
of 0 makes a "same place" band, which with police.uk snap points is the usual repeat-victimisation band). The
Knox table counts the pairs in each (space band, time band) cell.

Significance: the times are randomly permuted among the events (locations fixed) ``permutations`` times with a
seeded generator, and the table recounted each time. For each cell, p = (1 + #{simulated ≥ observed}) /
(permutations + 1), the one-sided Monte Carlo p-value (Johnson et al. 2007), and the Knox ratio is observed /
mean simulated. Only pairs within the largest space band are ever counted, found with a k-d tree; a
permutation only re-reads their times, so each costs O(pairs).

Time is in whole units: police.uk publishes months only, so for police.uk data a unit is a month (band 0 = the
same month); partner data with dates can use days.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from csphub.common.progress import track

from .errors import SettingsError


@dataclass(frozen=True)
class KnoxSettings:
    space_bands: tuple[float, ...] = (0.0, 200.0, 400.0, 600.0, 800.0, 1000.0)  # metres, upper limits
    time_bands: tuple[int, ...] = (0, 1, 2, 3)  # time units, upper limits
    permutations: int = 999
    seed: int = 1964
    alpha: float = 0.05

    def __post_init__(self) -> None:
        for name, bands in (("space", self.space_bands), ("time", self.time_bands)):
            if not bands:
                raise SettingsError(f"at least one {name} band is needed")
            if any(b < 0 for b in bands) or any(b2 <= b1 for b1, b2 in itertools.pairwise(bands)):
                raise SettingsError(f"{name} band limits must be increasing and not negative: {bands}")
        if self.permutations < 19:
            raise SettingsError("use at least 19 permutations (p can then reach 0.05)")
        if not 0 < self.alpha < 1:
            raise SettingsError(f"alpha must be between 0 and 1, not {self.alpha}")


@dataclass(frozen=True, eq=False)
class KnoxResult:
    settings: KnoxSettings
    observed: np.ndarray  # (space bands, time bands) pair counts
    expected: np.ndarray  # mean of the simulated tables
    ratio: np.ndarray  # observed / expected (NaN where expected is 0)
    p_value: np.ndarray
    n_events: int
    n_pairs: int  # pairs within the largest space band


def _band(values: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """Band index of each value (len(limits) when beyond the last band): first i with value ≤ limits[i]."""
    return np.searchsorted(limits, values, side="left")


def knox_test(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, settings: KnoxSettings, *, progress: bool = False
) -> KnoxResult:
    """Knox test of events at (x, y) metres and whole time units ``t``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t, dtype=np.int64)
    if not (len(x) == len(y) == len(t)):
        raise ValueError("x, y and t must have the same length")
    space = np.asarray(settings.space_bands, dtype=np.float64)
    time = np.asarray(settings.time_bands, dtype=np.float64)
    n_space, n_time = len(space), len(time)
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(r=float(space[-1]), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    space_band = _band(distance, space)
    keep = space_band < n_space  # the k-d tree's radius test and ours agree; this guards the edge anyway
    i, j, space_band = i[keep], j[keep], space_band[keep]
    cells = n_space * n_time

    def table(times: np.ndarray) -> np.ndarray:
        time_band = _band(np.abs(times[i] - times[j]).astype(np.float64), time)
        inside = time_band < n_time
        flat = space_band[inside] * n_time + time_band[inside]
        return np.bincount(flat, minlength=cells).reshape(n_space, n_time)

    observed = table(t)
    rng = np.random.default_rng(settings.seed)
    total = np.zeros((n_space, n_time), dtype=np.float64)
    at_least = np.zeros((n_space, n_time), dtype=np.int64)
    for _ in track(range(settings.permutations), enabled=progress, desc="near-repeat permutations"):
        simulated = table(rng.permutation(t))
        total += simulated
        at_least += simulated >= observed
    expected = total / settings.permutations
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    p_value = (1 + at_least) / (settings.permutations + 1)
    return KnoxResult(settings, observed, expected, ratio, p_value, len(x), len(i))
