"""Meetings for tests: a six-weekly panel of the police, Kettering council, the fire service and the Street
Pastors, with an agenda holding a police-only case and a police domestic-abuse case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.cases.models import Case
from csphub.meetings import services
from csphub.meetings.models import Meeting, MeetingSeries, MemberRole, Recurrence, SeriesKind
from tests.cases.factories import make_case
from tests.factories import World


def first_start(days_ago: int = 50) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def make_series(
    world: World,
    *,
    kind: str = SeriesKind.PANEL,
    recurrence: str = Recurrence.SIX_WEEKLY,
    starts: dt.datetime | None = None,
    name: str = "Kettering ASB risk panel",
) -> MeetingSeries:
    agencies = world.agencies
    return services.create_series(
        world["police_manager"],
        name=name,
        kind=kind,
        recurrence_rule=recurrence,
        first_starts_at=starts or first_start(),
        members=[
            (agencies["police"], MemberRole.CHAIR),
            (agencies["council"], MemberRole.SECRETARIAT),
            (agencies["fire"], MemberRole.MEMBER),
            (agencies["pastors"], MemberRole.MEMBER),
        ],
        location="Kettering Council Offices",
        minutes_per_case=15 if kind == SeriesKind.MARAC else 10,
        chair=world["police_chair"],
        secretariat=world["council_officer"],
    )


@dataclass
class Panel:
    series: MeetingSeries
    meeting: Meeting
    police_only: Case
    domestic: Case


def make_panel(world: World) -> Panel:
    """The first meeting's agenda: a police-only ASB case and a police domestic-abuse case, referred by the police."""
    series = make_series(world)
    meeting = series.meetings.get()
    police = world["police_officer"]
    police_only = make_case(police, title="Policeonly gang nuisance at the precinct")
    domestic = make_case(
        police,
        case_type="domestic_abuse",
        title="Domesticpanel household",
        caveat=Caveat.OFFICIAL_SENSITIVE,
        sensitivity=Sensitivity.DOMESTIC_ABUSE,
    )
    services.add_business(meeting, world["police_chair"], title="Minutes of the last meeting", minutes=5)
    services.refer(meeting, police, police_only)
    services.refer(meeting, police, domestic)
    return Panel(series, meeting, police_only, domestic)
