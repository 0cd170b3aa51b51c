"""The night-time economy on a phone: a Street Pastor logs a night's shift with an incident in a 390 px wide
browser, sees it in their agency's list, does not see the police's log, and sees the shared NTE summary. No page
scrolls sideways; axe-core scans every page (``tests/browser/conftest.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import ViewportSize, expect

from csphub.insights import maps
from csphub.nte.models import Incident, Shift
from tests.browser.conftest import Journey
from tests.factories import World
from tests.insights.map_store import fill_store
from tests.nte.factories import make_designation, make_night, make_shift

PHONE: ViewportSize = {"width": 390, "height": 844}


def no_sideways_scroll(journey: Journey) -> None:
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{journey.path} is {width} px wide on a {PHONE['width']} px screen"


def test_a_street_pastor_logs_a_night_on_a_phone_and_sees_only_their_agencys_logs(
    journey: Journey, live_world: World, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # logging publishes the month to the analytics store: a store of this test's own
    night = make_night(live_world)
    police = make_shift(live_world, night, "police_officer")  # the police's own log: notes and incident
    make_shift(live_world, night, "council_officer")
    page = journey.page
    page.set_viewport_size(PHONE)

    journey.sign_in(live_world["pastor"])
    journey.visit("/nte/")
    no_sideways_scroll(journey)
    journey.follow(page.get_by_role("button", name="Log a shift"))
    no_sideways_scroll(journey)
    expect(page.get_by_role("radio", name="Street Pastors patrol")).to_be_checked()  # the agency's service
    last_night = timezone.localdate() - dt.timedelta(days=1)
    box = page.get_by_role("group", name="Night of")
    box.get_by_label("Day").fill(str(last_night.day))
    box.get_by_label("Month").fill(str(last_night.month))
    box.get_by_label("Year").fill(str(last_night.year))
    page.get_by_label("Start time").fill("10pm")
    page.get_by_label("End time").fill("3am")
    page.get_by_label("Team or call sign").fill("Team 1")
    page.get_by_label("How many people were on the shift").fill("5")
    journey.screenshot("logging a shift on a phone")
    journey.submit("Save the shift")
    no_sideways_scroll(journey)
    shift = Shift.objects.get(owning_agency=live_world.agencies["pastors"], team="Team 1")
    assert shift.night == last_night and shift.hours == 5

    journey.follow(page.get_by_role("button", name="Add an incident"))
    no_sideways_scroll(journey)
    page.get_by_label("Time", exact=True).fill("11:40pm")
    page.get_by_role("radio", name="Vulnerable person helped").check()
    page.get_by_label("Where: a known venue").select_option(label="Taxi rank, Market Place")
    page.get_by_label("People helped").fill("2")
    page.get_by_role("checkbox", name="Taxi home (taxi marshals)").check()
    page.get_by_label("What happened, briefly").fill("Two friends separated from their group; waited with them.")
    journey.screenshot("adding an incident on a phone")
    journey.submit("Save the incident")
    no_sideways_scroll(journey)
    incident = Incident.objects.get(shift=shift)
    assert incident.people_helped == 2 and incident.referred_to == ["taxi"]
    expect(page.get_by_test_id("incident")).to_contain_text("Vulnerable person helped")

    journey.visit("/nte/")
    no_sideways_scroll(journey)
    own = page.get_by_test_id("own-shifts")
    expect(own).to_contain_text(shift.reference)
    expect(own).not_to_contain_text(police.reference)
    expect(page.locator("body")).not_to_contain_text("CANARY")  # neither the police's notes nor their incident
    summary = page.get_by_test_id("nte-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_test_id("summary-shifts")).to_have_text("3")  # every partner's shifts, counted
    journey.screenshot("our shifts and the shared summary on a phone")

    journey.visit(police.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() != police.get_service_display()
    expect(page.locator("body")).not_to_contain_text("CANARY")
    journey.visit("/nte/summary/")
    no_sideways_scroll(journey)
    expect(page.get_by_test_id("summary-categories")).to_be_visible()


@pytest.fixture(scope="module")
def crime_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill_store(tmp_path_factory.mktemp("nte-browser-store"))


def test_the_analytics_map_draws_the_dispersal_and_pspo_areas(
    journey: Journey, live_world: World, settings: Any, crime_store: Path
) -> None:
    settings.DATA_DIR = crime_store
    maps.forget()
    night = make_night(live_world)
    make_designation(live_world, night)
    make_designation(live_world, night, kind="pspo", hours=24 * 365)
    journey.sign_in(live_world["fire_partner"])  # every member sees the public notices on the map
    journey.visit("/insights/map/?first=2025-01&last=2025-06")
    region = journey.page.get_by_role("region", name="Crime map of the partnership's area")
    expect(region).to_have_attribute("data-map-ready", "true", timeout=30_000)
    expect(region).to_have_attribute("data-overlay-designations", "2")
    expect(region.locator("path.csphub-overlay--designations")).to_have_count(2)
    expect(region.locator(".leaflet-control-layers")).to_contain_text("Dispersal and PSPO areas")
    region.locator("path.csphub-overlay--designations").first.dispatch_event("click")  # its outline
    expect(region.locator(".leaflet-popup-content")).to_contain_text("Market Place")
    journey.check()
    journey.screenshot("dispersal and PSPO areas on the analytics map")
