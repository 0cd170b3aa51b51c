"""Dates and times in GOV.UK style, for every page and message: "7 December 2026", "9:14am on 7 December 2026"."""

from __future__ import annotations

import datetime as dt

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
