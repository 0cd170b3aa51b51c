"""``csphub crime …``: the analytics from the command line. Results go to standard output as CSV (or GeoJSON
where there is a geometry), or to ``--out FILE``; messages and progress bars go to standard error.

Exit status: 0 done, 1 the data could not be used (a bad file, an empty store), 2 a bad argument or setting.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import numpy as np

from csphub.common.progress import wanted
from csphub.env import ImproperlyConfigured

from .api import Analytics
from .config import AnalyticsConfig
from .emerging import EmergingResult
from .errors import AnalyticsError, SettingsError
from .hotspots import HotspotResult, HotspotSettings
from .ingest import IngestSettings
from .kde import KdeResult, KdeSettings
from .nearrepeat import KnoxSettings
from .output import cell_features, district_features, point_features, write_csv, write_geojson
from .store import EventFilter, MonthRange

log = logging.getLogger("csphub.analytics")

HOTSPOT_COLUMNS = ("x", "y", "count", "gi_z", "gi_p", "fdr_significant", "district", "cross_boundary")


# --- argument types
# -------------------------------------------------------------------------------------------------
def _months(text: str) -> MonthRange:
    try:
        return MonthRange.parse(text)
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _numbers(text: str) -> list[float]:
    try:
        return [float(part) for part in _csv_list(text)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} must be positive")
    return value


# --- parser
# ---------------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="the analytics store (default: CSPHUB_DATA_DIR)")
    common.add_argument("--out", type=Path, help="write the result to FILE instead of standard output")
    common.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bars on standard error (default: only when it is a terminal)",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="report each step on standard error")

    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--months", type=_months, default=MonthRange(), help="YYYY-MM:YYYY-MM (both included)")
    filters.add_argument(
        "--crime-type", action="append", default=[], help="a police.uk crime type or series (repeatable)"
    )
    filters.add_argument(
        "--source",
        choices=("police", "partner", "all"),
        default="police",
        help="police.uk events, partner events or both (default police)",
    )

    districts = argparse.ArgumentParser(add_help=False)
    districts.add_argument("--district", action="append", default=[], help="an ONS district code (repeatable)")

    grid = argparse.ArgumentParser(add_help=False)
    grid.add_argument("--cell", type=_positive, default=250.0, help="cell size in metres (default 250)")
    grid.add_argument(
        "--area",
        type=_csv_list,
        default=None,
        help="district codes of the study area (default: the partnership's)",
    )

    band = argparse.ArgumentParser(add_help=False)
    band.add_argument("--band", type=_positive, default=750.0, help="Gi* distance band in metres (default 750)")
    band.add_argument("--alpha", type=float, default=0.05, help="false discovery rate (default 0.05)")

    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument(
        "--format", choices=("csv", "geojson"), default="csv", help="CSV, or GeoJSON in WGS84 (default csv)"
    )

    parser = argparse.ArgumentParser(
        prog="csphub crime", description="Crime and place analytics (police.uk, partner data)."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        parents=[common],
        help="ingest police.uk CSV files, folders or monthly zip archives",
        description="Ingest police.uk street, outcomes and stop-and-search CSV files (files, folders or monthly zip "
        "archives) into the store; a month ingested again replaces the one held. Prints one row per file.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="CSV files, folders or zip archives")
    p.add_argument("--lsoa-vintage", type=int, choices=(2011, 2021), help="force the LSOA vintage of the files")
    p.add_argument(
        "--default-lsoa-vintage",
        type=int,
        choices=(2011, 2021),
        default=2021,
        help="vintage of files whose LSOA codes exist in both (default 2021)",
    )

    p = sub.add_parser(
        "ingest-partner",
        parents=[common],
        help="ingest partner CSV files (see docs/analytics.md)",
        description="Ingest partner CSV files (council ASB reports, night-time economy logs; the columns are in "
        "docs/analytics.md), stored per agency and month; an agency's month ingested again replaces it.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="partner CSV files")

    sub.add_parser(
        "status",
        parents=[common],
        help="list the months held in the store",
        description="List the partitions held in the store: table, owner (force or agency), month and file.",
    )

    p = sub.add_parser(
        "counts",
        parents=[common, filters, districts],
        help="counts by month, crime type, district",
        description="Count events by any of month, crime_type, crime_series, district, force, source.",
    )
    p.add_argument("--by", type=_csv_list, default=["month", "crime_type", "district"], help="comma-separated columns")

    p = sub.add_parser(
        "change",
        parents=[common, filters, districts],
        help="change between periods, exact Poisson test",
        description="Change between two periods (--base, --compare) or year on year, with the exact conditional "
        "Poisson test on daily rates.",
    )
    p.add_argument("--by", type=_csv_list, default=["crime_type"], help="comma-separated columns")
    p.add_argument("--base", type=_months, help="the earlier period, YYYY-MM:YYYY-MM")
    p.add_argument("--compare", type=_months, help="the later period, YYYY-MM:YYYY-MM")
    p.add_argument("--year-on-year", action="store_true", help="each month against the same month a year before")
    p.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")

    sub.add_parser(
        "seasonality",
        parents=[common, filters, districts],
        help="seasonal index per calendar month",
        description="Daily rate per calendar month over all years as an index (1 = average), with a chi-square "
        "test of equal daily rates (printed on standard error).",
    )

    p = sub.add_parser(
        "hotspots",
        parents=[common, filters, grid, band, fmt],
        help="Getis-Ord Gi* hotspot grid",
        description="Getis-Ord Gi* on a grid of square cells over the study area, significance by "
        "Benjamini-Hochberg; one row per cell, or per hotspot (touching significant hot cells) with --hotspots.",
    )
    p.add_argument("--hotspots", action="store_true", help="one row per hotspot instead of one per cell")

    p = sub.add_parser(
        "map",
        parents=[common, filters, grid, band],
        help="hotspot map as PNG (or GeoJSON by --out name)",
        description="Draw the Gi* hotspots with the district lines: --out FILE.png, or FILE.geojson for the cells "
        "and the district boundaries.",
    )
    p.add_argument("--title", default="Hotspots, North Northamptonshire", help="map title")

    p = sub.add_parser(
        "kde",
        parents=[common, filters, grid, fmt],
        help="kernel density surface (quartic kernel)",
        description="Kernel density of events per km² on the grid (quartic kernel, integrating to the events).",
    )
    p.add_argument("--bandwidth", type=_positive, default=500.0, help="bandwidth in metres (default 500)")

    sub.add_parser(
        "emerging",
        parents=[common, filters, grid, band, fmt],
        help="emerging hotspot categories",
        description="Gi* per month and a Mann-Kendall trend per cell, in the categories of emerging hot spot "
        "analysis (new, consecutive, intensifying, persistent, … hot or cold spots); at least 3 months.",
    )

    p = sub.add_parser(
        "repeat-places",
        parents=[common, filters, districts, fmt],
        help="places with most events",
        description="The places (police.uk snap points) with most events, and the share of events at the top "
        "--fraction of places (printed on standard error).",
    )
    p.add_argument("--top", type=int, default=50, help="places to list (default 50)")
    p.add_argument("--fraction", type=float, default=0.05, help="top share of places for concentration (0.05)")

    p = sub.add_parser(
        "near-repeat",
        parents=[common, filters, districts],
        help="Knox near-repeat test (default: burglary)",
        description="Knox test of events close in space and time: observed pairs per space band and time band "
        "against permutations of the months; burglary unless --crime-type is given.",
    )
    p.add_argument("--space-bands", type=_numbers, default=None, help="upper limits in metres (0,200,400,600,800,1000)")
    p.add_argument("--time-bands", type=_numbers, default=None, help="upper limits in months (0,1,2,3)")
    p.add_argument("--permutations", type=int, default=999, help="permutations for the p-values (default 999)")
    p.add_argument("--seed", type=int, default=1964, help="seed of the permutations (default 1964)")

    sub.add_parser(
        "deprivation",
        parents=[common, filters],
        help="rates per 1,000 residents by LSOA with IMD decile",
        description="Events per LSOA 2021 with its residents (Census 2021), rate per 1,000 and annualised, and "
        "the IMD 2019 rank and decile.",
    )
    return parser


# --- output
# ---------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def _output(args: argparse.Namespace) -> Iterator[TextIO]:
    if args.out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        yield fh


def _events(args: argparse.Namespace) -> EventFilter:
    return EventFilter(
        months=args.months,
        crime_types=tuple(args.crime_type),
        districts=tuple(getattr(args, "district", []) or ()),
        source=args.source,
    )


def _cells(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every cell of the study area, south to north, then west to east."""
    rows, cols = np.nonzero(mask)
    return rows, cols


