"""Purple Flag packs and NTE logs for tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from csphub.audit.context import audit_context
from csphub.nte.models import (
    Incident,
    IncidentCategory,
    KnifeSweep,
    NteArea,
    NtePartner,
    NteService,
    NteVenue,
    Shift,
    VenueKind,
    WeaponFind,
    WeaponType,
)
from csphub.purpleflag import services
from csphub.purpleflag.models import EvidencePack
from tests.factories import World
from tests.purpleflag.store import CENTRE


def make_pack(world: World, **changes: Any) -> EvidencePack:
    """Kettering town centre, January to June 2025: owned by the police with the fire service a party, written
    with Corby Pubwatch (a business member, standing in for the town-centre partnership)."""
    officer = world["police_officer"]
    kwargs: dict[str, Any] = {
        "title": "Kettering town centre 2025",
        "town_centre": "Kettering town centre",
        "district_code": "E07000153",
        "centre": CENTRE,
        "first_month": dt.date(2025, 1, 1),
        "last_month": dt.date(2025, 6, 1),
        "town_centre_agency": world.agencies["pubwatch"],
        "parties": [world.agencies["fire"]],
        **changes,
    }
    with audit_context("test", actor=officer, reason="test pack"):
        return services.create_pack(officer, **kwargs)


def make_nte(world: World) -> NteArea:
    """A few nights of NTE logs in Kettering town centre in 2025: two services' shifts, incidents and finds."""
    area = NteArea.objects.create(name="Kettering town centre", latitude=CENTRE[0], longitude=CENTRE[1])
    bingo = NteVenue.objects.create(
        area=area, name="Mecca Bingo", kind=VenueKind.GAMBLING, latitude=52.399, longitude=-0.727
    )
    chicken = NteVenue.objects.create(
        area=area, name="Chicken Express", kind=VenueKind.FAST_FOOD, latitude=52.398, longitude=-0.726
    )
    NtePartner.objects.create(agency=world.agencies["pastors"], service=NteService.STREET_PASTORS)
    NtePartner.objects.create(agency=world.agencies["council"], service=NteService.WARDENS)
    tz = timezone.get_current_timezone()  # local times: the hour of the night is local
    for night in (dt.date(2025, 3, 7), dt.date(2025, 3, 8), dt.date(2025, 4, 4)):
        start = dt.datetime.combine(night, dt.time(21), tzinfo=tz)
        shift = Shift.objects.create(
            owning_agency=world.agencies["pastors"],
            service=NteService.STREET_PASTORS,
            area=area,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
            officers=3,
        )
        for hour in (23, 1):
            at = dt.datetime.combine(night if hour > 12 else night + dt.timedelta(days=1), dt.time(hour), tzinfo=tz)
            Incident.objects.create(
                shift=shift, occurred_at=at, category=IncidentCategory.VULNERABLE_PERSON, venue=bingo, people_helped=2
            )
    start = dt.datetime.combine(dt.date(2025, 3, 8), dt.time(20), tzinfo=tz)
    Shift.objects.create(
        owning_agency=world.agencies["council"],
        service=NteService.WARDENS,
        area=area,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=5),
        officers=2,
    )
    sweep = KnifeSweep.objects.create(owning_agency=world.agencies["police"], swept_on=dt.date(2025, 4, 2), area=area)
    for venue in (bingo, chicken, chicken):
        WeaponFind.objects.create(sweep=sweep, found_on=dt.date(2025, 4, 2), weapon_type=WeaponType.KNIFE, venue=venue)
    return area
