"""One spec, three renderings: the chart's rows are its spec's data, its CSV and its table; vl-convert draws it."""

from __future__ import annotations

from typing import Any

from csphub.insights import charts

ROWS: list[dict[str, Any]] = [
    {
        "month": "2025-03-01",
        "count": None,
        "previous_year": 2,
        "change_percent": None,
        "p_value": None,
        "significant": False,
    },
    {
        "month": "2025-04-01",
        "count": 7,
        "previous_year": 9,
        "change_percent": -22.2,
        "p_value": 0.61,
        "significant": False,
    },
]


def test_the_spec_holds_the_rows_as_its_one_dataset() -> None:
    chart = charts.monthly(ROWS, "Noise")
    assert chart.spec["datasets"] == {"monthly": list(chart.rows)}
    assert chart.spec["data"] == {"name": "monthly"}
    assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")


def test_the_csv_is_the_rows_with_suppressed_counts_written_out() -> None:
    chart = charts.monthly(ROWS, "Noise")
    lines = charts.to_csv(chart, 5).splitlines()
    assert lines[0] == "Month,Events,Same month a year earlier,Change (%),p (exact Poisson test),Significant at 5%"
    assert lines[1] == "2025-03-01,fewer than 5,2,,,no"
    assert lines[2] == "2025-04-01,7,9,-22.2,0.61,no"


def test_it_renders_the_same_spec_to_svg_and_png() -> None:
    chart = charts.seasonality(
        [{"calendar_month": m, "count": 10, "days": 31, "daily_rate": 0.3, "index": 1.0} for m in ("Jan", "Feb")],
        "Seasonality",
    )
    svg = charts.render(chart, "svg").decode()
    assert svg.startswith("<svg") and "Seasonality" in svg
    assert charts.render(chart, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_nan_is_written_as_null() -> None:
    chart = charts.deprivation(
        [
            {
                "imd_decile": 1,
                "lsoas": 0,
                "residents": 0,
                "events": 0,
                "rate_per_1000": float("nan"),
                "annual_rate_per_1000": float("nan"),
            }
        ],
        "Deprivation",
    )
    assert chart.rows[0]["rate_per_1000"] is None


def test_every_chart_of_a_dashboard_is_a_valid_vega_lite_spec(with_crime_store: object) -> None:
    import altair as alt

    from csphub.insights import dashboard
    from csphub.insights.engine import area
    from csphub.insights.priorities import load

    board = dashboard.build(load().get("violence"), area("kettering"), "police", None)  # type: ignore[arg-type]
    assert len(board.charts) == 4
    for chart in board.charts:
        alt.Chart.from_dict(chart.spec)  # validates against Vega-Lite's JSON schema, or raises


def test_the_monthly_chart_describes_only_what_it_draws() -> None:
    row = {"month": "2025-01-01", "count": 4, "change_percent": None, "p_value": None, "significant": False}
    compared = charts.monthly([{**row, "previous_year": 3}], "Crime")
    alone = charts.monthly([{**row, "previous_year": None}], "Crime")
    assert "grey dashed line" in compared.description
    assert "grey dashed line" not in alone.description and "no comparison" in alone.description
