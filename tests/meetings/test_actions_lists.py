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
