"""What the store holds: each stored file (a force's or agency's month) with the counts its ingest recorded, and the
months held per table and owner — the freshness page of the web app and ``csphub crime status``.

police.uk files carry their ingest's report in their Parquet metadata (:mod:`.ingest.provenance`); partner files are
counted from their rows (they record their source file in a column), their ingest time is the file's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from .schema import sql_str
from .store import KIND_FOLDERS, PARTNER, CrimeStore, month_index, parse_month


@dataclass(frozen=True)
class HeldFile:
    table: str  # street, outcomes, stop_and_search or partner
    owner: str  # force or agency
    month: str  # YYYY-MM
    rows: int
    unlocated: int  # rows without coordinates
    outside_districts: int  # rows with coordinates in none of the known districts
    source: str  # the file (or files) it was ingested from
    ingested_at: datetime | None
    path: Path


@dataclass(frozen=True)
class Coverage:
    """The months one owner has in one table: first, last, how many, and the gaps between."""

    table: str
    owner: str
    first: str
    last: str
    months: int
    missing: tuple[str, ...]
    rows: int
    last_ingest: datetime | None


@dataclass(frozen=True)
class Holdings:
    files: tuple[HeldFile, ...]

    @property
    def last_ingest(self) -> datetime | None:
        times = [f.ingested_at for f in self.files if f.ingested_at is not None]
        return max(times) if times else None

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    def coverage(self) -> tuple[Coverage, ...]:
        groups: dict[tuple[str, str], list[HeldFile]] = {}
        for f in self.files:
            groups.setdefault((f.table, f.owner), []).append(f)
        result = []
        for (table, owner), files in sorted(groups.items()):
            months = sorted({f.month for f in files})
            held = {month_index(parse_month(m)) for m in months}
            first, last = month_index(parse_month(months[0])), month_index(parse_month(months[-1]))
            missing = tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1) if i not in held)
            times = [f.ingested_at for f in files if f.ingested_at is not None]
            result.append(
                Coverage(
                    table,
                    owner,
                    months[0],
                    months[-1],
                    len(months),
                    missing,
                    sum(f.rows for f in files),
                    max(times) if times else None,
                )
            )
        return tuple(result)


def _paths(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(sql_str(str(p)) for p in paths) + "]"


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _police_files(con: duckdb.DuckDBPyConnection, table: str, paths: list[Path]) -> list[HeldFile]:
    """One query over the metadata of every file of the table (the footers only, no rows read)."""
    rows = con.execute(
        f"SELECT file_name, decode(key), decode(value) FROM parquet_kv_metadata({_paths(paths)}) "
        "WHERE decode(key) LIKE 'csphub_%'"
    ).fetchall()
    meta: dict[str, dict[str, str]] = {}
    for name, key, value in rows:
        meta.setdefault(str(name), {})[str(key).removeprefix("csphub_")] = str(value)
    held = []
    for path in paths:
        m = meta.get(str(path), {})
        held.append(
            HeldFile(
                table=table,
                owner=path.parent.name,
                month=path.stem,
                rows=int(m.get("rows") or 0),
                unlocated=int(m.get("unlocated") or 0),
                outside_districts=int(m.get("outside_districts") or 0),
                source=m.get("source", ""),
                ingested_at=_time(m.get("ingested_at")),
                path=path,
            )
        )
    return held


def _partner_files(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> list[HeldFile]:
    counts = {
        str(r[0]): r[1:]
        for r in con.execute(
            f"""SELECT filename, count(*), count(*) FILTER (WHERE x IS NULL),
            count(*) FILTER (WHERE x IS NOT NULL AND district IS NULL), string_agg(DISTINCT source_file, ', ')
            FROM read_parquet({_paths(paths)}, filename = true, union_by_name = true) GROUP BY filename"""
        ).fetchall()
    }
    held = []
    for path in paths:
        rows, unlocated, outside, sources = counts.get(str(path), (0, 0, 0, ""))
        held.append(
            HeldFile(
                table=PARTNER,
                owner=path.parent.name,
                month=path.stem,
                rows=int(rows),
                unlocated=int(unlocated),
                outside_districts=int(outside),
                source=str(sources or ""),
                ingested_at=datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0),
                path=path,
            )
        )
    return held


def holdings(store: CrimeStore) -> Holdings:
    """Every file the store holds, with its counts (police.uk street, outcomes, stop-and-search, partner)."""
    con = duckdb.connect()
    try:
        files: list[HeldFile] = []
        for table in KIND_FOLDERS:
            paths = store.files(table)
            if paths:
                files.extend(_police_files(con, table, paths))
        partner = store.files(PARTNER)
        if partner:
            files.extend(_partner_files(con, partner))
    finally:
        con.close()
    return Holdings(tuple(files))


def latest_month(holdings: Holdings, table: str = "street") -> date | None:
    months = [f.month for f in holdings.files if f.table == table]
    return parse_month(max(months)) if months else None
