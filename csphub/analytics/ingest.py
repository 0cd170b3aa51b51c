"""Ingest police.uk monthly files (street, outcomes, stop-and-search) for any force into the store.

The header of every file is checked first (exact police.uk names and order). Street and outcomes files then take
the **pyarrow path**: batches of files are read by ``pyarrow.csv`` (text dictionary-encoded), every rule of
:mod:`csphub.analytics.schema` is checked by DuckDB once per distinct value of the column it reads in each file
(the same as checking every row), the distinct coordinates are found by pyarrow's hash (which also gives each
row its coordinate), projected to British National Grid and located in the districts once per ingest, and pyarrow
writes one Parquet file per input file into a staging folder. A file pyarrow refuses sends its kind down the
**DuckDB path**, which stop-and-search files always take:

1. **read and locate** (all files of the kind in one DuckDB query): every row is parsed; a row that does not
   parse (too few or too many fields, a bad quote, a coordinate that is not a number) stops the ingest with
   its file and line. The distinct coordinates are projected to British National Grid and located in the
   districts (point-in-polygon) once each — police.uk snap points repeat, so this is far less work than one
   per row — and each file's LSOA vintage is read from its codes.
2. **check and write** (one DuckDB query per file, several files at a time): every row is checked against the
   rules, typed, joined to its coordinates' BNG position and district, and written as one Parquet file into a
   staging folder.

On either path the first broken rule stops the ingest; the file is then read once more by DuckDB on its own to
name the line.

Only when every file of every kind has passed are the staged months renamed into the store, each replacing the
same force and month if it was there (re-ingesting a month replaces it, never duplicates it). Any error leaves
the store exactly as it was.

LSOA vintage: police.uk files use the LSOA codes current when they were produced (2011 codes in older
downloads, 2021 codes since). A file's vintage is read from its codes: a code created in 2021 (above
``E01033768`` in England) means 2021; a 2011 code that no longer exists in 2021 means 2011; a file whose codes
exist in both is given the default vintage (the codes mean the same areas either way).
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from csphub.common.progress import Steps
from csphub.geography import wgs84_to_bng_arrays

from .errors import IngestError, SettingsError
from .geo import Districts
from .schema import FileKind, sql_str
from .sources import SourceFile, discover
from .store import CrimeStore

log = logging.getLogger(__name__)

LSOA_VINTAGES = (2011, 2021)
# The highest English LSOA 2011 code: every higher E01 code was created in 2021.
LAST_ENGLISH_LSOA11 = "E01033768"
_RETIRED_LSOA11 = "lsoa11_codes_not_in_lsoa21_england_DERIVED.csv"


@dataclass(frozen=True)
class IngestSettings:
    """``lsoa_vintage`` forces a vintage (2011 or 2021) instead of reading it from the codes; files whose
    codes exist in both vintages get ``default_lsoa_vintage``."""

    lsoa_vintage: int | None = None
    default_lsoa_vintage: int = 2021
    progress: bool = False

    def __post_init__(self) -> None:
        if self.lsoa_vintage is not None and self.lsoa_vintage not in LSOA_VINTAGES:
            raise SettingsError(f"the LSOA vintage must be 2011 or 2021, not {self.lsoa_vintage}")
        if self.default_lsoa_vintage not in LSOA_VINTAGES:
            raise SettingsError(f"the default LSOA vintage must be 2011 or 2021, not {self.default_lsoa_vintage}")


@dataclass(frozen=True)
class FileReport:
    source: str
    kind: str
    force: str
    month: str
    rows: int
    unlocated: int  # rows without coordinates
    outside_districts: int  # rows with coordinates in none of the known districts
    lsoa_vintage: int | None  # None for stop-and-search (no LSOA)
    replaced: bool  # the store held this force and month before


@dataclass(frozen=True)
class IngestResult:
    files: tuple[FileReport, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


def read_csv_sql(kind: FileKind, paths: Sequence[Path], *, rejects: bool) -> str:
    """DuckDB's ``read_csv`` for police.uk files of one kind: fixed dialect, typed columns, no guessing."""
    columns = "{" + ", ".join(f"{sql_str(name)}: {sql_str(sql_type)}" for name, sql_type in kind.types) + "}"
    files = "[" + ", ".join(sql_str(str(p)) for p in paths) + "]"
    options = [
        "header = true",
        f"columns = {columns}",
        "auto_detect = false",
        "delim = ','",
        "quote = '\"'",
        "escape = '\"'",
        "strict_mode = true",
        "encoding = 'utf-8'",
        "filename = true",
    ]
    if rejects:
        options.append("store_rejects = true")
    return f"read_csv({files}, {', '.join(options)})"


