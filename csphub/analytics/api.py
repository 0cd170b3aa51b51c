"""One entry point for callers (the CLI, the web app, reports): each method reads the store and runs one
analysis.

``Analytics(AnalyticsConfig.from_env())`` finds the store and the reference data from the environment. Methods
take a frozen settings dataclass (validated when built) and an :class:`~.store.EventFilter`, and return the
typed result of the pure analysis function.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np

from .config import AnalyticsConfig
from .deprivation import DeprivationResult, deprivation_rates, load_lsoas
from .emerging import EmergingResult, emerging_hotspots
from .errors import EmptyStoreError, SettingsError
from .geo import Districts, load_districts
from .grid import Grid, cached_grid
from .holdings import Holdings, holdings
from .hotspots import HotspotResult, HotspotSettings, find_hotspots
from .ingest import IngestResult, IngestSettings, ingest_police_files
from .kde import KdeResult, KdeSettings, kernel_density
from .nearrepeat import KnoxResult, KnoxSettings, knox_test
from .partner import PartnerIngestResult, ingest_partner_files
from .places import RepeatPlaces, repeat_places
from .queries import (
    event_points,
    grouped_monthly_counts,
    lsoa_counts,
    monthly_grids_input,
    months_covered,
    months_present,
    place_counts,
)
from .store import CrimeStore, EventFilter, MonthRange, month_index
from .trends import (
    ChangeTable,
    CountTable,
    Seasonality,
    YearOnYear,
    compare_periods,
    count_events,
    seasonality,
    year_on_year,
)


class Analytics:
    def __init__(self, config: AnalyticsConfig) -> None:
        self.config = config
        self.store = CrimeStore(config.data_dir)
        # Connections with the store's views, kept while the store's files stay the same (its signature), one per
        # set of districts the queries keep to: creating the views over hundreds of files, and reading their
        # footers, costs more than a query over the right ones. Each call works on a cursor of its own.
        self._connections: dict[tuple[str, ...], duckdb.DuckDBPyConnection] = {}
        self._signature: tuple[tuple[str, int], ...] | None = None
        self._lock = threading.Lock()

    @cached_property
    def districts(self) -> Districts:
        c = self.config
        return load_districts(c.district_boundaries, c.district_code_field, c.district_name_field)

    def _base(self, districts: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
        signature = self.store.signature()
        # Any of the partnership's districts: the table of all of them, made once for every district's queries.
        key = self.config.csp_districts if set(districts) <= set(self.config.csp_districts) else districts
        key = tuple(sorted(key)) if districts else ()
        with self._lock:
            if signature != self._signature:
                # Not closed here: another thread may still be reading through a cursor of one; each goes with
                # its last cursor.
                self._connections = {}
                self._signature = signature
            if key not in self._connections:
                self._connections[key] = self.store.connect(key)
            return self._connections[key]

    @contextlib.contextmanager
    def _connection(self, events: EventFilter | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor over the store's views; when the events keep to some districts, over a table of those districts'
        events (``CrimeStore.connect(districts)``), kept until the store changes.

        Queries that keep to those districts answer as over every event; districts of the partnership share one
        table of all its districts. The months "present in the data" (``months_present``: year-on-year and
        seasonality count a month without an event as 0) are then the months with an event in the partnership's
        districts (or in the districts asked for, outside it), not in the whole store."""
        cursor = self._base(events.districts if events is not None else ()).cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def area(self, codes: Sequence[str] | None) -> tuple[str, ...]:
        """The study area's district codes (the partnership's by default), checked against the boundaries."""
        area = tuple(codes) if codes else self.config.csp_districts
        for code in area:
            self.districts.index_of(code)
        return area

    def grid(self, area: tuple[str, ...], cell: float) -> Grid:
        return cached_grid(self.districts, area, float(cell))

    # --- ingest
    # -----------------------------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path], settings: IngestSettings | None = None) -> IngestResult:
        return ingest_police_files(paths, self.store, self.districts, settings)

    def ingest_partner(self, paths: Sequence[Path]) -> PartnerIngestResult:
        return ingest_partner_files(
            paths, self.store, self.districts, self.config.reference(self.config.postcodes_file)
        )

    def holdings(self) -> Holdings:
        """What the store holds: each stored month with its rows, unlocated and outside-district counts."""
        return holdings(self.store)

    # --- counts and change
    # ------------------------------------------------------------------------------------------
    def counts(self, by: Sequence[str], events: EventFilter) -> CountTable:
        with self._connection(events) as con:
            return count_events(con, by, events)

    def change(self, by: Sequence[str], base: MonthRange, compare: MonthRange, events: EventFilter) -> ChangeTable:
        keys = tuple(c for c in by if c != "month")
        with self._connection(events) as con:
            counted = []
            for period in (base, compare):
                table = count_events(con, keys, replace(events, months=period))
                counted.append(table.as_dict())
        return compare_periods(counted[0], counted[1], keys, base, compare)

    def year_on_year(self, by: Sequence[str], events: EventFilter) -> tuple[tuple[str, ...], tuple[YearOnYear, ...]]:
        keys = tuple(c for c in by if c != "month")
        with self._connection(events) as con:
            monthly = grouped_monthly_counts(con, keys, events)
            present = months_present(con, events)
        return keys, year_on_year(monthly, present)

    def seasonality(self, events: EventFilter) -> Seasonality:
        with self._connection(events) as con:
            monthly = grouped_monthly_counts(con, (), events).get((), {})
            for month in months_present(con, events):
                monthly.setdefault(month, 0)
        if not monthly:
            raise EmptyStoreError("no events match the filter")
        return seasonality(monthly)

    # --- places
    # -----------------------------------------------------------------------------------------------------
    def _area_events(self, events: EventFilter, area: tuple[str, ...]) -> EventFilter:
        if events.districts:
            raise SettingsError("a grid analysis takes its districts from the study area (--area), not --district")
        return replace(events, districts=area)

    def hotspots(
        self, settings: HotspotSettings, events: EventFilter, area: Sequence[str] | None = None
    ) -> HotspotResult:
        codes = self.area(area)
        with self._connection() as con:
            points = event_points(con, self._area_events(events, codes))
        grid = self.grid(codes, settings.cell)
        return find_hotspots(grid, grid.bin(points.x, points.y), settings)

    def kde(
        self, cell: float, settings: KdeSettings, events: EventFilter, area: Sequence[str] | None = None
    ) -> KdeResult:
        codes = self.area(area)
        with self._connection() as con:
            points = event_points(con, self._area_events(events, codes))
        grid = self.grid(codes, cell)
        return kernel_density(grid, grid.bin(points.x, points.y), settings)

    def emerging(
        self, settings: HotspotSettings, events: EventFilter, area: Sequence[str] | None = None
    ) -> EmergingResult:
        codes = self.area(area)
        with self._connection() as con:
            months, points = monthly_grids_input(con, self._area_events(events, codes))
        grid = self.grid(codes, settings.cell)
        stack = np.zeros((len(months), *grid.shape), dtype=np.int64)
        first = month_index(months[0])
        for step in range(len(months)):
            chosen = points.month == first + step
            stack[step] = grid.bin(points.x[chosen], points.y[chosen])
        return emerging_hotspots(grid, stack, months, settings)

    def repeat_places(self, events: EventFilter, *, top: int = 50, fraction: float = 0.05) -> RepeatPlaces:
        with self._connection(events) as con:
            counts = place_counts(con, events)
        return repeat_places(counts, top=top, fraction=fraction)

    def near_repeat(self, settings: KnoxSettings, events: EventFilter, *, progress: bool = False) -> KnoxResult:
        with self._connection() as con:
            points = event_points(con, events)
        return knox_test(points.x, points.y, points.month, settings, progress=progress)

    def deprivation(self, events: EventFilter, area: Sequence[str] | None = None) -> DeprivationResult:
        """Rates by LSOA of the partnership's districts (or of ``area``, some of them) with their IMD decile."""
        c = self.config
        lsoas = load_lsoas(
            c.reference(c.lsoa_lookup_file),
            c.reference(c.population_file),
            c.reference(c.imd_file),
            tuple(area) if area else c.csp_districts,
        )
        # With a district filter, the files of those districts and of the partnership's (months_covered below).
        scope = replace(events, districts=tuple({*events.districts, *c.csp_districts})) if events.districts else events
        with self._connection(scope) as con:
            counts = lsoa_counts(con, events)
            # The months the rates cover: those of the partnership's districts' main force (see
            # months_covered).
            months = months_covered(con, replace(events, districts=c.csp_districts))
        return deprivation_rates(lsoas, counts, months)
