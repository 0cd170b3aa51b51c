"""The meeting pages' forms: setting up a series, adding an objective, scheduling, minutes."""

from __future__ import annotations

from django.urls import reverse

from csphub.meetings.models import MeetingSeries
from tests.factories import World, verified_client
from tests.meetings.factories import make_panel, make_series


def test_it_sets_up_a_series_owned_and_chaired_by_the_users_agency(world: World) -> None:
    client = verified_client(world["police_officer"])
    response = client.post(
        reverse("meetings:create"),
        {
            "name": "Corby ASB risk panel",
            "kind": "panel",
            "recurrence": "monthly",
            "first_day": "2026-12-15",
            "first_time": "14:00",
            "duration_minutes": "120",
            "location": "Corby Cube",
            "minutes_per_case": "10",
            "members": [world.agencies["corby"].pk, world.agencies["pastors"].pk],
            "secretariat_agency": world.agencies["corby"].pk,
        },
    )
    series = MeetingSeries.objects.get(name="Corby ASB risk panel")
    assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
    assert series.owning_agency == world.agencies["police"]
    roles = {m.agency.short_name: m.role for m in series.members.all()}
    assert roles == {"police": "chair", "corby": "secretariat", "pastors": "member"}
    assert series.meetings.count() == 1


def test_it_refuses_volunteers_setting_up_a_series(world: World) -> None:
    assert verified_client(world["pastor"]).get(reverse("meetings:create")).status_code == 403


def test_it_adds_an_objective_and_a_partner_reports_progress_on_the_groups_page(world: World) -> None:
    series = make_series(world, name="Faith action group")
    verified_client(world["police_manager"]).post(
        reverse("meetings:add-objective", args=[series.uuid]),
        {"theme": "youth", "title": "Friday youth club", "lead_agency": world.agencies["pastors"].pk},
    )
    objective = series.objectives.get()
    pastor = verified_client(world["pastor"])
    response = pastor.post(
        reverse("meetings:progress", args=[series.uuid]),
        {"objective": objective.pk, "rating": "on_track", "text": "Drop-in opened on Fridays", "people_reached": "25"},
    )
    assert response.status_code == 302
    page = pastor.get(series.get_absolute_url()).content.decode()
    assert "Friday youth club" in page and "Drop-in opened on Fridays" in page and "25 people reached" in page


def test_it_schedules_the_next_meeting_and_records_the_minutes(world: World) -> None:
    panel = make_panel(world)
    chair = verified_client(world["police_chair"])
    response = chair.post(reverse("meetings:schedule-next", args=[panel.series.uuid]))
    assert response.status_code == 302
    assert panel.series.meetings.count() == 2
    response = chair.post(
        reverse("meetings:minutes", args=[panel.meeting.uuid]),
        {"minutes": "Quorate.", "present": [world.agencies["police"].pk, world.agencies["pastors"].pk]},
    )
    assert response.status_code == 302
    panel.meeting.refresh_from_db()
    assert panel.meeting.status == "held"
    present = {a.agency.short_name: a.present for a in panel.meeting.attendance.all()}
    assert present == {"police": True, "pastors": True, "council": False, "fire": False}


def test_it_refers_a_case_by_its_reference(world: World) -> None:
    from tests.cases.factories import make_case

    panel = make_panel(world)
    case = make_case(world["police_officer"], title="Referred by reference")
    response = verified_client(world["police_officer"]).post(
        reverse("meetings:refer", args=[panel.meeting.uuid]), {"reference": case.reference.lower()}
    )
    assert response.status_code == 302
    assert panel.meeting.items.filter(case=case).exists()
