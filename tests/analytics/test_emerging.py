"""Mann-Kendall against hand-worked values and a brute-force count; emerging hotspot categories."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import date

import numpy as np
import pytest

from csphub.analytics.emerging import CATEGORIES, _categorise, emerging_hotspots, mann_kendall
from csphub.analytics.errors import SettingsError
from csphub.analytics.geo import Districts
from csphub.analytics.grid import build_grid
from csphub.analytics.hotspots import HotspotSettings


def test_it_computes_mann_kendall_as_worked_by_hand() -> None:
    result = mann_kendall(np.array([[1, 2, 3, 4, 5], [1, 2, 2, 3, 3], [5, 4, 3, 2, 1], [2, 2, 2, 2, 2]], dtype=float))
    # [1,2,3,4,5]: S = 10, Var = 5·4·15/18 = 16.667, Z = (10 - 1)/√16.667 = 2.2045, p = 0.0275.
    # [1,2,2,3,3]: S = 8, ties of 2 and 2: Var = (300 - 2·18)/18 = 14.667, Z = 7/√14.667 = 1.8278.
    np.testing.assert_allclose(result.s, [10, 8, -10, 0])
    np.testing.assert_allclose(result.var_s, [300 / 18, 264 / 18, 300 / 18, 0])
    np.testing.assert_allclose(
        result.z, [9 / math.sqrt(300 / 18), 7 / math.sqrt(264 / 18), -9 / math.sqrt(300 / 18), 0]
    )
    assert result.p[0] == pytest.approx(0.027486, abs=1e-6)
    assert result.p[3] == 1.0


def _brute_force(row: np.ndarray) -> tuple[float, float]:
    n = len(row)
    s = sum(np.sign(row[j] - row[i]) for i, j in itertools.combinations(range(n), 2))
    ties = sum(t * (t - 1) * (2 * t + 5) for t in Counter(row.tolist()).values())
    return float(s), (n * (n - 1) * (2 * n + 5) - ties) / 18


def test_it_matches_a_brute_force_mann_kendall_with_ties() -> None:
    rng = np.random.default_rng(2)
    series = rng.integers(0, 4, size=(200, 9)).astype(float)
    result = mann_kendall(series)
    for k, row in enumerate(series):
        s, var = _brute_force(row)
        assert result.s[k] == s and result.var_s[k] == pytest.approx(var)


def _series(*steps: str) -> tuple[np.ndarray, np.ndarray]:
    """Columns of hot ('H'), cold ('C') or neither ('.') months, one string per cell."""
    hot = np.array([[c == "H" for c in cells] for cells in zip(*steps, strict=True)])
    cold = np.array([[c == "C" for c in cells] for cells in zip(*steps, strict=True)])
    return hot, cold


def test_it_puts_each_history_in_its_desktop_gis_category() -> None:
    cells = {
        "new hot spot": ".........H",
        "consecutive hot spot": ".......HHH",
        "intensifying hot spot": "HHHHHHHHHH",
        "persistent hot spot": "HHHHHHHHHH",
        "diminishing hot spot": "HHHHHHHHHH",
        "sporadic hot spot": "..H..H...H",
        "oscillating hot spot": ".C.......H",
        "historical hot spot": "HHHHHHHHH.",
        "no pattern": "..........",
        "new cold spot": ".........C",
        "persistent cold spot": "CCCCCCCCCC",
        "oscillating cold spot": "HH.......C",
    }
    hot, cold = _series(*cells.values())
    trend_z = np.zeros(len(cells))
    trend_p = np.ones(len(cells))
    names = list(cells)
    trend_z[names.index("intensifying hot spot")], trend_p[names.index("intensifying hot spot")] = 3.0, 0.001
    trend_z[names.index("diminishing hot spot")], trend_p[names.index("diminishing hot spot")] = -3.0, 0.001
    result = _categorise(hot, cold, trend_z, trend_p, 0.05)
    assert list(result) == names
    assert set(result) <= set(CATEGORIES)


def test_it_finds_a_hotspot_that_appears_in_the_last_month_and_one_that_intensifies(
    two_districts: Districts,
) -> None:
    grid = build_grid(two_districts, ("E0000000A", "E0000000B"), 250.0)
    rng = np.random.default_rng(8)
    months = tuple(date(2025, m, 1) for m in range(1, 7))
    xc, yc = grid.centres()
    growing = (np.abs(xc - 481_125) < 300) & (np.abs(yc - 272_125) < 300)
    appearing = (np.abs(xc - 486_125) < 300) & (np.abs(yc - 271_125) < 300)
    background = np.stack([np.where(grid.mask, rng.poisson(1.0, grid.shape), 0) for _ in range(6)])
    rising = background.copy()
    for step in range(6):
        rising[step][growing] += 4 + 4 * step
    result = emerging_hotspots(grid, rising, months, HotspotSettings(cell=250, band=500))
    assert set(result.category[growing]) == {"intensifying hot spot"}
    new = background.copy()
    new[5][appearing] += 12
    result = emerging_hotspots(grid, new, months, HotspotSettings(cell=250, band=500))
    assert set(result.category[appearing]) == {"new hot spot"}
    assert result.category[~grid.mask].tolist() == [""] * int((~grid.mask).sum())


def test_it_needs_three_months_for_a_trend(two_districts: Districts) -> None:
    grid = build_grid(two_districts, ("E0000000A",), 500.0)
    with pytest.raises(SettingsError, match="at least 3 months"):
        emerging_hotspots(
            grid,
            np.zeros((2, *grid.shape), dtype=np.int64),
            (date(2025, 1, 1), date(2025, 2, 1)),
            HotspotSettings(cell=500, band=1000),
        )
