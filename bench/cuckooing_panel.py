"""The cuckooing panel's ranked list of 5,000 premises: how long it takes.

Seeded synthetic inputs over North Northamptonshire's real district grid: premises clustered around the towns,
drug crime clustered around a few dozen spots over six months, and the addresses of 16 county lines. A run is
what the panel's list does once it has read its records: Gi* hotspots of the drug crime (``csphub.analytics``),
the ranking (``csphub.cuckooing.ranking.rank``: the k-d tree distances, the kernels, the weighted sum, the sort),
and every row's reasons worded for both audiences (police and panel partners). The grid's geometry is built once
per area and cell size (as the web app's ``cached_grid``) and printed separately.

Run::

    .venv/bin/python bench/cuckooing_panel.py [--premises 5000] [--drug-crimes 3000] [--lines 16] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.grid import build_grid
from csphub.analytics.hotspots import HotspotSettings, hotspots_of_points
from csphub.cuckooing.ranking import Audience, describe, load_settings, rank

PROJECT_DIR = Path(__file__).resolve().parents[1]
# Town centres of North Northamptonshire (BNG metres): Kettering, Corby, Wellingborough, Rushden, Raunds, Oundle.
TOWNS = np.array(
    [
        [486_900, 278_900],
        [488_600, 289_000],
        [489_800, 267_900],
        [495_700, 266_500],
        [500_100, 272_800],
        [503_800, 288_200],
    ],
    dtype=float,
)


def synthetic(rng: np.random.Generator, premises: int, crimes: int, lines: int) -> dict[str, np.ndarray]:
    town = rng.integers(0, len(TOWNS), premises)
    xy = TOWNS[town] + rng.normal(0, 1_200, (premises, 2))
    xy[rng.random(premises) < 0.03] = np.nan  # premises with no known location
    spots = TOWNS[rng.integers(0, len(TOWNS), 30)] + rng.normal(0, 1_000, (30, 2))
    crime = spots[rng.integers(0, len(spots), crimes)] + rng.normal(0, 150, (crimes, 2))
    background = TOWNS[rng.integers(0, len(TOWNS), crimes // 3)] + rng.normal(0, 3_000, (crimes // 3, 2))
    addresses = spots[rng.integers(0, len(spots), lines * 20)] + rng.normal(0, 200, (lines * 20, 2))
    person = rng.beta(2, 3, premises)
    prop = rng.beta(1.5, 4, premises)
    unassessed = rng.random(premises) < 0.1
    person[unassessed] = np.nan
    prop[unassessed] = np.nan
    return {
        "xy": xy,
        "crime": np.vstack([crime, background]),
        "addresses": addresses,
        "person": person,
        "property": prop,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--premises", type=int, default=5_000)
    parser.add_argument("--drug-crimes", type=int, default=3_000)
    parser.add_argument("--lines", type=int, default=16)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()

    settings = load_settings()
    data = synthetic(np.random.default_rng(args.seed), args.premises, args.drug_crimes, args.lines)
    app = Analytics(replace(AnalyticsConfig.from_env(), reference_dir=PROJECT_DIR / "data"))
    area = app.config.csp_districts
    start = time.perf_counter()
    grid = build_grid(app.districts, area, settings.hotspot_cell_m)
    grid_s = time.perf_counter() - start
    hotspot_settings = HotspotSettings(
        cell=settings.hotspot_cell_m, band=settings.hotspot_band_m, alpha=settings.hotspot_alpha
    )

    def run() -> tuple[float, float, float, int, int]:
        t0 = time.perf_counter()
        hot = hotspots_of_points(grid, data["crime"][:, 0], data["crime"][:, 1], hotspot_settings)
        hot_cells = hot.significant & (hot.z > 0)
        xc, yc = grid.centres()
        cells = np.column_stack([xc[hot_cells], yc[hot_cells]])
        t1 = time.perf_counter()
        result = rank(data["xy"], data["person"], data["property"], cells, data["addresses"], settings)
        t2 = time.perf_counter()
        worded = 0
        for audience in (Audience.INTELLIGENCE, Audience.PANEL):
            for i in result.order:
                worded += len(describe(result.reasons(int(i)), settings, audience))
        t3 = time.perf_counter()
        return t1 - t0, t2 - t1, t3 - t2, len(cells), worded

    first = run()
    runs = [run() for _ in range(args.runs)]
    totals = [sum(r[:3]) for r in runs]
    print(
        f"{args.premises:,} premises, {len(data['crime']):,} drug crimes, {len(data['addresses']):,} county-lines "
        f"addresses ({args.lines} lines); ranking {settings.label}"
    )
    print(f"  grid: {grid.ny} x {grid.nx} cells of {settings.hotspot_cell_m:g} m; hot cells: {first[3]:,}")
    print(f"  reasons worded (both audiences): {first[4]:,}")
    rows = [
        ("grid geometry, built once per area and cell size", grid_s),
        ("first run (hotspots + ranking + reasons)", sum(first[:3])),
        (f"  hotspots, median of {args.runs}", statistics.median(r[0] for r in runs)),
        (f"  ranking, median of {args.runs}", statistics.median(r[1] for r in runs)),
        (f"  reasons, median of {args.runs}", statistics.median(r[2] for r in runs)),
        (f"run, median of {args.runs}", statistics.median(totals)),
        (f"run, slowest of {args.runs}", max(totals)),
        ("grid geometry + first run", grid_s + sum(first[:3])),
    ]
    for label, seconds in rows:
        print(f"  {label:<52} {seconds:8.3f} s")
    print("target: the ranked list of 5,000 premises in under 2 s")


if __name__ == "__main__":
    main()
