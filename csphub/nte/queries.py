"""What the night-time economy pages and the Purple Flag evidence pack read.

Two kinds of question:

- **An agency's own logs** (``shifts_for``): governed records, through the access policy (``visible_to``).
- **The shared NTE summary** (``summary``, ``shift_coverage``, ``partners_active``, ``weapon_finds``,
  ``incidents_by_month``): counts over every partner's logs — by night, category, area, service, venue and month,
  never a record, a name or a note — with small counts suppressed (``csphub.analytics.suppression``) for viewers
  the policy does not let see small partner counts (``threshold`` None: unsuppressed).

``incidents_by_month`` reads the analytics engine (the published partner data), so that a figure on the Purple Flag
pack equals the engine's; the others count the logs in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from csphub.analytics.store import EventFilter, MonthRange
from csphub.analytics.suppression import rounded_total, suppress
from csphub.insights.engine import analytics
from csphub.nte.models import (
    DesignatedArea,
    HidingPlace,
    Incident,
    IncidentCategory,
    NteArea,
    NtePartner,
    NteService,
    ReferralTarget,
    Shift,
    VenueKind,
    WeaponFind,
    WeaponType,
)
from csphub.nte.publishing import partner_categories

if TYPE_CHECKING:
    from csphub.partnership.models import User

# A night runs from 06:00 one day to 06:00 the next: a shift or incident after midnight belongs to the night before.
NIGHT_STARTS_HOUR = 6


def night_of(moment: dt.datetime) -> dt.date:
    local = timezone.localtime(moment)
    return (local - dt.timedelta(hours=NIGHT_STARTS_HOUR)).date()


def _window(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments of the nights ``since`` … ``until`` (inclusive): from 06:00 on the first day to 06:00 after the
    last."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time(NIGHT_STARTS_HOUR), tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(NIGHT_STARTS_HOUR), tzinfo=tz)
    return start, end


def shifts_for(user: User, *, limit: int | None = 50) -> list[Shift]:
    """The user's agency's shifts the policy lets them see, latest first, with their incident counts."""
    qs = (
        Shift.objects.visible_to(user)
        .select_related("area", "owning_agency")
        .annotate(incident_count=Count("incidents"), helped=Sum("incidents__people_helped"))
        .order_by("-starts_at", "-id")
    )
    return list(qs[:limit] if limit else qs)


# --- The shared summary -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None  # None: suppressed
    people_helped: int | None = None


@dataclass(frozen=True)
class NightRow:
    night: dt.date
    shifts: int
    services: int  # how many services were out
    incidents: int | None


@dataclass(frozen=True)
class NteSummary:
    since: dt.date
    until: dt.date
    area: NteArea | None
    threshold: int | None
    shifts: int
    nights_covered: int
    incidents: int | None  # None: fewer than the threshold
    incidents_rounded: bool
    people_helped: int | None
    by_category: tuple[Figure, ...]
    by_area: tuple[Figure, ...]
    by_service: tuple[Figure, ...]
    nights: tuple[NightRow, ...]
    referrals: tuple[Figure, ...]

    @property
    def any(self) -> bool:
        return bool(self.shifts or self.incidents)


def _hide(count: int, threshold: int | None) -> int | None:
    return count if threshold is None else suppress(count, threshold)


def summary(
    since: dt.date, until: dt.date, *, area: NteArea | None = None, threshold: int | None = None, nights: int = 14
) -> NteSummary:
    """Every partner's shifts and incidents of the nights ``since`` … ``until``, counted (the latest ``nights``
    nights listed one by one)."""
    start, end = _window(since, until)
    shifts = Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
    incidents = Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if area is not None:
        shifts = shifts.filter(area=area)
        incidents = incidents.filter(shift__area=area)
    shift_rows = list(shifts.values_list("starts_at", "service"))
    incident_rows = list(
        incidents.values_list("occurred_at", "category", "people_helped", "referred_to", "shift__area__name")
    )
    by_cat: Counter[str] = Counter()
    helped_by_cat: Counter[str] = Counter()
    by_area: Counter[str] = Counter()
    by_night: Counter[dt.date] = Counter()
    referrals: Counter[str] = Counter()
    for occurred_at, category, helped, referred, area_name in incident_rows:
        by_cat[category] += 1
        helped_by_cat[category] += helped
        by_area[area_name] += 1
        by_night[night_of(occurred_at)] += 1
        for code in referred or []:
            referrals[code] += 1
    shifts_by_night: dict[dt.date, list[str]] = defaultdict(list)
    by_service: Counter[str] = Counter()
    for starts_at, service in shift_rows:
        shifts_by_night[night_of(starts_at)].append(service)
        by_service[service] += 1
    counts = list(by_cat.values())
    total: int | None
    total, rounded = rounded_total(counts, threshold) if threshold else (sum(counts), False)
    if rounded and total == 0:
        total = None  # a few incidents, all of small categories: "fewer than N", never "about 0"
    helped_total = sum(helped_by_cat.values())
    labels = dict(IncidentCategory.choices)
    ref_labels = dict(ReferralTarget.choices)
    service_labels = dict(NteService.choices)
    listed = sorted(set(shifts_by_night) | set(by_night), reverse=True)[:nights]
    return NteSummary(
        since=since,
        until=until,
        area=area,
        threshold=threshold,
        shifts=len(shift_rows),
        nights_covered=len(shifts_by_night),
        incidents=total,
        incidents_rounded=rounded,
        people_helped=None if rounded else helped_total,
        by_category=tuple(
            Figure(str(labels[c]), _hide(n, threshold), _hide(helped_by_cat[c], threshold))
            for c, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], str(labels[kv[0]])))
        ),
        by_area=tuple(Figure(a, _hide(n, threshold)) for a, n in sorted(by_area.items())),
        by_service=tuple(
            Figure(str(service_labels.get(s, s)), n) for s, n in sorted(by_service.items(), key=lambda kv: -kv[1])
        ),
        nights=tuple(
            NightRow(
                night,
                len(shifts_by_night.get(night, [])),
                len(set(shifts_by_night.get(night, []))),
                _hide(by_night.get(night, 0), threshold),
            )
            for night in listed
        ),
        referrals=tuple(
            Figure(str(ref_labels.get(c, c)), _hide(n, threshold))
            for c, n in sorted(referrals.items(), key=lambda kv: -kv[1])
        ),
    )


# --- For the Purple Flag evidence pack (public names: keep them stable) -------------------------------------------


@dataclass(frozen=True)
class ServiceCoverage:
    service: str  # NteService value
    label: str
    shifts: int
    nights: int  # distinct nights with at least one shift of this service
    hours: float  # shift hours
    officer_hours: float  # shift hours times the people on each shift


@dataclass(frozen=True)
class ShiftCoverage:
    since: dt.date
    until: dt.date
    nights_in_period: int
    nights_covered: int  # nights with at least one shift of any service
    friday_saturday_nights: int
    friday_saturday_covered: int
    services: tuple[ServiceCoverage, ...]

    @property
    def share_covered(self) -> float:
        return self.nights_covered / self.nights_in_period if self.nights_in_period else 0.0


def shift_coverage(since: dt.date, until: dt.date, *, area: NteArea | None = None) -> ShiftCoverage:
    """Shift coverage of the nights ``since`` … ``until``: nights covered overall and on Fridays and Saturdays, and
    each service's shifts, nights and hours (every partner's shifts: counts only)."""
    start, end = _window(since, until)
    qs = Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if area is not None:
        qs = qs.filter(area=area)
    per_service: dict[str, list[tuple[dt.date, float, int]]] = defaultdict(list)
    for starts_at, ends_at, service, officers in qs.values_list("starts_at", "ends_at", "service", "officers"):
        hours = (ends_at - starts_at).total_seconds() / 3600
        per_service[service].append((night_of(starts_at), hours, officers))
    all_nights = {n for rows in per_service.values() for n, _, _ in rows}
    period = [since + dt.timedelta(days=i) for i in range((until - since).days + 1)]
    weekend = [d for d in period if d.weekday() in (4, 5)]
    labels = dict(NteService.choices)
    services = tuple(
        ServiceCoverage(
            service=s,
            label=str(labels.get(s, s)),
            shifts=len(rows),
            nights=len({n for n, _, _ in rows}),
            hours=round(sum(h for _, h, _ in rows), 1),
            officer_hours=round(sum(h * o for _, h, o in rows), 1),
        )
        for s, rows in sorted(per_service.items(), key=lambda kv: -len(kv[1]))
    )
    return ShiftCoverage(
        since=since,
        until=until,
        nights_in_period=len(period),
        nights_covered=len(all_nights),
        friday_saturday_nights=len(weekend),
        friday_saturday_covered=len(all_nights.intersection(weekend)),
        services=services,
    )


@dataclass(frozen=True)
class PartnerActivity:
    agency: str  # the agency's name
    service: str  # its NTE service's label
    shifts: int
    incidents: int
    first_night: dt.date | None


def partners_active(since: dt.date, until: dt.date) -> list[PartnerActivity]:
    """The NTE partner agencies and what each logged in the nights ``since`` … ``until``; a partner that logged no
    shift is listed with 0 (active partners are those with shifts > 0)."""
    start, end = _window(since, until)
    labels = dict(NteService.choices)
    found: list[PartnerActivity] = []
    logged = {
        row["owning_agency"]: row
        for row in Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .values("owning_agency")
        .annotate(shifts=Count("id", distinct=True), incident_count=Count("incidents"), first=Min("starts_at"))
    }
    for partner in NtePartner.objects.filter(active=True).select_related("agency"):
        row = logged.get(partner.agency_id, {})
        first = row.get("first")
        found.append(
            PartnerActivity(
                agency=partner.agency.name,
                service=str(labels.get(partner.service, partner.service)),
                shifts=int(row.get("shifts", 0)),
                incidents=int(row.get("incident_count", 0)),
                first_night=night_of(first) if first else None,
            )
        )
    return sorted(found, key=lambda p: (-p.shifts, p.agency))


@dataclass(frozen=True)
class MonthCount:
    month: dt.date  # the first of the month
    count: int


def incidents_by_month(
    first: dt.date | None = None, last: dt.date | None = None, *, districts: tuple[str, ...] = ()
) -> list[MonthCount]:
    """Night-time incidents per month as the analytics engine counts them: the partner series every NTE log
    publishes ("Night-time economy: …", ``csphub.nte.publishing``), over the partnership's districts (or
    ``districts``). Months of ``first`` … ``last`` (the firsts of months; None: open-ended)."""
    app = analytics()
    events = EventFilter(
        months=MonthRange(first, last),
        crime_types=partner_categories(),
        districts=districts or tuple(app.config.csp_districts),
        source="partner",
    )
    table = app.counts(["month"], events)
    return [MonthCount(_as_date(key[0]), int(count)) for key, count in zip(table.keys, table.counts, strict=True)]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


NOT_AT_A_VENUE = "Not at a listed venue"


@dataclass(frozen=True)
class FindRow:
    place: str  # the venue's name, or NOT_AT_A_VENUE
    venue_kind: str  # its kind's label ("" when not a known venue)
    month: dt.date  # the first of the month
    weapon_type: str  # its label
    hidden: str  # where it was hidden (label)
    count: int


@dataclass(frozen=True)
class WeaponFinds:
    since: dt.date
    until: dt.date
    total: int
    rows: tuple[FindRow, ...]  # one per place, month, weapon type and hiding place

    def by_place(self) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for r in self.rows:
            counts[r.place] += r.count
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def by_month(self) -> list[tuple[dt.date, int]]:
        counts: Counter[dt.date] = Counter()
        for r in self.rows:
            counts[r.month] += r.count
        return sorted(counts.items())

    def by_type(self) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for r in self.rows:
            counts[r.weapon_type] += r.count
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def weapon_finds(since: dt.date, until: dt.date, *, area: NteArea | None = None) -> WeaponFinds:
    """Weapon finds (sweeps and shifts) of ``since`` … ``until`` by place, month, type and hiding place."""
    qs = WeaponFind.objects.filter(found_on__gte=since, found_on__lte=until)
    if area is not None:
        qs = qs.filter(Q(sweep__area=area) | Q(incident__shift__area=area))
    types, hides, kinds = dict(WeaponType.choices), dict(HidingPlace.choices), dict(VenueKind.choices)
    counts: Counter[tuple[str, str, dt.date, str, str]] = Counter()
    for found_on, weapon, hidden, venue_name, venue_kind in qs.values_list(
        "found_on", "weapon_type", "hidden", "venue__name", "venue__kind"
    ):
        # A known venue by name; anywhere else unnamed (the words an officer wrote stay with their agency's record).
        place = venue_name or NOT_AT_A_VENUE
        kind = str(kinds.get(venue_kind, "")) if venue_kind else ""
        month = found_on.replace(day=1)
        counts[(place, kind, month, str(types.get(weapon, weapon)), str(hides.get(hidden, hidden)))] += 1
    rows = tuple(
        FindRow(place, kind, month, weapon, hidden, n)
        for (place, kind, month, weapon, hidden), n in sorted(counts.items(), key=lambda kv: (kv[0][2], kv[0][0]))
    )
    return WeaponFinds(since, until, sum(counts.values()), rows)


def designations_in_force(at: dt.datetime | None = None) -> list[DesignatedArea]:
    at = at or timezone.now()
    return list(DesignatedArea.objects.filter(starts_at__lte=at, ends_at__gt=at).order_by("kind", "name"))
