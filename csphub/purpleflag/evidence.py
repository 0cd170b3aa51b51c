"""The evidence of a Purple Flag pack, generated every time it is shown or printed: never stored, never typed.

Every figure comes from one of two places, and the tests (tests/purpleflag/test_evidence.py) check each against it:

- **the analytics engine** (``csphub.analytics.api.Analytics``, through ``csphub.insights.engine``): police.uk's
  night-time economy crime types and the NTE logs' partner series (``csphub.nte.publishing``: the logs reach the
  engine through the partner ingest path), counted over the town centre (``EventFilter.within``: the pack's circle)
  and the assessment period, with the change against the same months a year earlier (exact Poisson test) and the
  places with most events. police.uk gives months, not times;
- **the NTE services** (``csphub.nte.queries``): shift coverage, partners active, people helped, referrals and
  weapon finds, which the logs hold with their times; the hour of the night of each incident is counted here
  (``incidents_by_hour``), the one question the NTE app does not ask itself;
- **meetings** (``csphub.meetings``): the night-time economy action groups' actions and progress, counted.

Partner counts (the NTE logs) are suppressed as the dashboards suppress them (``csphub.analytics.suppression``): a
count of 1 to threshold − 1 is hidden, a total over hidden counts rounded, a change from hidden counts not shown.
``threshold`` None shows them all (the roles that work with partner data). The pack holds aggregate figures only:
agency, venue and street names, never a person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from django.db.models import Q
from django.utils import timezone

from csphub.analytics.errors import AnalyticsError
from csphub.analytics.store import MonthRange
from csphub.analytics.suppression import all_shown, rounded_total, suppress
from csphub.analytics.trends import Change
from csphub.insights import charts
from csphub.insights.charts import Chart, Column
from csphub.insights.engine import analytics
from csphub.meetings.models import MeetingAction, ProgressReport, Rating, Theme
from csphub.nte import queries as nte
from csphub.nte.models import Incident, NteVenue, VenueKind

from .models import EvidencePack
from .questions import (
    _span,
    designations,
    earlier,
    held_months,
    last_day,
    partner_filter,
    period_months,
    police_filter,
)
from .standards import STANDARDS
from .townmap import town_map

ALPHA = 0.05
# The hours of a night, in order: 18:00 to 05:00 (a night runs from 06:00 to 06:00, csphub.nte.queries).
NIGHT_HOURS = (*range(18, 24), *range(0, 6))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | None  # None: hidden (small-number suppression) or not available
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()

    def _numeric(self) -> tuple[bool, ...]:
        return self.numeric or (False,) * len(self.headers)

    @property
    def head(self) -> list[tuple[str, bool]]:
        return list(zip(self.headers, self._numeric(), strict=True))

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        return [list(zip(row, self._numeric(), strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    source: str
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    svg: str = ""  # a static image (the map)


@dataclass(frozen=True)
class Evidence:
    pack: EvidencePack
    threshold: int | None
    generated_at: dt.datetime
    sections: dict[str, Section] = field(default_factory=dict)

    def for_standard(self, slug: str) -> list[Section]:
        standard = next(s for s in STANDARDS if s.slug == slug)
        return [self.sections[k] for k in standard.evidence if k in self.sections]

    def figure(self, key: str) -> Figure:
        for section in self.sections.values():
            for f in section.figures:
                if f.key == key:
                    return f
        raise KeyError(key)

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.sections.values() for c in s.charts]


# --- The questions, as the engine is asked them ---------------------------------------------------------------------


def _fmt(n: int | None, threshold: int | None, rounded: bool = False) -> str:
    if n is None:
        return f"fewer than {threshold}"
    return f"about {n:,}" if rounded else f"{n:,}"


def _period_text(r: MonthRange) -> str:
    assert r.first is not None and r.last is not None
    if r.first == r.last:
        return f"{r.first:%B %Y}"
    return f"{r.first:%B %Y} to {r.last:%B %Y}"


def _change_text(change: Change | None) -> str:
    if change is None:
        return "not shown: counts too small to publish"
    p = change.test.p_value
    verdict = "a significant change" if p < ALPHA else "within chance"
    pct = f" ({change.percent_change:+.1f}%)" if change.base else ""
    p_text = "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"
    return f"{change.change:+,}{pct}: {verdict} (exact Poisson test on daily rates, {p_text})"


# --- Sections -------------------------------------------------------------------------------------------------------


def _trend(pack: EvidencePack, source: str, threshold: int | None) -> Section:
    """Night-time crime (police.uk) or NTE log incidents (partner data) in the centre, from the engine."""
    app = analytics()
    police = source == "police"
    key = "police_trend" if police else "partner_trend"
    prefix = "police" if police else "partner"
    title = (
        "Night-time economy crime and anti-social behaviour (police.uk)"
        if police
        else "Incidents the night-time patrols logged (NTE logs, as the analytics engine holds them)"
    )
    src = "police.uk street-level crime and ASB" if police else "partner data: the NTE logs published to the engine"
    threshold = None if police else threshold
    held = held_months(pack, source)
    months, substituted = period_months(pack, held)
    if not months:
        return Section(key, title, src, notes=(f"The analytics store holds no {src} for this district.",))
    period = MonthRange(months[0], months[-1])
    make = police_filter if police else partner_filter
    events = make(pack, period)
    monthly = app.counts(["month"], events).as_dict()
    counts = {m: int(monthly.get((m,), 0)) for m in _span(months)}
    values = list(counts.values())
    total, rounded = rounded_total(values, threshold) if threshold else (sum(values), False)
    figures = [
        Figure(
            f"{prefix}.count",
            f"{'Crimes and ASB' if police else 'Incidents'} in the town centre, {_period_text(period)}",
            total,
            _fmt(total, threshold, rounded),
        ),
    ]
    notes = []
    if substituted:
        notes.append(
            f"The store holds no {src} month in the assessment period yet (police.uk publishes months late): "
            f"these are its latest {len(months)} months."
        )
    base = earlier(months, held)
    if base is not None:
        table = app.change((), base, period, events)
        change = table.changes[0] if table.changes else None
        base_counts = [int(v) for v in app.counts(["month"], make(pack, base)).counts]
        if threshold and not all_shown([*values, *base_counts], threshold):
            before, _ = rounded_total(base_counts, threshold)
            figures.append(
                Figure(f"{prefix}.earlier", f"A year earlier, {_period_text(base)}", before, _fmt(before, None, True))
            )
            figures.append(Figure(f"{prefix}.change", "Change", None, _change_text(None)))
        else:
            b = change.base if change else 0
            figures.append(Figure(f"{prefix}.earlier", f"A year earlier, {_period_text(base)}", b, _fmt(b, None)))
            figures.append(Figure(f"{prefix}.change", "Change", change.change if change else 0, _change_text(change)))
    else:
        notes.append("The same months a year earlier are not held, so there is no year-on-year comparison yet.")

    # Each month against the same month a year earlier: the engine's year-on-year.
    _keys, yoy = app.year_on_year((), events)
    by_month = {r.month: r for r in yoy}

    def hide(n: int) -> int | None:
        return suppress(n, threshold) if threshold else n

    rows = []
    for m, n in counts.items():
        r = by_month.get(m)
        shown = r is not None and (threshold is None or all_shown((r.count, r.previous), threshold))
        rows.append(
            {
                "month": m.isoformat(),
                "count": hide(n),
                "previous_year": hide(r.previous) if r is not None else None,
                "change_percent": (100.0 * (r.count - r.previous) / r.previous if r.previous else None)
                if shown and r is not None
                else None,
                "p_value": r.test.p_value if shown and r is not None else None,
                "significant": bool(shown and r is not None and r.test.p_value < ALPHA),
            }
        )
    chart = charts.monthly(rows, f"{title.split(' (')[0]}: events per month, {pack.town_centre}")
    chart = _renamed(chart, f"{prefix}-monthly")
    by_type = app.counts(["crime_type"], events)
    type_rows = tuple(
        (str(k[0]).removeprefix("Night-time economy: "), _fmt(hide(int(n)), threshold))
        for k, n in sorted(zip(by_type.keys, by_type.counts, strict=True), key=lambda kv: (-kv[1], str(kv[0][0])))
    )
    tables = [Table("By category", ("Category", "Events"), type_rows, (False, True))] if type_rows else []
    return Section(key, title, src, tuple(figures), (chart,), tuple(tables), tuple(notes))


def _renamed(chart: Chart, slug: str) -> Chart:
    """The same chart under another slug (two monthly charts on one page need two names)."""
    return Chart(slug, chart.title, chart.description, chart.columns, chart.rows, chart.spec, chart.notes)


def _nights(pack: EvidencePack) -> tuple[dt.date, dt.date]:
    return pack.first_month, last_day(pack.last_month)


def _wellbeing_extra(pack: EvidencePack, threshold: int | None) -> tuple[list[Figure], list[Table]]:
    """People helped and referrals made, from the NTE logs (the NTE summary, suppressed as it suppresses)."""
    since, until = _nights(pack)
    s = nte.summary(since, until, area=pack.nte_area, threshold=threshold)
    figures = [
        Figure(
            "nte.incidents",
            "Incidents logged in the night-time economy area (the logs)",
            s.incidents,
            _fmt(s.incidents, threshold, s.incidents_rounded),
        ),
        Figure(
            "nte.people_helped",
            "People helped",
            s.people_helped,
            "not shown: counts too small to publish" if s.people_helped is None else f"{s.people_helped:,}",
        ),
    ]
    tables = []
    if s.referrals:
        tables.append(
            Table(
                "Onward referrals made",
                ("Referred to", "Referrals"),
                tuple((f.label, _fmt(f.count, threshold)) for f in s.referrals),
                (False, True),
            )
        )
    return figures, tables


def incidents_by_hour(pack: EvidencePack) -> dict[int, int]:
    """NTE incidents of the period by the hour of the night they happened (local time), from the logs: the times
    police.uk does not give."""
    since, until = _nights(pack)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time(nte.NIGHT_STARTS_HOUR), tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(nte.NIGHT_STARTS_HOUR), tzinfo=tz)
    qs = Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if pack.nte_area is not None:
        qs = qs.filter(shift__area=pack.nte_area)
    counts: Counter[int] = Counter(timezone.localtime(t).hour for t in qs.values_list("occurred_at", flat=True))
    return {h: counts.get(h, 0) for h in (*NIGHT_HOURS, *(h for h in range(6, 18) if counts.get(h)))}


def _hours(pack: EvidencePack, threshold: int | None) -> Section:
    counts = incidents_by_hour(pack)
    total = sum(counts.values())

    def hide(n: int) -> int | None:
        return suppress(n, threshold) if threshold else n

    late = sum(n for h, n in counts.items() if 0 <= h < 6)
    shown_late = all_shown(list(counts.values()), threshold) if threshold else True
    share = round(100.0 * late / total, 1) if total and shown_late else None
    rows = [{"hour": f"{h:02d}:00", "count": hide(n)} for h, n in counts.items()]
    data = alt.Data(name="hours")
    bars = (
        alt.Chart(data)
        .mark_bar(color=charts.BLUE)
        .encode(
            x=alt.X(
                "hour:N", title="Hour of the night", sort=[f"{h:02d}:00" for h in counts], axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("count:Q", title="Incidents"),
            tooltip=[alt.Tooltip("hour:N", title="Hour"), alt.Tooltip("count:Q", title="Incidents")],
        )
    )
    chart = charts.make(
        "hours",
        f"Incidents by hour of the night, {pack.town_centre}",
        "Incidents the night-time patrols logged in each hour of the night, 6pm to 6am.",
        (Column("hour", "Hour"), Column("count", "Incidents", numeric=True, count=True)),
        rows,
        bars,
    )
    figures = (
        Figure(
            "nte.after_midnight",
            "Share of incidents between midnight and 6am",
            share,
            "not shown: counts too small to publish" if share is None else f"{share}%",
        ),
    )
    return Section(
        "hours",
        "When the night's incidents happen",
        "the NTE logs (their times; police.uk gives months only)",
        figures,
        (chart,) if total else (),
        notes=() if total else ("No incident was logged in the period.",),
    )


def _coverage(pack: EvidencePack) -> Section:
    since, until = _nights(pack)
    c = nte.shift_coverage(since, until, area=pack.nte_area)
    hours = round(sum(s.hours for s in c.services), 1)
    figures = (
        Figure(
            "nte.nights_covered",
            "Nights with a patrol out",
            c.nights_covered,
            f"{c.nights_covered:,} of {c.nights_in_period:,}",
        ),
        Figure(
            "nte.weekend_covered",
            "Friday and Saturday nights covered",
            c.friday_saturday_covered,
            f"{c.friday_saturday_covered:,} of {c.friday_saturday_nights:,}",
        ),
        Figure("nte.shift_hours", "Shift hours", hours, f"{hours:,.1f}"),
        Figure("nte.shifts", "Shifts", sum(s.shifts for s in c.services), f"{sum(s.shifts for s in c.services):,}"),
    )
    rows = [{"service": s.label, "nights": s.nights, "hours": s.hours} for s in c.services]
    data = alt.Data(name="coverage")
    bars = (
        alt.Chart(data)
        .mark_bar(color=charts.BLUE)
        .encode(
            y=alt.Y("service:N", title=None, sort="-x"),
            x=alt.X("nights:Q", title="Nights covered"),
            tooltip=[alt.Tooltip("service:N", title="Service"), alt.Tooltip("nights:Q", title="Nights")],
        )
    )
    chart = charts.make(
        "coverage",
        f"Nights each service was out, {pack.town_centre}",
        "The nights of the period on which each night-time service had at least one shift.",
        (
            Column("service", "Service"),
            Column("nights", "Nights covered", numeric=True),
            Column("hours", "Shift hours", numeric=True),
        ),
        rows,
        bars,
    )
    table = Table(
        "Shift coverage by service",
        ("Service", "Shifts", "Nights", "Hours", "Person-hours"),
        tuple(
            (s.label, f"{s.shifts:,}", f"{s.nights:,}", f"{s.hours:,.1f}", f"{s.officer_hours:,.1f}")
            for s in c.services
        ),
        (False, True, True, True, True),
    )
    return Section(
        "coverage",
        "Patrols through the night: shift coverage",
        "the NTE shift logs",
        figures,
        (chart,) if rows else (),
        (table,),
    )


def _partners(pack: EvidencePack) -> Section:
    since, until = _nights(pack)
    partners = nte.partners_active(since, until)
    active = [p for p in partners if p.shifts > 0]
    figures = (
        Figure(
            "nte.partners_active", "Partner agencies active at night", len(active), f"{len(active)} of {len(partners)}"
        ),
    )
    table = Table(
        "Night-time economy partners",
        ("Agency", "Service", "Shifts", "Incidents logged"),
        tuple((p.agency, p.service, f"{p.shifts:,}", f"{p.incidents:,}") for p in partners),
        (False, False, True, True),
    )
    return Section(
        "partners",
        "Partners working the night-time economy",
        "the NTE shift logs",
        figures,
        (),
        (table,) if partners else (),
    )


def nte_actions(pack: EvidencePack) -> Any:
    """The night-time economy action groups' actions (those under a night-time economy objective)."""
    return MeetingAction.objects.filter(
        Q(objective__theme=Theme.NTE) | Q(series__objectives__theme=Theme.NTE)
    ).distinct()


