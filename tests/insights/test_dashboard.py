"""A dashboard's figures are the engine's, shaped into chart rows; partner counts suppressed by the viewer's role."""

from __future__ import annotations

from pathlib import Path

from csphub.analytics.store import EventFilter
from csphub.insights import charts, dashboard
from csphub.insights.engine import analytics, area
from csphub.insights.priorities import load


def _violence(source: dashboard.Source = "police", threshold: int | None = None) -> dashboard.Dashboard:
    return dashboard.build(load().get("violence"), area("kettering"), source, threshold)  # type: ignore[arg-type]


def test_it_counts_each_month_as_the_engine_does(with_crime_store: Path) -> None:
    board = _violence()
    monthly = board.chart("monthly")
    assert monthly is not None
    engine = analytics().counts(
        ["month"],
        EventFilter(
            crime_types=("Violence and sexual offences", "Robbery", "Possession of weapons"), districts=("E07000153",)
        ),
    )
    assert {r["month"]: r["count"] for r in monthly.rows} == {str(k[0]): n for k, n in engine.as_dict().items()}


def test_it_compares_each_month_with_a_year_earlier_with_the_engines_test(with_crime_store: Path) -> None:
    board = _violence()
    events = dashboard.event_filter(board.priority, board.area, "police")
    _keys, yoy = analytics().year_on_year((), events)
    rows = {r["month"]: r for r in board.chart("monthly").rows}  # type: ignore[union-attr]
    assert len(yoy) == 6
    for r in yoy:
        row = rows[r.month.isoformat()]
        assert (row["count"], row["previous_year"], row["p_value"]) == (r.count, r.previous, r.test.p_value)
        assert row["significant"] == (r.test.p_value < 0.05)
    # The headline: January to June 2025 against January to June 2024 (every fourth 2024 crime left out).
    h = board.headline
    assert h is not None and h.change is not None
    assert (str(h.period), str(h.earlier)) == ("2025-01:2025-06", "2024-01:2024-06")
    assert h.count == sum(rows[f"2025-0{m}-01"]["count"] for m in range(1, 7))
    assert h.significant


def test_it_draws_seasonality_places_and_deprivation_from_the_engine(with_crime_store: Path) -> None:
    board = _violence()
    assert [c.slug for c in board.charts] == list(charts.CHART_SLUGS)
    events = dashboard.event_filter(board.priority, board.area, "police")
    season = analytics().seasonality(events)
    assert [r["index"] for r in board.chart("seasonality").rows] == [m.index for m in season.months]  # type: ignore[union-attr]
    places = analytics().repeat_places(events, top=dashboard.TOP_PLACES)
    assert [r["count"] for r in board.chart("places").rows] == [p.count for p in places.places]  # type: ignore[union-attr]
    deciles = board.chart("deprivation").rows  # type: ignore[union-attr]
    assert sum(r["events"] for r in deciles) > 0


def test_it_hides_small_partner_counts_from_whom_the_policy_says(with_crime_store: Path) -> None:
    asb = load().get("hate-crime-asb")
    assert asb is not None
    # 3 noise reports in March 2025 (under 5), 7 in April.
    open_board = dashboard.build(asb, area("kettering"), "partner", None)
    counts = {r["month"]: r["count"] for r in open_board.chart("monthly").rows}  # type: ignore[union-attr]
    assert counts == {"2025-03-01": 3, "2025-04-01": 7}
    suppressed = dashboard.build(asb, area("kettering"), "partner", 5)
    counts = {r["month"]: r["count"] for r in suppressed.chart("monthly").rows}  # type: ignore[union-attr]
    assert counts == {"2025-03-01": None, "2025-04-01": 7}
    # The total would give March away (10 - 7): rounded to a multiple of 5.
    assert suppressed.headline is not None and (suppressed.headline.count, suppressed.headline.rounded) == (10, True)
    csv = charts.to_csv(suppressed.chart("monthly"), 5)  # type: ignore[arg-type]
    assert "2025-03-01,fewer than 5," in csv and "2025-04-01,7," in csv
    # The place with 10 partner events is shown; police.uk figures are never suppressed.
    assert [r["count"] for r in suppressed.chart("places").rows] == [10]  # type: ignore[union-attr]
    assert _violence("police", 5).threshold is None


def test_an_area_without_data_shows_nothing_rather_than_failing(with_crime_store: Path) -> None:
    board = dashboard.build(load().get("domestic-abuse"), area("corby"), "partner", 5)  # type: ignore[arg-type]
    assert board.headline is None and board.charts == ()
