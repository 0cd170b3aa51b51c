"""Cancelling a meeting (with the reason, in the audit log; its open items and actions go to the next meeting; its
invitation becomes a cancellation) and moving one (its invitation's sequence goes up)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from csphub.audit.models import AuditEntry, Operation
from csphub.meetings import services
from csphub.meetings.models import ItemKind, Meeting, MeetingAction
from tests.cases.factories import make_case
from tests.factories import World, verified_client
from tests.meetings.factories import first_start, make_series

REASON = "Not quorate: the chair and the secretariat are both at the county conference"


def _series_with_three(world: World) -> tuple[Meeting, Meeting, Meeting, MeetingAction]:
    """A six-weekly panel: the first meeting held 20 days ago with an open action, the next two scheduled, and a case
    and an item of business on the second's agenda."""
    series = make_series(world, starts=first_start(20))
    first = series.meetings.get()
    chair = world["police_chair"]
    action = services.add_action(
        first,
        chair,
        title="Write to the landlord",
        due_on=timezone.localdate() - dt.timedelta(days=2),
        assigned_agency=world.agencies["council"],
    )
    assert isinstance(action, MeetingAction)
    services.record_minutes(first, chair, minutes="Quorate.", present=[world.agencies["police"]])
    second = services.schedule_next(series, chair)
    third = services.schedule_next(series, chair)
    services.add_business(second, chair, title="Terms of reference", minutes=5)
    services.refer(second, world["police_officer"], make_case(world["police_officer"], title="Precinct gang"))
    return first, second, third, action


def _kinds(meeting: Meeting) -> list[str]:
    return [i.kind for i in meeting.items.order_by("position")]


def test_a_cancelled_meetings_open_items_and_actions_go_to_the_next_meeting_once(world: World) -> None:
    _first, second, third, action = _series_with_three(world)
    assert _kinds(third) == [ItemKind.CARRIED_ACTION]  # the open action, carried when the third was scheduled

    services.cancel(second, world["police_chair"], reason=REASON)

    second.refresh_from_db()
    assert second.is_cancelled and second.cancellation_reason == REASON and second.sequence == 1
    carried = list(third.items.order_by("position"))
    assert [i.kind for i in carried] == [ItemKind.CARRIED_ACTION, ItemKind.BUSINESS, ItemKind.CASE]
    assert carried[0].meeting_action == action  # not doubled
    origin, case = carried[1].carried_from, carried[2].case
    assert carried[1].title == "Terms of reference" and origin is not None and origin.meeting == second
    assert case is not None and case.title == "Precinct gang"
    # Once each: the next meeting scheduled does not take them again (only the action still open).
    fourth = services.schedule_next(third.series, world["police_chair"])
    assert _kinds(fourth) == [ItemKind.CARRIED_ACTION]


def test_a_meeting_cancelled_with_none_after_it_hands_its_items_to_the_next_one_scheduled(world: World) -> None:
    series = make_series(world, starts=first_start(-3))
    only = series.meetings.get()
    case = make_case(world["police_officer"], title="Shop doorway drinking")
    services.refer(only, world["police_officer"], case)
    services.cancel(only, world["police_chair"], reason=REASON)
    following = services.schedule_next(series, world["police_chair"])
    assert following.local_date == only.local_date + dt.timedelta(weeks=6)
    assert [(i.kind, i.case_id) for i in following.items.all()] == [(ItemKind.CASE, case.pk)]


def test_it_writes_the_cancellation_and_its_reason_to_the_audit_log(world: World) -> None:
    series = make_series(world, starts=first_start(-3))
    meeting = series.meetings.get()
    services.cancel(meeting, world["police_chair"], reason=REASON)
    changes = AuditEntry.objects.filter(record_id=str(series.uuid), action=Operation.ALTERATION)
    assert any((e.after or {}).get("cancellation_reason") == REASON for e in changes)


def test_it_refuses_a_cancellation_without_a_reason_or_of_a_meeting_held(world: World) -> None:
    _first, second, _third, _action = _series_with_three(world)
    with pytest.raises(ValidationError):
        services.cancel(second, world["police_chair"], reason=" ")
    with pytest.raises(ValidationError):
        services.cancel(_first, world["police_chair"], reason=REASON)


def _ics(world: World, meeting: Meeting, username: str = "pastor") -> Calendar:
    response = verified_client(world[username]).get(reverse("meetings:invite", args=[meeting.uuid]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def test_the_invitation_of_a_cancelled_meeting_is_a_cancellation(world: World) -> None:
    series = make_series(world, starts=first_start(-3))
    meeting = series.meetings.get()
    before = _ics(world, meeting)
    assert before["METHOD"] == "PUBLISH" and before.walk("VEVENT")[0]["STATUS"] == "CONFIRMED"
    services.cancel(meeting, world["police_chair"], reason=REASON)
    after = _ics(world, meeting)
    event = after.walk("VEVENT")[0]
    assert after["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["UID"] == before.walk("VEVENT")[0]["UID"] and event["SEQUENCE"] == 1
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert REASON not in after.to_ical().decode()  # the reason stays on the meeting's page


def test_the_chair_cancels_from_the_page_and_a_member_reads_why(world: World) -> None:
    series = make_series(world, starts=first_start(-3))
    meeting = series.meetings.get()
    chair = verified_client(world["police_chair"])
    assert reverse("meetings:cancel", args=[meeting.uuid]) in chair.get(meeting.get_absolute_url()).content.decode()
    refused = chair.post(reverse("meetings:cancel", args=[meeting.uuid]), {"reason": ""})
    assert refused.status_code == 200 and "Say why the meeting is cancelled" in refused.content.decode()
    response = chair.post(reverse("meetings:cancel", args=[meeting.uuid]), {"reason": REASON})
    assert response.status_code == 302
    page = verified_client(world["pastor"]).get(meeting.get_absolute_url()).content.decode()
    assert "This meeting was cancelled" in page and REASON in page
    assert reverse("meetings:cancel", args=[meeting.uuid]) not in chair.get(meeting.get_absolute_url()).content.decode()


def test_it_moves_a_meeting_between_its_neighbours_and_calendars_follow(world: World) -> None:
    _first, second, third, _action = _series_with_three(world)
    chair = world["police_chair"]
    later = second.starts_at + dt.timedelta(days=1, hours=4)
    client = verified_client(chair)
    local = timezone.localtime(later)
    response = client.post(
        reverse("meetings:reschedule", args=[second.uuid]),
        {"day": local.date().isoformat(), "time": f"{local:%H:%M}"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    second.refresh_from_db()
    assert second.starts_at == later and second.sequence == 1
    event = _ics(world, second).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == timezone.localtime(later) and event["SEQUENCE"] == 1
    with pytest.raises(ValidationError, match="before the meeting of"):
        services.reschedule(second, chair, starts_at=third.starts_at + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="future"):
        services.reschedule(second, chair, starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="already meets"):
        services.reschedule(second, chair, starts_at=third.starts_at)


def test_nothing_is_referred_to_a_cancelled_meeting(world: World) -> None:
    series = make_series(world, starts=first_start(-3))
    meeting = series.meetings.get()
    services.cancel(meeting, world["police_chair"], reason=REASON)
    with pytest.raises(ValidationError, match="cancelled"):
        services.refer(meeting, world["police_officer"], make_case(world["police_officer"]))
    page = verified_client(world["police_chair"]).get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:refer", args=[meeting.uuid]) not in page
