"""Everyday screens in Chromium at 1280 px (issue 19, finding 8)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, Journey
from tests.cases.factories import make_case
from tests.factories import World


def test_finding_8_the_case_list_shows_owner_and_opened_at_1280px(journey: Journey, live_world: World) -> None:
    make_case(live_world["police_officer"], title="Noise and threats at 12 Rockingham Road")
    journey.sign_in(live_world["police_officer"])
    journey.visit("/cases/")
    page = journey.page
    assert page.viewport_size == VIEWPORT
    for column in ("Opened", "Owner"):
        header = page.get_by_role("columnheader", name=column)
        expect(header).to_be_visible()
        box = header.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"], (column, box)
    table = page.locator("table.govuk-table").first
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
    journey.screenshot("the case list at 1280px")
