"""The analytics store: Parquet files in one folder, one file per force (or agency) and month, read by DuckDB.

Layout under the store folder (``CSPHUB_DATA_DIR``)::

    police-uk/street/<force>/<YYYY-MM>.parquet
    police-uk/outcomes/<force>/<YYYY-MM>.parquet
    police-uk/stop_and_search/<force>/<YYYY-MM>.parquet
    partner/<agency>/<YYYY-MM>.parquet
    .staging/                  work in progress of an ingest, never read

A month is replaced by renaming a complete file over the old one (``os.replace``, atomic on one filesystem),
so a reader sees the old month or the new one, never half of either. DuckDB reads the files in place through
views:

- ``street``, ``outcomes``, ``stop_and_search``, ``partner``: the stored rows;
- ``crimes``: street rows with the latest outcome police.uk recorded for each crime (joined by Crime ID);
- ``events``: what the analyses count — police.uk street rows and partner incidents in one shape.
"""

from __future__ import annotations

import calendar
import contextlib
import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb

from .errors import SettingsError
from .schema import crime_series_sql, sql_str

POLICE = "police-uk"
PARTNER = "partner"
KIND_FOLDERS = ("street", "outcomes", "stop_and_search")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> date:
    """``YYYY-MM`` → the first day of that month."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise SettingsError(f"{text!r} is not a month (YYYY-MM)")
    return date(int(match[1]), int(match[2]), 1)


def month_key(month: date) -> str:
    return f"{month:%Y-%m}"


def month_index(month: date) -> int:
    """Months since year 0: consecutive months differ by 1."""
    return month.year * 12 + month.month - 1


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class MonthRange:
    """Months from ``first`` to ``last``, both included; either end may be open (None)."""

    first: date | None = None
    last: date | None = None

    def __post_init__(self) -> None:
        if self.first and self.last and self.first > self.last:
            raise SettingsError(f"the month range starts ({self.first:%Y-%m}) after it ends ({self.last:%Y-%m})")

    @classmethod
    def parse(cls, text: str) -> MonthRange:
        """``2025-01:2025-06``, ``2025-01:`` (from), ``:2025-06`` (until) or ``2025-03`` (one month)."""
        if ":" not in text:
            month = parse_month(text)
            return cls(month, month)
        start, _, end = text.partition(":")
        return cls(parse_month(start) if start.strip() else None, parse_month(end) if end.strip() else None)

    def __str__(self) -> str:
        return f"{month_key(self.first) if self.first else ''}:{month_key(self.last) if self.last else ''}"


Source = Literal["police", "partner", "all"]


@dataclass(frozen=True)
class Circle:
    """An area round a point, in British National Grid metres: a town centre for its night-time economy."""

    x: float
    y: float
    radius: float

    def __post_init__(self) -> None:
        if not self.radius > 0:
            raise SettingsError(f"a circle's radius must be more than 0 metres, not {self.radius!r}")


@dataclass(frozen=True)
class EventFilter:
    """Which events an analysis uses. Crime types match a police.uk name or a series (old names included)."""

    months: MonthRange = field(default_factory=MonthRange)
    crime_types: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    source: Source = "police"
    #: only events located within this circle (None: wherever they are, located or not)
    within: Circle | None = None

    def __post_init__(self) -> None:
        if self.source not in ("police", "partner", "all"):
            raise SettingsError(f"source must be police, partner or all, not {self.source!r}")

    def where(self) -> tuple[str, list[object]]:
        """A SQL condition over the ``events`` view and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if self.months.first:
            clauses.append("month >= ?")
            params.append(self.months.first)
        if self.months.last:
            clauses.append("month <= ?")
            params.append(self.months.last)
        if self.crime_types:
            marks = ", ".join("?" * len(self.crime_types))
            clauses.append(f"(crime_type IN ({marks}) OR crime_series IN ({marks}))")
            params.extend(self.crime_types * 2)
        if self.districts:
            clauses.append(f"district IN ({', '.join('?' * len(self.districts))})")
            params.extend(self.districts)
        if self.within is not None:
            c = self.within
            clauses.append("x IS NOT NULL AND y IS NOT NULL AND (x - ?) * (x - ?) + (y - ?) * (y - ?) <= ?")
            params.extend([c.x, c.x, c.y, c.y, c.radius * c.radius])
        if self.source == "police":
            clauses.append("source = 'police.uk'")
        elif self.source == "partner":
            clauses.append("source <> 'police.uk'")
        return (" AND ".join(clauses) or "true"), params


# The shape of the ``events`` view, and how each stored table fills it.
_EVENT_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    # name, type, from street, from partner
    ("source", "VARCHAR", "'police.uk'", "source_agency"),
    ("force", "VARCHAR", "force", "NULL"),
    ("month", "DATE", "month", "month"),
    ("crime_type", "VARCHAR", "crime_type", "category"),
    ("crime_series", "VARCHAR", "crime_series", "category"),
    ("district", "VARCHAR", "district", "district"),
    ("x", "DOUBLE", "x", "x"),
    ("y", "DOUBLE", "y", "y"),
    ("longitude", "DOUBLE", "longitude", "longitude"),
    ("latitude", "DOUBLE", "latitude", "latitude"),
    ("location", "VARCHAR", "location", "coalesce(postcode, location_text)"),
    ("lsoa_code", "VARCHAR", "lsoa_code", "NULL"),
    ("lsoa_vintage", "SMALLINT", "lsoa_vintage", "NULL"),
)


