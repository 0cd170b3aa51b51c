"""The demo's night-time economy: Kettering town centre with a year of shift logs by the Street Pastors, the
council's wardens and CCTV control room, the police and the taxi marshals; monthly knife sweeps whose finds
cluster at a fast-food restaurant on Gold Street and a bingo hall on Newland Street; a dispersal order in force
and the town-centre PSPO.

Venues are invented names on real streets, located at real postcodes of the shipped Code-Point Open extract.
Each night's logs come from a random generator seeded by the night's date, so a re-run adds only the nights that
are new (by stable UUIDs) and the same night is always the same. Shifts and incidents are bulk-inserted (about
600 shifts and 2,000 incidents: the services would take minutes), then every agency's months are published to the
analytics store through the partner ingest path (``csphub.nte.publishing``), as logging them one by one would.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone

from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.nte import publishing, services
from csphub.nte.models import (
    DesignatedArea,
    DesignationKind,
    HidingPlace,
    Incident,
    IncidentCategory,
    KnifeSweep,
    NteArea,
    NteService,
    NteVenue,
    Shift,
    VenueKind,
    WeaponFind,
    WeaponType,
)
from csphub.partnership.models import Agency, User

logger = logging.getLogger(__name__)

NAMESPACE = uuid.UUID("8c1f6a52-3d4e-4b7a-9f10-2026120700e7")
DAYS = 365
C = IncidentCategory


@dataclass(frozen=True)
class VenueSpec:
    key: str
    name: str
    kind: str
    postcode: str
    latitude: float
    longitude: float
    address: str


VENUES: tuple[VenueSpec, ...] = (
    VenueSpec("chicken", "Golden Fried Chicken", VenueKind.FAST_FOOD, "NN16 0AX", 52.397898, -0.727543, "Gold Street"),
    VenueSpec("bingo", "Newland Bingo Hall", VenueKind.GAMBLING, "NN16 0DE", 52.400206, -0.726536, "Newland Street"),
    VenueSpec("tavern", "The Market Tavern", VenueKind.PUB, "NN16 0AH", 52.398262, -0.727165, "Market Place"),
    VenueSpec("club", "Club Silhouette", VenueKind.NIGHTCLUB, "NN16 0BE", 52.398946, -0.727189, "Silver Street"),
    VenueSpec(
        "rank", "Market Street taxi rank", VenueKind.TAXI_RANK, "NN16 0DJ", 52.398126, -0.726243, "Market Street"
    ),
    VenueSpec("bus", "Kettering bus station", VenueKind.TRANSPORT, "NN16 0DR", 52.399204, -0.726991, "Newland Street"),
    VenueSpec("arms", "The Sheep Street Arms", VenueKind.PUB, "NN16 0AQ", 52.397016, -0.727524, "Sheep Street"),
    VenueSpec("car-park", "Horsemarket car park", VenueKind.CAR_PARK, "NN16 0DU", 52.397547, -0.726759, "Horsemarket"),
    VenueSpec("kebab", "High Street Kebab House", VenueKind.FAST_FOOD, "NN16 0DD", 52.397792, -0.723563, "High Street"),
)


@dataclass(frozen=True)
class Rota:
    """One service's nights (weekday numbers: Monday 0), hours and what its shifts log."""

    service: str
    agency: str
    loggers: tuple[str, ...]
    weekdays: tuple[int, ...]
    starts: tuple[int, int]
    hours: float
    team: tuple[int, int]  # people on shift, at least and at most
    incidents: float  # mean a shift
    categories: tuple[tuple[str, int], ...]  # weights
    referrals: tuple[tuple[str, int], ...]


