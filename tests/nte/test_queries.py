"""The shared summary and the Purple Flag pack's figures: counts over every partner's logs, small ones hidden."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from csphub.nte import queries, services
from csphub.nte.models import DesignationKind, IncidentCategory
from tests.nte.factories import SQUARE, make_night, make_shift, make_sweep, saturday


@pytest.fixture
def night(world):
    return make_night(world)


def _nights():
    last = saturday(1).date()
    return last - dt.timedelta(days=13), last + dt.timedelta(days=1)


def test_it_counts_every_partners_shifts_and_hides_small_counts(world, night):
    for username in ("pastor", "police_officer", "council_officer"):
        make_shift(world, night, username)
    since, until = _nights()
    open_ = queries.summary(since, until)
    assert open_.shifts == 3 and open_.incidents == 3 and open_.people_helped == 3
    assert [(f.label, f.count) for f in open_.by_category] == [("Vulnerable person helped", 3)]
    hidden = queries.summary(since, until, threshold=5)
    assert [f.count for f in hidden.by_category] == [None]
    # The total over hidden counts is rounded to the threshold (the house rule), and no figure gives them away.
    assert (hidden.incidents, hidden.incidents_rounded, hidden.people_helped) == (5, True, None)
    one = queries.summary(since, until, threshold=10)
    assert one.incidents is None  # 3 rounds to 0: "fewer than 10", never "about 0"
    assert hidden.shifts == 3  # shifts are the services' own work, not about anyone


def test_it_reports_shift_coverage_by_service_and_weekend_nights(world, night):
    make_shift(world, night, "pastor")
    make_shift(world, night, "pastor", weeks_ago=2)
    make_shift(world, night, "police_officer")
    since, until = _nights()
    coverage = queries.shift_coverage(since, until)
    assert coverage.nights_in_period == 15 and coverage.nights_covered == 2
    assert coverage.friday_saturday_covered == 2
    pastors = next(s for s in coverage.services if s.service == "street_pastors")
    assert (pastors.shifts, pastors.nights, pastors.hours, pastors.officer_hours) == (2, 2, 12.0, 36.0)


def test_it_lists_the_partners_active_and_those_that_logged_nothing(world, night):
    make_shift(world, night, "pastor")
    since, until = _nights()
    active = {p.agency: p.shifts for p in queries.partners_active(since, until)}
    assert active == {"Kettering Street Pastors": 1, "Northamptonshire Police": 0, "Kettering Borough Council": 0}


def test_it_counts_weapon_finds_by_place_and_month_never_naming_a_place_described_in_words(world, night):
    make_sweep(world, night)
    shift = make_shift(world, night, "police_officer")
    incident = services.log_incident(
        shift,
        world["police_officer"],
        occurred_at=shift.starts_at + dt.timedelta(hours=1),
        category=IncidentCategory.WEAPON_FOUND,
        venue=night.bingo,
    )
    services.record_find(world["police_officer"], incident=incident, weapon_type="blade", hidden="planter")
    other = make_sweep(world, night)
    services.record_find(world["police_officer"], sweep=other, weapon_type="knife", location="Behind 4 Private Road")
    finds = queries.weapon_finds(dt.date.today() - dt.timedelta(days=30), dt.date.today())
    assert finds.total == 4
    assert dict(finds.by_place()) == {
        "Dixy Chicken, Gold Street": 2,
        "Buzz Bingo, Newland Street": 1,
        queries.NOT_AT_A_VENUE: 1,
    }
    assert "Private Road" not in repr(finds)


def test_it_refuses_a_dispersal_order_longer_than_48_hours(world, night):
    start = saturday(0)
    with pytest.raises(ValidationError, match="48 hours"):
        services.designate_area(
            world["police_officer"],
            kind=DesignationKind.DISPERSAL,
            name="Too long",
            geometry=SQUARE,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=49),
            authorised_by="Inspector",
        )
    with pytest.raises(ValidationError, match="3 years"):
        services.designate_area(
            world["council_officer"],
            kind=DesignationKind.PSPO,
            name="Too long",
            geometry=SQUARE,
            starts_at=start,
            ends_at=start + dt.timedelta(days=3 * 366),
            authorised_by="Council",
        )
