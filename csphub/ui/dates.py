"""Dates and times in GOV.UK style, for every page and message: "7 December 2026", "9:14am on 7 December 2026"."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone


def govuk_time(value: dt.datetime | dt.time) -> str:
    """A time in GOV.UK style: "9:14am", "4pm", "midday", "midnight" (local time for an aware datetime)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_date(value: dt.date) -> str:
    """A date in GOV.UK style: "7 December 2026" (the local date of an aware datetime)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


def govuk_when(value: dt.date | dt.datetime) -> str:
    """A date or a time in GOV.UK style: "7 December 2026", "4:30pm on 7 December 2026", "midday on …"."""
    if isinstance(value, dt.datetime):
        return f"{govuk_time(value)} on {govuk_date(value)}"
    return govuk_date(value)


# Reading dates and times typed by people, GOV.UK style (design-system.service.gov.uk/components/date-input/ and
# its error messages: "Enter …", "… must include a month", "… must be a real date", "Year must include 4 numbers").

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B").lower(), dt.date(2000, number, 1).strftime("%b").lower())
}
_MONTHS["sept"] = 9
_PARTS = ("day", "month", "year")


class DateBoxError(ValueError):
    """A date typed in the three boxes is not a date; ``parts`` names the boxes to highlight (all when empty)."""

    def __init__(self, message: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.parts = parts


def _number(text: str, part: str) -> int | None:
    text = text.strip().lower()
    if not text:
        return None
    if part == "month" and text in _MONTHS:
        return _MONTHS[text]
    if not text.isdigit():
        raise ValueError(part)
    return int(text)


def read_date_boxes(
    label: str, day: str, month: str, year: str, *, partial: bool = False
) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from the day, month and year boxes, or None when all three are blank.

    ``partial``: the day, or the day and month, may be left blank (a date of birth only partly known). The month may
    be written as a name ("Mar", "March"). Raises DateBoxError with the GOV.UK message for ``label``.
    """
    texts = {"day": day or "", "month": month or "", "year": year or ""}
    if not any(t.strip() for t in texts.values()):
        return None
    missing = [p for p in _PARTS if not texts[p].strip()]
    if partial:
        missing = [p for p in missing if p == "year" or (p == "month" and texts["day"].strip())]
    if missing:
        raise DateBoxError(f"{label} must include a {' and '.join(missing)}", tuple(missing))
    try:
        values = {p: _number(texts[p], p) for p in _PARTS}
    except ValueError as exc:
        raise DateBoxError(f"{label} must be a real date", (str(exc),)) from None
    y, m, d = values["year"], values["month"], values["day"]
    assert y is not None
    if len(texts["year"].strip()) != 4:
        raise DateBoxError("Year must include 4 numbers", ("year",))
    if m is not None and not 1 <= m <= 12:
        raise DateBoxError(f"{label} must be a real date", ("month",))
    if d is not None:
        try:
            dt.date(y, m or 1, d)
        except ValueError:
            raise DateBoxError(f"{label} must be a real date", ("day",)) from None
    return y, m, d


_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*([ap])?\.?\s*m?\.?$")


def read_time(text: str) -> dt.time | None:
    """A time as people write it: "9:30am", "9.30 pm", "2pm", "14:30", "1430", "midday", "midnight"; None if blank.

    Raises ValueError when it is not a time of day."""
    value = (text or "").strip().lower()
    if not value:
        return None
    if value in {"midday", "noon", "12 noon"}:
        return dt.time(12, 0)
    if value == "midnight":
        return dt.time(0, 0)
    found = _TIME.match(value)
    if found is None:
        raise ValueError(text)
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "p" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(text)
    return dt.time(hour, minute)
