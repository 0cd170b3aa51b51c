"""Hotspots: events binned to a grid, Getis-Ord Gi* per cell, FDR-controlled significance, cross-boundary
flags.

A hotspot is a group of touching cells (sides or corners) that are each significantly hot (Gi* > 0 and
significant after the Benjamini-Hochberg correction over all cells). A hotspot **crosses a district boundary**
when its cells together overlap more than one district; every cell of such a hotspot is flagged
``cross_boundary``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .errors import SettingsError
from .gistar import band_kernel, benjamini_hochberg, gi_star
from .grid import Grid

MAX_BAND_CELLS = 200  # a band of more than 200 cells makes a kernel of 160,000 weights: not a local statistic


@dataclass(frozen=True)
class HotspotSettings:
    cell: float = 250.0
    band: float = 750.0
    alpha: float = 0.05

    def __post_init__(self) -> None:
        if not self.cell > 0:
            raise SettingsError(f"the cell size must be positive, not {self.cell}")
        if not self.band >= self.cell:
            raise SettingsError(f"the band ({self.band:g} m) must be at least one cell ({self.cell:g} m)")
        if self.band / self.cell > MAX_BAND_CELLS:
            raise SettingsError(f"the band is more than {MAX_BAND_CELLS} cells: use a larger cell size")
        if not 0 < self.alpha < 1:
            raise SettingsError(f"alpha must be between 0 and 1, not {self.alpha}")


@dataclass(frozen=True)
class Hotspot:
    """One hotspot: a group of touching significantly hot cells."""

    label: int
    cells: int
    events: int
    peak_z: float
    x: float  # centre of the hotspot's cells, BNG metres (weighted by events)
    y: float
    districts: tuple[str, ...]  # the districts its cells overlap
    cross_boundary: bool


@dataclass(frozen=True, eq=False)
class HotspotResult:
    grid: Grid
    settings: HotspotSettings
    counts: np.ndarray  # (ny, nx) events per cell
    z: np.ndarray  # Gi* z-score (NaN outside the study area or where undefined)
    p: np.ndarray  # two-sided p
    significant: np.ndarray  # Benjamini-Hochberg at alpha over the study area's cells
    hotspot: np.ndarray  # label of the hotspot a cell belongs to, 0 for none
    cross_boundary: np.ndarray
    hotspots: tuple[Hotspot, ...]
    n_events: int  # events binned (inside the study area)


def _districts_of(bits: int, codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for k, code in enumerate(codes) if bits >> k & 1)


def find_hotspots(grid: Grid, counts: np.ndarray, settings: HotspotSettings) -> HotspotResult:
    """Gi* hotspots of a grid of counts (a pure function of its inputs)."""
    if counts.shape != grid.shape:
        raise ValueError(f"counts {counts.shape} do not fit the grid {grid.shape}")
    counts = np.where(grid.mask, counts, 0)
    gi = gi_star(counts, grid.mask, band_kernel(settings.cell, settings.band))
    significant = benjamini_hochberg(gi.p, settings.alpha)
    hot = significant & (gi.z > 0)
    labels, n_labels = ndimage.label(hot, structure=np.ones((3, 3), dtype=bool))
    cross = np.zeros(grid.shape, dtype=bool)
    hotspots: list[Hotspot] = []
    if n_labels:
        flat_labels = labels[hot]
        # The districts each hotspot overlaps: OR of its cells' district bits.
        bits = np.zeros(n_labels + 1, dtype=np.int64)
        np.bitwise_or.at(bits, flat_labels, grid.district_bits[hot])
        n_cells = np.bincount(flat_labels, minlength=n_labels + 1)
        events = np.bincount(flat_labels, weights=counts[hot], minlength=n_labels + 1)
        xc, yc = grid.centres()
        sum_x = np.bincount(flat_labels, weights=counts[hot] * xc[hot], minlength=n_labels + 1)
        sum_y = np.bincount(flat_labels, weights=counts[hot] * yc[hot], minlength=n_labels + 1)
        peak = np.full(n_labels + 1, -np.inf)
        np.maximum.at(peak, flat_labels, gi.z[hot])
        crossing = np.array([bin(int(b)).count("1") >= 2 for b in bits])
        cross = crossing[labels] & hot
        for label in range(1, n_labels + 1):
            hotspots.append(
                Hotspot(
                    label=label,
                    cells=int(n_cells[label]),
                    events=int(events[label]),
                    peak_z=float(peak[label]),
                    x=float(sum_x[label] / events[label]) if events[label] else float("nan"),
                    y=float(sum_y[label] / events[label]) if events[label] else float("nan"),
                    districts=_districts_of(int(bits[label]), grid.district_codes),
                    cross_boundary=bool(crossing[label]),
                )
            )
    return HotspotResult(
        grid=grid,
        settings=settings,
        counts=counts,
        z=gi.z,
        p=gi.p,
        significant=significant,
        hotspot=labels,
        cross_boundary=cross,
        hotspots=tuple(hotspots),
        n_events=int(counts.sum()),
    )


def hotspots_of_points(grid: Grid, x: np.ndarray, y: np.ndarray, settings: HotspotSettings) -> HotspotResult:
    """Bin points (BNG metres) to the grid and find the hotspots."""
    if grid.cell != settings.cell:
        raise SettingsError(f"the grid's cells are {grid.cell:g} m, the settings ask for {settings.cell:g} m")
    return find_hotspots(grid, grid.bin(x, y), settings)
