"""Meeting actions flow into the agency action list and each user's home page (only for those who may see them)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from csphub.meetings import services
from tests.factories import World, verified_client
from tests.meetings.factories import make_series


def _meeting_action(world: World) -> str:
    series = make_series(world)
    services.add_action(
        series.meetings.get(),
        world["police_chair"],
        title="Write to the precinct's landlord",
        due_on=timezone.localdate() - dt.timedelta(days=2),
        assigned_agency=world.agencies["council"],
    )
    return "Write to the precinct&#x27;s landlord"


def test_it_lists_a_meeting_action_on_the_assigned_agencys_action_list(world: World) -> None:
    title = _meeting_action(world)
    page = verified_client(world["council_officer"]).get(reverse("cases:actions") + "?scope=agency").content.decode()
    assert "Actions from meetings" in page and title in page and "Overdue" in page


def test_it_lists_a_meeting_action_on_the_home_page_of_the_agencys_users(world: World) -> None:
    title = _meeting_action(world)
    assert title in verified_client(world["council_officer"]).get(reverse("web:home")).content.decode()
    # Another agency's users (Corby: not a member of the series) see neither the action nor the meeting.
    corby = verified_client(world["corby_officer"]).get(reverse("web:home")).content.decode()
    assert title not in corby and "Kettering ASB risk panel" not in corby


def test_it_offers_volunteers_the_meetings_page_only_when_they_sit_on_a_series(world: World) -> None:
    make_series(world)  # the Street Pastors sit on it; Pubwatch does not

    def labels(username: str) -> list[str]:
        response = verified_client(world[username]).get(reverse("referrals:mine"))
        return [item["label"] for item in response.context["service_nav"]]

    # Insights (aggregate figures) is every member's; Meetings only for an agency that sits on a series.
    assert labels("pastor") == ["Make a referral", "My referrals", "Meetings", "Insights"]
    assert labels("publican") == ["Make a referral", "My referrals", "Insights"]


def test_a_street_pastors_home_shows_their_meeting_actions_and_meetings(world: World) -> None:
    series = make_series(world, name="Kettering faith action group")
    services.add_action(
        series.meetings.get(),
        world["police_chair"],
        title="Count the people helped on Friday nights",
        due_on=timezone.localdate() - dt.timedelta(days=1),
        assigned_agency=world.agencies["pastors"],
    )
    services.schedule_next(series, world["police_chair"])
    response = verified_client(world["pastor"]).get(reverse("web:home"))
    assert response.status_code == 200
    page = response.content.decode()
    meetings = page[page.index('id="my-meetings"') :]
    assert "Count the people helped on Friday nights" in meetings and "Overdue" in meetings
    assert "Kettering faith action group" in meetings
    # The publican's agency sits on no series: no meetings panel worth showing, nothing of the pastors' group.
    publican = verified_client(world["publican"]).get(reverse("web:home")).content.decode()
    assert "Count the people helped" not in publican and "Kettering faith action group" not in publican


def test_an_analyst_named_on_a_meeting_action_finds_it_on_their_home(world: World) -> None:
    """Analysts get no case work panels, but an action from a meeting assigned to them is theirs all the same."""
    series = make_series(world)
    analyst = world["police_analyst"]
    services.add_action(
        series.meetings.get(),
        world["police_chair"],
        title="Map the precinct's incidents for the panel",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        assigned_agency=world.agencies["police"],
        assigned_officer=analyst,
    )
    page = verified_client(analyst).get(reverse("web:home")).content.decode()
    assert 'id="my-meetings"' in page and "Map the precinct&#x27;s incidents for the panel" in page
    assert 'id="my-actions"' not in page  # still no case actions panel
