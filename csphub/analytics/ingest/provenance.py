"""What an ingest reports: per file, the counts and LSOA vintage, also written into each stored Parquet file's
key-value metadata as its provenance (with the time of the ingest)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from ..schema import FileKind
from ..sources import SourceFile
from ..store import CrimeStore


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


_Report = Callable[[int, tuple[int, int, int], int | None], tuple[FileReport, dict[str, str]]]


def _reporter(kind: FileKind, sources: Sequence[SourceFile], store: CrimeStore) -> _Report:
    """The report (and provenance metadata) of each file of one kind, by its index in ``sources``."""
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

    return report
