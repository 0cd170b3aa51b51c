"""Kernel density surfaces on the hotspot grid: the quartic (biweight) kernel common in crime mapping.

K(d) = 3 / (π h²) · (1 - d²/h²)² for d < h (Silverman 1986, eq. 4.5, in two dimensions), evaluated at
cell-centre offsets and normalised so that its weights sum to one cell's worth (the surface then integrates to
the number of events, apart from what spills over the area's edge). Events are binned to cell centres and the
surface is one FFT convolution of the count grid with the kernel. Densities are events per square kilometre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

from .errors import SettingsError
from .grid import Grid


@dataclass(frozen=True)
class KdeSettings:
    bandwidth: float = 500.0  # metres

    def __post_init__(self) -> None:
        if not self.bandwidth > 0:
            raise SettingsError(f"the bandwidth must be positive, not {self.bandwidth}")


def quartic_kernel(cell: float, bandwidth: float) -> np.ndarray:
    """Quartic kernel weights at cell offsets, normalised to sum to 1 / cell² (a density per square metre)."""
    radius = max(0, math.ceil(bandwidth / cell))
    offsets = np.arange(-radius, radius + 1, dtype=np.float64) * cell
    dy, dx = np.meshgrid(offsets, offsets, indexing="ij")
    u2 = (dx * dx + dy * dy) / (bandwidth * bandwidth)
    weights = np.where(u2 < 1, (1 - u2) ** 2, 0.0)
    total = weights.sum()
    if total == 0:  # the bandwidth is smaller than half a cell: all the mass stays in the cell
        weights[radius, radius] = total = 1.0
    return weights / (total * cell * cell)


@dataclass(frozen=True, eq=False)
class KdeResult:
    grid: Grid
    settings: KdeSettings
    density: np.ndarray  # events per km², NaN outside the study area
    n_events: int


def kernel_density(grid: Grid, counts: np.ndarray, settings: KdeSettings) -> KdeResult:
    if counts.shape != grid.shape:
        raise ValueError(f"counts {counts.shape} do not fit the grid {grid.shape}")
    values = np.where(grid.mask, counts, 0).astype(np.float64)
    surface = fftconvolve(values, quartic_kernel(grid.cell, settings.bandwidth), mode="same") * 1e6
    surface = np.clip(surface, 0.0, None)  # FFT round-off can leave tiny negatives where the surface is zero
    return KdeResult(grid, settings, np.where(grid.mask, surface, np.nan), int(values.sum()))
