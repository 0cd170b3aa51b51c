"""A regular grid of square cells in British National Grid metres over a study area.

The grid's corner is a multiple of the cell size, so grids of the same cell size line up whatever the area or
the months. A cell belongs to the study area when its square meets the area (the area's outline is widened by
a metre first, so that a point projected to BNG just inside the line never falls in a cell left out). Each
cell knows the district holding its centre and the districts its square overlaps (to tell a hotspot that
crosses a district line).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from .errors import SettingsError
from .geo import Districts

MAX_CELLS = 25_000_000
_AREA_TOLERANCE_M = 1.0


@dataclass(frozen=True, eq=False)
class Grid:
    x0: float  # west edge of column 0, BNG metres
    y0: float  # south edge of row 0
    cell: float
    nx: int
    ny: int
    mask: np.ndarray  # (ny, nx) bool: the cell meets the study area
    centre_district: np.ndarray  # (ny, nx) int: index into district_codes of the district holding the centre, or -1
    district_bits: np.ndarray  # (ny, nx) int64: bit k set when the square overlaps the interior of district k
    district_codes: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.ny, self.nx)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre coordinates, each shaped like the grid (row 0 is the southernmost)."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell
        return np.meshgrid(xs, ys)

    def cell_of(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, inside-the-grid) of each point; a point on a west or south edge is in that cell."""
        col = np.floor((np.asarray(x, dtype=np.float64) - self.x0) / self.cell)
        row = np.floor((np.asarray(y, dtype=np.float64) - self.y0) / self.cell)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return row.astype(np.int64, copy=False), col.astype(np.int64, copy=False), inside

    def bin(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Counts of points per cell (points outside the grid's extent are left out)."""
        row, col, inside = self.cell_of(x, y)
        flat = row[inside] * self.nx + col[inside]
        return np.bincount(flat, minlength=self.nx * self.ny).reshape(self.ny, self.nx)

    def district_code(self, index: np.ndarray) -> np.ndarray:
        """District codes for an array of district indices (-1 gives an empty string)."""
        codes = np.array([*self.district_codes, ""], dtype=object)
        return codes[index]


def build_grid(districts: Districts, area_codes: tuple[str, ...], cell: float) -> Grid:
    """The grid of ``cell``-metre squares over the union of the districts ``area_codes``."""
    if not cell > 0:
        raise SettingsError(f"the cell size must be positive, not {cell}")
    area = districts.area(area_codes)
    minx, miny, maxx, maxy = area.bounds
    x0 = math.floor(minx / cell) * cell
    y0 = math.floor(miny / cell) * cell
    nx = max(1, math.ceil((maxx - x0) / cell))
    ny = max(1, math.ceil((maxy - y0) / cell))
    if nx * ny > MAX_CELLS:
        raise SettingsError(f"a {cell:g} m grid over this area has {nx * ny:,} cells (at most {MAX_CELLS:,})")
    xs = x0 + np.arange(nx) * cell
    ys = y0 + np.arange(ny) * cell
    west, south = np.meshgrid(xs, ys)
    boxes = shapely.box(west, south, west + cell, south + cell)
    widened = area.buffer(_AREA_TOLERANCE_M)
    shapely.prepare(widened)
    mask = shapely.intersects(widened, boxes)
    xc, yc = west + cell / 2, south + cell / 2
    centre = np.full((ny, nx), -1, dtype=np.int64)
    bits = np.zeros((ny, nx), dtype=np.int64)
    if len(districts.codes) > 62:
        raise SettingsError("at most 62 districts can be told apart in one grid")
    candidates = mask  # only cells of the study area need their districts
    for k, polygon in enumerate(districts.bng):
        shapely.prepare(polygon)
        holds_centre = shapely.intersects_xy(polygon, xc, yc) & candidates & (centre < 0)
        centre[holds_centre] = k
        meets = np.zeros((ny, nx), dtype=bool)
        meets[candidates] = shapely.intersects(polygon, boxes[candidates]) & ~shapely.touches(
            polygon, boxes[candidates]
        )
        bits[meets] |= np.int64(1) << np.int64(k)
    return Grid(x0, y0, float(cell), nx, ny, mask, centre, bits, districts.codes)


@lru_cache(maxsize=16)
def cached_grid(districts: Districts, area_codes: tuple[str, ...], cell: float) -> Grid:
    """:func:`build_grid`, remembered per districts, area and cell size (its geometry work is slow)."""
    return build_grid(districts, area_codes, cell)