def check_header(source: SourceFile) -> None:
    """The first line must be the exact police.uk header of the file's kind (a UTF-8 BOM is allowed)."""
    with source.path.open("rb") as fh:
        first = fh.readline(1 << 16)
    if not first.strip():
        raise IngestError(source.display, f"empty first line; expected the police.uk {source.kind.name} header", 1)
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(source.display, "the file is UTF-16 text; police.uk files are UTF-8 (save it as UTF-8)", 1)
    try:
        text = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise IngestError(source.display, "the header is not UTF-8 text; police.uk files are UTF-8", 1) from None
    names = tuple(next(csv.reader([text])))
    expected = source.kind.header
    if names == expected:
        return
    if len(names) != len(expected):
        detail = f"{len(names)} columns where a police.uk {source.kind.name} file has {len(expected)}"
    else:
        at = next(i for i, (a, b) in enumerate(zip(names, expected, strict=True)) if a != b)
        detail = f"column {at + 1} is {names[at]!r} where a police.uk {source.kind.name} file has {expected[at]!r}"
    raise IngestError(source.display, f"wrong header: {detail} (expected: {','.join(expected)})", 1)


_NOT_UTF8 = "bytes that are not UTF-8 text (save the file as UTF-8)"
REJECT_REASONS = {
    "MISSING COLUMNS": "the row has fewer fields than the header",
    "TOO MANY COLUMNS": "the row has more fields than the header",
    "UNQUOTED VALUE": "a quoted value is not closed where it should be",
    "INVALID ENCODING": _NOT_UTF8,
    "INVALID UNICODE": _NOT_UTF8,
    "LINE SIZE OVER MAXIMUM": "the line is too long to be a police.uk row",
}


def _raise_first_reject(con: duckdb.DuckDBPyConnection, sources: Sequence[SourceFile]) -> None:
    rows = con.execute(
        """SELECT s.file_path, e.line, e.column_name, e.error_type, e.csv_line, e.error_message
        FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)"""
    ).fetchall()
    if not rows:
        return
    order = {str(s.path): i for i, s in enumerate(sources)}
    path, line, column, error_type, csv_line, message = min(rows, key=lambda r: (order.get(r[0], 0), r[1]))
    display = next((s.display for s in sources if str(s.path) == path), path)
    if error_type == "CAST":
        value = _cast_value(message)
        reason = f"{column} {value} is not a number" if value else f"{column}: {message}"
    else:
        reason = REJECT_REASONS.get(error_type, f"{error_type.lower()}: {message}")
    log.debug("rejected line %s of %s: %r", line, display, csv_line)
    raise IngestError(display, f"{reason} ({len(rows)} bad row(s) in all)", int(line))


def _cast_value(message: str) -> str | None:
    match = re.search(r'Could not convert string "(.*)" to', message)
    return repr(match[1]) if match else None


