"""Charts from one declarative spec: a Vega-Lite specification built with Altair on the server.

The same specification is drawn three ways, so the three can never disagree:

- in the browser by vega-embed (``csphub/static/csphub/charts.mjs``, with Vega's CSP-safe expression interpreter);
- as static SVG or PNG for reports, by vl-convert (the same Vega-Lite compiler and Vega renderer, in Rust/Deno);
- as the chart's table view and its CSV export, from the rows that are the spec's inline data.

Each chart's rows are the spec's one named dataset (``spec["datasets"][chart.slug]``): the table, the CSV and the
drawing all read those rows. A suppressed count is ``None`` in them (JSON null): the table says "fewer than N",
the drawing leaves the point out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt

#: GOV.UK colours: blue for this year, dark grey for the year before, red for a significant change
BLUE, GREY, RED = "#1d70b8", "#505a5f", "#d4351c"
FONT = "Arial, Helvetica, sans-serif"
WIDTH, HEIGHT = 640, 260


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    #: a count that may be suppressed: None is written "fewer than N"
    count: bool = False


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str  # one sentence for screen readers and the figure's caption
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    spec: dict[str, Any] = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rows


def clean(value: Any) -> Any:
    """A JSON-safe value: NaN and infinities become None (null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _spec(chart: alt.TopLevelMixin, name: str, rows: Sequence[dict[str, Any]], title: str) -> dict[str, Any]:
    # Not validated here (the schema check costs more than the page's queries): tests/insights/test_charts.py
    # validates every chart's spec against the Vega-Lite schema.
    spec: dict[str, Any] = chart.properties(width=WIDTH, height=HEIGHT, title=title).to_dict(validate=False)
    spec["datasets"] = {name: [dict(r) for r in rows]}
    spec["config"] = {
        "font": FONT,
        "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelColor": "#0b0c0c", "titleColor": "#0b0c0c"},
        "legend": {"labelFontSize": 13, "titleFontSize": 14, "orient": "bottom"},
        "title": {"fontSize": 16, "anchor": "start", "color": "#0b0c0c"},
        "view": {"stroke": None},
    }
    spec["background"] = "white"
    _hide_marks(spec)
    return spec


def _hide_marks(spec: dict[str, Any]) -> None:
    """Every mark ``aria: false`` (Vega sets aria-hidden on its group): the chart's box is one image with its
    description (role="img", aria-label), and its table view gives the figures; Vega's own ARIA roles would make
    unlabelled images inside it."""
    for layer in spec.get("layer", []):
        _hide_marks(layer)
    mark = spec.get("mark")
    if isinstance(mark, str):
        spec["mark"] = {"type": mark, "aria": False}
    elif isinstance(mark, dict):
        mark["aria"] = False


def _make(
    slug: str,
    title: str,
    description: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    chart: alt.TopLevelMixin,
    notes: Sequence[str] = (),
) -> Chart:
    clean_rows = tuple({k: clean(v) for k, v in r.items()} for r in rows)
    return Chart(
        slug, title, description, tuple(columns), clean_rows, _spec(chart, slug, clean_rows, title), tuple(notes)
    )


def make(
    slug: str,
    title: str,
    description: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    chart: alt.TopLevelMixin,
    notes: Sequence[str] = (),
) -> Chart:
    """A chart of the house's style from an Altair chart over ``alt.Data(name=slug)`` (other apps' reports)."""
    return _make(slug, title, description, columns, rows, chart, notes)


def monthly(rows: Sequence[dict[str, Any]], title: str, notes: Sequence[str] = ()) -> Chart:
    """Events per month, the same month a year earlier, and the months whose change is significant.

    Rows: month (YYYY-MM-01), count, previous_year, change_percent, p_value, significant."""
    data = alt.Data(name="monthly")
    base = alt.Chart(data).encode(x=alt.X("yearmonth(month):T", title="Month", axis=alt.Axis(format="%b %Y")))
    this_year = base.mark_line(point=True, color=BLUE).encode(
        y=alt.Y("count:Q", title="Events"),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
            alt.Tooltip("count:Q", title="Events"),
            alt.Tooltip("previous_year:Q", title="A year earlier"),
        ],
    )
    last_year = base.mark_line(color=GREY, strokeDash=[6, 4]).encode(y="previous_year:Q")
    significant = (
        base.transform_filter(alt.datum.significant == True)  # noqa: E712 (a Vega expression, not Python)
        .mark_point(shape="diamond", size=140, filled=True, color=RED)
        .encode(y="count:Q")
    )
    columns = (
        Column("month", "Month"),
        Column("count", "Events", numeric=True, count=True),
        Column("previous_year", "Same month a year earlier", numeric=True, count=True),
        Column("change_percent", "Change (%)", numeric=True),
        Column("p_value", "p (exact Poisson test)", numeric=True),
        Column("significant", "Significant at 5%"),
    )
    # The description says what the chart draws: no grey line or diamonds when no month has a year-earlier figure.
    compared = any(r.get("previous_year") is not None for r in rows)
    description = (
        "Events per month (blue line), the same month a year earlier (grey dashed line); red diamonds mark months "
        "whose change against a year earlier is significant at the 5% level."
        if compared
        else "Events per month (blue line); the same months a year earlier are not loaded, so there is no comparison."
    )
    return _make(
        "monthly",
        title,
        description,
        columns,
        rows,
        alt.layer(last_year, this_year, significant),
        notes,
    )


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def seasonality(rows: Sequence[dict[str, Any]], title: str, notes: Sequence[str] = ()) -> Chart:
    """Rows: calendar_month (Jan…), count, days, daily_rate, index (1 = the average daily rate)."""
    data = alt.Data(name="seasonality")
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("calendar_month:N", title="Calendar month", sort=list(MONTH_NAMES), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("index:Q", title="Seasonal index (1 = average day)"),
            tooltip=[alt.Tooltip("calendar_month:N", title="Month"), alt.Tooltip("index:Q", format=".2f")],
        )
    )
    one = alt.Chart(data).mark_rule(color=GREY, strokeDash=[4, 4]).encode(y=alt.datum(1))
    columns = (
        Column("calendar_month", "Calendar month"),
        Column("count", "Events", numeric=True, count=True),
        Column("days", "Days observed", numeric=True),
        Column("daily_rate", "Events a day", numeric=True),
        Column("index", "Seasonal index", numeric=True),
    )
    return _make(
        "seasonality",
        title,
        "Daily rate of events in each calendar month as an index: 1 is the average day, above 1 busier.",
        columns,
        rows,
        alt.layer(bars, one),
        notes,
    )


