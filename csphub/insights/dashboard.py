"""A dashboard: one priority in one area, from one source (police.uk or partner data).

Every figure comes from the engine's API (``csphub.analytics.api.Analytics``): counts by month, the change against
a year earlier with its exact Poisson test, seasonality, repeat places and rates per 1,000 residents by deprivation
decile. This module only chooses the filter and shapes the results into chart rows; partner figures are suppressed
here (``csphub.analytics.suppression``) when the viewer's role asks for it (``threshold`` not None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from csphub.analytics.api import Analytics
from csphub.analytics.errors import AnalyticsError
from csphub.analytics.store import EventFilter, MonthRange, month_index
from csphub.analytics.suppression import all_shown, rounded_total, suppress
from csphub.analytics.trends import Change

from . import charts
from .charts import Chart
from .engine import Area, analytics
from .priorities import Priority

Source = Literal["police", "partner"]
SOURCES: dict[str, str] = {"police": "police.uk street crime and ASB", "partner": "partner data"}
ALPHA = 0.05
TOP_PLACES = 10


@dataclass(frozen=True)
class Headline:
    period: MonthRange
    months: int
    count: int | None  # None: suppressed
    rounded: bool
    earlier: MonthRange | None
    earlier_count: int | None
    change: Change | None  # None: no earlier year held, or suppressed

    @property
    def p_text(self) -> str:
        if self.change is None:
            return ""
        p = self.change.test.p_value
        return "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"

    @property
    def significant(self) -> bool:
        return self.change is not None and self.change.test.p_value < ALPHA


@dataclass(frozen=True)
class Dashboard:
    priority: Priority
    area: Area
    source: Source
    headline: Headline | None  # None: no data for this filter
    charts: tuple[Chart, ...]
    threshold: int | None

    def chart(self, slug: str) -> Chart | None:
        return next((c for c in self.charts if c.slug == slug), None)


def _month(i: int) -> dt.date:
    return dt.date(i // 12, i % 12 + 1, 1)


def event_filter(priority: Priority, area: Area, source: Source) -> EventFilter:
    types = priority.police_uk if source == "police" else priority.partner
    if not priority.all_crime and not types:
        types = ("(none)",)  # the priority counts no type from this source: nothing matches
    return EventFilter(crime_types=types, districts=area.codes, source=source)


def build(priority: Priority, area: Area, source: Source, threshold: int | None) -> Dashboard:
    """The dashboard's figures; ``threshold`` (partner data only) hides counts 1 … threshold − 1."""
    app = analytics()
    threshold = threshold if source == "partner" else None
    events = event_filter(priority, area, source)

    def hide(n: int) -> int | None:
        return suppress(n, threshold) if threshold else n

    # The months the area has any event of this source: the series runs over them (a month without an event of
    # this priority counts 0), the comparison needs the same months a year earlier among them.
    held = [
        k[0]
        for k in app.counts(["month"], EventFilter(districts=area.codes, source=source)).keys
        if isinstance(k[0], dt.date)
    ]
    monthly = app.counts(["month"], events).as_dict()
    if not held or not monthly:
        return Dashboard(priority, area, source, None, (), threshold)
    held_index = {month_index(m) for m in held}
    first, last = min(held_index), max(held_index)
    months = [_month(i) for i in range(first, last + 1) if i in held_index]
    counts = {m: int(monthly.get((m,), 0)) for m in months}

    # Each month against the same month a year earlier (exact Poisson test on daily rates): the engine's.
    _keys, yoy = app.year_on_year((), events)
    by_month = {r.month: r for r in yoy}
    rows = []
    for m in months:
        r = by_month.get(m)
        shown = r is not None and (threshold is None or all_shown((r.count, r.previous), threshold))
        rows.append(
            {
                "month": m.isoformat(),
                "count": hide(counts[m]),
                "previous_year": hide(r.previous) if r is not None else None,
                "change_percent": (100.0 * (r.count - r.previous) / r.previous if r.previous else None)
                if shown and r is not None
                else None,
                "p_value": r.test.p_value if shown and r is not None else None,
                "significant": bool(shown and r is not None and r.test.p_value < ALPHA),
            }
        )
    what = f"{priority.title}, {area.name}"
    notes = [f"Source: {SOURCES[source]}. Priorities mapping version {_version()}."]
    if not by_month:
        notes.append("No month a year earlier is held, so there is no year-on-year comparison yet.")
    built = [charts.monthly(rows, f"{what}: events per month", notes)]

    headline = _headline(app, events, months, counts, threshold)

    try:
        season = app.seasonality(events)
        season_rows = [
            {
                "calendar_month": charts.MONTH_NAMES[s.calendar_month - 1],
                "count": hide(s.count),
                "days": s.days,
                "daily_rate": s.daily_rate if hide(s.count) is not None else None,
                "index": s.index if hide(s.count) is not None else None,
            }
            for s in season.months
        ]
        test = (
            f"Chi-square test of equal daily rates: {season.chi_square:.1f} on {season.degrees_of_freedom} degrees "
            f"of freedom, p = {season.p_value:.3g}."
            if threshold is None or all_shown([s.count for s in season.months], threshold)
            else "The test of equal daily rates is not shown: some counts are too small to publish."
        )
        built.append(charts.seasonality(season_rows, f"{what}: seasonality", [test]))
    except AnalyticsError:
        pass

    try:
        places = app.repeat_places(events, top=TOP_PLACES)
        place_rows = [
            {
                "rank": p.rank,
                "location": p.location or "(no description)",
                "district": _district_name(app, p.district),
                "count": p.count,
                "share": 100.0 * p.share,
            }
            for p in places.places
            if threshold is None or not (0 < p.count < threshold)  # a place with few partner events is left out
        ]
        built.append(
            charts.places(
                place_rows,
                f"{what}: places with most events",
                [
                    f"{places.n_events:,} located events at {places.n_places:,} places; the busiest "
                    f"{places.fraction:.0%} of places hold {places.top_share:.0%} of them."
                    if threshold is None
                    else "Places with fewer events than the publication threshold are left out."
                ],
            )
        )
    except AnalyticsError:
        pass

    if source == "police":
        try:
            period = MonthRange(months[-min(12, len(months))], months[-1])
            result = app.deprivation(EventFilter(period, events.crime_types, area.codes, source), area.codes)
            dep_rows = [
                {
                    "imd_decile": d.decile,
                    "lsoas": d.lsoas,
                    "residents": d.residents,
                    "events": d.events,
                    "rate_per_1000": d.rate_per_1000,
                    "annual_rate_per_1000": d.annual_rate_per_1000,
                }
                for d in result.deciles
            ]
            built.append(
                charts.deprivation(
                    dep_rows,
                    f"{what}: rates by deprivation, {period}",
                    [
                        f"{result.events_in_area:,} events in {len(result.lsoas)} neighbourhoods over "
                        f"{result.months} month(s), annualised; Census 2021 residents, IMD 2019 deciles."
                    ],
                )
            )
        except AnalyticsError:
            pass
    return Dashboard(priority, area, source, headline, tuple(built), threshold)


