"""A night-time economy for tests: Kettering town centre with three venues, the police, the council (wardens) and
the Street Pastors as NTE partners (Corby council is not one), and helpers to log shifts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from csphub.nte import services
from csphub.nte.models import (
    DesignatedArea,
    IncidentCategory,
    KnifeSweep,
    NteArea,
    NteService,
    NteVenue,
    Shift,
    VenueKind,
)
from tests.factories import World


@dataclass
class Night:
    area: NteArea
    chicken: NteVenue
    bingo: NteVenue
    rank: NteVenue


def make_night(world: World) -> Night:
    area = NteArea.objects.create(
        name="Kettering town centre",
        district=world.districts["E07000153"],
        latitude=52.3985,
        longitude=-0.7262,
        postcode="NN16 0AP",
    )
    chicken = NteVenue.objects.create(
        area=area,
        name="Dixy Chicken, Gold Street",
        kind=VenueKind.FAST_FOOD,
        postcode="NN16 8JA",
        latitude=52.39835,
        longitude=-0.72585,
    )
    bingo = NteVenue.objects.create(
        area=area,
        name="Buzz Bingo, Newland Street",
        kind=VenueKind.GAMBLING,
        postcode="NN16 8JH",
        latitude=52.39940,
        longitude=-0.72810,
    )
    rank = NteVenue.objects.create(
        area=area, name="Taxi rank, Market Place", kind=VenueKind.TAXI_RANK, latitude=52.39905, longitude=-0.72690
    )
    services.enrol_partner(world.agencies["police"], NteService.POLICE)
    services.enrol_partner(world.agencies["council"], NteService.WARDENS)
    services.enrol_partner(world.agencies["pastors"], NteService.STREET_PASTORS)
    return Night(area, chicken, bingo, rank)


def saturday(weeks_ago: int = 1, hour: int = 22) -> dt.datetime:
    today = timezone.localdate()
    day = today - dt.timedelta(days=(today.weekday() - 5) % 7 + 7 * weeks_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_shift(world: World, night: Night, username: str, *, weeks_ago: int = 1, service: str = "") -> Shift:
    user = world[username]
    start = saturday(weeks_ago)
    shift = services.log_shift(
        user,
        service=service or _service(username),
        area=night.area,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        team=f"{username} team",
        officers=3,
        notes=f"CANARY shift notes of {username}",
    )
    services.log_incident(
        shift,
        user,
        occurred_at=start + dt.timedelta(hours=2),
        category=IncidentCategory.VULNERABLE_PERSON,
        venue=night.rank,
        people_helped=1,
        referred_to=["taxi"],
        description=f"CANARY incident description of {username}",
    )
    return shift


def _service(username: str) -> str:
    if username.startswith("pastor"):
        return NteService.STREET_PASTORS
    if username.startswith("council"):
        return NteService.WARDENS
    return NteService.POLICE


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-0.729, 52.397], [-0.725, 52.397], [-0.725, 52.400], [-0.729, 52.400], [-0.729, 52.397]]],
}


def make_designation(world: World, night: Night, *, kind: str = "dispersal", hours: int = 48) -> DesignatedArea:
    start = timezone.now() - dt.timedelta(hours=1)
    return services.designate_area(
        world["police_officer"],
        kind=kind,
        name=f"Canarydispersal {kind} Market Place",
        geometry=SQUARE,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        authorised_by="Inspector Test",
        area=night.area,
    )


def make_sweep(world: World, night: Night, username: str = "police_officer") -> KnifeSweep:
    user = world[username]
    sweep = services.record_sweep(
        user,
        swept_on=timezone.localdate() - dt.timedelta(days=3),
        area=night.area,
        agencies=[world.agencies["council"]],
        venues=[night.chicken, night.bingo],
        notes="CANARY sweep notes",
    )
    services.record_find(user, sweep=sweep, weapon_type="knife", venue=night.chicken, hidden="bin")
    return sweep
