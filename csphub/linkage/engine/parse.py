"""Parsing one legacy export through its mapping: canonical records, and the rows that could not be used.

Every row read either becomes a record or is quarantined with the file, its line and the reason (no record id, a
record id already used earlier in the file, a date of birth that is not a date, no name at all, the wrong number
of columns): ``rows_read == rows_imported + rows_quarantined`` always. Field-level problems that do not make the
row unusable (a postcode that is not a UK postcode, a sex value the mapping does not know) leave that field empty
and are listed as warnings; the raw row is kept with every record, so nothing is lost.

Idempotent re-imports: :attr:`ParsedSource.file_sha256` identifies the file and each record's and quarantined
row's ``row_key`` (SHA-256 of the source key and the raw row) identifies the row, whatever else changes.

Speed: the file is read once by the ``csv`` module (or calamine for XLSX), then normalised column-wise in DuckDB;
Python functions run once per *distinct* name, date and postcode only.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from csphub.common.dates import PartialDateError
from csphub.common.progress import track, wanted

from .errors import SourceFileError
from .mapping import ADDRESS_PART_TARGETS, SourceMapping, load_mapping
from .normalise import clean_postcode, compile_date_formats, parse_date, split_full_name
from .records import RecordSet, date_to_text

DEFAULT_SEX_VALUES = {
    "F": "female",
    "FEMALE": "female",
    "W": "female",
    "M": "male",
    "MALE": "male",
    "U": "not_known",
    "UNKNOWN": "not_known",
    "NOT KNOWN": "not_known",
    "NK": "not_known",
}
SEPARATOR = "\x1f"  # joins raw values for row keys (a character no export holds)


@dataclass(frozen=True)
class QuarantinedRow:
    """A row that did not become a record, and why."""

    source: str
    file: str
    line: int
    reason: str
    record_id: str | None
    row_key: str
    raw: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


@dataclass(frozen=True)
class RowWarning:
    """A field left empty in an imported record because its value could not be used."""

    source: str
    line: int
    record_id: str
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.record_id}): {self.reason}"


@dataclass(frozen=True)
class ParsedSource:
    """One export parsed: its records, its quarantined rows and warnings, and how to recognise it again."""

    source: str
    file: str
    file_sha256: str
    rows_read: int
    records: RecordSet
    quarantined: tuple[QuarantinedRow, ...]
    warnings: tuple[RowWarning, ...]
    mapping: SourceMapping

    @property
    def rows_imported(self) -> int:
        return len(self.records)

    @property
    def rows_quarantined(self) -> int:
        return len(self.quarantined)

    def row_keys(self) -> list[str]:
        """The row keys of the imported records, in file order."""
        return [k for k in self.records.table.column("row_key").to_pylist() if k is not None]

    def summary(self) -> str:
        return (
            f"{self.source}: {self.rows_read} rows read, {self.rows_imported} imported, "
            f"{self.rows_quarantined} quarantined, {len(self.warnings)} field warnings ({Path(self.file).name})"
        )


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_key(source: str, values: Sequence[str]) -> str:
    """The key of a raw row: SHA-256 of the source key and the row's values (what DuckDB computes in bulk)."""
    return hashlib.sha256(SEPARATOR.join([source, *values]).encode("utf-8")).hexdigest()


@dataclass
class _RawRows:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    bad: list[tuple[int, str, list[str]]]


