"""Finding the police.uk files to ingest among CSV files, folders and the monthly zip archives.

A police.uk download is a zip archive holding ``YYYY-MM/YYYY-MM-<force>-<kind>.csv`` members; the same files
may also be given unpacked, one by one or as a folder (searched recursively). Each file is recognised by its
name, which police.uk always spells the same way; its header is checked against that kind before anything is
read. Members of an archive are extracted (CRC-checked) into the ingest's staging folder, so a truncated or
damaged archive is refused before any of it reaches the store.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import IngestError
from .schema import KINDS, FileKind

FILE_NAME = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv")


@dataclass(frozen=True)
class SourceFile:
    """One police.uk CSV ready to read: ``path`` on disk, ``display`` as the user knows it
    (``a.zip!member``)."""

    display: str
    path: Path
    kind: FileKind
    force: str
    month: date

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.name, self.force, self.month_key)


def parse_file_name(name: str, display: str) -> tuple[FileKind, str, date]:
    match = FILE_NAME.fullmatch(name)
    if match is None:
        raise IngestError(
            display,
            "not a police.uk file name: expected YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv",
        )
    year, month = (int(part) for part in match["month"].split("-"))
    if not 1 <= month <= 12:
        raise IngestError(display, f"month {match['month']} in the file name is not a month")
    return KINDS[match["kind"]], match["force"], date(year, month, 1)


def _csv_in_folder(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in {".csv", ".zip"}:
            yield path


def _extract(archive: Path, target_dir: Path) -> Iterator[SourceFile]:
    """Every police.uk CSV member of ``archive``, extracted into ``target_dir`` with its CRC checked."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
            if not members:
                raise IngestError(str(archive), "the zip archive holds no CSV file")
            target_dir.mkdir(parents=True)
            for index, member in enumerate(members):
                display = f"{archive}!{member.filename}"
                kind, force, month = parse_file_name(Path(member.filename).name, display)
                target = target_dir / f"{index}-{Path(member.filename).name}"
                # Reading a member to its end checks its CRC-32: a damaged member raises BadZipFile here.
                with zf.open(member) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, length=1 << 20)
                yield SourceFile(display, target, kind, force, month)
    except IngestError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise IngestError(str(archive), f"not a complete zip archive ({exc})") from exc


def discover(paths: Iterable[Path], staging: Path) -> list[SourceFile]:
    """The police.uk files named by ``paths`` (files, folders, zip archives), each once, in a stable order."""
    found: list[SourceFile] = []
    archives = 0
    for given in paths:
        if not given.exists():
            raise IngestError(str(given), "no such file or folder")
        candidates = list(_csv_in_folder(given)) if given.is_dir() else [given]
        if given.is_dir() and not candidates:
            raise IngestError(str(given), "the folder holds no CSV file or zip archive")
        for path in candidates:
            if path.suffix.lower() == ".zip":
                archives += 1
                found.extend(_extract(path, staging / f"zip-{archives}"))
            else:
                kind, force, month = parse_file_name(path.name, str(path))
                found.append(SourceFile(str(path), path, kind, force, month))
    seen: dict[tuple[str, str, str], str] = {}
    for source in found:
        if source.key in seen:
            raise IngestError(
                source.display,
                f"the same {source.kind.name} month and force is also given as {seen[source.key]}",
            )
        seen[source.key] = source.display
    return found
