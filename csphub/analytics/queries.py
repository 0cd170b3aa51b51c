"""Reading what each analysis needs from the store (SQL over the ``events`` view), as plain arrays and dicts.

The analyses themselves are pure functions of these values; this module is the only place that knows the
views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np

from .errors import EmptyStoreError
from .places import PlaceCounts
from .store import EventFilter, month_index
from .trends import validate_by


def _floats(values: np.ndarray) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(values).astype(np.float64), np.nan)


def _require_any(con: duckdb.DuckDBPyConnection, events: EventFilter) -> None:
    where, params = events.where()
    if not con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()[0][0]:
        raise EmptyStoreError(
            "no events match (months, crime types, districts, source); "
            "has the store been filled with `csphub crime ingest PATH…`?"
        )


@dataclass(frozen=True, eq=False)
class Points:
    x: np.ndarray
    y: np.ndarray
    month: np.ndarray  # months since year 0 (consecutive months differ by 1)
    unlocated: int  # matching events without coordinates, left out


def event_points(con: duckdb.DuckDBPyConnection, events: EventFilter) -> Points:
    """The BNG coordinates and months of the matching events that have a location (one scan of the store)."""
    where, params = events.where()
    data = con.execute(
        # In a fixed order: seeded Monte Carlo results (near-repeat) must not depend on DuckDB's scan order.
        # Unlocated events (x NULL) sort last and are counted, not returned.
        f"SELECT x, y, year(month) * 12 + month(month) - 1 AS m FROM events WHERE {where} ORDER BY x NULLS LAST, y, m",
        params,
    ).fetchnumpy()
    x, y = _floats(data["x"]), _floats(data["y"])
    if not len(x):
        _require_any(con, events)  # raises: nothing matches
    located = ~np.isnan(x)
    unlocated = int(len(x) - located.sum())
    month = np.asarray(data["m"], dtype=np.int64)
    return Points(x[located], y[located], month[located], unlocated)


def months_present(con: duckdb.DuckDBPyConnection, events: EventFilter) -> tuple[date, ...]:
    """The months holding any event of the chosen source within the chosen months (other filters aside)."""
    unfiltered = EventFilter(months=events.months, source=events.source)
    where, params = unfiltered.where()
    rows = con.execute(f"SELECT DISTINCT month FROM events WHERE {where} ORDER BY month", params).fetchall()
    return tuple(row[0] for row in rows)


def monthly_grids_input(con: duckdb.DuckDBPyConnection, events: EventFilter) -> tuple[tuple[date, ...], Points]:
    """Every month from the first to the last present (a month without events is empty), and the points."""
    present = months_present(con, events)
    if not present:
        raise EmptyStoreError("no months of data match the filter")
    first, last = month_index(present[0]), month_index(present[-1])
    months = tuple(date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1))
    return months, event_points(con, events)


def grouped_monthly_counts(
    con: duckdb.DuckDBPyConnection, by: Sequence[str], events: EventFilter
) -> dict[tuple[object, ...], dict[date, int]]:
    """``counts[key][month]`` for the key columns ``by`` (which must not include month)."""
    keys = [c for c in validate_by(by) if c != "month"]
    where, params = events.where()
    select = ", ".join("coalesce(district, '')" if c == "district" else c for c in keys)
    sql = f"SELECT {select + ', ' if keys else ''}month, count(*) FROM events WHERE {where} GROUP BY ALL"
    result: dict[tuple[object, ...], dict[date, int]] = {}
    for row in con.execute(sql, params).fetchall():
        result.setdefault(tuple(row[:-2]), {})[row[-2]] = int(row[-1])
    return result


def place_counts(con: duckdb.DuckDBPyConnection, events: EventFilter) -> PlaceCounts:
    """Events per place: a location's coordinates and description (located events only)."""
    _require_any(con, events)
    where, params = events.where()
    rows = con.execute(
        f"""SELECT coalesce(location, ''), coalesce(any_value(district), ''),
        coalesce(any_value(lsoa_code), ''),
        x, y, count(*) FROM events WHERE {where} AND x IS NOT NULL GROUP BY x, y, location""",
        params,
    ).fetchall()
    return PlaceCounts(
        location=tuple(r[0] for r in rows),
        district=tuple(r[1] for r in rows),
        lsoa_code=tuple(r[2] for r in rows),
        x=np.array([r[3] for r in rows], dtype=np.float64),
        y=np.array([r[4] for r in rows], dtype=np.float64),
        count=np.array([r[5] for r in rows], dtype=np.int64),
    )


def lsoa_counts(con: duckdb.DuckDBPyConnection, events: EventFilter) -> dict[tuple[str, int], int]:
    """Events per (LSOA code, vintage)."""
    _require_any(con, events)
    where, params = events.where()
    rows = con.execute(
        f"""SELECT lsoa_code, lsoa_vintage, count(*) FROM events
        WHERE {where} AND lsoa_code IS NOT NULL GROUP BY ALL""",
        params,
    ).fetchall()
    return {(r[0], int(r[1])): int(r[2]) for r in rows}


def months_covered(con: duckdb.DuckDBPyConnection, events: EventFilter) -> int:
    """How many months of data the matching events cover: the distinct months of the force (or partner agency)
    that recorded most of them. A force's file holds a few rows outside its own area, so another force's stray
    rows in the area would otherwise add months that the area's data does not have."""
    where, params = events.where()
    rows = con.execute(
        f"""WITH matching AS (SELECT coalesce(force, source) AS recorder, month FROM events WHERE {where}),
        main AS (SELECT recorder FROM matching GROUP BY recorder ORDER BY count(*) DESC, recorder LIMIT 1)
        SELECT count(DISTINCT month) FROM matching WHERE recorder = (SELECT recorder FROM main)""",
        params,
    ).fetchall()
    return int(rows[0][0])