def _actions(pack: EvidencePack) -> Section:
    """Actions and outcomes of the night-time economy action groups: counts only (no series or action is named, so
    the pack shows no one a meeting they may not see)."""
    since, until = _nights(pack)
    actions = nte_actions(pack)
    agreed = actions.filter(meeting__starts_at__date__gte=since, meeting__starts_at__date__lte=until).count()
    done = actions.filter(completed_on__gte=since, completed_on__lte=until).count()
    today = timezone.localdate()
    open_now = actions.filter(status__in=["open", "in_progress"]).count()
    overdue = actions.filter(status__in=["open", "in_progress"], due_on__lt=today).count()
    reports = ProgressReport.objects.filter(objective__theme=Theme.NTE, reported_on__gte=since, reported_on__lte=until)
    ratings = Counter(reports.values_list("rating", flat=True))
    labels = dict(Rating.choices)
    figures = (
        Figure("actions.agreed", "Actions agreed in the period", agreed, f"{agreed:,}"),
        Figure("actions.completed", "Actions completed in the period", done, f"{done:,}"),
        Figure("actions.open", "Actions open now", open_now, f"{open_now:,}"),
        Figure("actions.overdue", "Of which overdue", overdue, f"{overdue:,}"),
        Figure(
            "actions.progress_reports",
            "Progress reports from partners",
            sum(ratings.values()),
            f"{sum(ratings.values()):,}",
        ),
    )
    table = Table(
        "Progress reports by rating",
        ("Rating", "Reports"),
        tuple((str(labels[r]), f"{ratings[r]:,}") for r in Rating.values if ratings.get(r)),
        (False, True),
    )
    return Section(
        "actions",
        "Actions and outcomes: the night-time economy action groups",
        "meetings and action groups (night-time economy objectives)",
        figures,
        (),
        (table,) if ratings else (),
    )


