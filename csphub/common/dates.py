"""Dates of birth that may be partial (a year; a month and year; a full date), as registers hold them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_UK = re.compile(r"^(?:(?:(\d{1,2})[/.-])?(\d{1,2})[/.-])?(\d{4})$")
EARLIEST_YEAR = 1900


class PartialDateError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        today = dt.date.today()
        if not EARLIEST_YEAR <= self.year <= today.year:
            raise PartialDateError(f"Year must be between {EARLIEST_YEAR} and {today.year}")
        if self.month is None and self.day is not None:
            raise PartialDateError("A day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError("Month must be between 1 and 12")
        if self.day is not None:
            assert self.month is not None
            try:
                value = dt.date(self.year, self.month, self.day)
            except ValueError:
                raise PartialDateError("Date must be a real date") from None
            if value > today:
                raise PartialDateError("Date of birth must be in the past")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Accepts 1990, 04/1990, 3/4/1990 (day first, as in the UK), 1990-04 and 1990-04-03."""
        value = (text or "").strip()
        iso = _ISO.match(value)
        if iso:
            y, m, d = iso.groups()
            return cls(int(y), int(m) if m else None, int(d) if d else None)
        uk = _UK.match(value)
        if uk:
            d, m, y = uk.groups()
            return cls(int(y), int(m) if m else None, int(d) if d else None)
        raise PartialDateError(f"{value!r} is not a date: use 1990, 04/1990 or 03/04/1990")

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        return str(self.year)

    def matches(self, other: PartialDate | None) -> bool:
        """True when no known part of either date contradicts the other."""
        if other is None:
            return False
        if self.year != other.year:
            return False
        if self.month is not None and other.month is not None and self.month != other.month:
            return False
        return not (self.day is not None and other.day is not None and self.day != other.day)
