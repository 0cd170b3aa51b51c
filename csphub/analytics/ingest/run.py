"""One ingest: every file's header checked, each kind down the pyarrow path or the DuckDB path, and only when every
file has passed, the staged months renamed into the store."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csphub.common.progress import Steps

from ..errors import IngestError
from ..geo import Districts
from ..schema import FileKind
from ..sources import SourceFile, discover
from ..store import CrimeStore
from .arrow_path import _ingest_arrow
from .duckdb_path import _prepare, _write_all
from .provenance import FileReport, IngestResult, _reporter
from .reading import check_header
from .settings import IngestSettings
from .worktables import _work_tables

log = logging.getLogger("csphub.analytics.ingest")  # one logger for the whole ingest


@dataclass(frozen=True)
class _Staged:
    report: FileReport
    staged: Path
    final: Path


def _ingest_kind(
    kind: FileKind,
    sources: Sequence[SourceFile],
    out: Path,
    store: CrimeStore,
    districts: Districts,
    settings: IngestSettings,
    steps: Steps,
) -> list[_Staged]:
    report = _reporter(kind, sources, store)

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
        with Steps(2 * len(kinds) + 1, "ingest", enabled=settings.progress, listener=settings.listener) as steps:
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
