"""Weapon finds' trend charts, with the analytics area's chart kit (``csphub.insights.charts``: one Altair spec drawn
by vega-embed in the browser, its rows the table view)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt

from csphub.insights.charts import BLUE, Chart, Column, _make
from csphub.nte.queries import WeaponFinds


def _months(since: dt.date, until: dt.date) -> list[dt.date]:
    months, month = [], since.replace(day=1)
    while month <= until:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def finds_by_month(finds: WeaponFinds) -> Chart:
    """Weapon finds per month (a month without finds is 0)."""
    counted = dict(finds.by_month())
    rows = [{"month": m.isoformat(), "count": counted.get(m, 0)} for m in _months(finds.since, finds.until)]
    bars = (
        alt.Chart(alt.Data(name="finds-by-month"))
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("yearmonth(month):T", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("count:Q", title="Weapons found", axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("count:Q", title="Weapons found"),
            ],
        )
    )
    columns = (Column("month", "Month"), Column("count", "Weapons found", numeric=True))
    return _make(
        "finds-by-month",
        "Weapons found each month",
        "Weapons found by sweeps and shifts each month.",
        columns,
        rows,
        bars,
    )


def finds_by_place(finds: WeaponFinds, *, top: int = 12) -> Chart:
    """The places where most weapons were found."""
    kinds = {r.place: r.venue_kind for r in finds.rows}
    rows = [
        {"rank": i, "place": place, "kind": kinds.get(place, ""), "count": count}
        for i, (place, count) in enumerate(finds.by_place()[:top], start=1)
    ]
    bars = (
        alt.Chart(alt.Data(name="finds-by-place"))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("place:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
            x=alt.X("count:Q", title="Weapons found", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("place:N", title="Place"), alt.Tooltip("count:Q", title="Weapons found")],
        )
    )
    columns = (
        Column("rank", "Rank", numeric=True),
        Column("place", "Place"),
        Column("kind", "Kind of place"),
        Column("count", "Weapons found", numeric=True),
    )
    return _make(
        "finds-by-place",
        "Where weapons were found",
        "The places where most weapons were found, most first.",
        columns,
        rows,
        bars,
    )


def place_trend(finds: WeaponFinds, places: Sequence[str]) -> Chart:
    """Each of ``places``' finds per month, one line each."""
    months = _months(finds.since, finds.until)
    counted: dict[tuple[str, dt.date], int] = {}
    for r in finds.rows:
        counted[(r.place, r.month)] = counted.get((r.place, r.month), 0) + r.count
    rows = [{"month": m.isoformat(), "place": p, "count": counted.get((p, m), 0)} for p in places for m in months]
    lines = (
        alt.Chart(alt.Data(name="finds-trend"))
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month):T", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("count:Q", title="Weapons found", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("place:N", title="Place"),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("count:Q", title="Weapons found"),
            ],
        )
    )
    columns = (Column("month", "Month"), Column("place", "Place"), Column("count", "Weapons found", numeric=True))
    return _make(
        "finds-trend",
        "Weapons found at each place, by month",
        "Weapons found each month at the places with most finds, one line each.",
        columns,
        rows,
        lines,
    )
