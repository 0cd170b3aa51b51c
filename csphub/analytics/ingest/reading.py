"""Reading police.uk files: the header check every file passes first, and DuckDB's ``read_csv`` for them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ..errors import IngestError
from ..schema import FileKind, sql_str
from ..sources import SourceFile


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