def _first_violation(con: duckdb.DuckDBPyConnection, kind: FileKind, source: SourceFile, index: int) -> IngestError:
    """The first row of one file that breaks a rule, with its line: the file is read again on its own into a
    table whose row ids follow the file's order (DuckDB preserves insertion order), so line = row id + 2."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE diagnosis AS SELECT * FROM " + read_csv_sql(kind, [source.path], rejects=False)
    )
    cases = " ".join(f"WHEN {check.violation} THEN {check.message}" for check in kind.checks)
    broken = " OR ".join(f"coalesce({check.violation}, false)" for check in kind.checks)
    rows = con.execute(
        f"""SELECT r.rowid + 2, CASE {cases} END FROM diagnosis r JOIN files f ON f.idx = ?
        WHERE {broken} ORDER BY r.rowid LIMIT 1""",
        [index],
    ).fetchall()
    if not rows:  # cannot happen: the first pass saw the violation in this file
        return IngestError(source.display, "a row breaks a rule of the police.uk format")
    line, message = rows[0]
    return IngestError(source.display, str(message), int(line))


@dataclass(frozen=True)
class _Staged:
    report: FileReport
    staged: Path
    final: Path


def _lsoa_vintage(source: SourceFile, has_2021: bool, has_2011: bool, settings: IngestSettings) -> int:
    if has_2021 and has_2011:
        raise IngestError(source.display, "the file mixes LSOA 2011 and LSOA 2021 codes")
    if settings.lsoa_vintage is not None:
        if (settings.lsoa_vintage == 2011 and has_2021) or (settings.lsoa_vintage == 2021 and has_2011):
            other = 2021 if settings.lsoa_vintage == 2011 else 2011
            raise IngestError(
                source.display,
                f"LSOA vintage {settings.lsoa_vintage} was asked for, but the file has {other} codes",
            )
        return settings.lsoa_vintage
    if has_2021:
        return 2021
    if has_2011:
        return 2011
    return settings.default_lsoa_vintage


def _work_tables(con: duckdb.DuckDBPyConnection, kind: FileKind, sources: Sequence[SourceFile]) -> None:
    """The work tables: ``files`` (one row per file, both paths); for the DuckDB path, ``pre`` (per file and distinct
    coordinate: rows, lowest and highest LSOA code) and ``located`` (per distinct coordinate: BNG metres and
    district)."""
    con.execute(
        """CREATE TABLE files (path VARCHAR, source VARCHAR, force VARCHAR, month DATE, month_key VARCHAR,
        idx INTEGER, lsoa_vintage SMALLINT);
        CREATE TABLE pre (idx INTEGER, lon DOUBLE, lat DOUBLE, n BIGINT, lsoa_min VARCHAR, lsoa_max VARCHAR);
        CREATE TABLE located (lon DOUBLE, lat DOUBLE, x DOUBLE, y DOUBLE, district VARCHAR)"""
    )
    con.register(
        "given",
        {
            "path": np.array([str(s.path) for s in sources], dtype=object),
            "source": np.array([s.display for s in sources], dtype=object),
            "force": np.array([s.force for s in sources], dtype=object),
            "month_key": np.array([s.month_key for s in sources], dtype=object),
            "idx": np.arange(len(sources), dtype=np.int32),
        },
    )
    con.execute(
        "INSERT INTO files SELECT path, source, force, CAST(month_key || '-01' AS DATE), month_key, idx, "
        "NULL FROM given"
    )
    con.unregister("given")
    if kind.has_lsoa:
        retired = resources.files("csphub.analytics.reference").joinpath(_RETIRED_LSOA11)
        with resources.as_file(retired) as retired_path:
            con.execute(
                "CREATE TEMP TABLE lsoa11_only AS SELECT lsoa11_code AS code "
                f"FROM read_csv({sql_str(str(retired_path))})"
            )


def _lsoa_columns(kind: FileKind) -> tuple[str, str]:
    # Police.uk derives the LSOA from the snap point, so the LSOA codes of one coordinate are (almost always) one
    # code: their minimum and maximum per coordinate are enough to find the file's vintage.
    return ('min(r."LSOA code")', 'max(r."LSOA code")') if kind.has_lsoa else ("NULL", "NULL")


def _read_vintages(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    sources: Sequence[SourceFile],
    settings: IngestSettings,
    codes: str,
) -> None:
    """Each file's LSOA vintage, read from its codes: ``codes``, a relation (idx, code) of the files' distinct
    codes (or enough of them: the lowest and highest per coordinate)."""
    if not kind.has_lsoa:
        return
    flags = con.execute(
        f"""SELECT c.idx,
            coalesce(bool_or(regexp_full_match(c.code, 'E01[0-9]{{6}}') AND c.code > '{LAST_ENGLISH_LSOA11}'), false),
            coalesce(bool_or(old.code IS NOT NULL), false)
        FROM {codes} c LEFT JOIN lsoa11_only old ON c.code = old.code
        GROUP BY c.idx"""
    ).fetchall()
    vintages = {
        int(idx): _lsoa_vintage(sources[idx], has_2021, has_2011, settings) for idx, has_2021, has_2011 in flags
    }
    if vintages:
        con.register(
            "vintage",
            {"idx": np.array(list(vintages), dtype=np.int32), "v": np.array(list(vintages.values()), dtype=np.int16)},
        )
        con.execute("UPDATE files SET lsoa_vintage = vintage.v FROM vintage WHERE files.idx = vintage.idx")
        con.unregister("vintage")


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


def _workers(jobs: int) -> int:
    return max(1, min(jobs, 2 * (os.cpu_count() or 1)))


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


# --- the pyarrow path
# ------------------------------------------------------------------------------------------------------
# pyarrow's CSV reader and Parquet writer do the same work as DuckDB's for about half the processor time. Text
# columns are read dictionary-encoded (police.uk values repeat: crime types, LSOAs, snap point names…), which
# makes reading and writing cheaper still and lets the rules be checked once per distinct value of each file.
# The files are read in batches of about this many bytes of CSV.
ARROW_BATCH_BYTES = 1 << 28
ARROW_COMPRESSION = "none"
_STATISTICS_TEXT = frozenset({"district", "force"})
_ARROW_PARSE = pacsv.ParseOptions(
    delimiter=",", quote_char='"', double_quote=True, escape_char=False, newlines_in_values=False
)
_ALL_DISTINCT = frozenset({"Crime ID"})  # text columns not worth a dictionary
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_IDX = "csphub_idx"
_COLUMN = re.compile(r'r\."([^"]+)"')
_COORDINATES = frozenset({"Longitude", "Latitude"})


class _Clock:
    """Logs the seconds each stage of the ingest takes (at debug level), and the processor seconds of this thread
    (on a busy machine the first is mostly waiting for a core)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.start = time.perf_counter()
        self.cpu = time.thread_time()

    def lap(self, stage: str) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        log.debug("%s: %s in %.2f s (this thread %.2f s)", self.what, stage, now - self.start, cpu - self.cpu)
        self.start, self.cpu = now, cpu