def _headline(
    app: Analytics, events: EventFilter, months: list[dt.date], counts: dict[dt.date, int], threshold: int | None
) -> Headline:
    """The latest months held (up to 12 in a row, ending with the last) against the same months a year earlier.

    The comparison takes, of those months, the run ending with the last whose months a year earlier are all held
    (so that the two periods hold the same calendar months); without one, the latest months stand alone."""
    held = set(months)
    run: list[dt.date] = []
    i = month_index(months[-1])
    while len(run) < 12 and _month(i) in held:
        run.insert(0, _month(i))
        i -= 1
    paired: list[dt.date] = []
    for m in reversed(run):
        if dt.date(m.year - 1, m.month, 1) not in held:
            break
        paired.insert(0, m)
    period_months = paired or run
    period = MonthRange(period_months[0], period_months[-1])
    values = [counts[m] for m in period_months]
    count, rounded = rounded_total(values, threshold) if threshold else (sum(values), False)
    if not paired:
        return Headline(period, len(period_months), count, rounded, None, None, None)
    earlier_months = [dt.date(m.year - 1, m.month, 1) for m in period_months]
    earlier = MonthRange(earlier_months[0], earlier_months[-1])
    table = app.change((), earlier, period, events)
    change = table.changes[0] if table.changes else None
    earlier_count = change.base if change is not None else 0
    if threshold and change is not None and not all_shown([*values, *(counts[m] for m in earlier_months)], threshold):
        earlier_count, _ = rounded_total([counts[m] for m in earlier_months], threshold)
        change = None
    return Headline(period, len(period_months), count, rounded, earlier, earlier_count, change)


def _district_name(app: Analytics, code: str) -> str:
    names = dict(zip(app.districts.codes, app.districts.names, strict=True))
    return names.get(code, code or "outside the districts")


def _version() -> str:
    from .priorities import load

    return load().version
