"""A MARAC meeting: its agenda from the MARAC referrals heard that day, 15 minutes a case, each agency's actions,
the repeat-referral flag, and nothing of the case for an attendee who may not see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.assessments.engine import load_shipped
from csphub.assessments.services import complete
from csphub.cases import services as case_services
from csphub.cases.models import MaracReferral
from csphub.meetings import services
from csphub.meetings.agenda import agenda_for
from csphub.meetings.models import ItemKind, Recurrence, SeriesKind
from tests.cases.factories import make_case
from tests.factories import World, make_person
from tests.meetings.factories import make_series


def _referral(world: World, meeting_on: dt.date) -> MaracReferral:
    police = world["police_officer"]
    da: dict[str, Any] = {"caveat": Caveat.OFFICIAL_SENSITIVE, "sensitivity": Sensitivity.DOMESTIC_ABUSE}
    case = make_case(police, case_type="domestic_abuse", title="Maracheard household", **da)
    victim = make_person(police, family_name="Maracvictim", **da)
    case_services.add_person(case, victim, police, role="victim")
    complete(case, police, key="dash", person=victim, answers={q.id: "yes" for q in load_shipped("dash").questions})
    attending = [world.agencies[s] for s in ("police", "idva", "health")]
    referral = case_services.refer_to_marac(
        case,
        police,
        referred_on=meeting_on - dt.timedelta(days=7),
        person=victim,
        meeting_on=meeting_on,
        attending=attending,
    ).referral
    for agency in attending:
        case_services.add_marac_action(
            referral, police, title=f"Safety step for {agency.short_name}", due_on=meeting_on, assigned_agency=agency
        )
    return referral


def test_it_builds_a_marac_agenda_from_the_referrals_heard_that_day(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    referral = _referral(world, day)
    series = make_series(
        world,
        kind=SeriesKind.MARAC,
        recurrence=Recurrence.MONTHLY,
        name="MARAC",
        starts=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))),
    )
    meeting = series.meetings.get()

    agenda = agenda_for(meeting, world["idva_officer"])

    (row,) = agenda.rows
    assert row.item.kind == ItemKind.MARAC and row.case == referral.case
    assert row.item.minutes_allotted == 15
    assert [agency for agency, _ in row.agency_actions] == sorted(
        world.agencies[s].name for s in ("police", "idva", "health")
    )
    assert row.repeat is referral.is_repeat
    # The actions recorded with the referral are the meeting's: open ones are carried to the next MARAC.
    following = services.schedule_next(series, world["police_chair"])
    assert following.items.filter(kind=ItemKind.CARRIED_CASE_ACTION).count() == 3
    # A Street Pastor on the MARAC's membership sees the slot counted, never the case.
    pastor = agenda_for(meeting, world["pastor"])
    assert pastor.rows == [] and pastor.hidden == 1


def test_it_flags_a_repeat_referral(world: World) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    referral = _referral(world, day)
    referral.criteria = [*referral.criteria, "repeat"]
    referral.save()
    series = make_series(
        world,
        kind=SeriesKind.MARAC,
        recurrence=Recurrence.MONTHLY,
        name="MARAC",
        starts=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))),
    )
    (row,) = agenda_for(series.meetings.get(), world["police_officer"]).rows
    assert row.repeat
