"""Speed of the map's hotspot layer (issue 20: under 1 s for any month range and crime type) on a national year.

The data: the year of all-force police.uk street files ``bench/crime_ingest.py`` generates (44 forces x 12 months,
about 6.4 million rows; kept under ``var/bench/``), ingested once into ``var/bench/insights-map-store``. Timed: the
view behind ``/insights/map/hotspots.geojson`` (form, ``Analytics.hotspots`` on the partnership's 250 m grid,
GeoJSON written), called in-process with a signed-in user, over random month ranges (1-12 months of 2024) and
crime types (all crime, or one of the series), seeded:

- cold: every selection new (the per-process memory of results emptied first, except the store's months and
  crime types, read once per ingest): the figure the target is about;
- warm: the same selection asked again at once (the page, then its layer; a second look).

The first call (which also builds the partnership's grid, kept per process) is reported apart. Run::

    .venv/bin/python bench/insights_map.py [--samples 30] [--seed 20] [--regenerate]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")

from bench.crime_ingest import BENCH, generate  # noqa: E402

STORE = BENCH / "insights-map-store"
YEAR = BENCH / "police-uk-year-44x12x530000"
SERIES = (
    "",
    "Anti-social behaviour",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft, bicycle theft and theft from the person",
    "Public order and weapons",
    "Robbery",
    "Shoplifting",
    "Vehicle crime",
    "Violence and sexual offences",
)


def prepare(regenerate: bool) -> int:
    from csphub.analytics.api import Analytics
    from csphub.analytics.config import AnalyticsConfig
    from csphub.analytics.store import EventFilter

    if regenerate or not YEAR.exists():
        start = time.perf_counter()
        rows = generate(YEAR, 44, 12, 530_000, 2024)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s")
    app = Analytics(replace(AnalyticsConfig.from_env(), data_dir=STORE, reference_dir=PROJECT_DIR / "data"))
    if regenerate or not app.store.files("street"):
        start = time.perf_counter()
        result = app.ingest([YEAR])
        print(f"ingested {result.rows:,} rows in {time.perf_counter() - start:.1f} s into {STORE}")
    return app.counts((), EventFilter()).total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from csphub.insights import maps
    from csphub.insights.map_views import HotspotLayerView

    rows = prepare(args.regenerate)
    settings.DATA_DIR = STORE
    print(f"store: {rows:,} police.uk rows")

    class Analyst(AnonymousUser):
        @property
        def is_authenticated(self) -> bool:  # type: ignore[override]
            return True

    view = HotspotLayerView.as_view()
    factory = RequestFactory()
    rng = np.random.default_rng(args.seed)
    selections = []
    for _ in range(args.samples):
        first = int(rng.integers(1, 13))
        last = int(rng.integers(first, 13))
        crime = SERIES[int(rng.integers(0, len(SERIES)))]
        selections.append(f"first=2024-{first:02d}&last=2024-{last:02d}&crime_type={crime}")

    def call(query: str) -> tuple[float, int, int]:
        request = factory.get("/insights/map/hotspots.geojson?" + query)
        request.user = Analyst()
        start = time.perf_counter()
        response = view(request)
        assert isinstance(response, HttpResponse)
        seconds = time.perf_counter() - start
        assert response.status_code == 200, response.content[:300]
        return seconds, len(response.content), response.content.count(b'"layer":"hotspot_cell"')

    maps.forget()
    first_call = call("first=2024-01&last=2024-12")
    print(f"first call (grid built, store opened): {first_call[0]:.3f} s")
    cold, warm, sizes, cells = [], [], [], []
    for query in selections:
        maps.forget(keep_contents=True)  # the store's months and types are read once per ingest, not per selection
        seconds, size, n = call(query)
        cold.append(seconds)
        sizes.append(size)
        cells.append(n)
        warm.append(call(query)[0])

    def summary(values: list[float]) -> str:
        q = statistics.quantiles(values, n=20, method="inclusive")
        return f"p50 {statistics.median(values):.3f} s, p95 {q[18]:.3f} s, max {max(values):.3f} s"

    print(f"{len(selections)} random selections (month ranges of 2024, all crime or one series)")
    print(f"hotspot layer, cold: {summary(cold)}")
    print(f"hotspot layer, warm: {summary(warm)}")
    print(f"layer size: median {statistics.median(sizes) / 1e3:.0f} KB, {statistics.median(cells):.0f} cells drawn")
    p95 = statistics.quantiles(cold, n=20, method="inclusive")[18]
    print(f"target p95 < 1 s (cold): {'OK' if p95 < 1.0 else 'MISSED'} ({p95:.3f} s)")


if __name__ == "__main__":
    main()