ROTAS: tuple[Rota, ...] = (
    Rota(
        NteService.STREET_PASTORS,
        "street-pastors",
        ("sp.volunteer", "sp.coordinator"),
        (4, 5),
        (22, 0),
        5,
        (4, 7),
        4.2,
        (
            (C.VULNERABLE_PERSON, 30),
            (C.BOTTLES_REMOVED, 20),
            (C.INTOXICATION, 15),
            (C.TRANSPORT_HOME, 12),
            (C.FIRST_AID, 8),
            (C.MISSING_FRIEND, 6),
            (C.ROUGH_SLEEPING, 5),
            (C.MENTAL_HEALTH, 3),
            (C.LOST_PROPERTY, 4),
        ),
        (("taxi", 20), ("family", 15), ("safe_space", 10), ("ambulance", 4), ("police", 4), ("homeless_outreach", 3)),
    ),
    Rota(
        NteService.WARDENS,
        "kettering-bc",
        ("kbc.warden",),
        (3, 4, 5),
        (19, 0),
        6,
        (2, 3),
        2.4,
        (
            (C.ASB, 30),
            (C.INTOXICATION, 15),
            (C.CRIMINAL_DAMAGE, 8),
            (C.ROUGH_SLEEPING, 10),
            (C.VULNERABLE_PERSON, 10),
            (C.DRUGS_FOUND, 5),
            (C.LOST_PROPERTY, 5),
        ),
        (("police", 10), ("homeless_outreach", 8), ("street_pastors", 6), ("council", 4)),
    ),
    Rota(
        NteService.CCTV,
        "kettering-bc",
        ("kbc.cctv",),
        (3, 4, 5),
        (20, 0),
        8,
        (1, 2),
        3.0,
        (
            (C.VIOLENCE, 25),
            (C.ASB, 25),
            (C.VULNERABLE_PERSON, 15),
            (C.INTOXICATION, 15),
            (C.CRIMINAL_DAMAGE, 8),
            (C.SEXUAL_HARASSMENT, 5),
            (C.MISSING_FRIEND, 4),
        ),
        (("police", 30), ("street_pastors", 10), ("ambulance", 5), ("venue", 8)),
    ),
    Rota(
        NteService.POLICE,
        "police",
        ("pc.hughes",),
        (4, 5),
        (21, 0),
        8,
        (2, 6),
        3.4,
        (
            (C.VIOLENCE, 30),
            (C.ASB, 20),
            (C.INTOXICATION, 15),
            (C.SEXUAL_HARASSMENT, 6),
            (C.SPIKING, 3),
            (C.DRUGS_FOUND, 8),
            (C.VULNERABLE_PERSON, 10),
            (C.CRIMINAL_DAMAGE, 6),
        ),
        (("ambulance", 8), ("hospital", 6), ("street_pastors", 8), ("safe_space", 5), ("mental_health", 3)),
    ),
    Rota(
        NteService.TAXI_MARSHALS,
        "purple-flag",
        ("pf.marshal",),
        (4, 5),
        (23, 0),
        4.5,
        (2, 2),
        1.6,
        ((C.TRANSPORT_HOME, 40), (C.INTOXICATION, 15), (C.VULNERABLE_PERSON, 15), (C.ASB, 10), (C.LOST_PROPERTY, 5)),
        (("taxi", 30), ("street_pastors", 8), ("cctv", 5)),
    ),
)
PARTNERS: dict[str, str] = {
    "police": NteService.POLICE,
    "kettering-bc": NteService.WARDENS,
    "street-pastors": NteService.STREET_PASTORS,
    "purple-flag": NteService.TAXI_MARSHALS,
}
# Busier months (the index multiplies a shift's mean incidents): December's parties, summer evenings.
SEASON = {1: 0.8, 2: 0.8, 3: 0.9, 4: 1.0, 5: 1.05, 6: 1.1, 7: 1.15, 8: 1.1, 9: 1.0, 10: 1.0, 11: 1.05, 12: 1.35}
# Where each category happens (venue keys, weights); None: a street location in words.
SPOTS = (
    ("tavern", 4),
    ("club", 6),
    ("rank", 5),
    ("chicken", 4),
    ("bingo", 2),
    ("bus", 3),
    ("arms", 3),
    ("car-park", 2),
    ("kebab", 3),
    (None, 4),
)
STREETS = ("Gold Street", "Silver Street", "Montagu Street", "Dalkeith Place", "Lower Street", "Meeting Lane")
# Weapons: most at the fast-food restaurant and the bingo hall.
FIND_SPOTS = (("chicken", 9), ("bingo", 7), ("bus", 2), ("car-park", 2), ("kebab", 1), ("rank", 1))
HIDES = (
    (HidingPlace.BIN, 4),
    (HidingPlace.PLANTER, 3),
    (HidingPlace.HEDGE, 2),
    (HidingPlace.WALL, 2),
    (HidingPlace.DRAIN, 1),
    (HidingPlace.STREET_FURNITURE, 2),
)
WEAPONS = ((WeaponType.KNIFE, 8), (WeaponType.BLADE, 2), (WeaponType.SHARP, 2), (WeaponType.BLUNT, 1))


