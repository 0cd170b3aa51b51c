"""When a series meets: every six weeks, monthly (the same weekday of the month: "the second Tuesday"), or ad hoc.

The pattern is an RFC 5545 recurrence rule (python-dateutil's ``rrule``), run on local wall-clock times so that a
meeting at 10:00 stays at 10:00 across the change to and from British Summer Time."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule
from django.utils import timezone

from csphub.meetings.models import Recurrence

_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def rule_for(recurrence: str, first: dt.datetime) -> rrule | None:
    """The series' rule from its first meeting (a local, naive start); None for ad hoc series."""
    if recurrence == Recurrence.SIX_WEEKLY:
        return rrule(WEEKLY, interval=6, dtstart=first)
    if recurrence == Recurrence.MONTHLY:
        nth = (first.day - 1) // 7 + 1
        # A fifth weekday of the month is the last one: "the last Friday" (not every month has a fifth).
        return rrule(MONTHLY, dtstart=first, byweekday=_WEEKDAYS[first.weekday()](-1 if nth == 5 else nth))
    return None


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def next_start(recurrence: str, first: dt.datetime, after: dt.datetime) -> dt.datetime | None:
    """The first meeting of the pattern strictly after ``after`` (aware), or None for ad hoc series."""
    rule = rule_for(recurrence, _local(first))
    if rule is None:
        return None
    found = rule.after(_local(after), inc=False)
    return timezone.make_aware(found) if found is not None else None


def starts_between(recurrence: str, first: dt.datetime, since: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
    """The pattern's meetings from ``since`` to ``until`` (aware, both included); ad hoc: the first only."""
    rule = rule_for(recurrence, _local(first))
    if rule is None:
        return [first] if since <= first <= until else []
    return [timezone.make_aware(d) for d in rule.between(_local(since), _local(until), inc=True)]