def _events_select(table: str, column: int) -> str:
    return "SELECT " + ", ".join(f"CAST({c[column]} AS {c[1]}) AS {c[0]}" for c in _EVENT_COLUMNS) + f" FROM {table}"


def _sql_path_list(paths: list[Path]) -> str:
    return "[" + ", ".join(sql_str(str(p)) for p in paths) + "]"


@dataclass(frozen=True)
class Partition:
    table: str  # street, outcomes, stop_and_search or partner
    owner: str  # force or agency
    month: str
    path: Path


class CrimeStore:
    """The Parquet store under ``root``: where each month lives, and DuckDB connections that read it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def police_path(self, folder: str, force: str, month: str) -> Path:
        return self.root / POLICE / folder / force / f"{month}.parquet"

    def partner_path(self, agency: str, month: str) -> Path:
        return self.root / PARTNER / agency / f"{month}.parquet"

    def files(self, table: str) -> list[Path]:
        base = self.root / PARTNER if table == PARTNER else self.root / POLICE / table
        return sorted(base.glob("*/*.parquet")) if base.is_dir() else []

    def partitions(self) -> list[Partition]:
        found = []
        for table in (*KIND_FOLDERS, PARTNER):
            for path in self.files(table):
                found.append(Partition(table, path.parent.name, path.stem, path))
        return found

    def signature(self) -> tuple[tuple[str, int], ...]:
        """The store's folders of months (one per table and force or agency) with their modification times: an
        ingest renames each month's file into its folder, which changes the folder's time (a force's or agency's
        first month adds a folder)."""
        folders = [self.root / POLICE / kind for kind in KIND_FOLDERS] + [self.root / PARTNER]
        found: list[tuple[str, int]] = []
        for folder in folders:
            if not folder.is_dir():
                continue
            with os.scandir(folder) as entries:
                found.extend((e.path, e.stat().st_mtime_ns) for e in entries if e.is_dir())
        return tuple(sorted(found))

    @staticmethod
    def provenance(path: Path) -> dict[str, str]:
        """What the ingest recorded in a stored file's Parquet metadata (source file, rows, time…)."""
        con = duckdb.connect()
        try:
            rows = con.execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(path)]).fetchall()
        finally:
            con.close()
        return {str(k): str(v) for k, v in rows}

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh private folder inside the store (same filesystem, so its files can be renamed into place),
        removed afterwards whatever happens; the store's writer lock is held meanwhile."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            folder = self.root / ".staging" / uuid.uuid4().hex
            folder.mkdir(parents=True)
            try:
                yield folder
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    def connect(self, districts: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with the store's views (over the files present now).

        With ``districts``, ``events`` is a table of the events of those districts only, read from the files once
        (``all_events`` is the view of every event): any query that keeps to those districts gives the same answer,
        without reading a national year's 528 files again (the partnership's four districts hold ~1 % of it)."""
        con = duckdb.connect()
        con.execute("SET enable_object_cache = true")  # the files' footers are read once per connection
        derived = {"street": f", {crime_series_sql('crime_type')} AS crime_series"}
        for table in (*KIND_FOLDERS, PARTNER):
            paths = self.files(table)
            if paths:
                con.execute(
                    f"CREATE VIEW {table} AS SELECT *{derived.get(table, '')} "
                    f"FROM read_parquet({_sql_path_list(paths)}, union_by_name=true)"
                )
        present = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        parts = []
        if "street" in present:
            parts.append(_events_select("street", 2))
        if PARTNER in present:
            parts.append(_events_select(PARTNER, 3))
        if not parts:
            empty = ", ".join(f"CAST(NULL AS {c[1]}) AS {c[0]}" for c in _EVENT_COLUMNS)
            parts = [f"SELECT {empty} WHERE false"]
        if districts:
            con.execute("CREATE VIEW all_events AS " + " UNION ALL ".join(parts))
            marks = ", ".join("?" * len(districts))
            con.execute(f"CREATE TABLE events AS SELECT * FROM all_events WHERE district IN ({marks})", list(districts))
        else:
            con.execute("CREATE VIEW events AS " + " UNION ALL ".join(parts))
        if "street" in present:
            if "outcomes" in present:
                # The latest outcome per crime: outcomes files of later months hold outcomes of earlier
                # crimes.
                con.execute(
                    """CREATE VIEW crimes AS
                    SELECT s.*, o.outcome_type AS latest_outcome_type, o.month AS latest_outcome_month
                    FROM street s LEFT JOIN (
                        SELECT crime_id, arg_max(outcome_type, month) AS outcome_type, max(month) AS month
                        FROM outcomes GROUP BY crime_id
                    ) o ON s.crime_id = o.crime_id"""
                )
            else:
                con.execute(
                    "CREATE VIEW crimes AS SELECT s.*, CAST(NULL AS VARCHAR) AS latest_outcome_type, "
                    "CAST(NULL AS DATE) AS latest_outcome_month FROM street s"
                )
        return con