def places(rows: Sequence[dict[str, Any]], title: str, notes: Sequence[str] = ()) -> Chart:
    """Rows: rank, location, district, count, share (of all events)."""
    data = alt.Data(name="places")
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("location:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
            x=alt.X("count:Q", title="Events"),
            tooltip=[alt.Tooltip("location:N", title="Place"), alt.Tooltip("count:Q", title="Events")],
        )
    )
    columns = (
        Column("rank", "Rank", numeric=True),
        Column("location", "Place"),
        Column("district", "District"),
        Column("count", "Events", numeric=True, count=True),
        Column("share", "Share of all events (%)", numeric=True),
    )
    return _make(
        "places",
        title,
        "The places with most events, busiest first (police.uk places are anonymised snap points, not addresses).",
        columns,
        rows,
        bars,
        notes,
    )


def deprivation(rows: Sequence[dict[str, Any]], title: str, notes: Sequence[str] = ()) -> Chart:
    """Rows: imd_decile (1 = most deprived), lsoas, residents, events, rate_per_1000, annual_rate_per_1000."""
    data = alt.Data(name="deprivation")
    bars = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("imd_decile:O", title="IMD 2019 decile (1 = most deprived 10% in England)"),
            y=alt.Y("annual_rate_per_1000:Q", title="Events a year per 1,000 residents"),
            tooltip=[
                alt.Tooltip("imd_decile:O", title="Decile"),
                alt.Tooltip("annual_rate_per_1000:Q", title="Per 1,000 a year", format=".1f"),
            ],
        )
    )
    columns = (
        Column("imd_decile", "IMD decile", numeric=True),
        Column("lsoas", "Neighbourhoods (LSOAs)", numeric=True),
        Column("residents", "Residents", numeric=True),
        Column("events", "Events", numeric=True, count=True),
        Column("rate_per_1000", "Per 1,000 residents", numeric=True),
        Column("annual_rate_per_1000", "Per 1,000 residents a year", numeric=True),
    )
    return _make(
        "deprivation",
        title,
        "Events a year per 1,000 residents in the neighbourhoods of each deprivation decile.",
        columns,
        rows,
        bars,
        notes,
    )


CHART_SLUGS = ("monthly", "seasonality", "places", "deprivation")


def to_csv(chart: Chart, threshold: int | None) -> str:
    """The chart's rows as CSV, with its column labels; a suppressed count is written "fewer than N"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.label for c in chart.columns])
    for row in chart.rows:
        writer.writerow([cell_text(c, row.get(c.key), threshold, csv=True) for c in chart.columns])
    return out.getvalue()


def cell_text(column: Column, value: Any, threshold: int | None, *, csv: bool = False) -> str:
    if value is None:
        if column.count and threshold:
            return f"fewer than {threshold}"
        return "" if csv else "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column.key == "month" and isinstance(value, str) and not csv:
        return dt.date.fromisoformat(value).strftime("%B %Y")  # GOV.UK style: January 2025
    if isinstance(value, float):
        if column.key == "p_value":
            return f"{value:.3g}" if csv else (f"{value:.3f}" if value >= 0.001 else "< 0.001")
        return f"{value:.4g}" if csv else f"{value:,.2f}"
    if isinstance(value, int) and not csv:
        return f"{value:,}"
    return str(value)


def render(chart: Chart, fmt: str) -> bytes:
    """The chart as static SVG or PNG for reports, by vl-convert from the very spec the browser draws."""
    import vl_convert as vlc  # only when a static image is asked for

    if fmt == "svg":
        return str(vlc.vegalite_to_svg(vl_spec=chart.spec, vl_version="6.4")).encode()
    if fmt == "png":
        return bytes(vlc.vegalite_to_png(vl_spec=chart.spec, vl_version="6.4", scale=2))
    raise ValueError(f"unknown image format {fmt!r}")
