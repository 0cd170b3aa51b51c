import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from csphub.access.vocabulary import Verb
from csphub.nte import services
from csphub.nte.models import IncidentCategory, NteService, Shift
from tests.nte.factories import make_night, make_shift, saturday


def test_it_shows_each_agency_only_its_own_shifts(world):
    night = make_night(world)
    pastors = make_shift(world, night, "pastor")
    police = make_shift(world, night, "police_officer")
    wardens = make_shift(world, night, "council_officer")
    assert set(Shift.objects.visible_to(world["pastor"])) == {pastors}
    assert set(Shift.objects.visible_to(world["pastor2"])) == {pastors}
    assert set(Shift.objects.visible_to(world["police_officer"])) == {police}
    assert set(Shift.objects.visible_to(world["council_manager"])) == {wardens}
    assert not Shift.objects.visible_to(world["fire_officer"]).exists()


def test_it_lets_only_the_logger_of_a_community_agency_add_to_its_shift(world):
    night = make_night(world)
    shift = make_shift(world, night, "pastor")
    assert Shift.objects.visible_to(world["pastor"], Verb.CREATE).filter(pk=shift.pk).exists()
    assert not Shift.objects.visible_to(world["pastor2"], Verb.CREATE).filter(pk=shift.pk).exists()
    with pytest.raises(PermissionDenied):
        services.log_incident(shift, world["pastor2"], occurred_at=shift.starts_at, category=IncidentCategory.FIRST_AID)


def test_it_refuses_a_shift_from_an_agency_that_is_no_nte_partner(world):
    night = make_night(world)
    start = saturday()
    with pytest.raises(PermissionDenied):
        services.log_shift(
            world["corby_officer"],
            service=NteService.WARDENS,
            area=night.area,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
        )
    with pytest.raises(PermissionDenied):  # a read-only role of a partner agency
        services.log_shift(
            world["police_analyst"],
            service=NteService.POLICE,
            area=night.area,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
        )


def test_it_refuses_an_incident_outside_the_shift(world):
    night = make_night(world)
    shift = make_shift(world, night, "police_officer")
    with pytest.raises(ValidationError):
        services.log_incident(
            shift,
            world["police_officer"],
            occurred_at=shift.ends_at + dt.timedelta(hours=3),
            category=IncidentCategory.VIOLENCE,
        )