ELSEWHERE = "Elsewhere (not at a listed venue)"


def weapon_places(finds: nte.WeaponFinds) -> list[tuple[str, int]]:
    """Finds by venue, busiest first. A find not at a listed venue is counted under one heading: the words its finder
    gave for the place ("the alley behind number 12") can point at a home, and the pack is read outside the
    partnership."""
    counts: Counter[str] = Counter()
    for r in finds.rows:
        counts[r.place if r.venue_kind else ELSEWHERE] += r.count
    return sorted(counts.items(), key=lambda kv: (kv[0] == ELSEWHERE, -kv[1], kv[0]))


def _weapons(pack: EvidencePack) -> Section:
    since, until = _nights(pack)
    finds = nte.weapon_finds(since, until, area=pack.nte_area)
    by_place = weapon_places(finds)
    figures = (Figure("nte.weapon_finds", "Weapons found by sweeps and patrols", finds.total, f"{finds.total:,}"),)
    rows = [{"place": p, "finds": n} for p, n in by_place]
    data = alt.Data(name="weapons")
    bars = (
        alt.Chart(data)
        .mark_bar(color=charts.BLUE)
        .encode(
            y=alt.Y("place:N", title=None, sort="-x"),
            x=alt.X("finds:Q", title="Weapons found", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("place:N", title="Place"), alt.Tooltip("finds:Q", title="Finds")],
        )
    )
    chart = charts.make(
        "weapons",
        f"Weapons found by place, {pack.town_centre}",
        "Knives and other weapons found by the partnership's sweeps and patrols, by the place they were hidden.",
        (Column("place", "Place"), Column("finds", "Weapons found", numeric=True)),
        rows,
        bars,
    )
    tables = (
        Table(
            "By kind of weapon", ("Weapon", "Finds"), tuple((w, f"{n:,}") for w, n in finds.by_type()), (False, True)
        ),
        Table(
            "By month", ("Month", "Finds"), tuple((f"{m:%B %Y}", f"{n:,}") for m, n in finds.by_month()), (False, True)
        ),
    )
    return Section(
        "weapons",
        "Knife sweeps and weapon finds",
        "the NTE sweep and shift logs (objects found, not people: not suppressed)",
        figures,
        (chart,) if rows else (),
        tables if rows else (),
    )


