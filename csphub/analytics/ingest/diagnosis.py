"""Naming what is wrong, with its file and line: DuckDB's rejected rows, a row breaking a rule (the file read again
on its own), and DuckDB's own errors."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import duckdb

from ..errors import IngestError
from ..schema import FileKind
from ..sources import SourceFile
from .reading import read_csv_sql

log = logging.getLogger("csphub.analytics.ingest")  # one logger for the whole ingest


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
