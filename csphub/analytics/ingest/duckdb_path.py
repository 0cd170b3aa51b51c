"""The DuckDB path (stop-and-search files always, and any kind with a file pyarrow refuses): pass 1 reads and
locates all files of the kind in one query, pass 2 checks, types and writes each file in a query of its own."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import duckdb
import numpy as np

from csphub.geography import wgs84_to_bng_arrays

from ..errors import IngestError
from ..geo import Districts
from ..schema import FileKind, sql_str
from ..sources import SourceFile
from .diagnosis import _duckdb_error, _first_violation, _raise_first_reject
from .reading import read_csv_sql
from .settings import IngestSettings, _workers
from .worktables import _read_vintages


def _lsoa_columns(kind: FileKind) -> tuple[str, str]:
    # Police.uk derives the LSOA from the snap point, so the LSOA codes of one coordinate are (almost always) one
    # code: their minimum and maximum per coordinate are enough to find the file's vintage.
    return ('min(r."LSOA code")', 'max(r."LSOA code")') if kind.has_lsoa else ("NULL", "NULL")


def _locate_new(con: duckdb.DuckDBPyConnection, districts: Districts, coordinates: str = "pre") -> None:
    """Project and locate (point-in-polygon) the coordinates of ``pre`` not located yet, once each. (Coordinates
    outside Great Britain are refused by the row checks, with their line; projecting them first does no harm.)"""
    coords = con.execute(
        f"""SELECT DISTINCT p.lon, p.lat FROM {coordinates} p
        WHERE p.lon IS NOT NULL AND p.lat IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM located l WHERE l.lon = p.lon AND l.lat = p.lat)"""
    ).fetchnumpy()
    lon = np.asarray(coords["lon"], dtype=np.float64)
    lat = np.asarray(coords["lat"], dtype=np.float64)
    if not len(lon):
        return
    x, y = wgs84_to_bng_arrays(lat, lon)
    con.register("new", {"lon": lon, "lat": lat, "x": x, "y": y, "district": districts.locate(lat, lon)})
    con.execute("INSERT INTO located SELECT lon, lat, x, y, district FROM new")
    con.unregister("new")


def _counts(con: duckdb.DuckDBPyConnection, first: int, stop: int) -> dict[int, tuple[int, int, int]]:
    """(rows, without location, outside the districts) of files ``first`` to ``stop - 1``."""
    return {
        int(r[0]): (int(r[1]), int(r[2]), int(r[3]))
        for r in con.execute(
            f"""SELECT p.idx, sum(p.n),
                coalesce(sum(p.n) FILTER (WHERE p.lon IS NULL OR p.lat IS NULL), 0),
                coalesce(sum(p.n) FILTER (WHERE p.lon IS NOT NULL AND p.lat IS NOT NULL AND l.district IS NULL), 0)
            FROM pre p LEFT JOIN located l ON p.lon = l.lon AND p.lat = l.lat
            WHERE p.idx >= {first} AND p.idx < {stop} GROUP BY p.idx"""
        ).fetchall()
    }


def _prepare(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    sources: Sequence[SourceFile],
    districts: Districts,
    settings: IngestSettings,
) -> dict[int, tuple[int, int, int]]:
    """Pass 1 of the DuckDB path over all files of one kind: parse them (a row that does not parse stops here),
    find the distinct coordinates and locate each once, and read each file's LSOA vintage from its codes. Leaves
    the table ``geo`` (per file and distinct coordinate: x, y, district) for pass 2, and returns (rows, without
    location, outside the districts) per file."""
    lsoa = _lsoa_columns(kind)
    read = read_csv_sql(kind, [s.path for s in sources], rejects=True)
    try:
        con.execute(
            f"""INSERT INTO pre SELECT f.idx, r."Longitude", r."Latitude", count(*), {lsoa[0]}, {lsoa[1]}
            FROM {read} r JOIN files f ON r.filename = f.path GROUP BY ALL"""
        )
    except duckdb.Error as exc:
        raise _duckdb_error(exc, sources) from exc
    _raise_first_reject(con, sources)
    _read_vintages(
        con, kind, sources, settings, "(SELECT idx, lsoa_min AS code FROM pre UNION SELECT idx, lsoa_max FROM pre)"
    )
    _locate_new(con, districts)
    # Per file, its own coordinates (so that pass 2 joins each file to a small table), sorted by file so that
    # DuckDB's zone maps skip the other files' rows. A table, not a registration: pass 2's cursors see tables.
    con.execute(
        """CREATE TABLE geo AS SELECT p.idx, p.lon, p.lat, l.x, l.y, l.district, p.n
        FROM pre p LEFT JOIN located l ON p.lon = l.lon AND p.lat = l.lat ORDER BY p.idx"""
    )
    return _counts(con, 0, len(sources))


_CHECK_FAILED = "csphub: a row breaks a rule"


def _broken(kind: FileKind) -> str:
    return " OR ".join(f"coalesce({check.violation}, false)" for check in kind.checks)


def _write_one(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    source: SourceFile,
    index: int,
    target: Path,
    metadata: dict[str, str],
) -> None:
    """Pass 2 of the DuckDB path for one file: check every row, type it, join its coordinates' position and
    district, and write it as one Parquet file. A row breaking a rule stops the write (DuckDB's ``error()``); one
    that does not parse is kept out and recorded in this cursor's rejects table."""
    cur = con.cursor()
    try:
        read = read_csv_sql(kind, [source.path], rejects=True)
        try:
            cur.execute(
                f"""COPY (
                    SELECT {kind.select} FROM {read} r
                    JOIN (SELECT * FROM files WHERE idx = {index}) f ON true
                    LEFT JOIN (SELECT * FROM geo WHERE idx = {index}) g
                        ON r."Longitude" = g.lon AND r."Latitude" = g.lat
                    WHERE CASE WHEN {_broken(kind)} THEN error('{_CHECK_FAILED}') ELSE true END
                ) TO {sql_str(str(target))} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1,
                    KV_METADATA {{{", ".join(f"{k}: {sql_str(v)}" for k, v in metadata.items())}}})"""
            )
        except duckdb.Error as exc:
            if _CHECK_FAILED in str(exc):
                raise _first_violation(cur, kind, source, index) from None
            raise _duckdb_error(exc, [source]) from exc
        _raise_first_reject(cur, [source])
    finally:
        cur.close()


def _write_all(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    sources: Sequence[SourceFile],
    out: Path,
    metadata: Sequence[dict[str, str]],
) -> list[Path]:
    """Pass 2 of the DuckDB path for every file, several at a time (each file is one DuckDB query on its own
    cursor). On errors, the one of the earliest file is raised, whatever the order the workers met them in."""
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / f"{i}.parquet" for i in range(len(sources))]
    errors: dict[int, IngestError] = {}
    with ThreadPoolExecutor(max_workers=_workers(len(sources))) as pool:
        futures = {
            pool.submit(_write_one, con, kind, source, i, targets[i], metadata[i]): i
            for i, source in enumerate(sources)
        }
        for future in as_completed(futures):
            exc = future.exception()
            if isinstance(exc, IngestError):
                errors[futures[future]] = exc
                for other in futures:
                    other.cancel()  # files not started yet need not be read
            elif exc is not None:
                raise exc
    if errors:
        raise errors[min(errors)]
    return targets
