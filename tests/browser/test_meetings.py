"""Meetings in Chromium: the chair runs the agenda (a decision on a case, an action for an agency), the decision is on
the case's timeline, and a Street Pastor at the same meeting sees the cases counted, not named; the six-weekly
series schedules its next meeting with the overdue actions carried over; the chair changes the members and cancels
a meeting (its agenda goes to the next); an officer refers a person to a meeting from the person's page. axe-core
scans every page (``tests/browser/conftest.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from csphub.meetings import services
from csphub.meetings.models import ItemKind, MeetingAction
from tests.browser.conftest import Journey
from tests.cases.factories import make_case
from tests.factories import World, make_person
from tests.meetings.factories import first_start, make_panel, make_series


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


def test_a_six_weekly_series_schedules_its_next_meeting_with_the_overdue_actions_carried_over(
    journey: Journey, live_world: World
) -> None:
    """Must show (issue 22): the next meeting by the pattern, with the open actions of the last one on its agenda."""
    panel = make_panel(live_world)  # six-weekly; its first meeting 50 days ago
    chair = live_world["police_chair"]
    services.add_action(
        panel.meeting,
        chair,
        title="Write to the landlord of the precinct",
        due_on=timezone.localdate() - dt.timedelta(days=10),
        assigned_agency=live_world.agencies["council"],
    )
    done = services.add_action(
        panel.meeting,
        chair,
        title="Circulate the terms",
        due_on=timezone.localdate(),
        assigned_agency=live_world.agencies["police"],
    )
    assert isinstance(done, MeetingAction)
    services.update_action(done, chair, status="done", outcome="Sent to every member.")
    journey.sign_in(chair)
    journey.visit(panel.series.get_absolute_url())
    journey.follow(journey.page.get_by_role("link", name="Schedule the next meeting"))
    expect(journey.page.locator("main")).to_contain_text("Every open action of the earlier meetings")
    journey.submit("Schedule the meeting")
    agenda = journey.page.locator("#agenda")
    expect(agenda).to_contain_text("Action carried over: Write to the landlord of the precinct")
    expect(agenda).to_contain_text("Overdue")
    expect(agenda).not_to_contain_text("Circulate the terms")
    nxt = panel.series.meetings.order_by("-starts_at").first()
    assert nxt is not None and nxt.local_date == panel.meeting.local_date + dt.timedelta(weeks=6)
    journey.screenshot("the next meeting with the overdue action carried over")


def test_the_chair_changes_who_sits_on_the_series(journey: Journey, live_world: World) -> None:
    series = make_series(live_world)  # police (chair), Kettering council (secretariat), fire, Street Pastors
    journey.sign_in(live_world["police_chair"])
    journey.visit(series.get_absolute_url())
    journey.follow(journey.page.get_by_role("link", name="Change the members"))
    page = journey.page
    page.get_by_label("Northamptonshire Fire and Rescue Service").select_option(label="Not a member")
    page.get_by_label("Corby Borough Council").select_option(label="Member")
    journey.screenshot("the members form")
    journey.submit("Save the members")
    members = page.locator("#members")
    expect(members).to_contain_text("Corby Borough Council")
    expect(members).not_to_contain_text("Fire and Rescue")
    expect(members).to_contain_text("Kettering Borough Council (secretariat)")
    assert {m.agency.short_name for m in series.members.all()} == {"police", "council", "corby", "pastors"}


def test_the_chair_cancels_a_meeting_and_its_agenda_goes_to_the_next(journey: Journey, live_world: World) -> None:
    series = make_series(live_world, starts=first_start(-3))
    meeting = series.meetings.get()
    case = make_case(live_world["police_officer"], title="Drinking in the shop doorways")
    services.refer(meeting, live_world["police_officer"], case)
    following = services.schedule_next(series, live_world["police_chair"])
    journey.sign_in(live_world["police_chair"])
    journey.visit(meeting.get_absolute_url())
    journey.follow(journey.page.get_by_role("link", name="Cancel the meeting"))
    page = journey.page
    page.get_by_label("Why is the meeting cancelled?").fill("Not quorate: most members are at the county conference")
    journey.submit("Cancel the meeting")
    banner = page.locator("#cancelled")
    expect(banner).to_contain_text("This meeting was cancelled")
    expect(banner).to_contain_text("Not quorate")
    journey.screenshot("a cancelled meeting")
    journey.follow(banner.get_by_role("link"))
    expect(page.locator("#agenda")).to_contain_text(case.reference)
    assert journey.path == following.get_absolute_url()
    assert following.items.get().kind == ItemKind.CASE


def test_an_officer_refers_a_person_to_a_meeting_from_their_page(journey: Journey, live_world: World) -> None:
    officer = live_world["police_officer"]
    person = make_person(officer, given_name="Dean", family_name="Hartwell")
    meeting = make_series(live_world, starts=first_start(-5)).meetings.get()
    journey.sign_in(officer)
    journey.visit(person.get_absolute_url())
    journey.follow(journey.page.get_by_role("link", name="Refer to a meeting"))
    page = journey.page
    page.get_by_role("radio", name="Kettering ASB risk panel").check()
    journey.screenshot("refer a person to a meeting")
    journey.submit("Add to the agenda")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referred to the Kettering ASB risk panel")
    assert journey.path == person.get_absolute_url()
    journey.visit(meeting.get_absolute_url())
    expect(page.locator("#agenda")).to_contain_text("Hartwell", ignore_case=True)


def test_a_cuckooing_panel_meeting_shows_the_ranked_records_each_member_may_see(
    journey: Journey, live_world: World
) -> None:
    from csphub.cuckooing import services as cuckooing
    from tests.cuckooing.factories import seat
    from tests.factories import make_place

    seat(live_world["pastor"])
    officer = live_world["police_officer"]
    for n in (1, 2):
        home = make_place(officer, address=f"{n} Rockingham Road, Kettering", easting=486_000.0 + n, northing=278_000.0)
        cuckooing.add_to_register(officer, premises=home, summary="Many short visits")
    series = make_series(live_world, kind="cuckooing", starts=first_start(-5), name="Kettering cuckooing panel")
    meeting = series.meetings.get()
    journey.sign_in(live_world["police_chair"])
    journey.visit(meeting.get_absolute_url())
    journey.follow(journey.page.get_by_role("link", name="Bring the panel's ranked list"))
    journey.submit("Add to the agenda")
    agenda = journey.page.locator("#agenda")
    expect(agenda).to_contain_text("1 Rockingham Road")
    expect(agenda).to_contain_text("Cuckooing panel")
    journey.screenshot("a cuckooing panel agenda as the chair sees it")

    pastor = journey.new_tab()
    pastor.sign_in(live_world["pastor"])
    pastor.visit(meeting.get_absolute_url())
    expect(pastor.page.locator("#agenda")).to_contain_text("2 Rockingham Road")
    expect(pastor.page.locator("body")).not_to_contain_text("county")
    fire = journey.new_tab()
    fire.sign_in(live_world["fire_partner"])
    fire.visit(meeting.get_absolute_url())
    expect(fire.page.locator("#hidden-items")).to_contain_text("2 items")
    expect(fire.page.locator("body")).not_to_contain_text("Rockingham")
    fire.screenshot("the same agenda as a member not on the cuckooing panel sees it")
