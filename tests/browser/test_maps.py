"""Maps in Chromium: Leaflet on the shipped base map, with no tile server (csphub/static/csphub/map.mjs)."""

from __future__ import annotations

from playwright.sync_api import expect

from csphub.registers.services import record_place
from tests.browser.conftest import Journey
from tests.factories import World


def test_it_draws_a_place_on_the_district_boundaries(journey: Journey, live_world: World) -> None:
    officer = live_world["council_officer"]
    place = record_place(officer, name="Chicken Shack", address="12 Gold Street, Kettering", postcode="NN16 8JA")
    assert place.has_location, "a place with a known postcode is located at its centre"
    journey.sign_in(officer)
    journey.visit(place.get_absolute_url())
    page = journey.page
    region = page.get_by_role("region", name="Map of 12 Gold Street, Kettering")
    expect(region).to_have_attribute("data-map-ready", "true")
    # The base map: seven old districts and two unitary councils, drawn as SVG paths, and the old districts named.
    expect(region.locator(".leaflet-overlay-pane path")).to_have_count(9)
    expect(region.locator(".csphub-map__label", has_text="Kettering")).to_be_visible()
    # The pin sits where the place is, inside the map.
    pin = region.locator(".csphub-map__pin")
    expect(pin).to_be_visible()
    box, frame = pin.bounding_box(), region.bounding_box()
    assert box and frame
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    expect(region.locator(".leaflet-control-attribution")).to_contain_text("Crown copyright")
    journey.check()
    journey.screenshot("a place on its map")