def _pick(rng: random.Random, weighted: tuple[tuple[object, int], ...]) -> object:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _at(night: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    day = night + dt.timedelta(days=1) if hour < 6 else night
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour % 24, minute)))


@dataclass(frozen=True)
class NteResult:
    shifts: int
    incidents: int
    finds: int
    published_months: int


def build_nte(structure: Structure, *, today: dt.date | None = None, days: int = DAYS) -> NteResult:
    """Kettering town centre's night-time economy; safe to re-run (adds only the nights not yet there)."""
    today = today or timezone.localdate()
    agencies = structure.agencies
    for short, service in PARTNERS.items():
        services.enrol_partner(agencies[short], service)
    area, _ = NteArea.objects.get_or_create(
        name="Kettering town centre",
        defaults={
            "district": structure.districts["E07000153"],
            "latitude": 52.3985,
            "longitude": -0.7265,
            "postcode": "NN16 0AH",
        },
    )
    venues = {
        spec.key: NteVenue.objects.get_or_create(
            area=area,
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "postcode": spec.postcode,
                "latitude": spec.latitude,
                "longitude": spec.longitude,
                "address": f"{spec.address}, Kettering",
            },
        )[0]
        for spec in VENUES
    }
    nights = [today - dt.timedelta(days=n) for n in range(days, 0, -1)]
    shifts, incidents, finds = _logs(structure, area, venues, nights)
    swept = _sweeps(structure, area, venues, nights)
    _designations(structure, area, today)
    published = 0
    if shifts:
        chosen = [agencies[short] for short in PARTNERS]
        published = sum(len(r.months) for r in publishing.publish_all(chosen))
    logger.info("demo NTE: %d shifts, %d incidents, %d finds added", shifts, incidents, finds + swept)
    return NteResult(shifts, incidents, finds + swept, published)