def _hotspot_rows(result: HotspotResult) -> tuple[list[tuple[object, ...]], tuple[np.ndarray, np.ndarray]]:
    grid = result.grid
    rows, cols = _cells(grid.mask)
    xc, yc = grid.centres()
    districts = grid.district_code(grid.centre_district[rows, cols])
    data = zip(
        xc[rows, cols],
        yc[rows, cols],
        result.counts[rows, cols],
        result.z[rows, cols],
        result.p[rows, cols],
        result.significant[rows, cols],
        districts,
        result.cross_boundary[rows, cols],
        strict=True,
    )
    return [tuple(r) for r in data], (rows, cols)


def _write_cells(
    args: argparse.Namespace,
    out: TextIO,
    grid_result: HotspotResult | KdeResult | EmergingResult,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    cells: tuple[np.ndarray, np.ndarray],
    layer: str,
) -> None:
    if args.format == "geojson":
        features = cell_features(grid_result.grid, columns, rows, cells, layer)
        write_geojson(out, features, cell_size_m=grid_result.grid.cell)
    else:
        write_csv(out, columns, rows)


# --- commands
# -------------------------------------------------------------------------------------------------------
def _ingest(app: Analytics, args: argparse.Namespace) -> int:
    settings = IngestSettings(
        lsoa_vintage=args.lsoa_vintage,
        default_lsoa_vintage=args.default_lsoa_vintage,
        progress=wanted(args.progress),
    )
    result = app.ingest(args.paths, settings)
    columns = (
        "source",
        "kind",
        "force",
        "month",
        "rows",
        "unlocated",
        "outside_districts",
        "lsoa_vintage",
        "replaced",
    )
    with _output(args) as out:
        write_csv(out, columns, [tuple(getattr(f, c) for c in columns) for f in result.files])
    return 0


