"""The questions a pack asks its sources, in one place: the town centre as the engine's circle, the engine's filters for
police.uk and the NTE logs over the assessment period, and the months the store holds."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from csphub.analytics.store import Circle, EventFilter, MonthRange, month_index
from csphub.geography import wgs84_to_bng
from csphub.insights.engine import analytics
from csphub.insights.priorities import load as load_priorities
from csphub.nte.models import DesignatedArea
from csphub.nte.publishing import partner_categories

from .models import EvidencePack

NTE_PRIORITY = "night-time-economy"


def town_centre(pack: EvidencePack) -> Circle:
    x, y = wgs84_to_bng(pack.centre_latitude, pack.centre_longitude)
    return Circle(round(x, 1), round(y, 1), float(pack.radius_m))


def police_types() -> tuple[str, ...]:
    """The police.uk crime types the night-time-economy dashboard counts (``csphub/insights/priorities.toml``)."""
    priority = load_priorities().get(NTE_PRIORITY)
    assert priority is not None, "the night-time-economy priority is in csphub/insights/priorities.toml"
    return priority.police_uk


def police_filter(pack: EvidencePack, months: MonthRange) -> EventFilter:
    return EventFilter(months, police_types(), (pack.district_code,), "police", town_centre(pack))


def partner_filter(pack: EvidencePack, months: MonthRange) -> EventFilter:
    return EventFilter(months, partner_categories(), (pack.district_code,), "partner", town_centre(pack))


def held_months(pack: EvidencePack, source: str) -> list[dt.date]:
    """The months the store holds any event of ``source`` for the pack's district (a month with no night-time event
    in the centre still counts 0 in them)."""
    table = analytics().counts(["month"], EventFilter(districts=(pack.district_code,), source=source))  # type: ignore[arg-type]
    return sorted(k[0] for k in table.keys if isinstance(k[0], dt.date))


def period_months(pack: EvidencePack, held: list[dt.date]) -> tuple[list[dt.date], bool]:
    """The held months of the assessment period; when none is held (police.uk publishes months late), the latest
    held months before its end, as many as the period has, and True (the figures cover other months)."""
    inside = [m for m in held if pack.first_month <= m <= pack.last_month]
    if inside or not held:
        return inside, False
    before = [m for m in held if m <= pack.last_month] or held
    return before[-pack.months :], True


def earlier(months: list[dt.date], held: list[dt.date]) -> MonthRange | None:
    """The same months a year earlier, when every one of them is held."""
    back = [m.replace(year=m.year - 1) for m in months]
    return MonthRange(back[0], back[-1]) if back and set(back) <= set(held) else None


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _month(i: int) -> dt.date:
    return dt.date(i // 12, i % 12 + 1, 1)


def _span(months: list[dt.date]) -> list[dt.date]:
    return [_month(i) for i in range(month_index(months[0]), month_index(months[-1]) + 1)]


def designations(pack: EvidencePack) -> list[DesignatedArea]:
    """Dispersal and PSPO areas in force at any time in the period (public notices)."""
    since, until = pack.first_month, last_day(pack.last_month)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    qs = DesignatedArea.objects.filter(starts_at__lt=end, ends_at__gt=start)
    if pack.nte_area is not None:
        qs = qs.filter(Q(area=pack.nte_area) | Q(area__isnull=True))
    return list(qs.order_by("kind", "name"))
