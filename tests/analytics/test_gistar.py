"""Gi* by convolution against a direct evaluation of the Getis-Ord formula, and the Benjamini-Hochberg
procedure."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.spatial import cKDTree

from csphub.analytics.gistar import band_kernel, benjamini_hochberg, gi_star
from csphub.analytics.queries import event_points
from csphub.analytics.store import EventFilter, MonthRange

from .conftest import Analytics


def direct_gi_star(values: np.ndarray, xy: np.ndarray, band: float) -> np.ndarray:
    """Ord & Getis (1995) Gi* evaluated cell by cell from explicit neighbour lists (no convolution)."""
    n = len(values)
    mean = values.sum() / n
    s = math.sqrt((values**2).sum() / n - mean**2)
    neighbours = cKDTree(xy).query_ball_point(xy, r=band)
    z = np.empty(n)
    for i, js in enumerate(neighbours):
        w = len(js)  # binary weights, self included: Σw = Σw² = number of cells within the band
        z[i] = (values[js].sum() - mean * w) / (s * math.sqrt((n * w - w * w) / (n - 1)))
    return z


def test_it_includes_the_band_edge_and_the_cell_itself() -> None:
    kernel = band_kernel(100.0, 500.0)
    assert kernel.shape == (11, 11)
    centre = 5
    assert kernel[centre, centre] == 1
    assert kernel[centre + 3, centre + 4] == 1  # √(300² + 400²) = 500: on the edge, included
    assert kernel[centre, centre + 5] == 1
    assert kernel[centre + 4, centre + 4] == 0  # 565.7 m
    narrower = band_kernel(100.0, 499.99)
    assert narrower.shape == (9, 9) and narrower[4 + 3, 4 + 4] == 0
    assert int(band_kernel(250.0, 750.0).sum()) == 29  # offsets (i, j) with i² + j² ≤ 9


def test_it_matches_the_direct_formula_on_a_hand_built_grid_with_holes() -> None:
    rng = np.random.default_rng(7)
    counts = rng.poisson(2.0, size=(9, 12))
    counts[4, 5] = 25  # a clear hot cell
    mask = np.ones_like(counts, dtype=bool)
    mask[0, :3] = False  # cells outside the study area take no part
    mask[6:, 10:] = False
    result = gi_star(counts, mask, band_kernel(1.0, 2.0))
    rows, cols = np.nonzero(mask)
    expected = direct_gi_star(counts[mask].astype(float), np.column_stack([cols, rows]).astype(float), 2.0)
    np.testing.assert_allclose(result.z[mask], expected, rtol=0, atol=1e-10)
    assert np.isnan(result.z[~mask]).all()
    assert result.n == mask.sum()
    np.testing.assert_allclose(result.p[mask], 2 * stats.norm.sf(np.abs(expected)), atol=1e-12)
    assert result.z[4, 5] > 2


def test_it_matches_the_direct_formula_on_a_real_month(shipped: Analytics) -> None:
    area = shipped.area(None)
    con = shipped.store.connect()
    points = event_points(con, EventFilter(months=MonthRange.parse("2025-03"), districts=area))
    grid = shipped.grid(area, 250.0)
    counts = grid.bin(points.x, points.y)
    assert counts.sum() == len(points.x) > 2000
    result = gi_star(counts, grid.mask, band_kernel(250.0, 750.0))
    xc, yc = grid.centres()
    xy = np.column_stack([xc[grid.mask], yc[grid.mask]])
    expected = direct_gi_star(counts[grid.mask].astype(float), xy, 750.0)
    np.testing.assert_allclose(result.z[grid.mask], expected, rtol=0, atol=1e-9)


def test_it_leaves_gi_star_undefined_when_counts_do_not_vary() -> None:
    result = gi_star(np.full((4, 4), 3), np.ones((4, 4), dtype=bool), band_kernel(1.0, 1.0))
    assert np.isnan(result.z).all() and np.isnan(result.p).all()


def test_it_controls_the_false_discovery_rate_as_benjamini_and_hochberg() -> None:
    # Benjamini & Hochberg (1995), section 4: 15 p-values; at q = 0.05 the first four are rejected.
    p = np.array(
        [
            0.0001,
            0.0004,
            0.0019,
            0.0095,
            0.0201,
            0.0278,
            0.0298,
            0.0344,
            0.0459,
            0.3240,
            0.4262,
            0.5719,
            0.6528,
            0.7590,
            1.0,
        ]
    )
    rejected = benjamini_hochberg(p, 0.05)
    assert rejected.tolist() == [True] * 4 + [False] * 11
    # Against SciPy's adjusted p-values, on random p-values with NaNs (which are never rejected).
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(0, 0.01, 40), rng.uniform(0, 1, 400)])
    values[::37] = np.nan
    finite = np.isfinite(values)
    expected = np.zeros(values.shape, dtype=bool)
    expected[finite] = stats.false_discovery_control(values[finite], method="bh") <= 0.05
    assert (benjamini_hochberg(values, 0.05) == expected).all()
    assert not benjamini_hochberg(values, 0.05)[~finite].any()


def test_it_refuses_an_alpha_outside_zero_and_one() -> None:
    from csphub.analytics.errors import SettingsError

    with pytest.raises(SettingsError):
        benjamini_hochberg(np.array([0.1]), 1.5)
