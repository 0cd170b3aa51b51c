"""A dashboard in Chromium: the chart drawn by vega-embed under the site's strict Content-Security-Policy, its table
view and its CSV link, and the data the browser drew compared with the spec the server renders to SVG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from csphub.insights import charts, dashboard
from csphub.insights.engine import area
from csphub.insights.priorities import load
from tests.browser.conftest import Journey
from tests.factories import World

DASHBOARD = "/insights/dashboards/violence/?area=kettering"


def _open(journey: Journey, live_world: World, store: Path, settings: Any) -> None:
    settings.DATA_DIR = store
    journey.sign_in(live_world["police_analyst"])
    journey.visit(DASHBOARD)


def test_it_draws_a_dashboard_with_its_table_and_csv(
    journey: Journey,
    live_world: World,
    crime_store: Path,
    settings: Any,
) -> None:
    errors: list[str] = []
    journey.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _open(journey, live_world, crime_store, settings)
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Violence")
    canvas = page.locator('[data-chart="monthly"]')
    expect(canvas).to_have_attribute("data-chart-ready", "true")
    # Drawn as SVG by Vega: the line's path and its points are there, inside the chart's box.
    expect(canvas.locator("svg path").first).to_be_attached()
    assert canvas.locator("svg .mark-symbol path").count() >= 12
    for slug in ("seasonality", "places", "deprivation"):
        expect(page.locator(f'[data-chart="{slug}"]')).to_have_attribute("data-chart-ready", "true")
    # No Content-Security-Policy refusal (no eval, no inline style) and no error drawing.
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    journey.screenshot("a dashboard with its charts")

    figure = page.locator("#chart-monthly")
    figure.get_by_text("Table view").click()
    table = figure.locator("table[data-chart-table='monthly']")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    journey.check()
    journey.screenshot("the monthly chart's table view")

    csv_link = figure.get_by_role("link", name="CSV of Violence, Kettering: events per month")
    expect(csv_link).to_have_attribute("href", "/insights/dashboards/violence/monthly.csv?area=kettering")
    with page.expect_download() as download:
        csv_link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("Month,Events,Same month a year earlier")
    assert len(text.splitlines()) == 13


def test_the_browser_draws_the_data_of_the_spec_the_svg_is_made_from(
    journey: Journey,
    live_world: World,
    crime_store: Path,
    settings: Any,
) -> None:
    _open(journey, live_world, crime_store, settings)
    page = journey.page
    expect(page.locator('[data-chart="monthly"]')).to_have_attribute("data-chart-ready", "true")
    # What vega-embed received and drew: the named dataset of the view, as Vega holds it.
    drawn = page.evaluate("() => JSON.stringify(window.csphubCharts.monthly.data('monthly'))")
    # The static SVG: the same chart, built again on the server, rendered by vl-convert from its spec.
    board = dashboard.build(load().get("violence"), area("kettering"), "police", None)  # type: ignore[arg-type]
    chart = board.chart("monthly")
    assert chart is not None
    svg = charts.render(chart, "svg").decode()
    assert svg.startswith("<svg") and "mark-line" in svg
    spec_rows = chart.spec["datasets"]["monthly"]
    assert json.loads(drawn) == spec_rows
    # And the page's own spec (the JSON the browser was given) is that spec.
    given = page.evaluate("() => JSON.parse(document.getElementById('chart-spec-monthly').textContent)")
    assert given == chart.spec
    # The SVG shows one point per month: the same number of rows the browser drew.
    assert svg.count('role="graphics-symbol"') >= len(spec_rows)


def test_an_analyst_uploads_partner_data_and_sees_it_loaded(
    journey: Journey, live_world: World, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "store"
    settings.VAR_DIR = tmp_path / "var"
    bad = tmp_path / "noise-march.csv"
    bad.write_text(
        "occurred_at,category,source_agency,postcode\n2025-03-01 22:15,Noise nuisance,NNC,NN16 8BA\n"
        "2025-03-32 23:00,Noise nuisance,NNC,NN16 8BA\n",
        encoding="utf-8",
    )
    journey.sign_in(live_world["police_analyst"])
    journey.visit("/insights/")
    journey.follow(journey.page.get_by_role("link", name="upload police.uk months or partner files"))
    page = journey.page
    page.get_by_label("Partner CSV files").check()
    page.get_by_label("Files", exact=True).set_input_files(str(bad))
    journey.submit("Upload and load")
    # The progress page polls until the worker has finished, then shows the CLI's error with file and line.
    expect(page.get_by_role("heading", name="The files were not loaded")).to_be_visible()
    expect(page.get_by_text("noise-march.csv, line 3: occurred_at '2025-03-32 23:00' is not a date")).to_be_visible()
    journey.check()
    journey.screenshot("an upload refused with its file and line")

    bad.write_text(bad.read_text(encoding="utf-8").replace("2025-03-32", "2025-03-30"), encoding="utf-8")
    journey.follow(page.get_by_role("link", name="Upload more"))
    page.get_by_label("Partner CSV files").check()
    page.get_by_label("Files", exact=True).set_input_files(str(bad))
    journey.submit("Upload and load")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("table", name="Files loaded")).to_contain_text("noise-march.csv")
    journey.check()
    journey.screenshot("an upload loaded with its progress bar full")
    journey.follow(page.get_by_role("link", name="What is loaded"))
    expect(page.locator("#files")).to_contain_text("nnc")
    journey.screenshot("what is loaded")