def _ingest_partner(app: Analytics, args: argparse.Namespace) -> int:
    result = app.ingest_partner(args.paths)
    with _output(args) as out:
        write_csv(
            out,
            ("source", "rows", "unlocated", "unknown_postcodes", "agency_months"),
            [
                (
                    f.source,
                    f.rows,
                    f.unlocated,
                    f.unknown_postcodes,
                    " ".join(f"{a}/{m}" for a, m in f.agency_months),
                )
                for f in result.files
            ],
        )
    return 0


def _status(app: Analytics, args: argparse.Namespace) -> int:
    with _output(args) as out:
        write_csv(
            out,
            ("table", "owner", "month", "path"),
            [(p.table, p.owner, p.month, p.path) for p in app.store.partitions()],
        )
    return 0


def _counts(app: Analytics, args: argparse.Namespace) -> int:
    table = app.counts(args.by, _events(args))
    with _output(args) as out:
        write_csv(out, table.columns, table.rows)
    return 0


def _change(app: Analytics, args: argparse.Namespace) -> int:
    if not 0 < args.alpha < 1:
        raise SettingsError("alpha must be between 0 and 1")
    events = _events(args)
    if args.year_on_year:
        if args.base or args.compare:
            raise SettingsError("give either --year-on-year or --base and --compare")
        keys, rows = app.year_on_year(args.by, events)
        columns = (
            *keys,
            "month",
            "count",
            "previous_year",
            "change",
            "percent_change",
            "rate_ratio",
            "p_value",
            "significant",
        )
        data = [
            (
                *r.key,
                r.month,
                r.count,
                r.previous,
                r.count - r.previous,
                100.0 * (r.count - r.previous) / r.previous if r.previous else float("nan"),
                r.test.rate_ratio,
                r.test.p_value,
                r.test.p_value < args.alpha,
            )
            for r in rows
        ]
    else:
        if not (args.base and args.compare):
            raise SettingsError("give --base and --compare periods (YYYY-MM:YYYY-MM), or --year-on-year")
        if events.months.first or events.months.last:
            raise SettingsError("--months does not apply to change: the periods are --base and --compare")
        table = app.change(args.by, args.base, args.compare, events)
        columns = (
            *table.key_columns,
            "base_count",
            "compare_count",
            "change",
            "percent_change",
            "rate_ratio",
            "p_value",
            "significant",
        )
        data = [
            (
                *c.key,
                c.base,
                c.compare,
                c.change,
                c.percent_change,
                c.test.rate_ratio,
                c.test.p_value,
                c.test.p_value < args.alpha,
            )
            for c in table.changes
        ]
        log.info(
            "base %s: %d days; compare %s: %d days",
            table.base,
            table.base_days,
            table.compare,
            table.compare_days,
        )
    with _output(args) as out:
        write_csv(out, columns, data)
    return 0


