"""Break glass in Chromium: from a search that finds a record you may not see, and by a case reference.

The person searching is told how many records they may not see and which agency holds each, never more; they ask
for access with a justification, the access is granted at once (read only, for a limited time), they open the
record and see what the grant covers (the address), and a supervisor of their agency reviews the grant after.
Every page is scanned by axe-core (``tests/browser/conftest.py``)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from csphub.access.models import AccessGrant
from csphub.registers import services as register
from tests.browser.conftest import Journey
from tests.cases.factories import make_case
from tests.factories import World, make_person

WHY = "Safeguarding visit tonight: the caller named him as living with a vulnerable adult we support"


def test_a_search_match_you_may_not_see_is_opened_by_break_glass_and_reviewed(
    journey: Journey, live_world: World
) -> None:
    police = live_world["police_officer"]
    person = make_person(police, given_name="Gail", family_name="Glasshidden")
    home = register.record_place(police, address="9 Sheep Street, Kettering", postcode="NN16 0AN")
    register.link_place(person, home, police, relation="lives_at")

    journey.sign_in(live_world["council_officer"])
    journey.visit("/register/people/")
    page = journey.page
    page.get_by_label("Name").first.fill("Gail Glasshidden")
    journey.submit("Search")
    told = page.locator("#records-you-may-not-see")
    expect(told).to_contain_text("1 record you may not see matches this search")
    expect(told).to_contain_text("Held by Northamptonshire Police")
    expect(page.get_by_role("link", name=re.compile("glasshidden", re.I))).to_have_count(0)  # counted, not named
    journey.screenshot("a search telling of 1 record you may not see, held by the police")

    journey.follow(told.get_by_role("link", name="Request access"))
    expect(page.get_by_text("held by Northamptonshire Police")).to_be_visible()
    expect(page.get_by_label("Record reference")).to_have_count(0)  # the record is the one found, not typed
    page.get_by_label("Justification").fill(WHY)
    journey.submit("Request access")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gail Glasshidden")
    expect(page.get_by_text("9 Sheep Street, Kettering")).to_be_visible()  # the grant covers the address
    journey.screenshot("the person opened by break glass, with their address")
    grant = AccessGrant.objects.get(user=live_world["council_officer"])
    assert grant.justification == WHY and grant.status == "pending"

    supervisor = journey.new_tab()
    supervisor.sign_in(live_world["council_manager"])
    supervisor.visit("/access/reviews/")
    supervisor.follow(supervisor.page.get_by_role("link", name="Review access by council_officer"))
    expect(supervisor.page.get_by_text(WHY)).to_be_visible()
    supervisor.page.get_by_label("Uphold: the access was justified").check()
    supervisor.submit("Record decision")
    expect(supervisor.page.get_by_text("Review recorded.")).to_be_visible()
    grant.refresh_from_db()
    assert grant.status == "upheld"
    supervisor.screenshot("the supervisor's review list after upholding the grant")


def test_access_to_a_case_is_requested_by_its_reference(journey: Journey, live_world: World) -> None:
    case = make_case(live_world["police_officer"], title="Threats to shop staff on Montagu Street")
    journey.sign_in(live_world["council_officer"])
    assert journey.visit(case.get_absolute_url()).status == 404  # not party to it: not even told it exists
    journey.visit("/access/request/")
    page = journey.page
    page.get_by_label("Record reference").fill(case.reference)
    page.get_by_label("Justification").fill(WHY)
    journey.submit("Request access")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Threats to shop staff on Montagu Street")
    journey.screenshot("a case opened by break glass from its reference")
