"""The pyarrow path (street and outcomes files): pyarrow reads batches of files, finds the distinct coordinates and
writes; DuckDB checks the rules once per distinct value. A file pyarrow refuses sends its kind down the DuckDB
path (:mod:`.duckdb_path`)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from csphub.geography import wgs84_to_bng_arrays

from ..geo import Districts
from ..schema import FileKind
from ..sources import SourceFile
from .diagnosis import _first_violation
from .provenance import FileReport, _Report
from .settings import IngestSettings, _workers
from .worktables import _read_vintages

log = logging.getLogger("csphub.analytics.ingest")  # one logger for the whole ingest


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