def _seasonality(app: Analytics, args: argparse.Namespace) -> int:
    result = app.seasonality(_events(args))
    sys.stderr.write(
        f"chi-square {result.chi_square:.3f} on {result.degrees_of_freedom} degrees of freedom, "
        f"p = {result.p_value:.4g}\n"
    )
    with _output(args) as out:
        write_csv(
            out,
            ("calendar_month", "count", "days", "daily_rate", "index"),
            [(m.calendar_month, m.count, m.days, m.daily_rate, m.index) for m in result.months],
        )
    return 0


def _hotspot_settings(args: argparse.Namespace) -> HotspotSettings:
    return HotspotSettings(cell=args.cell, band=args.band, alpha=args.alpha)


def _hotspots(app: Analytics, args: argparse.Namespace) -> int:
    if args.hotspots and args.format == "geojson":
        raise SettingsError("--hotspots writes a table: use --format csv")
    result = app.hotspots(_hotspot_settings(args), _events(args), args.area)
    log.info(
        "%d events in %d cells; %d hotspots",
        result.n_events,
        int(result.grid.mask.sum()),
        len(result.hotspots),
    )
    with _output(args) as out:
        if args.hotspots:
            columns = ("hotspot", "cells", "events", "peak_z", "x", "y", "districts", "cross_boundary")
            write_csv(
                out,
                columns,
                [
                    (h.label, h.cells, h.events, h.peak_z, h.x, h.y, " ".join(h.districts), h.cross_boundary)
                    for h in result.hotspots
                ],
            )
        else:
            rows, cells = _hotspot_rows(result)
            _write_cells(args, out, result, HOTSPOT_COLUMNS, rows, cells, "hotspot_cell")
    return 0


def _map(app: Analytics, args: argparse.Namespace) -> int:
    if args.out is None:
        raise SettingsError("map needs --out FILE.png (or FILE.geojson)")
    area = app.area(args.area)
    result = app.hotspots(_hotspot_settings(args), _events(args), area)
    if args.out.suffix.lower() == ".geojson":
        rows, cells = _hotspot_rows(result)
        features = cell_features(result.grid, HOTSPOT_COLUMNS, rows, cells, "hotspot_cell") + district_features(
            app.districts
        )
        with _output(args) as out:
            write_geojson(out, features, title=args.title, cell_size_m=result.grid.cell, band_m=args.band)
    elif args.out.suffix.lower() == ".png":
        from .mapping import render_hotspot_map  # matplotlib only when drawing

        args.out.parent.mkdir(parents=True, exist_ok=True)
        render_hotspot_map(result, app.districts, area, args.out, args.title)
    else:
        raise SettingsError("map writes .png or .geojson files")
    log.info("wrote %s", args.out)
    return 0


def _kde(app: Analytics, args: argparse.Namespace) -> int:
    result = app.kde(args.cell, KdeSettings(bandwidth=args.bandwidth), _events(args), args.area)
    grid = result.grid
    rows_idx, cols_idx = _cells(grid.mask)
    xc, yc = grid.centres()
    rows = [
        tuple(r)
        for r in zip(xc[rows_idx, cols_idx], yc[rows_idx, cols_idx], result.density[rows_idx, cols_idx], strict=True)
    ]
    with _output(args) as out:
        _write_cells(args, out, result, ("x", "y", "density_per_km2"), rows, (rows_idx, cols_idx), "density_cell")
    return 0


def _emerging(app: Analytics, args: argparse.Namespace) -> int:
    result = app.emerging(_hotspot_settings(args), _events(args), args.area)
    grid = result.grid
    r, c = _cells(grid.mask)
    xc, yc = grid.centres()
    columns = ("x", "y", "category", "trend_z", "trend_p", "hot_months", "cold_months", "district")
    rows = [
        tuple(v)
        for v in zip(
            xc[r, c],
            yc[r, c],
            result.category[r, c],
            result.trend_z[r, c],
            result.trend_p[r, c],
            result.hot[:, r, c].sum(axis=0),
            result.cold[:, r, c].sum(axis=0),
            grid.district_code(grid.centre_district[r, c]),
            strict=True,
        )
    ]
    log.info("months %s … %s", result.months[0], result.months[-1])
    with _output(args) as out:
        _write_cells(args, out, result, columns, rows, (r, c), "emerging_cell")
    return 0


