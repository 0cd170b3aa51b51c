"""Each figure of the pack equals its source's own output for the same question: the analytics engine (police.uk
and the NTE logs' partner series over the town centre), the NTE services and the meetings. The pack cannot drift
from them: it stores no figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import timezone

from csphub.analytics.store import MonthRange
from csphub.analytics.suppression import rounded_total
from csphub.audit.context import audit_context
from csphub.insights.engine import analytics
from csphub.meetings import services as meetings
from csphub.meetings.models import MeetingAction, SeriesKind, Theme
from csphub.nte import queries as nte
from csphub.nte.models import KnifeSweep, WeaponFind
from csphub.purpleflag import evidence
from csphub.purpleflag.evidence import Evidence
from tests.factories import World
from tests.meetings.factories import first_start, make_series
from tests.purpleflag.factories import make_nte, make_pack

pytestmark = pytest.mark.usefixtures("with_pf_store")

PERIOD = MonthRange(dt.date(2025, 1, 1), dt.date(2025, 6, 1))
EARLIER = MonthRange(dt.date(2024, 1, 1), dt.date(2024, 6, 1))
NTE_PERIOD = MonthRange(dt.date(2025, 3, 1), dt.date(2025, 4, 1))  # the partner months held in the period
NTE_EARLIER = MonthRange(dt.date(2024, 3, 1), dt.date(2024, 4, 1))


def _monthly(ev: Evidence, key: str) -> dict[str, int | None]:
    chart = ev.sections[key].charts[0]
    return {r["month"]: r["count"] for r in chart.rows}


def test_it_counts_night_time_crime_in_the_centre_as_the_engine_does(world: World) -> None:
    pack = make_pack(world)
    ev = evidence.build(pack, threshold=5)
    app = analytics()
    events = evidence.police_filter(pack, PERIOD)
    count = app.counts((), events).total
    change = app.change((), EARLIER, PERIOD, events).changes[0]

    assert ev.figure("police.count").value == count > 0
    assert ev.figure("police.earlier").value == change.base
    assert ev.figure("police.change").value == change.change
    assert _monthly(ev, "police_trend") == {str(m): n for (m,), n in app.counts(["month"], events).as_dict().items()}
    # The circle keeps to the centre: the district holds more.
    assert count < app.counts((), replace(events, within=None)).total


def test_it_counts_the_nte_logs_as_the_engine_holds_them(world: World) -> None:
    pack = make_pack(world)
    ev = evidence.build(pack, threshold=None)
    app = analytics()
    events = evidence.partner_filter(pack, NTE_PERIOD)
    change = app.change((), NTE_EARLIER, NTE_PERIOD, events).changes[0]

    assert ev.figure("partner.count").value == app.counts((), events).total == 10
    assert (ev.figure("partner.earlier").value, ev.figure("partner.change").value) == (change.base, change.change)
    assert _monthly(ev, "partner_trend") == {"2025-03-01": 3, "2025-04-01": 7}
    # The other partner series in the same streets (noise reports) are not night-time economy logs.
    assert app.counts((), replace(events, crime_types=())).total > 10


def test_it_suppresses_small_nte_counts_as_the_dashboards_do(world: World) -> None:
    pack = make_pack(world)
    ev = evidence.build(pack, threshold=5)

    total, rounded = rounded_total([3, 7], 5)
    assert rounded and ev.figure("partner.count").value == total
    assert ev.figure("partner.count").text == f"about {total}"
    assert ev.figure("partner.change").value is None  # a change from a hidden count would give it away
    assert _monthly(ev, "partner_trend") == {"2025-03-01": None, "2025-04-01": 7}
    # police.uk figures are published data: never suppressed
    assert ev.figure("police.count").value == evidence.build(pack, threshold=None).figure("police.count").value


def test_its_nte_figures_are_the_nte_services_own(world: World) -> None:
    area = make_nte(world)
    pack = make_pack(world, nte_area=area)
    ev = evidence.build(pack, threshold=None)
    since, until = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    coverage = nte.shift_coverage(since, until, area=area)
    finds = nte.weapon_finds(since, until, area=area)

    assert ev.figure("nte.nights_covered").value == coverage.nights_covered == 3
    assert ev.figure("nte.weekend_covered").value == coverage.friday_saturday_covered
    assert ev.figure("nte.shift_hours").value == round(sum(s.hours for s in coverage.services), 1) == 23.0
    assert ev.figure("nte.partners_active").value == len([p for p in nte.partners_active(since, until) if p.shifts])
    assert ev.figure("nte.weapon_finds").value == finds.total == 3
    assert ev.figure("nte.people_helped").value == nte.summary(since, until, area=area).people_helped == 12
    weapons = {r["place"]: r["finds"] for r in ev.sections["weapons"].charts[0].rows}
    assert weapons == dict(finds.by_place()) == {"Chicken Express": 2, "Mecca Bingo": 1}


def test_it_names_no_place_of_a_find_but_a_listed_venue(world: World) -> None:
    area = make_nte(world)
    sweep = KnifeSweep.objects.get(area=area)
    WeaponFind.objects.create(
        sweep=sweep, found_on=dt.date(2025, 4, 2), weapon_type="knife", location="behind 12 Elm Road"
    )
    ev = evidence.build(make_pack(world, nte_area=area), threshold=None)

    weapons = {r["place"]: r["finds"] for r in ev.sections["weapons"].charts[0].rows}
    assert weapons == {"Chicken Express": 2, "Mecca Bingo": 1, evidence.ELSEWHERE: 1}
    assert ev.figure("nte.weapon_finds").value == 4
    # Times come from the logs (police.uk has months only): half the incidents were after midnight.
    assert ev.figure("nte.after_midnight").value == 50.0
    hours = {r["hour"]: r["count"] for r in ev.sections["hours"].charts[0].rows}
    assert hours["23:00"] == hours["01:00"] == 3 and sum(n for n in hours.values() if n) == 6


def test_it_counts_the_nte_action_groups_actions(world: World) -> None:
    manager = world["police_manager"]
    today = timezone.localdate()
    pack = make_pack(world, first_month=today.replace(day=1) - dt.timedelta(days=200), last_month=today)
    with audit_context("test", actor=manager, reason="test"):
        group = make_series(world, kind=SeriesKind.ACTION_GROUP, starts=first_start(30), name="Town centre at night")
        objective = meetings.add_objective(group, manager, theme=Theme.NTE, title="Safer nights")
        other = make_series(world, kind=SeriesKind.ACTION_GROUP, starts=first_start(30), name="Youth")
        youth = meetings.add_objective(other, manager, theme=Theme.YOUTH, title="Youth clubs")
        made = [
            meetings.add_action(
                s.meetings.get(),
                manager,
                title=t,
                due_on=today + dt.timedelta(days=d),
                assigned_agency=world.agencies["police"],
                objective=o,
            )
            for s, o, t, d in (
                (group, objective, "Sweep", -3),
                (group, objective, "Lights", 10),
                (other, youth, "Club", 5),
            )
        ]
        assert isinstance(made[1], MeetingAction)
        meetings.update_action(made[1], manager, status="done", outcome="Lit")
    ev = evidence.build(pack, threshold=None)

    assert ev.figure("actions.agreed").value == evidence.nte_actions(pack).count() == 2
    assert ev.figure("actions.completed").value == 1
    assert (ev.figure("actions.open").value, ev.figure("actions.overdue").value) == (1, 1)
