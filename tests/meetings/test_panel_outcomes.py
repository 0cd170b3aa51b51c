"""Decisions and actions about a cuckooing panel record on a meeting's agenda: the chair records them from the
meeting's forms, they appear on the record's page for those the policy lets see the record (the others see neither
the page nor the outcome by name), and the record's page offers "Refer to a meeting"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from csphub.cuckooing import services as cuckooing
from csphub.cuckooing.models import VulnerabilityRecord
from csphub.meetings import queries, services
from csphub.meetings.models import Meeting, MeetingAction, MeetingDecision, SeriesKind
from tests.cuckooing.factories import seat
from tests.cuckooing.test_panel import _open
from tests.factories import World, make_place, verified_client
from tests.meetings.factories import first_start, make_series


def _panel(world: World) -> tuple[Meeting, VulnerabilityRecord]:
    """A cuckooing panel meeting next week with one record on its agenda; the Street Pastor sits on the panel (the
    records are shared with him), the fire service and the council's officer do not."""
    seat(world["pastor"])
    series = make_series(world, kind=SeriesKind.CUCKOOING, starts=first_start(-7), name="Kettering cuckooing panel")
    meeting = series.meetings.get()
    officer = world["police_officer"]
    place = make_place(officer, address="3 Rockingham Road, Kettering", postcode="NN16 8JX")
    record = cuckooing.add_to_register(officer, premises=place, summary="Short visits at night")
    services.refer(meeting, officer, record)
    return meeting, record


def test_the_chair_records_a_decision_about_a_panel_record_shown_on_its_page(world: World) -> None:
    meeting, record = _panel(world)
    chair = verified_client(world["police_chair"])
    url = reverse("meetings:decide", args=[meeting.uuid])
    form = chair.get(url).content.decode()
    assert record.reference in form and 'name="vulnerability_record"' in form

    response = chair.post(url, {"vulnerability_record": str(record.uuid), "text": "Offer a tenancy support visit"})

    assert response.status_code == 302
    decision = MeetingDecision.objects.get()
    assert decision.vulnerability_record == record and decision.case is None
    for username in ("police_officer", "pastor"):
        page = _open(verified_client(world[username]), record.get_absolute_url())
        assert "Offer a tenancy support visit" in page and "Kettering cuckooing panel" in page
    assert verified_client(world["fire_partner"]).get(record.get_absolute_url()).status_code == 404
    fire_meeting = verified_client(world["fire_partner"]).get(meeting.get_absolute_url()).content.decode()
    assert "Offer a tenancy support visit" not in fire_meeting and record.reference not in fire_meeting
    assert "1 decision about records your agency may not see" in fire_meeting


def test_the_chair_assigns_an_action_about_a_panel_record_to_an_agency(world: World) -> None:
    meeting, record = _panel(world)
    due = timezone.localdate() + dt.timedelta(days=14)
    response = verified_client(world["police_chair"]).post(
        reverse("meetings:add-action", args=[meeting.uuid]),
        {
            "vulnerability_record": str(record.uuid),
            "title": "Visit with the tenancy officer",
            "assigned_agency": world.agencies["pastors"].pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    action = MeetingAction.objects.get()
    assert action.vulnerability_record == record and action.assigned_agency == world.agencies["pastors"]
    page = _open(verified_client(world["pastor"]), record.get_absolute_url())
    assert "Visit with the tenancy officer" in page and world.agencies["pastors"].name in page
    listed = queries.meeting_action_items(world["pastor"], False, False, timezone.localdate())  # his agency's list
    assert [row.title for row in listed] == ["Visit with the tenancy officer"]
    assert not queries.meeting_action_items(world["fire_partner"], False, False, timezone.localdate())
    fire_meeting = verified_client(world["fire_partner"]).get(meeting.get_absolute_url()).content.decode()
    assert "Visit with the tenancy officer" not in fire_meeting
    assert verified_client(world["fire_partner"]).get(action.get_absolute_url()).status_code == 404


def test_only_the_chair_decides_about_a_record_on_the_agenda(world: World) -> None:
    meeting, record = _panel(world)
    officer = world["police_officer"]
    other = cuckooing.add_to_register(officer, premises=make_place(officer, address="9 Elsewhere Road, Corby"))
    with pytest.raises(ValidationError):
        services.record_decision(meeting, world["police_chair"], vulnerability_record=other, text="Close it now")
    with pytest.raises(PermissionDenied):
        services.record_decision(meeting, world["pastor"], vulnerability_record=record, text="Close it now")
    with pytest.raises(ValidationError):
        services.add_action(
            meeting,
            world["police_chair"],
            title="Visit",
            due_on=timezone.localdate(),
            assigned_agency=world.agencies["police"],
            vulnerability_record=other,
        )
    assert not MeetingDecision.objects.exists() and not MeetingAction.objects.exists()


def test_the_record_page_offers_to_refer_it_to_a_panel_meeting(world: World) -> None:
    meeting, _ = _panel(world)
    officer = world["police_officer"]
    record = cuckooing.add_to_register(officer, premises=make_place(officer, address="5 Gold Street, Kettering"))
    url = reverse("meetings:refer-cuckooing", args=[record.uuid])
    client = verified_client(officer)
    assert url in _open(client, record.get_absolute_url())

    response = client.post(url, {"meeting": meeting.pk})

    assert response.status_code == 302
    assert meeting.items.filter(vulnerability_record=record).exists()
    assert url not in _open(client, record.get_absolute_url())  # no meeting left to refer it to
