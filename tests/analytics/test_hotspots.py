"""Grid, hotspots and their cross-boundary flags, on two hand-made districts and on the real county."""

from __future__ import annotations

import numpy as np
import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import SettingsError
from csphub.analytics.geo import Districts
from csphub.analytics.grid import build_grid
from csphub.analytics.hotspots import HotspotSettings, find_hotspots, hotspots_of_points
from csphub.analytics.kde import KdeSettings, kernel_density, quartic_kernel


def test_it_lays_the_grid_on_cell_multiples_and_bins_points_by_their_south_west_edge(
    two_districts: Districts,
) -> None:
    grid = build_grid(two_districts, ("E0000000A", "E0000000B"), 250.0)
    assert (grid.x0 % 250, grid.y0 % 250) == (0, 0)
    assert grid.x0 <= 480_000 and grid.x0 + grid.nx * 250 >= 488_000
    assert grid.mask.sum() >= 16 * 32  # the 8 km x 4 km area is 512 cells (edges may add a ring)
    x = np.array([480_000.0, 480_249.99, 480_250.0, 100.0])
    y = np.array([270_000.0, 270_000.0, 270_000.0, 100.0])
    counts = grid.bin(x, y)
    row, col = int((270_000 - grid.y0) // 250), int((480_000 - grid.x0) // 250)
    assert counts[row, col] == 2 and counts[row, col + 1] == 1
    assert counts.sum() == 3  # the far-away point is outside the grid
    xc, yc = grid.centres()
    west = grid.district_code(grid.centre_district)[(xc < 484_000) & (yc > 270_000) & (yc < 274_000) & (xc > 480_000)]
    assert set(west) == {"E0000000A"}


def _cluster(rng: np.random.Generator, x: float, y: float, n: int, spread: float = 150.0) -> np.ndarray:
    return np.column_stack([rng.normal(x, spread, n), rng.normal(y, spread, n)])


def test_it_flags_the_hotspot_that_crosses_the_district_line_and_only_that_one(
    two_districts: Districts,
) -> None:
    rng = np.random.default_rng(11)
    background = np.column_stack([rng.uniform(480_000, 488_000, 400), rng.uniform(270_000, 274_000, 400)])
    astride = _cluster(rng, 484_000, 272_000, 150)  # on the shared line
    inside = _cluster(rng, 481_200, 271_000, 150)  # well inside the west district
    points = np.vstack([background, astride, inside])
    grid = build_grid(two_districts, ("E0000000A", "E0000000B"), 250.0)
    result = hotspots_of_points(grid, points[:, 0], points[:, 1], HotspotSettings(cell=250, band=500))
    assert len(result.hotspots) == 2
    by_x = sorted(result.hotspots, key=lambda h: h.x)
    assert by_x[0].districts == ("E0000000A",) and not by_x[0].cross_boundary
    assert by_x[1].districts == ("E0000000A", "E0000000B") and by_x[1].cross_boundary
    flagged = result.cross_boundary
    assert flagged[result.hotspot == by_x[1].label].all()
    assert not flagged[result.hotspot == by_x[0].label].any()
    assert not flagged[result.hotspot == 0].any()
    assert result.n_events == len(points)


def test_it_finds_no_hotspot_in_uniform_noise(two_districts: Districts) -> None:
    grid = build_grid(two_districts, ("E0000000A", "E0000000B"), 250.0)
    rng = np.random.default_rng(5)
    counts = np.where(grid.mask, rng.poisson(3.0, grid.shape), 0)
    result = find_hotspots(grid, counts, HotspotSettings(cell=250, band=750))
    assert result.hotspots == ()  # the false discovery rate keeps chance clusters out


def test_it_validates_hotspot_settings_before_running() -> None:
    with pytest.raises(SettingsError, match="at least one cell"):
        HotspotSettings(cell=250, band=100)
    with pytest.raises(SettingsError, match="positive"):
        HotspotSettings(cell=0)
    with pytest.raises(SettingsError, match="alpha"):
        HotspotSettings(alpha=0)


def test_it_keeps_the_events_in_a_kernel_density_surface(two_districts: Districts) -> None:
    grid = build_grid(two_districts, ("E0000000A", "E0000000B"), 100.0)
    counts = np.zeros(grid.shape, dtype=np.int64)
    counts[grid.ny // 2, grid.nx // 2] = 10  # far from the area's edge
    result = kernel_density(grid, counts, KdeSettings(bandwidth=400))
    # Density in events per km², cells of 0.01 km²: the surface integrates to the 10 events.
    assert np.nansum(result.density) * 0.01 == pytest.approx(10.0, rel=1e-9)
    peak = np.unravel_index(np.nanargmax(result.density), grid.shape)
    assert peak == (grid.ny // 2, grid.nx // 2)
    kernel = quartic_kernel(100.0, 400.0)
    np.testing.assert_allclose(kernel, kernel.T)
    assert kernel[4, 0] == 0 and kernel[4, 1] > 0  # zero at the bandwidth, positive inside
    assert np.isnan(result.density[~grid.mask]).all()


def test_it_finds_real_hotspots_across_the_old_district_lines(shipped: Analytics) -> None:
    from csphub.analytics.store import EventFilter

    result = shipped.hotspots(HotspotSettings(), EventFilter())
    counts = shipped.counts(["district"], EventFilter(districts=shipped.area(None)))
    assert result.n_events == counts.total  # every located event of the area is in a cell
    assert result.hotspots, "six months of real crime have hotspots"
    crossing = [h for h in result.hotspots if h.cross_boundary]
    assert crossing and all(len(h.districts) >= 2 for h in crossing)
    assert all(not h.cross_boundary for h in result.hotspots if len(h.districts) == 1)