def _arrow_type(name: str, sql_type: str) -> pa.DataType:
    if sql_type == "DOUBLE":
        return pa.float64()
    if sql_type != "VARCHAR":
        raise ValueError(f"no pyarrow reading for {sql_type}")
    return pa.string() if name in _ALL_DISTINCT else _DICTIONARY


def _read_arrow(kind: FileKind, source: SourceFile) -> pa.Table | None:
    """One file read by pyarrow with DuckDB's reading of police.uk files (the same types; an empty field, quoted
    or not, is NULL; UTF-8 checked), or None when pyarrow refuses it: the DuckDB path then reads it and says
    what is wrong, with the line."""
    convert = pacsv.ConvertOptions(
        column_types={name: _arrow_type(name, sql_type) for name, sql_type in kind.types},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        check_utf8=True,
    )
    try:
        table = pacsv.read_csv(
            source.path,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 26),
            parse_options=_ARROW_PARSE,
            convert_options=convert,
        )
    except (pa.ArrowException, OSError) as exc:
        log.debug("pyarrow refused %s (%s): reading it with DuckDB", source.display, exc)
        return None
    return table if tuple(table.column_names) == kind.header else None


def _coordinate_keys(lon: np.ndarray, lat: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Each (longitude, latitude) as its 16 bytes, for an exact lookup; -0.0 is made 0.0 (equal in SQL). Rows
    where ``valid`` is False (a coordinate missing) get a NULL key."""
    both = np.empty((len(lon), 2), dtype=np.float64)
    both[:, 0] = lon
    both[:, 1] = lat
    both += 0.0
    bits = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), len(lon), [bits, pa.py_buffer(both)])


def _key_coordinates(keys: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(longitude, latitude) back from keys made by :func:`_coordinate_keys` (none of them NULL)."""
    data = keys.buffers()[1]
    assert data is not None
    both = np.frombuffer(data, dtype=np.float64)[2 * keys.offset : 2 * (keys.offset + len(keys))]
    return both[0::2].copy(), both[1::2].copy()


def _as_float(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.to_numpy(), dtype=np.float64)  # NULL -> NaN


class _Located:
    """The coordinates located so far in one ingest, each once: longitude, latitude, BNG metres and district. Each
    batch looks its distinct coordinates up here, and only the new ones are projected and located
    (point-in-polygon). Police.uk snap points repeat month after month, so after the first batch there are few."""

    def __init__(self, districts: Districts) -> None:
        self.districts = districts
        self.lon = np.empty(0, np.float64)
        self.lat = np.empty(0, np.float64)
        self.x = np.empty(0, np.float64)
        self.y = np.empty(0, np.float64)
        self.district = np.empty(0, np.int32)  # index into districts.codes, -1 in none

    def positions(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """The position here of each (lon, lat) pair (distinct, none missing), locating the new ones."""
        known = len(self.lon)
        keys = _coordinate_keys(np.concatenate([self.lon, lon]), np.concatenate([self.lat, lat]))
        found = pc.index_in(keys.slice(known), value_set=keys.slice(0, known))
        new = np.flatnonzero(found.is_null().to_numpy(zero_copy_only=False))
        positions = found.fill_null(-1).to_numpy().astype(np.int32)
        if len(new):
            new_lon, new_lat = lon[new], lat[new]
            x, y = wgs84_to_bng_arrays(new_lat, new_lon)
            district = self.districts.locator.locate_many(new_lat, new_lon).astype(np.int32)
            positions[new] = np.arange(known, known + len(new), dtype=np.int32)
            self.lon = np.concatenate([self.lon, new_lon])
            self.lat = np.concatenate([self.lat, new_lat])
            self.x = np.concatenate([self.x, np.asarray(x, np.float64)])
            self.y = np.concatenate([self.y, np.asarray(y, np.float64)])
            self.district = np.concatenate([self.district, district])
        return positions

    def columns(self) -> dict[str, pa.Array]:
        """x, y and district (dictionary-encoded) of every coordinate located so far, by position."""
        codes = pa.array(self.districts.codes, pa.string())
        return {
            "x": pa.array(self.x),
            "y": pa.array(self.y),
            "district": pa.DictionaryArray.from_arrays(pa.array(self.district, mask=self.district < 0), codes),
        }


@dataclass(frozen=True)
class _Coordinates:
    """The coordinates of a batch's rows: ``lon`` and ``lat``, the distinct pairs present; ``index``, each row's
    position in them (NULL for a row with a coordinate missing); ``missing``, the rows with a coordinate missing
    (their row numbers in the batch, longitudes and latitudes, NULLs kept)."""

    lon: np.ndarray
    lat: np.ndarray
    index: pa.Array
    missing: pa.Table


def _batch_coordinates(tables: Sequence[tuple[int, pa.Table]]) -> _Coordinates:
    """The distinct coordinates of a batch, found by a hash table over the rows' keys (pyarrow's dictionary
    encoding: one pass, in C++, no copy to DuckDB)."""
    lon = pa.chunked_array([c for _, t in tables for c in t["Longitude"].chunks], pa.float64())
    lat = pa.chunked_array([c for _, t in tables for c in t["Latitude"].chunks], pa.float64())
    valid = np.logical_and(pc.is_valid(lon).to_numpy(), pc.is_valid(lat).to_numpy())
    encoded = pc.dictionary_encode(_coordinate_keys(_as_float(lon), _as_float(lat), valid))
    distinct_lon, distinct_lat = _key_coordinates(encoded.dictionary)
    rows = pa.array(np.flatnonzero(~valid))
    return _Coordinates(
        lon=distinct_lon,
        lat=distinct_lat,
        index=encoded.indices,
        missing=pa.table({"row": rows, "Longitude": lon.take(rows), "Latitude": lat.take(rows)}),
    )


def _distinct_values(tables: Sequence[tuple[int, pa.Table]], column: str) -> pa.Table:
    """(csphub_idx, column): the distinct values of a dictionary-encoded column in each file, NULL included."""
    idx: list[np.ndarray] = []
    values: list[pa.Array] = []
    for i, table in tables:
        for chunk in table[column].chunks:
            present = chunk.dictionary.take(pc.unique(chunk.indices))
            idx.append(np.full(len(present), i, dtype=np.int32))
            values.append(present)
    return pa.table(
        {
            _IDX: pa.array(np.concatenate(idx) if idx else np.empty(0, np.int32)),
            column: pa.concat_arrays(values) if values else pa.array([], pa.string()),
        }
    )


def _file_of_row(tables: Sequence[tuple[int, pa.Table]], row: int) -> int:
    ends = np.cumsum([t.num_rows for _, t in tables])
    return tables[int(np.searchsorted(ends, row, side="right"))][0]


def _first_broken_file(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    tables: Sequence[tuple[int, pa.Table]],
    coordinates: _Coordinates,
    distinct: dict[str, pa.Table],
) -> int | None:
    """The first file of the batch with a row breaking a rule, or None. Each rule is checked by DuckDB once per
    distinct value of the column it reads in each file (``distinct``: those of the dictionary-encoded columns),
    which is the same as checking every row; the coordinate rules once per distinct coordinate of the batch and
    on each row with a coordinate missing; any other rule (several text columns, or text without a dictionary)
    on every row."""
    groups: dict[frozenset[str], list[str]] = {}
    for check in kind.checks:
        groups.setdefault(frozenset(_COLUMN.findall(check.violation)), []).append(check.violation)
    found: list[int] = []
    for columns, violations in groups.items():
        broken = " OR ".join(f"coalesce({v}, false)" for v in violations)
        if columns <= _COORDINATES:
            # The coordinate rules read nothing but the coordinates (no file row).
            con.register(
                "distinct_places",
                {"pos": np.arange(len(coordinates.lon)), "Longitude": coordinates.lon, "Latitude": coordinates.lat},
            )
            con.register("missing_places", coordinates.missing)
            bad_distinct = con.execute(f"SELECT r.pos FROM distinct_places r WHERE {broken}").fetchnumpy()["pos"]
            bad_rows = con.execute(f"SELECT min(r.row) FROM missing_places r WHERE {broken}").fetchall()[0][0]
            con.unregister("distinct_places")
            con.unregister("missing_places")
            rows = [] if bad_rows is None else [int(bad_rows)]
            if len(bad_distinct):
                index = coordinates.index.to_numpy(zero_copy_only=False)
                rows.append(int(np.flatnonzero(np.isin(index, np.asarray(bad_distinct)))[0]))
            if rows:
                found.append(_file_of_row(tables, min(rows)))
            continue
        if len(columns) == 1 and next(iter(columns)) in distinct:
            relation = "distinct_values"
            con.register(relation, distinct[next(iter(columns))])
        else:
            relation = "batch"
            con.register(
                relation,
                pa.table(
                    {
                        _IDX: pa.array(np.concatenate([np.full(t.num_rows, i, np.int32) for i, t in tables])),
                        **{c: pa.chunked_array([k for _, t in tables for k in t[c].chunks]) for c in columns},
                    }
                ),
            )
        bad = con.execute(
            f"SELECT min(r.{_IDX}) FROM {relation} r JOIN files f ON f.idx = r.{_IDX} WHERE {broken}"
        ).fetchall()[0][0]
        con.unregister(relation)
        if bad is not None:
            found.append(int(bad))
    return min(found) if found else None


def _arrow_output(
    kind: FileKind,
    table: pa.Table,
    place: pa.Array,
    located: dict[str, pa.Array],
    force: str,
    month: str,
    vintage: int | None,
) -> pa.Table:
    """The stored columns of one file (``place``: each row's index in ``located``, NULL without location)."""
    assert kind.arrow_columns is not None
    n = table.num_rows
    columns: list[pa.Array | pa.ChunkedArray] = []
    for _, source in kind.arrow_columns:
        if source == "@month":
            columns.append(pa.array(np.full(n, np.datetime64(month + "-01", "D"))))
        elif source in ("@x", "@y", "@district"):
            columns.append(pc.take(located[source[1:]], place))
        elif source == "@force":
            columns.append(pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([force])))
        elif source == "@lsoa_vintage":
            value = pa.scalar(vintage, pa.int16())
            columns.append(pc.if_else(pc.is_valid(table["LSOA code"]), value, pa.scalar(None, pa.int16())))
        else:
            columns.append(table[source])
    return pa.table(columns, names=[name for name, _ in kind.arrow_columns])


def _write_arrow(table: pa.Table, target: Path, metadata: dict[str, str]) -> None:
    # Dictionary pages for the text that repeats (not the 64-character Crime IDs, all distinct). Statistics (min,
    # max) only where a query's filter can skip a file by them: numbers, dates, district and force; computing them
    # for the free text (locations, LSOA names, crime types...) cost a third of the write and skips nothing, each
    # file holding a whole force-month. The provenance goes in the file's key-value metadata (and no ARROW:schema
    # beside it: DuckDB reads the file, and sees the dictionary-encoded text as VARCHAR).
    plain = {"crime_id", "longitude", "latitude", "x", "y"}
    text = {
        field.name for field in table.schema if pa.types.is_string(field.type) or pa.types.is_dictionary(field.type)
    }
    with pq.ParquetWriter(
        target,
        table.schema,
        compression=ARROW_COMPRESSION,
        use_dictionary=[name for name in table.column_names if name not in plain],
        write_statistics=[name for name in table.column_names if name not in text or name in _STATISTICS_TEXT],
        store_schema=False,
    ) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata(metadata)


_Report = Callable[[int, tuple[int, int, int], int | None], tuple[FileReport, dict[str, str]]]


def _make_and_write(
    kind: FileKind,
    table: pa.Table,
    place: pa.Array,
    located: dict[str, pa.Array],
    index: int,
    source: SourceFile,
    vintage: int | None,
    target: Path,
    report: _Report,
) -> FileReport:
    """One file's stored columns, counts and report, written to ``target`` (in a worker thread)."""
    output = _arrow_output(kind, table, place, located, source.force, source.month_key, vintage)
    unlocated = table["Longitude"].null_count  # a longitude without a latitude (or the reverse) is refused
    outside = output["district"].null_count - unlocated
    file_report, metadata = report(index, (table.num_rows, unlocated, outside), vintage)
    _write_arrow(output, target, metadata)
    return file_report


def _ingest_arrow(
    con: duckdb.DuckDBPyConnection,
    kind: FileKind,
    sources: Sequence[SourceFile],
    districts: Districts,
    settings: IngestSettings,
    out: Path,
    report: _Report,
) -> list[tuple[FileReport, Path]] | None:
    """The ingest of one kind with pyarrow reading, finding the distinct coordinates and writing, and DuckDB
    checking the rules. None when pyarrow refuses a file: the caller then runs the DuckDB path, which names
    what is wrong and its line (or reads what pyarrow would not)."""
    assert kind.arrow_columns is not None
    out.mkdir(parents=True, exist_ok=True)
    staged: list[Path] = []
    batches: list[range] = []
    first, size = 0, 0
    for i, source in enumerate(sources):
        size += source.path.stat().st_size
        if size >= ARROW_BATCH_BYTES or i == len(sources) - 1:
            batches.append(range(first, i + 1))
            first, size = i + 1, 0
    pool = ThreadPoolExecutor(max_workers=_workers(len(sources)))
    writes: list[Future[FileReport]] = []
    located = _Located(districts)
    # The columns whose distinct values per file are checked (those read alone by a rule) or read (LSOA codes).
    needed = {
        name for check in kind.checks if len(names := set(_COLUMN.findall(check.violation))) == 1 for name in names
    }
    needed = (needed - _COORDINATES) | ({"LSOA code"} if kind.has_lsoa else set())

    def read(batch: range) -> list[Future[pa.Table | None]]:
        return [pool.submit(_read_arrow, kind, sources[i]) for i in batch]

    # A pipeline: the next batch is read, and the last one written, while this one is checked and located.
    try:
        pending = read(batches[0])
        for number, batch in enumerate(batches):
            clock = _Clock(f"{kind.name} files {batch.start}-{batch.stop - 1}")
            tables = [(i, t) for i, t in zip(batch, (f.result() for f in pending), strict=True) if t is not None]
            if len(tables) < len(batch):
                return None
            pending = read(batches[number + 1]) if number + 1 < len(batches) else []
            clock.lap("read (pyarrow)")
            coordinates = _batch_coordinates(tables)
            clock.lap("distinct coordinates found (pyarrow)")
            distinct = {
                name: _distinct_values(tables, name)
                for name in needed
                if pa.types.is_dictionary(tables[0][1].schema.field(name).type)
            }
            bad = _first_broken_file(con, kind, tables, coordinates, distinct)
            clock.lap("rules checked (DuckDB)")
            if bad is not None:
                raise _first_violation(con, kind, sources[bad], bad)
            if kind.has_lsoa:
                con.register("lsoa_codes", distinct["LSOA code"])
                _read_vintages(
                    con, kind, sources, settings, f'(SELECT {_IDX} AS idx, "LSOA code" AS code FROM lsoa_codes)'
                )
                con.unregister("lsoa_codes")
            vintages = dict(
                con.execute(
                    f"SELECT idx, lsoa_vintage FROM files WHERE idx >= {batch.start} AND idx < {batch.stop}"
                ).fetchall()
            )
            places = pc.take(pa.array(located.positions(coordinates.lon, coordinates.lat)), coordinates.index)
            columns = located.columns()
            del coordinates, distinct
            clock.lap("rows matched to their coordinates")
            offset = 0
            for i, table in tables:
                target = out / f"{i}.parquet"
                place = places.slice(offset, table.num_rows)
                writes.append(
                    pool.submit(
                        _make_and_write, kind, table, place, columns, i, sources[i], vintages.get(i), target, report
                    )
                )
                staged.append(target)
                offset += table.num_rows
            clock.lap("columns made and written (started)")
            del tables
        return [(job.result(), target) for job, target in zip(writes, staged, strict=True)]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ingest_kind(
    kind: FileKind,
    sources: Sequence[SourceFile],
    out: Path,
    store: CrimeStore,
    districts: Districts,
    settings: IngestSettings,
    steps: Steps,
) -> list[_Staged]:
    ingested_at = datetime.now(UTC).isoformat(timespec="seconds")

    def report(idx: int, counts: tuple[int, int, int], vintage: int | None) -> tuple[FileReport, dict[str, str]]:
        source = sources[idx]
        rows, unlocated, outside = counts
        file_report = FileReport(
            source=source.display,
            kind=kind.name,
            force=source.force,
            month=source.month_key,
            rows=rows,
            unlocated=unlocated,
            outside_districts=outside,
            lsoa_vintage=vintage,
            replaced=store.police_path(kind.folder, source.force, source.month_key).exists(),
        )
        metadata = {
            "csphub_" + k: "" if v is None else str(v) for k, v in asdict(file_report).items() if k != "replaced"
        } | {"csphub_ingested_at": ingested_at}
        return file_report, metadata

    staged: list[tuple[FileReport, Path]] | None = None
    if kind.arrow_columns is not None:
        con = duckdb.connect()
        try:
            _work_tables(con, kind, sources)
            staged = _ingest_arrow(con, kind, sources, districts, settings, out, report)
        finally:
            con.close()
        if staged is None:
            shutil.rmtree(out, ignore_errors=True)
    if staged is None:
        con = duckdb.connect()
        try:
            _work_tables(con, kind, sources)
            counts = _prepare(con, kind, sources, districts, settings)
            steps.step(f"{kind.name}: read and located")
            vintages = dict(con.execute("SELECT idx, lsoa_vintage FROM files").fetchall())
            made = [report(i, counts.get(i, (0, 0, 0)), vintages.get(i)) for i in range(len(sources))]
            targets = _write_all(con, kind, sources, out, [metadata for _, metadata in made])
        finally:
            con.close()
        staged = [(file_report, target) for (file_report, _), target in zip(made, targets, strict=True)]
    else:
        steps.step(f"{kind.name}: read and located")
    steps.step(f"{kind.name}: checked and written")
    return [
        _Staged(file_report, target, store.police_path(kind.folder, file_report.force, file_report.month))
        for file_report, target in staged
    ]


def _duckdb_error(exc: duckdb.Error, sources: Sequence[SourceFile]) -> IngestError:
    """A DuckDB error outside the rejects tables (e.g. an unreadable file), named after its file when DuckDB
    says which file (its CSV errors end with ``file = PATH``) and with its line when it gives one."""
    lines = str(exc).splitlines()
    found = re.search(r"CSV Error on Line: (\d+)", lines[0])
    # A CSV error reads: "... CSV Error on Line: N", "Original Line: ...", then what is wrong.
    reason = lines[2].strip() if found and len(lines) > 2 else lines[0]
    named = {f"file = {source.path}": source for source in sources}
    source = next((named[line.strip()] for line in lines if line.strip() in named), None)
    where = source.display if source else ", ".join(s.display for s in sources[:3])
    return IngestError(where, reason, int(found[1]) if found else None)


def ingest_police_files(
    paths: Sequence[Path], store: CrimeStore, districts: Districts, settings: IngestSettings | None = None
) -> IngestResult:
    """Ingest police.uk CSV files, folders and zip archives; all of them or, on any error, none."""
    settings = settings or IngestSettings()
    with store.staging() as staging:
        sources = discover([Path(p) for p in paths], staging / "input")
        if not sources:
            raise IngestError(", ".join(str(p) for p in paths), "no police.uk files found")
        for source in sources:
            check_header(source)
        kinds: dict[str, list[SourceFile]] = {}
        for source in sources:
            kinds.setdefault(source.kind.name, []).append(source)
        staged: list[_Staged] = []
        with Steps(2 * len(kinds) + 1, "ingest", enabled=settings.progress) as steps:
            for group in kinds.values():
                kind = group[0].kind
                out = staging / "out" / kind.folder
                staged.extend(_ingest_kind(kind, group, out, store, districts, settings, steps))
            # Every file passed: move the months into the store, each replacing its earlier version.
            for item in staged:
                item.final.parent.mkdir(parents=True, exist_ok=True)
                item.staged.replace(item.final)  # atomic rename on one filesystem
            steps.step("stored")
    for item in staged:
        r = item.report
        log.info(
            "%s: %s %s %s, %d rows (%d without location, %d outside the districts)%s",
            r.source,
            r.force,
            r.kind,
            r.month,
            r.rows,
            r.unlocated,
            r.outside_districts,
            ", replacing the stored month" if r.replaced else "",
        )
    return IngestResult(tuple(item.report for item in staged))
