"""Calendar arithmetic and date wording shared by the calculators.

Months are calendar months: the same day number in the later month, or that month's last day when it is shorter
(31 January + 1 month = 28 February, or 29 in a leap year). python-dateutil is not a dependency, so this is done here.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import TypeVar

D = TypeVar("D", bound=date)


def add_months(day: D, months: int) -> D:
    """``day`` moved by ``months`` calendar months (negative goes back), clamped to the end of a shorter month.

    Works for dates and datetimes alike (a datetime keeps its time of day and time zone).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def add_years(day: D, years: int) -> D:
    return add_months(day, 12 * years)


def anniversary(born: date, years: int) -> date:
    """The day someone born on ``born`` reaches ``years`` years of age.

    In England and Wales a person attains an age at the start of the anniversary of their birth; someone born on
    29 February is treated as reaching it on 1 March in a year that is not a leap year.
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return date(born.year + years, 3, 1)


def fmt_date(day: date) -> str:
    """01/04/2026 (UK order), also for a datetime's date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def fmt_datetime(moment: datetime) -> str:
    """01/04/2026 14:30."""
    return f"{fmt_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def fmt_when(value: date) -> str:
    """A date as 01/04/2026, a datetime as 01/04/2026 14:30."""
    return fmt_datetime(value) if isinstance(value, datetime) else fmt_date(value)


def fmt_duration(delta: timedelta) -> str:
    """48 hours, 48 hours 1 minute, 2 days 3 hours: for the hour-counted closure periods."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if minutes or not parts:
        parts.append(plural(minutes, "minute"))
    return " ".join(parts)


def months_phrase(months: int) -> str:
    """'one month', '6 months'."""
    return "one month" if months == 1 else f"{months} months"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 complaint', '2 complaints', '0 complaints'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def days_phrase(days: int) -> str:
    return plural(days, "day")


def require_int(name: str, value: object, minimum: int | None = None, maximum: int | None = None) -> int:
    """Validate a whole-number setting; the message names the field so a bad configuration is easy to find."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, not {value}")
    return value
