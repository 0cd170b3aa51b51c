"""Recording a place in Chromium: the postcode is found on the map, the pin is moved by hand, the place page maps it.

The map is Leaflet on the shipped district boundaries (no tile server); the postcode's centre comes from the shipped
Code-Point Open file. Every page is scanned by axe-core (``tests/browser/conftest.py``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from csphub.registers import geo
from csphub.registers.models import LocationSource, Place
from tests.browser.conftest import Journey
from tests.factories import World


def test_a_place_is_found_by_postcode_pinned_on_the_map_and_mapped_on_its_page(
    journey: Journey, live_world: World
) -> None:
    point = geo.postcode_point("NN16 8AA")
    assert point is not None
    journey.sign_in(live_world["council_officer"])
    journey.visit("/register/places/new/")
    page = journey.page
    page.get_by_label("Name").fill("Wicksteed Park kiosk")
    page.get_by_label("Kind of place").select_option(label="Business")
    page.get_by_label("Address").fill("Barton Road, Kettering")
    page.get_by_label("Postcode").fill("nn16 8aa")
    region = page.get_by_role(
        "region", name="Map to place the pin: click the map or drag the pin to where the place is"
    )
    expect(region).to_have_attribute("data-map-ready", "true")
    page.get_by_role("button", name="Find on the map").click()  # no page load: the pin moves in place
    expect(page.locator("#postcode-finding")).to_contain_text("NN16 8AA found")
    pin = region.locator(".csphub-map__pin")
    expect(pin).to_be_visible()
    assert page.get_by_label("Postcode").input_value() == "NN16 8AA"
    assert page.locator("#id_latitude").input_value() == ""  # at the postcode's centre: nothing typed, nothing filled
    journey.screenshot("the place form with the postcode found on the map")

    frame = region.bounding_box()
    assert frame
    region.click(
        position={"x": frame["width"] / 2 + 80, "y": frame["height"] / 2 + 40}
    )  # the place is a little south-east
    expect(page.locator("#postcode-finding")).to_contain_text("The pin is where you put it")
    latitude, longitude = (
        float(page.locator("#id_latitude").input_value()),
        float(page.locator("#id_longitude").input_value()),
    )
    assert latitude < point.latitude and longitude > point.longitude
    journey.screenshot("the pin moved by hand")
    journey.submit("Save")

    place = Place.objects.get(name="Wicksteed Park kiosk")
    assert place.location_source == LocationSource.GIVEN
    assert (place.latitude, place.longitude) == pytest.approx((latitude, longitude), abs=1e-6)
    assert place.district is not None and place.district.name == "Kettering"
    expect(page.get_by_role("heading", level=1)).to_have_text("Wicksteed Park kiosk")
    shown = page.get_by_role("region", name="Map of Barton Road, Kettering")
    expect(shown).to_have_attribute("data-map-ready", "true")
    expect(shown.locator(".csphub-map__pin")).to_be_visible()
    journey.screenshot("the place page with its map")


def test_a_place_left_at_its_postcode_is_located_by_the_postcode(journey: Journey, live_world: World) -> None:
    journey.sign_in(live_world["council_officer"])
    journey.visit("/register/places/new/")
    page = journey.page
    page.get_by_label("Address").fill("5 Sheep Street, Kettering")
    page.get_by_label("Postcode").fill("NN16 8AA")
    page.get_by_role("button", name="Find on the map").click()
    expect(page.locator("#postcode-finding")).to_contain_text("NN16 8AA found")
    page.get_by_label("Address").press("Enter")  # Enter saves: with JavaScript, Find is not the form's default button
    page.wait_for_url("**/register/places/*-*/")
    journey.check()
    place = Place.objects.get(address="5 Sheep Street, Kettering")
    assert place.location_source == LocationSource.POSTCODE
