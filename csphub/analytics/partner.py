"""Partner data — council ASB reports, night-time-economy incident logs — through one documented CSV schema.

A partner file is a UTF-8 CSV whose header names some of these columns, in any order (see docs/analytics.md):

=================  ========  =========================================================================
column             required  meaning
=================  ========  =========================================================================
``occurred_at``    yes       date or date and time: ``2025-03-01``, ``2025-03-01 22:15[:00]``,
                             ``2025-03-01T22:15[:00]``, ``01/03/2025`` or ``01/03/2025 22:15[:00]`` (UK order)
``category``       yes       what happened, in the agency's own words (e.g. "Noise nuisance")
``source_agency``  yes       the agency that recorded it (e.g. "North Northamptonshire Council")
``reference``      no        the agency's own reference
``location``       no        a description of the place
``postcode``       no*       a full UK postcode
``easting``        no*       British National Grid easting and northing in metres (both or neither)
``northing``
``latitude``       no*       WGS84 latitude and longitude in degrees (both or neither)
``longitude``
=================  ========  =========================================================================

\\* the header must offer at least one way to locate an incident: a postcode, easting and northing, or
latitude and longitude. A row uses its coordinates when it has them, else its postcode (looked up in the
shipped Code-Point Open extract); a row with neither, or with a postcode the lookup does not hold, is kept and
counted as unlocated.

Rows are stored per agency and month (of ``occurred_at``); re-ingesting an agency's month replaces it. As for
police.uk files, any bad row stops the ingest with its file and line, and nothing reaches the store.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from csphub.geography import BNG_BOUNDS, GB_LAT_RANGE, GB_LON_RANGE, bng_to_wgs84_arrays, wgs84_to_bng_arrays

from .errors import IngestError
from .geo import Districts
from .ingest import REJECT_REASONS
from .schema import Check, sql_str
from .store import CrimeStore

log = logging.getLogger(__name__)

REQUIRED = ("occurred_at", "category", "source_agency")
OPTIONAL = ("reference", "location", "postcode", "easting", "northing", "latitude", "longitude")
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)
POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}"


_FORMATS_SQL = "[" + ", ".join(sql_str(f) for f in DATE_FORMATS) + "]"
_X0, _Y0, _X1, _Y1 = BNG_BOUNDS


def _pair(a: str, b: str) -> Check:
    return Check(f"(r.{a} IS NULL) <> (r.{b} IS NULL)", f"'{a} and {b} go together: one is empty'")


def _number(column: str) -> Check:
    return Check(
        f"r.{column} IS NOT NULL AND try_cast(r.{column} AS DOUBLE) IS NULL",
        f"'{column} ''' || r.{column} || ''' is not a number'",
    )


CHECKS: dict[str, tuple[Check, ...]] = {
    "occurred_at": (
        Check(
            f"try_strptime(r.occurred_at, {_FORMATS_SQL}) IS NULL",
            "'occurred_at ' || coalesce('''' || r.occurred_at || '''', '(empty)') || "
            "' is not a date (e.g. 2025-03-01 22:15 or 01/03/2025 22:15)'",
        ),
    ),
    "category": (Check("r.category IS NULL", "'category is empty'"),),
    "source_agency": (Check("r.source_agency IS NULL", "'source_agency is empty'"),),
    "postcode": (
        Check(
            f"r.postcode IS NOT NULL AND NOT regexp_full_match(upper(r.postcode), '{POSTCODE}')",
            "'postcode ''' || r.postcode || ''' is not a UK postcode'",
        ),
    ),
    "easting": (
        _pair("easting", "northing"),
        _number("easting"),
        _number("northing"),
        Check(
            f"try_cast(r.easting AS DOUBLE) NOT BETWEEN {_X0} AND {_X1} "
            f"OR try_cast(r.northing AS DOUBLE) NOT BETWEEN {_Y0} AND {_Y1}",
            "'easting ' || r.easting || ', northing ' || r.northing || ' is not a British National Grid point'",
        ),
    ),
    "latitude": (
        _pair("latitude", "longitude"),
        _number("latitude"),
        _number("longitude"),
        Check(
            f"try_cast(r.latitude AS DOUBLE) NOT BETWEEN {GB_LAT_RANGE[0]} AND {GB_LAT_RANGE[1]} "
            f"OR try_cast(r.longitude AS DOUBLE) NOT BETWEEN {GB_LON_RANGE[0]} AND {GB_LON_RANGE[1]}",
            "'latitude ' || r.latitude || ', longitude ' || r.longitude || ' is not a point in Great Britain'",
        ),
    ),
}


@dataclass(frozen=True)
class PartnerFileReport:
    source: str
    rows: int
    unlocated: int
    unknown_postcodes: int
    agency_months: tuple[tuple[str, str], ...]  # (agency, YYYY-MM) written


@dataclass(frozen=True)
class PartnerIngestResult:
    files: tuple[PartnerFileReport, ...]
    replaced: tuple[tuple[str, str], ...]  # (agency folder, month) that replaced stored ones

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


def agency_slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "agency"


def read_header(path: Path) -> list[str]:
    display = str(path)
    try:
        with path.open("rb") as fh:
            first = fh.readline(1 << 16).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(display, "the header is not UTF-8 text (save the file as CSV UTF-8)", 1) from None
    except OSError as exc:
        raise IngestError(display, f"cannot read the file ({exc})") from exc
    if not first.strip():
        raise IngestError(display, "empty first line; expected the partner header (see docs/analytics.md)", 1)
    names = [name.strip().lower() for name in next(csv.reader([first]))]
    unknown = [n for n in names if n not in REQUIRED + OPTIONAL]
    if unknown:
        raise IngestError(
            display,
            f"unknown column(s) {', '.join(map(repr, unknown))}; known: {', '.join(REQUIRED + OPTIONAL)}",
            1,
        )
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise IngestError(display, f"missing required column(s): {', '.join(missing)}", 1)
    if len(set(names)) != len(names):
        raise IngestError(display, "a column is named twice in the header", 1)
    for a, b in (("easting", "northing"), ("latitude", "longitude")):
        if (a in names) != (b in names):
            raise IngestError(display, f"{a} and {b} go together: the header has only one of them", 1)
    if not {"postcode", "easting", "latitude"} & set(names):
        raise IngestError(display, "no location column: give postcode, easting/northing or latitude/longitude", 1)
    return names


def _float(values: np.ndarray) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(values).astype(np.float64), np.nan)


def ingest_partner_files(
    paths: Sequence[Path], store: CrimeStore, districts: Districts, postcodes: Path
) -> PartnerIngestResult:
    """Ingest partner CSV files (the schema above); all of them or, on any error, none."""
    con = duckdb.connect()
    try:
        con.execute(
            f"""CREATE TEMP TABLE postcodes AS SELECT Postcode AS postcode, Eastings::DOUBLE AS e,
            Northings::DOUBLE AS n, Latitude_WGS84::DOUBLE AS lat, Longitude_WGS84::DOUBLE AS lon
            FROM read_csv({sql_str(str(postcodes))}, header = true, all_varchar = true)"""
        )
        con.execute(
            """CREATE TEMP TABLE typed (row_id BIGINT, file_idx INTEGER, source_agency VARCHAR,
            agency VARCHAR, reference VARCHAR, occurred_at TIMESTAMP, category VARCHAR, location_text VARCHAR,
            postcode VARCHAR,
            easting DOUBLE, northing DOUBLE, latitude DOUBLE, longitude DOUBLE, source_file VARCHAR)"""
        )
        for idx, path in enumerate(Path(p) for p in paths):
            _load_file(con, idx, path)
        return _write(con, [str(p) for p in paths], store, districts)
    finally:
        con.close()


def _load_file(con: duckdb.DuckDBPyConnection, idx: int, path: Path) -> None:
    display = str(path)
    if not path.is_file():
        raise IngestError(display, "no such file")
    names = read_header(path)
    columns = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in names) + "}"
    con.execute("DROP TABLE IF EXISTS raw")
    try:
        con.execute(
            f"""CREATE TEMP TABLE raw AS SELECT * FROM read_csv({sql_str(display)}, header = true,
            columns = {columns}, auto_detect = false, delim = ',', quote = '"', escape = '"',
            strict_mode = true, encoding = 'utf-8', store_rejects = true, rejects_table = 'rejects_{idx}',
            rejects_scan = 'scans_{idx}')"""
        )
    except duckdb.Error as exc:
        raise IngestError(display, str(exc).splitlines()[0]) from exc
    rejects = con.execute(f"SELECT line, error_type FROM rejects_{idx} ORDER BY line LIMIT 1").fetchall()
    if rejects:
        line, error_type = rejects[0]
        reason = REJECT_REASONS.get(error_type, error_type.lower())
        raise IngestError(display, reason, int(line))
    # Trim every value; an empty or blank value is NULL.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw AS SELECT "
        + ", ".join(f'nullif(trim("{n}"), \'\') AS "{n}"' for n in names)
        + " FROM raw"
    )
    checks = [check for name in names for check in CHECKS.get(name, ())]
    cases = " ".join(f"WHEN {c.violation} THEN {c.message}" for c in checks)
    broken = " OR ".join(f"coalesce({c.violation}, false)" for c in checks)
    bad = con.execute(
        f"SELECT r.rowid + 2, CASE {cases} END FROM raw r WHERE {broken} ORDER BY r.rowid LIMIT 1"
    ).fetchall()
    if bad:
        raise IngestError(display, str(bad[0][1]), int(bad[0][0]))

    def col(name: str, sql_type: str = "VARCHAR") -> str:
        return f"CAST(r.{name} AS {sql_type})" if name in names else f"CAST(NULL AS {sql_type})"

    postcode = (
        "regexp_replace(upper(replace(r.postcode, ' ', '')), '([0-9][A-Z]{2})$', ' \\1')"
        if "postcode" in names
        else "CAST(NULL AS VARCHAR)"
    )
    con.execute(
        f"""INSERT INTO typed SELECT
            (SELECT count(*) FROM typed) + r.rowid, {idx}, r.source_agency, NULL, {col("reference")},
            try_strptime(r.occurred_at, {_FORMATS_SQL}), r.category, {col("location")}, {postcode},
            {col("easting", "DOUBLE")}, {col("northing", "DOUBLE")}, {col("latitude", "DOUBLE")},
            {col("longitude", "DOUBLE")}, {sql_str(display)}
        FROM raw r"""
    )


def _write(
    con: duckdb.DuckDBPyConnection, displays: list[str], store: CrimeStore, districts: Districts
) -> PartnerIngestResult:
    agencies = [row[0] for row in con.execute("SELECT DISTINCT source_agency FROM typed").fetchall()]
    con.executemany("UPDATE typed SET agency = ? WHERE source_agency = ?", [(agency_slug(a), a) for a in agencies])
    data = con.execute(
        """SELECT t.row_id, t.easting, t.northing, t.latitude, t.longitude, p.e, p.n, p.lat, p.lon,
        t.postcode IS NOT NULL AND p.postcode IS NULL AS unknown_postcode
        FROM typed t LEFT JOIN postcodes p ON replace(t.postcode, ' ', '') = p.postcode ORDER BY t.row_id"""
    ).fetchnumpy()
    easting, northing = _float(data["easting"]), _float(data["northing"])
    lat_in, lon_in = _float(data["latitude"]), _float(data["longitude"])
    x, y = np.full(len(easting), np.nan), np.full(len(easting), np.nan)
    lat, lon = np.full(len(easting), np.nan), np.full(len(easting), np.nan)
    method = np.full(len(easting), None, dtype=object)
    by_grid = ~np.isnan(easting)
    by_degrees = ~by_grid & ~np.isnan(lat_in)
    by_postcode = ~by_grid & ~by_degrees & ~np.isnan(_float(data["e"]))
    x[by_grid], y[by_grid] = easting[by_grid], northing[by_grid]
    lat[by_grid], lon[by_grid] = bng_to_wgs84_arrays(easting[by_grid], northing[by_grid])
    lat[by_degrees], lon[by_degrees] = lat_in[by_degrees], lon_in[by_degrees]
    x[by_degrees], y[by_degrees] = wgs84_to_bng_arrays(lat_in[by_degrees], lon_in[by_degrees])
    x[by_postcode], y[by_postcode] = _float(data["e"])[by_postcode], _float(data["n"])[by_postcode]
    lat[by_postcode], lon[by_postcode] = _float(data["lat"])[by_postcode], _float(data["lon"])[by_postcode]
    method[by_grid | by_degrees] = "coordinates"
    method[by_postcode] = "postcode"
    con.register(
        "geo",
        {
            "row_id": np.asarray(data["row_id"]),
            "x": x,
            "y": y,
            "lat": lat,
            "lon": lon,
            "method": method,
            "district": districts.locate(lat, lon),
            "unknown_postcode": np.asarray(data["unknown_postcode"]),
        },
    )
    reports = []
    for idx, display in enumerate(displays):
        row = con.execute(
            """SELECT count(*), count(*) FILTER (WHERE g.method IS NULL),
            count(*) FILTER (WHERE g.unknown_postcode)
            FROM typed t JOIN geo g USING (row_id) WHERE t.file_idx = ?""",
            [idx],
        ).fetchall()[0]
        months = con.execute(
            """SELECT DISTINCT agency, strftime(occurred_at, '%Y-%m') FROM typed
            WHERE file_idx = ? ORDER BY ALL""",
            [idx],
        ).fetchall()
        reports.append(PartnerFileReport(display, int(row[0]), int(row[1]), int(row[2]), tuple(months)))
    replaced = []
    with store.staging() as staging:
        out = staging / "partner"
        if con.execute("SELECT count(*) FROM typed").fetchall()[0][0]:
            con.execute(
                f"""COPY (
                SELECT t.source_agency, t.agency, t.reference, t.occurred_at,
                    CAST(date_trunc('month', t.occurred_at) AS DATE) AS month, t.category, t.location_text,
                    t.postcode, g.lon AS longitude, g.lat AS latitude, g.x AS x, g.y AS y,
                    g.method AS location_method,
                    g.district AS district, t.source_file
                FROM typed t JOIN geo g USING (row_id) ORDER BY t.row_id
            ) TO {sql_str(str(out))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (agency, month),
                WRITE_PARTITION_COLUMNS true)"""
            )
        moves = []
        for agency_dir in sorted(out.glob("agency=*")) if out.exists() else []:
            for month_dir in sorted(agency_dir.glob("month=*")):
                agency = agency_dir.name.split("=", 1)[1]
                month = month_dir.name.split("=", 1)[1][:7]
                parts = sorted(month_dir.glob("*.parquet"))
                target = staging / f"{agency}-{month}.parquet"
                files = ", ".join(sql_str(str(p)) for p in parts)
                con.execute(f"COPY (SELECT * FROM read_parquet([{files}])) TO {sql_str(str(target))} (FORMAT parquet)")
                moves.append((target, store.partner_path(agency, month), (agency, month)))
        for staged, final, key in moves:
            if final.exists():
                replaced.append(key)
            final.parent.mkdir(parents=True, exist_ok=True)
            staged.replace(final)  # atomic rename on one filesystem
    for report in reports:
        log.info(
            "%s: %d incidents (%d unlocated, %d with a postcode not in the lookup)",
            report.source,
            report.rows,
            report.unlocated,
            report.unknown_postcodes,
        )
    return PartnerIngestResult(tuple(reports), tuple(replaced))