def _repeat_places(app: Analytics, args: argparse.Namespace) -> int:
    result = app.repeat_places(_events(args), top=args.top, fraction=args.fraction)
    sys.stderr.write(
        f"{result.n_events} events at {result.n_places} places; "
        f"{result.repeat_places} places with 2 or more; "
        f"the top {result.fraction:.0%} ({result.top_places} places) hold {result.top_share:.1%} of events\n"
    )
    columns = ("rank", "location", "district", "lsoa_code", "x", "y", "count", "share", "cumulative_share")
    rows = [tuple(getattr(p, c) for c in columns) for p in result.places]
    with _output(args) as out:
        if args.format == "geojson":
            x = np.array([p.x for p in result.places])
            y = np.array([p.y for p in result.places])
            features = point_features(columns, rows, x, y, "repeat_place")
            write_geojson(out, features, top_share=result.top_share, places=result.n_places)
        else:
            write_csv(out, columns, rows)
    return 0


def _near_repeat(app: Analytics, args: argparse.Namespace) -> int:
    defaults = KnoxSettings()
    settings = KnoxSettings(
        space_bands=tuple(args.space_bands) if args.space_bands else defaults.space_bands,
        time_bands=tuple(int(t) for t in args.time_bands) if args.time_bands else defaults.time_bands,
        permutations=args.permutations,
        seed=args.seed,
    )
    events = _events(args)
    if not events.crime_types:
        events = EventFilter(events.months, ("Burglary",), events.districts, events.source)
    result = app.near_repeat(settings, events, progress=wanted(args.progress))
    sys.stderr.write(f"{result.n_events} events, {result.n_pairs} pairs within {settings.space_bands[-1]:g} m\n")
    rows = []
    for i, space in enumerate(settings.space_bands):
        low_s = 0 if i == 0 else settings.space_bands[i - 1]
        for j, time in enumerate(settings.time_bands):
            low_t = 0 if j == 0 else settings.time_bands[j - 1]
            rows.append(
                (
                    f"{low_s:g}-{space:g}" if i else f"0-{space:g}",
                    f"{low_t:g}-{time:g}" if j else f"0-{time:g}",
                    result.observed[i, j],
                    result.expected[i, j],
                    result.ratio[i, j],
                    result.p_value[i, j],
                    result.p_value[i, j] < settings.alpha,
                )
            )
    with _output(args) as out:
        write_csv(
            out,
            (
                "space_band_m",
                "time_band_months",
                "observed",
                "expected",
                "knox_ratio",
                "p_value",
                "significant",
            ),
            rows,
        )
    return 0


def _deprivation(app: Analytics, args: argparse.Namespace) -> int:
    result = app.deprivation(_events(args))
    sys.stderr.write(
        f"{result.events_in_area} events in {len(result.lsoas)} LSOAs over {result.months} month(s); "
        f"{result.unassigned} in LSOA 2011 areas split in 2021 left out\n"
    )
    columns = (
        "lsoa21_code",
        "lsoa21_name",
        "lsoa11_code",
        "district",
        "residents",
        "events",
        "rate_per_1000",
        "annual_rate_per_1000",
        "imd_rank",
        "imd_decile",
    )
    rows = [
        (
            r.lsoa.lsoa21_code,
            r.lsoa.lsoa21_name,
            r.lsoa.lsoa11_code,
            r.lsoa.district,
            r.lsoa.residents,
            r.events,
            r.rate_per_1000,
            r.annual_rate_per_1000,
            r.lsoa.imd_rank,
            r.lsoa.imd_decile,
        )
        for r in result.lsoas
    ]
    with _output(args) as out:
        write_csv(out, columns, rows)
    return 0


COMMANDS: dict[str, Callable[[Analytics, argparse.Namespace], int]] = {
    "ingest": _ingest,
    "ingest-partner": _ingest_partner,
    "status": _status,
    "counts": _counts,
    "change": _change,
    "seasonality": _seasonality,
    "hotspots": _hotspots,
    "map": _map,
    "kde": _kde,
    "emerging": _emerging,
    "repeat-places": _repeat_places,
    "near-repeat": _near_repeat,
    "deprivation": _deprivation,
}


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(message)s",
        stream=sys.stderr,
        force=True,
    )
    try:
        config = AnalyticsConfig.from_env()
        if args.data_dir is not None:
            config = replace(config, data_dir=args.data_dir.resolve())
        return COMMANDS[args.command](Analytics(config), args)
    except (SettingsError, ImproperlyConfigured) as exc:
        sys.stderr.write(f"csphub crime {args.command}: error: {exc}\n")
        return 2
    except AnalyticsError as exc:
        sys.stderr.write(f"csphub crime {args.command}: error: {exc}\n")
        return 1
    except BrokenPipeError:
        # The reader of standard output went away (e.g. `| head`): stop quietly, as other commands do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
