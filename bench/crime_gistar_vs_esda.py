"""Getis-Ord Gi*: csphub (FFT convolution) against PySAL's esda.G_Local(star=True) on a real month.

Both compute Gi* on the same grid cells with the same weights (binary distance band, the cell itself
included); the script prints the largest difference between their z-scores and the time each takes, on the
partnership's grid (North Northamptonshire) and on the whole county (the seven pre-2021 Northamptonshire
districts).

Run (needs the bench extra: ``pip install -e '.[bench]'``)::

    .venv/bin/python bench/crime_gistar_vs_esda.py [--month 2025-03] [--cell 250] [--band 750]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.gistar import GiStarResult, band_kernel, gi_star
from csphub.analytics.grid import Grid
from csphub.analytics.queries import event_points
from csphub.analytics.store import EventFilter, MonthRange

PROJECT_DIR = Path(__file__).resolve().parents[1]  # the checkout: its data/ and var/

T = TypeVar("T")


def timed(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median time of ``repeat`` runs, and the last run's result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bin_and_gi_star(grid: Grid, x: np.ndarray, y: np.ndarray, kernel: np.ndarray) -> GiStarResult:
    return gi_star(grid.bin(x, y), grid.mask, kernel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2025-03")
    parser.add_argument("--cell", type=float, default=250.0)
    parser.add_argument("--band", type=float, default=750.0)
    args = parser.parse_args()

    import esda
    import libpysal

    store = PROJECT_DIR / "var" / "bench" / "crime-store-gistar"
    app = Analytics(replace(AnalyticsConfig.from_env(), data_dir=store, reference_dir=PROJECT_DIR / "data"))
    app.ingest([PROJECT_DIR / "data" / "police-uk" / "northamptonshire"])
    areas = {
        "North Northamptonshire (4 districts)": app.config.csp_districts,
        "Northamptonshire county (7 districts)": app.districts.codes,
    }
    kernel = band_kernel(args.cell, args.band)
    print(f"Gi* on real police.uk street crime, {args.month}, {args.cell:g} m cells, {args.band:g} m band")
    for name, codes in areas.items():
        con = app.store.connect()
        points = event_points(con, EventFilter(months=MonthRange.parse(args.month), districts=tuple(codes)))
        con.close()
        grid = app.grid(tuple(codes), args.cell)
        counts = grid.bin(points.x, points.y)
        mask = grid.mask
        ours_s, ours = timed(partial(gi_star, counts, mask, kernel), repeat=21)
        binned_s, _ = timed(partial(bin_and_gi_star, grid, points.x, points.y, kernel), repeat=21)

        xc, yc = grid.centres()
        centres = np.column_stack([xc[mask], yc[mask]])
        values = counts[mask].astype(np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            weights_s, weights = timed(
                partial(libpysal.weights.DistanceBand, centres, threshold=args.band, binary=True), repeat=3
            )
            esda_s, esda_result = timed(
                partial(esda.G_Local, values, weights, transform="B", star=True, permutations=0), repeat=3
            )
        esda_z: np.ndarray = esda_result.Zs
        difference = float(np.nanmax(np.abs(esda_z - ours.z[mask])))
        print(f"\n{name}: {int(mask.sum()):,} cells ({grid.ny} x {grid.nx} grid), {len(points.x):,} crimes")
        print(
            f"  max |z csphub - z esda|            {difference:.2e}  ({'OK' if difference <= 1e-6 else 'FAIL'} at 1e-6)"
        )
        print(f"  csphub Gi* from the count grid     {ours_s * 1e3:8.2f} ms")
        print(f"  csphub binning + Gi*               {binned_s * 1e3:8.2f} ms")
        print(f"  esda DistanceBand weights          {weights_s * 1e3:8.1f} ms")
        print(f"  esda G_Local (permutations=0)      {esda_s * 1e3:8.1f} ms")
        print(f"  speed ratio, G_Local alone         {esda_s / ours_s:8.0f} x")
        print(f"  speed ratio, weights + G_Local     {(weights_s + esda_s) / ours_s:8.0f} x")


if __name__ == "__main__":
    main()
