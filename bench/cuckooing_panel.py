"""The cuckooing panel's ranked list of 5,000 premises: how long it takes.

Seeded synthetic inputs over North Northamptonshire's real district grid: premises clustered around the towns,
drug crime clustered around a few dozen spots over six months, and the addresses of 16 county lines. A run is
what the panel's list does once it has read its records: Gi* hotspots of the drug crime (``csphub.analytics``),
the ranking (``csphub.cuckooing.ranking.rank``: the k-d tree distances, the kernels, the weighted sum, the sort),
and every row's reasons worded for both audiences (police and panel partners). The grid's geometry is built once
per area and cell size (as the web app's ``cached_grid``) and printed separately.

With ``--django`` it also times the whole list as the panel's page asks for it (``queries.panel_list``: the
records through the access policy, their latest checklists, support and the consultation entries of the audit log,
then the same ranking), over the same 5,000 premises as vulnerability records with a completed checklist each, in
a throw-away SQLite database under var/bench/ (rebuilt each time; the page's HTML is not rendered).

Run::

    .venv/bin/python bench/cuckooing_panel.py [--premises 5000] [--drug-crimes 3000] [--lines 16] [--runs 7]
    .venv/bin/python bench/cuckooing_panel.py --django [--runs 3]
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
    parser.add_argument("--django", action="store_true", help="also time queries.panel_list on a database")
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
    if args.django:
        django_panel(data, cells_of(grid, data, hotspot_settings), args.runs)


def cells_of(grid: object, data: dict[str, np.ndarray], settings: HotspotSettings) -> np.ndarray:
    hot = hotspots_of_points(grid, data["crime"][:, 0], data["crime"][:, 1], settings)  # type: ignore[arg-type]
    xc, yc = hot.grid.centres()
    chosen = hot.significant & (hot.z > 0)
    return np.column_stack([xc[chosen], yc[chosen]])


def django_panel(data: dict[str, np.ndarray], cells: np.ndarray, runs: int) -> None:
    """``queries.panel_list`` over the premises as vulnerability records, each with a completed checklist."""
    import datetime as dt
    import os

    database = PROJECT_DIR / "var" / "bench" / "cuckooing-panel.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from csphub.access.vocabulary import Caveat
    from csphub.assessments.models import CompletedAssessment
    from csphub.assessments.services import active_version
    from csphub.audit.context import audit_context
    from csphub.cuckooing import queries, sources
    from csphub.cuckooing.models import VulnerabilityRecord
    from csphub.demo.structure import AgencySpec, ensure_agency, ensure_districts, ensure_partnership, ensure_user
    from csphub.geography import bng_to_wgs84_arrays
    from csphub.partnership.models import Role, Sector
    from csphub.registers.models import Place

    call_command("migrate", verbosity=0)
    n = len(data["xy"])
    with audit_context("cli", actor_label="bench", reason="cuckooing panel bench"):
        partnership = ensure_partnership()
        districts = ensure_districts(partnership)
        police = ensure_agency(partnership, AgencySpec("police", "Police", Sector.POLICE), districts)
        officer = ensure_user(
            "officer", police, (Role.CASE_OFFICER,), first_name="A", last_name="B", job_title="", password="bench-only"
        )
        version = active_version("cuckooing")
        questions = version.question_set().questions
        rng = np.random.default_rng(7)
        # Bulk inserts: the bench measures reading the list, not writing the register (no audit rows are written).
        places = Place.objects.bulk_create(
            Place(
                address=f"{i} Bench Street",
                owning_agency=police,
                easting=None if np.isnan(x) else float(x),
                northing=None if np.isnan(y) else float(y),
            )
            for i, (x, y) in enumerate(data["xy"])
        )
        records = VulnerabilityRecord.objects.bulk_create(
            VulnerabilityRecord(
                premises=place,
                owning_agency=police,
                caveat=Caveat.OFFICIAL_SENSITIVE,
                review_on=timezone.localdate() + dt.timedelta(days=int(rng.integers(-20, 60))),
            )
            for place in places
        )
        from django.contrib.contenttypes.models import ContentType

        kind = ContentType.objects.get_for_model(VulnerabilityRecord)
        CompletedAssessment.objects.bulk_create(
            CompletedAssessment(
                subject_type=kind,
                subject_id=record.pk,
                question_set=version,
                answers={q.id: "yes" if rng.random() < 0.4 else "no" for q in questions},
                total=0,
                yes_count=0,
                level="medium",
                final_level="medium",
                completed_by=officer,
            )
            for record in records
        )
        lat, lon = bng_to_wgs84_arrays(data["addresses"][:, 0], data["addresses"][:, 1])
        points = list(zip(lat.tolist(), lon.tolist(), strict=True))
        timings = []
        with (
            sources.use_known_addresses(lambda as_at: points),
            sources.use_drug_hotspots(lambda as_at, settings: sources.HotspotCells(cells, months="bench")),
        ):
            for _ in range(runs):
                start = time.perf_counter()
                listed = queries.panel_list(officer)
                timings.append(time.perf_counter() - start)
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                with cProfile.Profile() as profile:
                    queries.panel_list(officer)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(f"queries.panel_list on SQLite: {len(listed.rows):,} of {n:,} records ranked, with their reasons")
    print(f"  median of {runs}: {statistics.median(timings):.3f} s (slowest {max(timings):.3f} s)")


if __name__ == "__main__":
    main()