def _read_csv(path: Path, mapping: SourceMapping, progress: bool) -> _RawRows:
    encoding = "utf-8-sig" if mapping.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else mapping.encoding
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: list[tuple[int, str, list[str]]] = []
    line = 0
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=mapping.delimiter, quotechar=mapping.quotechar, strict=False)
            try:
                header = next(reader)
            except StopIteration:
                raise SourceFileError(str(path), "is empty: no header row") from None
            width = len(header)
            line = reader.line_num
            source = track(reader, enabled=True, desc=f"read {mapping.key}") if progress else reader
            append_row, append_line = rows.append, lines.append
            for row in source:
                start, line = line + 1, reader.line_num
                if len(row) == width:
                    append_row(row)
                    append_line(start)
                elif not any(v.strip() for v in row):
                    continue  # a blank line is not a row
                else:
                    bad.append((start, f"wrong number of columns: expected {width}, found {len(row)}", row))
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            str(path), f"is not valid {mapping.encoding} text ({exc.reason}); set [source] encoding", line + 1
        ) from None
    except csv.Error as exc:
        raise SourceFileError(str(path), f"is not readable as CSV: {exc}", line + 1) from None
    except OSError as exc:
        raise SourceFileError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    return _RawRows([h.strip() for h in header], rows, lines, bad)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, mapping: SourceMapping, progress: bool) -> _RawRows:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if mapping.sheet is not None and mapping.sheet not in names:
            raise SourceFileError(str(path), f"has no sheet {mapping.sheet!r} (sheets: {', '.join(names)})")
        if not names:
            raise SourceFileError(str(path), "has no sheets")
        sheet = workbook.get_sheet_by_name(mapping.sheet or names[0])
        data = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceFileError(str(path), f"is not a readable XLSX workbook: {exc}") from None
    if not data:
        raise SourceFileError(str(path), "is empty: no header row")
    header = [_cell_text(v).strip() for v in data[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: list[tuple[int, str, list[str]]] = []
    indexes = range(1, len(data))
    for index in track(indexes, enabled=True, desc=f"read {mapping.key}") if progress else indexes:
        cells = [v if type(v) is str else _cell_text(v) for v in data[index]]
        if not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            bad.append((index + 1, f"wrong number of columns: expected {width}, found {width + len(extra)}", cells))
            continue
        cells = cells[:width] + [""] * (width - len(cells))
        rows.append(cells)
        lines.append(index + 1)
    return _RawRows(header, rows, lines, bad)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _clean_sql(column: str, missing: frozenset[str]) -> str:
    trimmed = f"trim({column})"
    missing_sql = f" OR upper({trimmed}) IN ({', '.join(_quote(m) for m in sorted(missing))})" if missing else ""
    return (
        f"CASE WHEN {column} IS NULL OR {trimmed} = ''{missing_sql} THEN NULL "
        f"WHEN regexp_matches({column}, '\\s\\s|[\\t\\r\\n]') THEN regexp_replace({trimmed}, '\\s+', ' ', 'g') "
        f"ELSE {trimmed} END"
    )


def _joined_sql(columns: Sequence[str], separator: str) -> str:
    if len(columns) == 1:
        return columns[0]
    return f"NULLIF(concat_ws({_quote(separator)}, {', '.join(columns)}), '')"


def _lookup_table(rows: list[tuple[Any, ...]], names: Sequence[str]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({n: pa.array(list(c), pa.string()) for n, c in zip(names, columns, strict=True)})


def parse_source(
    mapping: SourceMapping | str | Path,
    path: str | Path | None = None,
    *,
    progress: bool | None = None,
    today: dt.date | None = None,
) -> ParsedSource:
    """Parse one export through its mapping (a SourceMapping or the path of a mapping file).

    ``path`` is the export; when left out, the mapping's ``[source] file``. Raises MappingError for a bad mapping
    and SourceFileError when the file cannot be read at all; bad rows never raise, they are quarantined.
    """
    if not isinstance(mapping, SourceMapping):
        mapping = load_mapping(mapping)
    data_path = Path(path) if path is not None else mapping.data_path()
    if data_path is None:
        raise SourceFileError(mapping.path, "names no [source] file: give the export's path")
    if not data_path.is_file():
        raise SourceFileError(str(data_path), "does not exist or is not a file")
    show = wanted(progress)
    digest = file_sha256(data_path)
    raw = _read_xlsx(data_path, mapping, show) if mapping.format == "xlsx" else _read_csv(data_path, mapping, show)

    positions: dict[str, int] = {}
    duplicated: set[str] = set()
    for i, name in enumerate(raw.header):
        if name in positions:
            duplicated.add(name)
        positions.setdefault(name, i)
    absent = [c for c in mapping.source_columns if c not in positions]
    problems = []
    if absent:
        problems.append(
            f"the header has no column {', '.join(repr(c) for c in absent)} named by the mapping "
            f"(columns: {', '.join(repr(h) for h in raw.header)})"
        )
    ambiguous = sorted(duplicated & set(mapping.source_columns))
    if ambiguous:
        problems.append(f"the header repeats {', '.join(repr(c) for c in ambiguous)}: the mapping cannot tell which")
    if problems:
        raise SourceFileError(str(data_path), "; ".join(problems), line=1)

    records, quarantined, warnings = _normalise(raw, positions, mapping, str(data_path), today)
    bad_rows = [
        QuarantinedRow(
            source=mapping.key,
            file=str(data_path),
            line=line,
            reason=reason,
            record_id=(values[positions[mapping.record_id]].strip() or None)
            if positions[mapping.record_id] < len(values)
            else None,
            row_key=row_key(mapping.key, values),
            raw=tuple((raw.header[i] if i < len(raw.header) else f"#{i + 1}", v) for i, v in enumerate(values)),
        )
        for line, reason, values in raw.bad
    ]
    all_quarantined = tuple(sorted([*quarantined, *bad_rows], key=lambda q: q.line))
    result = ParsedSource(
        source=mapping.key,
        file=str(data_path),
        file_sha256=digest,
        rows_read=len(raw.rows) + len(raw.bad),
        records=records,
        quarantined=all_quarantined,
        warnings=warnings,
        mapping=mapping,
    )
    assert result.rows_read == result.rows_imported + result.rows_quarantined
    return result


def _normalise(
    raw: _RawRows, positions: dict[str, int], mapping: SourceMapping, file: str, today: dt.date | None
) -> tuple[RecordSet, list[QuarantinedRow], tuple[RowWarning, ...]]:
    width = len(raw.header)
    transposed = list(zip(*raw.rows, strict=True)) if raw.rows else [() for _ in range(width)]
    table = pa.table(
        {
            **{f"c{i}": pa.array(transposed[i], pa.string()) for i in range(width)},
            "line": pa.array(raw.lines, pa.int64()),
        }
    )
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.execute("SET enable_progress_bar = false")
        con.register("raw_rows", table)

        def col(name: str) -> str:
            return f"c{positions[name]}"

        cleaned = {c: _clean_sql(col(c), mapping.missing) for c in mapping.source_columns}

        def field_sql(target: str, separator: str = " ") -> str:
            cols = mapping.columns.get(target)
            if not cols:
                return "NULL::VARCHAR"
            return _joined_sql([f"({cleaned[c]})" for c in cols], separator)

        # A split address: the parts as they are, and joined into the one-line address too.
        street_sql = _joined_sql([field_sql("house_number"), field_sql("street", ", ")], " ")
        if set(ADDRESS_PART_TARGETS) & set(mapping.columns):
            address_sql = _joined_sql(
                [street_sql, *(field_sql(part, ", ") for part in ("locality", "town", "county"))], ", "
            )
        else:
            address_sql = field_sql("address", ", ")
        raw_json = "json_object(" + ", ".join(f"{_quote(h)}, c{i}" for i, h in enumerate(raw.header)) + ")"
        key_sql = "sha256(concat_ws(chr(31), " + ", ".join([_quote(mapping.key)] + [f"c{i}" for i in range(width)])
        key_sql += "))"
        con.execute(
            f"""
            CREATE TEMP TABLE staged AS
            SELECT line,
                   ({cleaned[mapping.record_id]}) AS rid,
                   {field_sql("full_name")} AS full_name,
                   {field_sql("given_name")} AS given_in,
                   {field_sql("middle_names")} AS middle_in,
                   {field_sql("family_name")} AS family_in,
                   {field_sql("date_of_birth")} AS dob_in,
                   {field_sql("sex")} AS sex_in,
                   {address_sql} AS address,
                   {street_sql} AS street,
                   {field_sql("locality", ", ")} AS locality,
                   {field_sql("town", ", ")} AS town,
                   {field_sql("county", ", ")} AS county,
                   {field_sql("postcode")} AS postcode_in,
                   {key_sql} AS row_key,
                   {raw_json}::VARCHAR AS raw
            FROM raw_rows
            """
        )

        # Python once per distinct value: full names, dates of birth, postcodes.
        names: list[tuple[Any, ...]] = []
        if "full_name" in mapping.columns:
            for (value,) in con.execute("SELECT DISTINCT full_name FROM staged WHERE full_name IS NOT NULL").fetchall():
                given, middle, family = split_full_name(value, mapping.name_order)
                names.append((value, given or None, middle or None, family or None))
        con.register("name_map", _lookup_table(names, ("value", "given", "middle", "family")))

        formats = compile_date_formats(mapping.date_formats)
        placeholders = set()
        for m in mapping.missing:
            with contextlib.suppress(PartialDateError):
                placeholders.add(date_to_text(parse_date(m, formats, today=today)))
        dates: list[tuple[Any, ...]] = []
        for (value,) in con.execute("SELECT DISTINCT dob_in FROM staged WHERE dob_in IS NOT NULL").fetchall():
            try:
                text = date_to_text(parse_date(value, formats, today=today))
                dates.append((value, None if text in placeholders else text, None))
            except PartialDateError as exc:
                reason = str(exc)
                dates.append((value, None, reason if value in reason else f"{value!r}: {reason}"))
        con.register("date_map", _lookup_table(dates, ("value", "dob", "error")))

        postcodes = [
            (value, clean_postcode(value))
            for (value,) in con.execute(
                "SELECT DISTINCT postcode_in FROM staged WHERE postcode_in IS NOT NULL"
            ).fetchall()
        ]
        con.register("postcode_map", _lookup_table(postcodes, ("value", "postcode")))

        sex_values = dict(mapping.sex_values) or DEFAULT_SEX_VALUES
        sex_case = (
            "CASE upper(s.sex_in) "
            + " ".join(f"WHEN {_quote(k)} THEN {_quote(v)}" for k, v in sex_values.items())
            + " ELSE NULL END"
        )
        con.execute(
            f"""
            CREATE TEMP TABLE parsed AS
            SELECT s.line, s.rid, s.row_key, s.raw, s.address, s.street, s.locality, s.town, s.county,
                   coalesce(n.given, s.given_in) AS given_name,
                   coalesce(n.middle, s.middle_in) AS middle_names,
                   coalesce(n.family, s.family_in) AS family_name,
                   d.dob AS date_of_birth, d.error AS dob_error, s.dob_in,
                   {sex_case} AS sex, s.sex_in,
                   p.postcode, s.postcode_in,
                   row_number() OVER (PARTITION BY s.rid ORDER BY s.line) AS id_rank,
                   min(s.line) OVER (PARTITION BY s.rid) AS id_first_line
            FROM staged s
            LEFT JOIN name_map n ON n.value = s.full_name
            LEFT JOIN date_map d ON d.value = s.dob_in
            LEFT JOIN postcode_map p ON p.value = s.postcode_in
            """
        )
        con.execute(
            """
            CREATE TEMP TABLE checked AS
            SELECT *,
                   CASE
                     WHEN rid IS NULL THEN 'no record id'
                     WHEN id_rank > 1 THEN 'duplicate record id ''' || rid || ''' (first at line '
                                           || id_first_line || ')'
                     WHEN dob_error IS NOT NULL THEN 'date of birth not understood: ' || dob_error
                     WHEN given_name IS NULL AND family_name IS NULL THEN 'no name'
                   END AS reason
            FROM parsed
            """
        )
        records_table = con.sql(
            f"""
            SELECT rid AS record_id, {_quote(mapping.key)} AS source, given_name, middle_names, family_name,
                   date_of_birth, sex, address, postcode, street, locality, town, county, line, row_key, raw
            FROM checked WHERE reason IS NULL ORDER BY line
            """
        ).to_arrow_table()
        quarantined = [
            QuarantinedRow(
                source=mapping.key,
                file=file,
                line=line,
                reason=reason,
                record_id=rid,
                row_key=key,
                raw=tuple(json.loads(raw_text).items()),
            )
            for line, reason, rid, key, raw_text in con.execute(
                "SELECT line, reason, rid, row_key, raw FROM checked WHERE reason IS NOT NULL ORDER BY line"
            ).fetchall()
        ]
        warnings = tuple(
            RowWarning(mapping.key, line, rid, fld, value, reason)
            for line, rid, fld, value, reason in con.execute(
                """
                SELECT line, rid, 'postcode', postcode_in,
                       'postcode ''' || postcode_in || ''' is not a UK postcode: left empty'
                FROM checked WHERE reason IS NULL AND postcode_in IS NOT NULL AND postcode IS NULL
                UNION ALL
                SELECT line, rid, 'sex', sex_in,
                       'sex ''' || sex_in || ''' is not in the mapping''s [values] sex: left empty'
                FROM checked WHERE reason IS NULL AND sex_in IS NOT NULL AND sex IS NULL
                ORDER BY 1, 3
                """
            ).fetchall()
        )
    finally:
        con.close()
    return RecordSet(records_table), quarantined, warnings


def parse_sources(
    mappings: Sequence[SourceMapping | str | Path], *, progress: bool | None = None
) -> Iterator[ParsedSource]:
    """Parse several exports, each through its mapping's ``[source] file``, one after the other."""
    for mapping in mappings:
        yield parse_source(mapping, progress=progress)
