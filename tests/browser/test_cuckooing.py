"""The cuckooing panel in Chromium (issue 21): a panel partner opens the ranked list, reads each rank's reasons,
opens a record and records a support offer; a voluntary-sector member reads the same record and the offer.

Axe-core scans every page visited (see ``tests/browser/conftest.py``); screenshots under var/test-artefacts/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import expect

from csphub.assessments.engine import load_shipped
from csphub.cuckooing import services, sources
from csphub.cuckooing.models import SupportOffer
from csphub.cuckooing.ranking import RankingSettings
from tests.browser.conftest import Journey
from tests.cuckooing.factories import seat
from tests.factories import World, make_person, make_place

HOME = (486_000.0, 278_000.0)


def _hotspots(as_at: dt.date, settings: RankingSettings) -> sources.HotspotCells:
    return sources.HotspotCells(np.array([[HOME[0] + 150.0, HOME[1]]]), months="June 2025")


@pytest.fixture
def panel(live_world: World) -> Iterator[World]:
    """Two premises brought to the panel by the police (a Kettering council officer and a Street Pastor sit on it):
    one with a completed checklist near drug activity, one far away with none."""
    seat(live_world["council_officer"], live_world["pastor"])
    officer = live_world["police_officer"]
    questions = load_shipped("cuckooing").questions
    near = services.add_to_register(
        officer,
        person=make_person(officer, given_name="Martha", family_name="Quill"),
        premises=make_place(officer, address="14 Rockingham Road, Kettering", easting=HOME[0], northing=HOME[1]),
        summary="Neighbours report many short visits",
    )
    services.complete_checklist(near, officer, answers={q.id: "yes" if q.id < "v5" else "no" for q in questions})
    services.add_to_register(
        officer, premises=make_place(officer, address="2 Quiet Close, Oundle", easting=503_800, northing=288_200)
    )
    with sources.use_drug_hotspots(_hotspots):
        yield live_world


def test_a_panel_partner_reads_the_ranked_list_and_records_a_support_offer(journey: Journey, panel: World) -> None:
    journey.sign_in(panel["council_officer"])
    journey.follow(journey.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cuckooing"))
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuckooing panel: ranked list")
    rows = page.get_by_test_id("panel-list").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Martha Quill")
    expect(rows.first).to_contain_text("Near known drug activity")
    expect(rows.first).to_contain_text("Signs of cuckooing at the property")
    expect(page.get_by_text("county-lines", exact=False)).to_have_count(0)
    journey.screenshot("the cuckooing panel's ranked list, as a council officer")

    journey.follow(rows.first.get_by_role("link").first)
    journey.justify("Preparing for this month's cuckooing panel meeting")
    expect(page.get_by_role("heading", level=1)).to_contain_text("K-")
    expect(page.get_by_text("Ranked 1")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Record a support offer"))
    page.get_by_label("Support offered").fill("Tenancy support visit")
    journey.submit("Record the offer")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Support offer recorded")
    expect(page.get_by_test_id("support")).to_contain_text("Tenancy support visit")
    offer = SupportOffer.objects.get()
    assert offer.agency == panel.agencies["council"] and offer.recorded_by == panel["council_officer"]
    journey.screenshot("a support offer recorded on a cuckooing record")

    journey.visit("/cuckooing/agenda/")
    expect(page.get_by_test_id("agenda")).to_contain_text("Martha Quill")
    journey.visit("/cuckooing/agenda/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cuckooing panel agenda")

    volunteer = journey.new_tab()
    volunteer.sign_in(panel["pastor"])
    volunteer.follow(volunteer.page.get_by_role("link", name="Cuckooing panel"))
    volunteer.follow(volunteer.page.get_by_test_id("panel-list").locator("tbody tr").first.get_by_role("link").first)
    volunteer.justify("Preparing for this month's cuckooing panel meeting")
    expect(volunteer.page.get_by_text("Martha Quill")).to_be_visible()
    # No link to the register's pages, which are for case officers.
    expect(volunteer.page.get_by_role("link", name="Martha Quill")).to_have_count(0)
    expect(volunteer.page.get_by_test_id("support")).to_contain_text("Tenancy support visit")
    expect(volunteer.page.get_by_role("link", name="Record a support offer")).to_have_count(0)
    volunteer.screenshot("a voluntary panel member reads the record and the support offer")
