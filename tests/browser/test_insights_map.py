"""The crime map in Chromium (issue 20): Leaflet layers from the analytics engine over csphub's own base map.

What a person sees: the hotspot grid drawn on the district boundaries, redrawn when the month range changes (no
page load: the form is sent for the layers), a clicked cell's figures, and the places of their own cases, with
another agency's case place only counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from csphub.cases import services as case_services
from csphub.insights import maps
from csphub.registers.services import record_place
from tests.browser.conftest import Journey
from tests.cases.factories import make_case
from tests.factories import World
from tests.insights.map_store import fill_store

MAP = "Crime map of the partnership's area"


@pytest.fixture(scope="module")
def crime_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill_store(tmp_path_factory.mktemp("insights-browser-store"))


@pytest.fixture
def crime_data(settings: Any, crime_store: Path) -> Path:
    settings.DATA_DIR = crime_store
    maps.forget()
    return crime_store


def _plant_case_places(world: World) -> None:
    officer, council = world["police_officer"], world["council_officer"]
    mine = record_place(officer, name="Chicken Shack", address="12 Gold Street, Kettering", postcode="NN16 8JA")
    case = make_case(officer, title="Disorder outside the Chicken Shack")
    case_services.add_place(case, mine, officer, role="problem_premises")
    theirs = record_place(council, address="7 Meadow Road, Kettering", postcode="NN16 8TJ")
    council_case = make_case(council, title="Noise at 7 Meadow Road")
    case_services.add_place(council_case, theirs, council, role="incident_location")


def test_it_draws_the_map_and_redraws_it_for_another_month_range(
    journey: Journey, live_world: World, crime_data: Path
) -> None:
    _plant_case_places(live_world)
    journey.sign_in(live_world["police_officer"])
    journey.visit("/insights/map/?first=2025-01&last=2025-06")
    page = journey.page
    region = page.get_by_role("region", name=MAP)
    expect(region).to_have_attribute("data-map-ready", "true", timeout=30_000)
    cells = region.locator("path.csphub-cell")
    hot = region.locator("path.csphub-cell--hot-3")
    six_months = int(region.get_attribute("data-hotspot-cells") or 0)
    expect(cells).to_have_count(six_months)
    assert six_months > 500 and hot.count() > 20
    status = page.locator("#map-status")
    expect(status).to_contain_text("All crime, 2025-01 to 2025-06")
    six_months_status = status.inner_text()
    # The base map under the layers, and the significant cells as a table for those who do not use the map.
    expect(region.locator(".csphub-map__label", has_text="Kettering")).to_be_visible()
    table_rows = page.locator("#significant-cells tbody tr")
    expect(table_rows).to_have_count(maps.TABLE_ROWS)
    # The viewer's own case place is drawn; the council's is only counted.
    expect(region.locator("path.csphub-case-place")).to_have_count(1)
    expect(page.locator("#case-places-status")).to_contain_text("1 place of cases you may see on the map")
    expect(page.locator("#case-places-status")).to_contain_text("1 you may not see")
    expect(region.locator(".leaflet-control-attribution")).to_contain_text("Open Government Licence")
    journey.check()
    journey.screenshot("six months of all crime")

    # A cell's figures: count, z, p, its trend and whether it crosses an old district line.
    hot.first.click(force=True)
    popup = region.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Crimes in the cell")
    expect(popup).to_contain_text("Crosses an old district line")
    expect(popup).to_contain_text("Gi* z")
    expect(popup).to_contain_text("Mann-Kendall")  # six months: the cell's trend
    journey.check()
    journey.screenshot("a hot cell's figures")
    page.keyboard.press("Escape")

    # One month instead of six: the layer is fetched again and redrawn, the page stays.
    page.get_by_label("From").select_option("2025-06")
    expect(region).to_have_attribute(
        "data-query", "first=2025-06&last=2025-06&crime_type=&source=police&cell=250&band=750"
    )
    expect(status).not_to_have_text(six_months_status)
    expect(status).to_contain_text("All crime, 2025-06 to 2025-06")
    one_month = int(region.get_attribute("data-hotspot-cells") or 0)
    assert 0 < one_month < six_months
    expect(cells).to_have_count(one_month)
    assert "first=2025-06" in page.url
    expect(page.get_by_role("link", name="Hotspot grid (CSV)")).to_have_attribute(
        "href",
        "/insights/map/export/?first=2025-06&last=2025-06&crime_type=&source=police&cell=250&band=750&format=csv",
    )
    journey.check()
    journey.screenshot("one month of all crime")

    # At street level the shipped base map shows the streets and place names (no tile server here).
    region.evaluate("el => el.csphubMap.map.setView([52.3985, -0.7265], 16)")
    expect(region.locator(".csphub-map__street").first).to_be_visible()
    expect(region.locator(".csphub-map__place").first).to_be_attached()
    journey.check()
    journey.screenshot("Kettering town centre at street level")
