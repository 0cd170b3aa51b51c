"""A Purple Flag pack in Chromium: its charts drawn by vega-embed under the site's Content-Security-Policy, its map,
axe-core passing on the pack and its narrative form, and the narrative saved through the form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Journey
from tests.factories import World
from tests.purpleflag.factories import make_pack


def test_the_pack_page_draws_its_charts_and_the_narrative_is_written_through_its_form(
    journey: Journey, live_world: World, pf_store: Path, settings: Any
) -> None:
    settings.DATA_DIR = pf_store
    pack = make_pack(live_world)
    errors: list[str] = []
    journey.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    journey.sign_in(live_world["publican"])
    journey.visit(pack.get_absolute_url())
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Kettering town centre 2025")
    for slug in ("police-monthly", "partner-monthly"):
        canvas = page.locator(f'[data-chart="{slug}"]')
        expect(canvas).to_have_attribute("data-chart-ready", "true")
        expect(canvas.locator("svg path").first).to_be_attached()
    expect(page.locator("figure.csphub-map-figure svg")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    journey.screenshot("a Purple Flag pack with its charts")

    journey.follow(page.get_by_role("link", name="Edit the narrative"))
    page.get_by_label("Wellbeing").fill("Street Pastors are out every Friday and Saturday night.")
    journey.submit("Save the narrative")
    expect(page.locator('[data-narrative="wellbeing"]')).to_contain_text("every Friday and Saturday night")


def test_a_party_agency_reads_the_pack_without_editing_and_a_volunteer_is_not_told_of_it(
    journey: Journey, live_world: World, pf_store: Path, settings: Any
) -> None:
    """The same pack for a second and a third role: the fire service's partner (a party agency's read-only role)
    reads its figures and charts but is offered no narrative form; a Street Pastor, with whom it is not shared, gets
    the page that does not exist."""
    settings.DATA_DIR = pf_store
    pack = make_pack(live_world)
    journey.sign_in(live_world["fire_partner"])
    journey.visit(pack.get_absolute_url())
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Kettering town centre 2025")
    expect(page.locator('[data-chart="police-monthly"]')).to_have_attribute("data-chart-ready", "true")
    expect(page.get_by_role("link", name="Edit the narrative")).to_have_count(0)
    journey.check()
    journey.screenshot("a Purple Flag pack read by a party agency")

    journey.page.context.clear_cookies()
    journey.sign_in(live_world["pastor"])
    response = journey.page.goto(journey.url(pack.get_absolute_url()))
    assert response is not None and response.status == 404
    expect(journey.page.get_by_text("Kettering town centre 2025")).to_have_count(0)
