"""The Pubwatch ban register in Chromium (issue 22): a licensee opens the register, records the licensees' decision
on a proposed ban with the minutes, and records that the person was told, which puts the ban in force.

Axe-core scans every page visited (see ``tests/browser/conftest.py``); screenshots under var/test-artefacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from csphub.pubwatch.models import Ban, BanStatus
from tests.browser.conftest import Journey
from tests.factories import World
from tests.pubwatch.factories import make_scheme, propose

WHY = "Tonight's scheme meeting: recording the decision"


def test_a_licensee_records_a_ban_decision_with_minutes_and_marks_the_person_told(
    journey: Journey, live_world: World
) -> None:
    sw = make_scheme(live_world, name="Corby Pubwatch")
    ban = propose(sw, name="Barry Banned", photo=True)
    journey.sign_in(sw.licensee)
    journey.follow(journey.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Pubwatch"))
    journey.follow(journey.page.get_by_role("link", name="Corby Pubwatch"))
    journey.justify(WHY)
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Corby Pubwatch")
    expect(page.get_by_role("table", name="Proposed: for the licensees to decide")).to_contain_text("Barry Banned")
    journey.screenshot("the register with a proposed ban")
    journey.follow(page.get_by_role("link", name="Barry Banned"))
    journey.justify(WHY)
    expect(page.get_by_role("img", name=f"Photo kept for ban {ban.reference}")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Record the licensees' decision"))
    page.get_by_role("checkbox", name=sw.licensee.get_full_name()).check()
    page.get_by_role("checkbox", name=sw.licensee2.get_full_name()).check()
    page.get_by_label("Minutes of the decision").fill(
        "Both licensees present viewed the CCTV and agreed a six-month ban from all member premises."
    )
    page.get_by_label("Length in months").fill("6")
    journey.screenshot("the decision with its minutes")
    journey.submit("Record the decision")
    expect(page.get_by_test_id("status")).to_have_text("Decided, person not yet told")
    expect(page.get_by_test_id("decision")).to_contain_text("Both licensees present viewed the CCTV")
    expect(page.get_by_text("Not in force: the person has not been told yet.")).to_be_visible()
    journey.follow(page.get_by_role("link", name="Record that the person was told"))
    page.get_by_role("radio", name="By letter").check()
    journey.submit("Record it: the ban is in force")
    expect(page.get_by_test_id("status")).to_have_text("In force")
    expect(page.get_by_test_id("told")).to_contain_text("Told by letter")
    journey.screenshot("the ban in force")
    ban.refresh_from_db()
    assert ban.status == BanStatus.IN_FORCE and set(ban.decided_by.all()) == {sw.licensee, sw.licensee2}
    assert Ban.objects.get(pk=ban.pk).minutes.startswith("Both licensees present")


def test_the_coordinator_adds_a_member_premises(journey: Journey, live_world: World) -> None:
    sw = make_scheme(live_world, name="Corby Pubwatch")
    journey.sign_in(sw.coordinator)
    journey.follow(journey.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Pubwatch"))
    journey.follow(journey.page.get_by_role("link", name="Corby Pubwatch"))
    journey.justify(WHY)
    page = journey.page
    journey.follow(page.get_by_role("link", name="Add a member premises"))
    page.get_by_label("Name of the premises").fill("The Swan")
    page.get_by_label("Address", exact=True).fill("3 High Street, Corby")
    journey.screenshot("the coordinator adds a premises")
    journey.submit("Add the premises")
    expect(page.get_by_role("heading", level=1)).to_have_text("Corby Pubwatch")
    expect(page.get_by_text("The Swan is now a member premises.")).to_be_visible()
    assert sw.scheme.premises.filter(name="The Swan", address="3 High Street, Corby").exists()
