"""Bad input: each case stops the ingest with an error naming the file and line, and leaves the store
unchanged."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import IngestError

from .conftest import BEDS, NORTHANTS_MONTHS, snapshot

GOOD = NORTHANTS_MONTHS[0]  # 2025-01


@pytest.fixture
def store(empty: Analytics) -> Analytics:
    """A store already holding the real January 2025 (the month every bad file below would replace)."""
    empty.ingest([GOOD])
    return empty


def _lines() -> list[bytes]:
    return GOOD.read_bytes().splitlines(keepends=True)


def _write(folder: Path, lines: list[bytes], name: str = GOOD.name) -> Path:
    path = folder / name
    path.write_bytes(b"".join(lines))
    return path


def _edit(line_no: int, change: Callable[[list[bytes]], list[bytes]]) -> Callable[[Path], Path]:
    """A bad file: the real month with the fields of line ``line_no`` (1 = header) changed."""

    def make(folder: Path) -> Path:
        lines = _lines()
        fields = lines[line_no - 1].rstrip(b"\r\n").split(b",")
        lines[line_no - 1] = b",".join(change(fields)) + b"\n"
        return _write(folder, lines)

    return make


def _set(index: int, value: bytes) -> Callable[[list[bytes]], list[bytes]]:
    return lambda fields: [*fields[:index], value, *fields[index + 1 :]]


def _utf16(folder: Path) -> Path:
    return _write(folder, [GOOD.read_text(encoding="utf-8").encode("utf-16")])


def _truncated_zip(folder: Path) -> Path:
    archive = folder / "2025-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(GOOD, f"2025-01/{GOOD.name}")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    return archive


def _damaged_zip(folder: Path) -> Path:
    archive = folder / "2025-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(GOOD, f"2025-01/{GOOD.name}")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = b"XXXXXXXX"  # same length: the archive opens, the member's CRC-32 fails
    archive.write_bytes(bytes(data))
    return archive


CASES: dict[str, tuple[Callable[[Path], Path], int | None, str]] = {
    "wrong header (renamed column)": (
        _edit(1, _set(4, b"Lng")),
        1,
        "wrong header: column 5 is 'Lng' where a police.uk street file has 'Longitude'",
    ),
    "wrong header (missing column)": (
        _edit(1, lambda f: f[:-1]),
        1,
        "11 columns where a police.uk street file has 12",
    ),
    "wrong header (outcomes header in a street file)": (
        lambda folder: _write(
            folder,
            [(BEDS / "2024-04-bedfordshire-outcomes.csv").read_bytes().splitlines(True)[0], *_lines()[1:]],
        ),
        1,
        "wrong header",
    ),
    "empty file": (lambda folder: _write(folder, []), 1, "empty first line"),
    "ragged row (a field missing)": (_edit(10, lambda f: f[:-1]), 10, "fewer fields than the header"),
    "ragged row (a field too many)": (_edit(11, lambda f: [*f, b"extra"]), 11, "more fields than the header"),
    "unterminated quote": (_edit(12, _set(6, b'"On or near High Street')), 12, "quoted value"),
    "bad coordinates (not a number)": (_edit(7, _set(4, b"-0.7x1")), 7, "Longitude '-0.7x1' is not a number"),
    "bad coordinates (outside Great Britain)": (
        _edit(8, _set(5, b"152.1")),
        8,
        "is not a point in Great Britain",
    ),
    "bad coordinates (longitude without latitude)": (
        _edit(9, _set(5, b"")),
        9,
        "a longitude without a latitude",
    ),
    "wrong encoding (Latin-1 bytes)": (_edit(13, _set(6, b"On or near Caf\xe9 Row")), 13, "not UTF-8"),
    "wrong encoding (UTF-16)": (_utf16, 1, "UTF-16"),
    "truncated zip": (_truncated_zip, None, "not a complete zip archive"),
    "damaged zip member": (_damaged_zip, None, "not a complete zip archive (Bad CRC-32"),
    "month not the file's month": (
        _edit(14, _set(1, b"2025-02")),
        14,
        "month '2025-02' in a file for 2025-01",
    ),
    "unknown crime type": (_edit(15, _set(9, b"Cybercrime")), 15, "unknown crime type 'Cybercrime'"),
    "bad LSOA code": (
        _edit(16, _set(7, b"Kettering 001A")),
        16,
        "LSOA code 'Kettering 001A' is not an ONS code",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_it_refuses_bad_input_naming_file_and_line_and_leaves_the_store_unchanged(
    case: str, store: Analytics, tmp_path: Path
) -> None:
    make, line, message = CASES[case]
    bad = make(tmp_path)
    before = snapshot(store.store.root)
    assert any(name.startswith("police-uk/street/northamptonshire/2025-01") for name in before)
    with pytest.raises(IngestError) as caught:
        store.ingest([bad])
    error = caught.value
    assert error.source.startswith(str(bad))
    assert error.line == line
    assert message in str(error)
    assert str(error).startswith(f"{error.source}, line {line}: " if line else f"{error.source}: ")
    assert snapshot(store.store.root) == before
    assert not any((store.store.root / ".staging").iterdir())


def test_it_stores_nothing_of_a_batch_when_one_file_is_bad(store: Analytics, tmp_path: Path) -> None:
    bad = _edit(20, lambda f: f[:3])(tmp_path)
    before = snapshot(store.store.root)
    with pytest.raises(IngestError, match=re.escape(f"{bad}, line 20: the row has fewer fields")):
        store.ingest([NORTHANTS_MONTHS[1], BEDS, bad])
    assert snapshot(store.store.root) == before


def test_it_names_a_file_that_is_not_a_police_uk_file(store: Analytics, tmp_path: Path) -> None:
    path = tmp_path / "crimes.csv"
    path.write_bytes(GOOD.read_bytes())
    with pytest.raises(IngestError, match=r"not a police\.uk file name"):
        store.ingest([path])
    with pytest.raises(IngestError, match="no such file or folder"):
        store.ingest([tmp_path / "missing"])


def test_it_refuses_the_same_month_twice_in_one_batch(store: Analytics, tmp_path: Path) -> None:
    copy = tmp_path / "again" / GOOD.name
    copy.parent.mkdir()
    copy.write_bytes(GOOD.read_bytes())
    with pytest.raises(IngestError, match="also given as"):
        store.ingest([GOOD, copy])


def test_it_names_file_and_line_when_duckdb_itself_refuses_a_file(tmp_path: Path) -> None:
    import duckdb

    from csphub.analytics.ingest.diagnosis import _duckdb_error
    from csphub.analytics.ingest.reading import read_csv_sql
    from csphub.analytics.schema import STREET
    from csphub.analytics.sources import SourceFile

    bad = _edit(13, _set(6, b"On or near Caf\xe9 Row"))(tmp_path)
    source = SourceFile(f"{bad} (as given)", bad, STREET, "northamptonshire", date(2025, 1, 1))
    with pytest.raises(duckdb.Error) as raised:
        duckdb.connect().execute(f"SELECT * FROM {read_csv_sql(STREET, [bad], rejects=False)}").fetchall()
    error = _duckdb_error(raised.value, [source])
    assert (error.source, error.line) == (f"{bad} (as given)", 13)
    assert "not utf-8" in error.reason
