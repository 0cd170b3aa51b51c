"""Meetings: the series' pattern, carrying open actions over, decisions on the case's timeline, progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csphub.cases.kinds import EntryKind
from csphub.cases.models import Action
from csphub.meetings import services
from csphub.meetings.models import ItemKind, MeetingAction, Rating, Recurrence, SeriesKind, Theme
from tests.factories import World
from tests.meetings.factories import first_start, make_panel, make_series


def test_it_schedules_a_six_weekly_series_next_meeting_with_the_open_actions_carried_over(world: World) -> None:
    panel = make_panel(world)
    chair, police = world["police_chair"], world["police_officer"]
    first = panel.meeting
    today = timezone.localdate()
    overdue = services.add_action(
        first,
        chair,
        title="Write to the precinct's landlord",
        due_on=today - dt.timedelta(days=3),
        assigned_agency=world.agencies["council"],
    )
    done = services.add_action(
        first, chair, title="Circulate the terms of reference", due_on=today, assigned_agency=world.agencies["police"]
    )
    assert isinstance(done, MeetingAction)
    services.update_action(done, chair, status="done", outcome="Sent to every member.")
    case_action = services.add_action(
        first,
        police,
        title="Patrol the precinct on Friday nights",
        due_on=today + dt.timedelta(days=7),
        assigned_agency=world.agencies["police"],
        case=panel.police_only,
    )
    assert isinstance(case_action, Action) and case_action.case == panel.police_only

    second = services.schedule_next(panel.series, chair)

    # Six weeks on, at the same wall-clock time (across a change of the clocks, if one falls between).
    assert second.local_date == first.local_date + dt.timedelta(weeks=6)
    assert timezone.localtime(second.starts_at).time() == dt.time(10, 0)
    carried = list(second.items.order_by("position"))
    assert [(i.kind, i.meeting_action_id or i.case_action_id) for i in carried] == [
        (ItemKind.CARRIED_ACTION, overdue.pk),
        (ItemKind.CARRIED_CASE_ACTION, case_action.pk),
    ]
    # Once each: scheduling again makes the next one, which carries the same open actions, not the done one.
    third = services.schedule_next(panel.series, chair)
    assert third.local_date == second.local_date + dt.timedelta(weeks=6)
    assert {i.meeting_action_id for i in third.items.exclude(meeting_action=None)} == {overdue.pk}


def test_it_keeps_a_monthly_series_on_the_same_weekday_of_the_month(world: World) -> None:
    # The second Tuesday of January 2026 (the 13th): then the second Tuesdays of February and March.
    start = timezone.make_aware(dt.datetime(2026, 1, 13, 10, 0))
    series = make_series(world, kind=SeriesKind.MARAC, recurrence=Recurrence.MONTHLY, starts=start, name="MARAC")
    feb = services.schedule_next(series, world["police_chair"])
    mar = services.schedule_next(series, world["police_chair"])
    assert [timezone.localtime(m.starts_at).date() for m in (feb, mar)] == [dt.date(2026, 2, 10), dt.date(2026, 3, 10)]
    # 10:00 in winter and after the clocks go forward (29 March 2026): wall-clock time is kept.
    apr = services.schedule_next(series, world["police_chair"])
    assert timezone.localtime(apr.starts_at).time() == dt.time(10, 0)


def test_it_asks_an_ad_hoc_series_when(world: World) -> None:
    series = make_series(world, recurrence=Recurrence.AD_HOC)
    with pytest.raises(ValidationError):
        services.schedule_next(series, world["police_chair"])
    when = first_start(-10)
    assert services.schedule_next(series, world["police_chair"], starts_at=when).starts_at == when


def test_it_refuses_a_marac_outside_12_to_15_minutes_a_case(world: World) -> None:
    series = make_series(world, kind=SeriesKind.MARAC, recurrence=Recurrence.MONTHLY)
    series.minutes_per_case = 20
    with pytest.raises(ValidationError):
        series.full_clean()


def test_it_puts_a_decision_on_the_case_timeline(world: World) -> None:
    panel = make_panel(world)
    decision = services.record_decision(
        panel.meeting, world["police_chair"], case=panel.police_only, text="Apply for a closure order on the flat."
    )
    entry = panel.police_only.timeline.get(kind=EntryKind.DECISION)
    assert decision.timeline_entry == entry
    assert entry.body == "Apply for a closure order on the flat."
    assert "Kettering ASB risk panel" in entry.title


def test_it_refuses_a_decision_on_a_case_not_on_the_agenda(world: World) -> None:
    panel = make_panel(world)
    from tests.cases.factories import make_case

    other = make_case(world["police_officer"], title="Not on the agenda")
    with pytest.raises(ValidationError):
        services.record_decision(panel.meeting, world["police_chair"], case=other, text="Some decision here")


def test_it_refuses_a_decision_from_someone_who_may_not_change_the_case(world: World) -> None:
    panel = make_panel(world)
    with pytest.raises(PermissionDenied):
        services.record_decision(panel.meeting, world["pastor"], case=panel.police_only, text="Close the case now")


def test_it_lets_the_groups_partners_report_progress_and_nobody_else(world: World) -> None:
    series = make_series(world, name="Faith action group")
    objective = services.add_objective(series, world["police_manager"], theme=Theme.YOUTH, title="Youth club")
    report = services.report_progress(
        objective, world["pastor"], rating=Rating.ON_TRACK, text="Friday drop-in opened", people_reached=30
    )
    assert report.agency == world.agencies["pastors"]
    with pytest.raises(PermissionDenied):
        services.report_progress(objective, world["publican"], rating=Rating.ON_TRACK, text="Not a member")


def test_it_lets_community_members_read_the_series_but_not_run_it(world: World) -> None:
    from csphub.meetings.models import MeetingSeries

    series = make_series(world)
    assert MeetingSeries.objects.visible_to(world["pastor"]).filter(pk=series.pk).exists()
    assert not MeetingSeries.objects.visible_to(world["publican"]).filter(pk=series.pk).exists()
    assert not MeetingSeries.objects.visible_to(world["corby_officer"]).filter(pk=series.pk).exists()
    with pytest.raises(PermissionDenied):
        services.schedule_next(series, world["pastor"])