def _logs(s: Structure, area: NteArea, venues: dict[str, NteVenue], nights: list[dt.date]) -> tuple[int, int, int]:
    users: dict[str, User] = s.users
    wanted: list[tuple[Rota, dt.date, uuid.UUID]] = [
        (rota, night, uuid.uuid5(NAMESPACE, f"shift-{rota.service}-{night.isoformat()}"))
        for night in nights
        for rota in ROTAS
        if night.weekday() in rota.weekdays
    ]
    existing = set(Shift.objects.filter(uuid__in=[u for _, _, u in wanted]).values_list("uuid", flat=True))
    new_shifts: list[Shift] = []
    new_incidents: list[tuple[uuid.UUID, Incident, tuple[str, str] | None]] = []
    for rota, night, shift_uuid in wanted:
        if shift_uuid in existing:
            continue
        rng = random.Random(f"nte-{rota.service}-{night.isoformat()}")
        start = _at(night, *rota.starts)
        end = start + dt.timedelta(hours=rota.hours)
        logger_user = users[rng.choice(rota.loggers)]
        agency: Agency = s.agencies[rota.agency]
        new_shifts.append(
            Shift(
                uuid=shift_uuid,
                service=rota.service,
                area=area,
                starts_at=start,
                ends_at=end,
                team=f"Team {rng.randint(1, 3)}",
                officers=rng.randint(*rota.team),
                notes="" if rng.random() < 0.6 else rng.choice(NOTES),
                owning_agency=agency,
                referred_by=logger_user if agency.is_community_sector else None,
                created_by=logger_user,
                created_at=end,
            )
        )
        count = _poisson(rng, rota.incidents * SEASON[night.month])
        minutes = sorted(rng.randrange(0, int(rota.hours * 60)) for _ in range(count))
        for m in minutes:
            category = str(_pick(rng, rota.categories))
            spot = _pick(rng, SPOTS)
            venue = venues[str(spot)] if spot else None
            referred = sorted({str(_pick(rng, rota.referrals)) for _ in range(rng.choice((0, 1, 1, 1, 2)))})
            weapon = None
            if category == C.DRUGS_FOUND and rota.service == NteService.POLICE and rng.random() < 0.3:
                category = C.WEAPON_FOUND
                venue = venues[str(_pick(rng, FIND_SPOTS))]
                weapon = (str(_pick(rng, WEAPONS)), str(_pick(rng, HIDES)))
            new_incidents.append(
                (
                    shift_uuid,
                    Incident(
                        occurred_at=start + dt.timedelta(minutes=m),
                        category=category,
                        venue=venue,
                        location="" if venue else rng.choice(STREETS),
                        people_helped=0
                        if category in (C.BOTTLES_REMOVED, C.CRIMINAL_DAMAGE, C.WEAPON_FOUND)
                        else rng.choice((1, 1, 1, 2, 2, 3)),
                        referred_to=referred,
                        created_at=end,
                    ),
                    weapon,
                )
            )
    Shift.objects.bulk_create(new_shifts, batch_size=500)
    by_uuid = {sh.uuid: sh for sh in Shift.objects.filter(uuid__in=[sh.uuid for sh in new_shifts])}
    _share(list(by_uuid.values()), s)
    for shift_uuid, incident, _ in new_incidents:
        incident.shift = by_uuid[shift_uuid]
    Incident.objects.bulk_create([i for _, i, _ in new_incidents], batch_size=1000)
    finds = [
        WeaponFind(
            incident=incident,
            found_on=incident.shift.night,
            weapon_type=weapon[0],
            hidden=weapon[1],
            venue=incident.venue,
            description="Found on patrol",
        )
        for _, incident, weapon in new_incidents
        if weapon is not None
    ]
    WeaponFind.objects.bulk_create(finds)
    return len(new_shifts), len(new_incidents), len(finds)


NOTES = (
    "Busy at the rank after 2am; the marshals kept the queue moving.",
    "Quiet night, cold. Handed out flip-flops and water outside the club.",
    "Radio link with CCTV worked well all night.",
    "Venue staff called us twice to the club's smoking area.",
    "Rain from midnight: the streets emptied early.",
)


def _share(shifts: list[Shift], s: Structure) -> None:
    """Community agencies' shifts shared with their users (as ``services.share_with_agency`` does), in bulk."""
    through = Shift.shared_with_users.through
    members: dict[int, list[int]] = {}
    for agency in s.agencies.values():
        if agency.is_community_sector:
            members[agency.pk] = list(User.objects.filter(agency=agency, is_active=True).values_list("pk", flat=True))
    rows = [
        through(shift_id=shift.pk, user_id=user_id)
        for shift in shifts
        for user_id in members.get(shift.owning_agency_id, [])
    ]
    through._default_manager.bulk_create(rows, ignore_conflicts=True)


