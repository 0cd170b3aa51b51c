"""Meetings in Chromium: the chair runs the agenda (a decision on a case, an action for an agency), the decision is on
the case's timeline, and a Street Pastor at the same meeting sees the cases counted, not named. axe-core scans
every page (``tests/browser/conftest.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from csphub.meetings.models import MeetingAction
from tests.browser.conftest import Journey
from tests.factories import World
from tests.meetings.factories import make_panel


def test_a_chair_records_a_decision_and_an_action_and_the_case_timeline_shows_the_decision(
    journey: Journey, live_world: World
) -> None:
    panel = make_panel(live_world)
    case = panel.police_only
    journey.sign_in(live_world["police_chair"])
    journey.visit("/meetings/")
    journey.follow(journey.page.get_by_role("link", name="Kettering ASB risk panel"))
    journey.follow(journey.page.locator("#meetings a").first)
    page = journey.page
    expect(page.locator("#agenda")).to_contain_text(case.reference)
    expect(page.locator("#agenda")).to_contain_text("Minutes of the last meeting")
    journey.screenshot("the agenda as the chair sees it")

    journey.follow(page.get_by_role("link", name="Record a decision"))
    page.get_by_label("Case").select_option(label=f"{case.reference}: {case.title}")
    page.get_by_label("Decision").fill("Apply for a closure order on the flat above the precinct.")
    journey.submit("Save")
    expect(page.locator("#decisions")).to_contain_text("Apply for a closure order")

    journey.follow(page.get_by_role("link", name="Record an action"))
    page.get_by_label("Action", exact=True).fill("Write to the landlord of the precinct")
    page.get_by_label("Agency").select_option(label="Kettering Borough Council")
    due = timezone.localdate() + dt.timedelta(days=14)
    box = page.get_by_role("group", name="Due by")
    box.get_by_label("Day").fill(str(due.day))
    box.get_by_label("Month").fill(str(due.month))
    box.get_by_label("Year").fill(str(due.year))
    journey.submit("Save")
    expect(page.locator("#actions")).to_contain_text("Write to the landlord of the precinct")
    assert (
        MeetingAction.objects.get(title="Write to the landlord of the precinct").assigned_agency
        == (live_world.agencies["council"])
    )
    journey.screenshot("the meeting with its decision and action")

    journey.visit(case.get_absolute_url())
    page.get_by_role("tab", name="Timeline").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Decision: Decision of the Kettering ASB risk panel")
    expect(timeline.get_by_text("Apply for a closure order on the flat above the precinct.")).to_be_visible()
    journey.screenshot("the decision on the case's timeline")

    pastor = journey.new_tab()
    pastor.sign_in(live_world["pastor"])
    pastor.visit(panel.meeting.get_absolute_url())
    expect(pastor.page.locator("#hidden-items")).to_contain_text("2 items")
    expect(pastor.page.locator("body")).not_to_contain_text(case.reference)
    expect(pastor.page.locator("body")).not_to_contain_text(panel.domestic.reference)
    pastor.screenshot("the same agenda as a Street Pastor sees it")