def _venues(pack: EvidencePack) -> Section:
    qs = NteVenue.objects.filter(active=True)
    if pack.nte_area is not None:
        qs = qs.filter(area=pack.nte_area)
    kinds = Counter(qs.values_list("kind", flat=True))
    labels = dict(VenueKind.choices)
    total = sum(kinds.values())
    figures = (
        Figure("nte.venues", "Night-time venues known to the partnership", total, f"{total:,}"),
        Figure("nte.venue_kinds", "Kinds of venue", len(kinds), f"{len(kinds):,}"),
    )
    table = Table(
        "Venues by kind",
        ("Kind", "Venues"),
        tuple((str(labels.get(k, k)), f"{n:,}") for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        (False, True),
    )
    return Section("venues", "The night-time offer", "the NTE venue list", figures, (), (table,) if kinds else ())


def _places(pack: EvidencePack) -> Section:
    app = analytics()
    held = held_months(pack, "police")
    months, _ = period_months(pack, held)
    tables = []
    figures = []
    if months:
        events = police_filter(pack, MonthRange(months[0], months[-1]))
        try:
            places = app.repeat_places(events, top=10)
        except AnalyticsError:
            places = None
        if places is not None and places.places:
            figures.append(
                Figure(
                    "police.top_share",
                    f"Share of night-time crime at the busiest {places.fraction:.0%} of places",
                    round(100 * places.top_share, 1),
                    f"{places.top_share:.0%}",
                )
            )
            tables.append(
                Table(
                    "Places with most night-time crime (police.uk's anonymised points)",
                    ("Place", "Events"),
                    tuple((p.location or "(no description)", f"{p.count:,}") for p in places.places),
                    (False, True),
                )
            )
    areas = designations(pack)
    if areas:
        tables.append(
            Table(
                "Dispersal and PSPO areas in force in the period",
                ("Area", "Kind", "From", "To"),
                tuple(
                    (
                        a.name,
                        a.get_kind_display(),
                        f"{timezone.localtime(a.starts_at):%-d %B %Y}",
                        f"{timezone.localtime(a.ends_at):%-d %B %Y}",
                    )
                    for a in areas
                ),
            )
        )
    return Section(
        "places",
        "Where trouble concentrates",
        "police.uk (through the analytics engine); designated areas",
        tuple(figures),
        (),
        tuple(tables),
    )


def _map(pack: EvidencePack, threshold: int | None) -> Section:
    svg, notes = town_map(pack, threshold)
    return Section(
        "map",
        f"Map of {pack.town_centre}",
        "police.uk, the NTE logs and venues, designated areas",
        svg=svg,
        notes=tuple(notes),
    )


def build(pack: EvidencePack, threshold: int | None) -> Evidence:
    """Every section of the pack, generated now."""
    sections = [
        _partners(pack),
        _actions(pack),
        _trend(pack, "police", threshold),
        _trend(pack, "partner", threshold),
        _weapons(pack),
        _hours(pack, threshold),
        _coverage(pack),
        _venues(pack),
        _map(pack, threshold),
        _places(pack),
    ]
    partner = next(s for s in sections if s.key == "partner_trend")
    extra_figures, extra_tables = _wellbeing_extra(pack, threshold)
    sections = [
        Section(
            s.key,
            s.title,
            s.source,
            (*s.figures, *extra_figures),
            s.charts,
            (*s.tables, *extra_tables),
            s.notes,
        )
        if s is partner
        else s
        for s in sections
    ]
    return Evidence(pack, threshold, timezone.now(), {s.key: s for s in sections})