def _sweeps(s: Structure, area: NteArea, venues: dict[str, NteVenue], nights: list[dt.date]) -> int:
    """A sweep on the first Saturday of every month, led by the police with the wardens and the Street Pastors."""
    police = s.users["pc.hughes"]
    found = 0
    saturdays = [n for n in nights if n.weekday() == 5 and n.day <= 7]
    partners = [s.agencies["kettering-bc"], s.agencies["street-pastors"]]
    searched = [venues[k] for k in ("chicken", "bingo", "bus", "car-park", "kebab", "rank")]
    for day in saturdays:
        sweep_uuid = uuid.uuid5(NAMESPACE, f"sweep-{day.isoformat()}")
        if KnifeSweep.objects.filter(uuid=sweep_uuid).exists():
            continue
        rng = random.Random(f"nte-sweep-{day.isoformat()}")
        with _as(police):
            sweep = services.record_sweep(
                police,
                uuid=sweep_uuid,
                swept_on=day,
                area=area,
                agencies=partners,
                venues=searched,
                searched="Alleys off Gold Street and Newland Street, the planters in Market Place",
                notes="Metal detectors and a search dog. Finds handed to the police for forensic examination.",
            )
            for _ in range(_poisson(rng, 2.4)):
                services.record_find(
                    police,
                    sweep=sweep,
                    weapon_type=str(_pick(rng, WEAPONS)),
                    venue=venues[str(_pick(rng, FIND_SPOTS))],
                    hidden=str(_pick(rng, HIDES)),
                    description=rng.choice(("Kitchen knife", "Lock knife", "Large kitchen knife", "Machete")),
                )
                found += 1
    return found


# The dispersal area: Market Place, Gold Street and Silver Street; the PSPO: the town centre.
DISPERSAL_POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [-0.72890, 52.39760],
            [-0.72600, 52.39745],
            [-0.72590, 52.39930],
            [-0.72880, 52.39945],
            [-0.72890, 52.39760],
        ]
    ],
}
PSPO_POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [-0.73150, 52.39600],
            [-0.72200, 52.39560],
            [-0.71900, 52.39800],
            [-0.72150, 52.40150],
            [-0.72800, 52.40200],
            [-0.73200, 52.39950],
            [-0.73150, 52.39600],
        ]
    ],
}


def _designations(s: Structure, area: NteArea, today: dt.date) -> None:
    inspector, council = s.users["di.okafor"], s.users["kbc.manager"]
    pspo = uuid.uuid5(NAMESPACE, "pspo-town-centre")
    if not DesignatedArea.objects.filter(uuid=pspo).exists():
        start = timezone.make_aware(dt.datetime(today.year - 1, 4, 1))
        with _as(council):
            services.designate_area(
                council,
                uuid=pspo,
                kind=DesignationKind.PSPO,
                name="Kettering town centre PSPO",
                reference="NNC-PSPO-2025-01",
                area=area,
                geometry=PSPO_POLYGON,
                starts_at=start,
                ends_at=start.replace(year=start.year + 3) - dt.timedelta(minutes=1),
                authorised_by="North Northamptonshire Council, executive decision",
                restrictions="Surrender alcohol when asked by an authorised officer; no aggressive begging; dogs on "
                "leads in Market Place; no loitering in the bus station after 11pm.",
            )
    dispersal = uuid.uuid5(NAMESPACE, "dispersal-market-place")
    if not DesignatedArea.objects.filter(uuid=dispersal).exists():
        # The last Friday before the demo was built, 6pm, for 48 hours: in force on a weekend demo, recent otherwise.
        friday = today - dt.timedelta(days=(today.weekday() - 4) % 7)
        start = timezone.make_aware(dt.datetime.combine(friday, dt.time(18, 0)))
        with _as(inspector):
            services.designate_area(
                inspector,
                uuid=dispersal,
                kind=DesignationKind.DISPERSAL,
                name="Market Place and Gold Street dispersal",
                reference="NP-S34-0417",
                area=area,
                geometry=DISPERSAL_POLYGON,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=48),
                authorised_by="Inspector G. Okafor, Northamptonshire Police",
                restrictions="Groups causing or likely to cause harassment, alarm or distress may be directed to leave "
                "the area for up to 48 hours (s.35).",
            )
