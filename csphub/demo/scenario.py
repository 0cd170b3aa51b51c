"""Seeded synthetic people and places for the demo partnership, spread over the four districts.

Deterministic: the same seed gives the same register, and each record has a UUID derived from the seed and its
index, so re-running the demo adds nothing that is already there. Records are created by the demo users of the
agencies that own them, inside audit contexts, and shared only through the ISA-checked ``disclose`` service.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from faker import Faker

from csphub.access.services import DisclosureRefused, disclose, share_with_user
from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.audit.context import audit_context
from csphub.demo.structure import Structure
from csphub.geography import wgs84_to_bng
from csphub.partnership.models import User
from csphub.registers import geo
from csphub.registers.identifiers import Scheme, nhs_check_digit_ok
from csphub.registers.models import (
    Alias,
    AliasKind,
    FlagType,
    Identifier,
    LocationSource,
    Person,
    PersonFlag,
    PersonPhone,
    PersonPlace,
    PersonVehicle,
    Phone,
    Place,
    PlaceKind,
    PlaceRelation,
    Sex,
    Vehicle,
)

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("6f1c1f0e-7d1e-4f43-9a57-0c2b8e0d2019")
TOWNS = {
    "E07000150": ("Corby", "Weldon", "Cottingham"),
    "E07000152": ("Rushden", "Raunds", "Oundle", "Thrapston", "Higham Ferrers"),
    "E07000153": ("Kettering", "Burton Latimer", "Desborough", "Rothwell"),
    "E07000156": ("Wellingborough", "Finedon", "Irchester", "Earls Barton"),
}
COUNCILS = {
    "E07000150": "corby-bc",
    "E07000152": "east-northants",
    "E07000153": "kettering-bc",
    "E07000156": "wellingborough-bc",
}
COUNCIL_OFFICERS = {
    "corby-bc": "cbc.asb",
    "east-northants": "enc.asb",
    "kettering-bc": "kbc.asb",
    "wellingborough-bc": "bcw.asb",
}
# Partnership-wide places (not personal data): town-centre premises the night-time economy and ASB work centre on.
PUBLIC_PLACES = (
    (
        "Chicken Shack (fast-food restaurant)",
        PlaceKind.BUSINESS,
        "Gold Street, Kettering",
        (52.3979, -0.7278),
    ),
    ("Kettering bus station", PlaceKind.PUBLIC_SPACE, "Newland Street, Kettering", (52.3984, -0.7301)),
    ("Corby Mecca-style bingo hall", PlaceKind.LICENSED, "Corporation Street, Corby", (52.4886, -0.7011)),
    ("Willow Place shopping centre", PlaceKind.PUBLIC_SPACE, "Willow Place, Corby", (52.4891, -0.6998)),
    ("Swanspool Gardens", PlaceKind.PUBLIC_SPACE, "Sheep Street, Wellingborough", (52.3013, -0.6925)),
    ("The Hind (public house)", PlaceKind.LICENSED, "Sheep Street, Wellingborough", (52.3024, -0.6940)),
    ("Rushden Hall Park", PlaceKind.PUBLIC_SPACE, "Hall Avenue, Rushden", (52.2914, -0.6010)),
    ("Raunds skate park", PlaceKind.PUBLIC_SPACE, "Brook Street, Raunds", (52.3450, -0.5385)),
)


@dataclass(frozen=True)
class ScenarioSettings:
    seed: int = 20190701
    people: int = 320
    dwellings: int = 260

    def __post_init__(self) -> None:
        if self.people < 20 or self.dwellings < 20:
            raise ValueError("the demo needs at least 20 people and 20 dwellings")


@dataclass(frozen=True)
class ScenarioResult:
    people_created: int
    places_created: int
    disclosures: int


def _uid(kind: str, index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}-{index}")


@contextmanager
def _as(user: User) -> Iterator[None]:
    with audit_context("cli", actor=user, actor_label="system:demo", reason="Demo data loaded by csphub demo"):
        yield


def _postcodes_by_district(structure: Structure) -> dict[str, list[str]]:
    """Real postcodes (OS Code-Point Open) inside each district's boundary."""
    directory = geo.postcode_directory()
    ids = {d.pk: code for code, d in structure.districts.items()}
    pools: dict[str, list[str]] = {code: [] for code in structure.districts}
    for code in directory.codes():
        point = directory.lookup(code)
        assert point is not None
        district_id = geo.district_id_at(point.latitude, point.longitude)
        if district_id is not None:
            pools[ids[district_id]].append(code)
    return pools


def _nearest_postcode(lat: float, lon: float) -> str:
    directory = geo.postcode_directory()
    e, n = wgs84_to_bng(lat, lon)
    best, best_d = "", float("inf")
    for code in directory.codes():
        point = directory.lookup(code)
        assert point is not None
        d = (point.easting - e) ** 2 + (point.northing - n) ** 2
        if d < best_d:
            best, best_d = code, d
    return best


def _save_place(place: Place, lat: float | None, lon: float | None) -> None:
    if lat is not None and lon is not None:
        e, n = wgs84_to_bng(lat, lon)
        place.latitude, place.longitude, place.easting, place.northing = lat, lon, round(e, 1), round(n, 1)
        place.location_source = LocationSource.GIVEN if place.partnership_wide else LocationSource.POSTCODE
        place.district_id = geo.district_id_at(lat, lon)
    place.save()


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
        for check in range(10):
            if nhs_check_digit_ok(digits + str(check)):
                full = digits + str(check)
                return f"{full[:3]} {full[3:6]} {full[6:]}"


def build_scenario(structure: Structure, settings: ScenarioSettings | None = None) -> ScenarioResult:
    cfg = settings or ScenarioSettings()
    rng = random.Random(cfg.seed)
    fake = Faker("en_GB")
    fake.seed_instance(cfg.seed)
    users = structure.users
    pools = _postcodes_by_district(structure)
    district_codes = sorted(pools)
    places_created = people_created = disclosures = 0

    # Partnership-wide public places.
    public: list[Place] = []
    for index, (name, kind, address, (lat, lon)) in enumerate(PUBLIC_PLACES):
        uid = _uid("public-place", index)
        place = Place.objects.filter(uuid=uid).first()
        if place is None:
            owner = users["pc.hughes"]
            with _as(owner):
                place = Place(
                    uuid=uid,
                    name=name,
                    kind=kind,
                    address=address,
                    postcode=_nearest_postcode(lat, lon),
                    partnership_wide=True,
                    owning_agency=owner.agency,
                    created_by=owner,
                )
                _save_place(place, lat, lon)
            places_created += 1
        public.append(place)

    # Dwellings: real postcodes in each district; a few with no known location at all.
    dwellings: list[tuple[Place, str]] = []
    for index in range(cfg.dwellings):
        code = district_codes[index % len(district_codes)]
        postcode = rng.choice(pools[code])
        town = rng.choice(TOWNS[code])
        address = f"{rng.randint(1, 180)} {fake.street_name()}, {town}"
        uid = _uid("dwelling", index)
        place = Place.objects.filter(uuid=uid).first()
        if place is None:
            owner = users[COUNCIL_OFFICERS[COUNCILS[code]]]
            no_location = index % 37 == 5
            with _as(owner):
                place = Place(
                    uuid=uid,
                    kind=PlaceKind.DWELLING,
                    address=address,
                    postcode="" if no_location else postcode,
                    owning_agency=owner.agency,
                    created_by=owner,
                )
                point = None if no_location else geo.postcode_point(postcode)
                _save_place(place, point.latitude if point else None, point.longitude if point else None)
            places_created += 1
        dwellings.append((place, code))

    owners = (
        ["pc.hughes"] * 30
        + ["kbc.asb", "cbc.asb", "bcw.asb", "enc.asb"] * 8
        + ["rfh.tenancy"] * 8
        + ["probation.om"] * 5
        + ["icb.safeguarding"] * 5
        + ["sp.volunteer", "outreach.worker", "faith.lead"] * 3
    )
    voluntary_owners = {"sp.volunteer", "outreach.worker", "faith.lead"}
    today = dt.date.today()
    for index in range(cfg.people):
        uid = _uid("person", index)
        if Person.objects.filter(uuid=uid).exists():
            continue
        owner_name = rng.choice(owners)
        owner = users[owner_name]
        sex = rng.choice([Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.FEMALE, Sex.NOT_KNOWN])
        given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
        family = fake.last_name()
        age = rng.randint(14, 86)
        born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        precision = rng.random()
        sensitivity, caveat = Sensitivity.GENERAL, Caveat.OFFICIAL
        if owner_name == "pc.hughes" and index % 9 == 0:
            sensitivity, caveat = Sensitivity.DOMESTIC_ABUSE, Caveat.OFFICIAL_SENSITIVE
        elif owner_name == "pc.hughes" and index % 13 == 0:
            owner = users["di.okafor"]
            sensitivity, caveat = Sensitivity.INTELLIGENCE, Caveat.OFFICIAL_SENSITIVE
        with _as(owner):
            person = Person(
                uuid=uid,
                given_name=given,
                family_name=family,
                sex=sex,
                middle_names=fake.first_name() if rng.random() < 0.2 else "",
                dob_year=born.year if precision < 0.95 else None,
                dob_month=born.month if precision < 0.9 else None,
                dob_day=born.day if precision < 0.8 else None,
                owning_agency=owner.agency,
                created_by=owner,
                caveat=caveat,
                sensitivity=sensitivity,
                referred_by=owner if owner_name in voluntary_owners else None,
            )
            person.full_clean()
            person.save()
            assert owner.agency is not None
            home, home_district = dwellings[index % len(dwellings)]
            moved = rng.random() < 0.15
            start = today - dt.timedelta(days=rng.randint(200, 2500))
            if moved:
                # An earlier address in another district: the register follows people across the old boundaries.
                old, _ = dwellings[(index * 7 + 3) % len(dwellings)]
                PersonPlace.objects.create(
                    person=person,
                    place=old,
                    relation=PlaceRelation.LIVES_AT,
                    valid_from=start - dt.timedelta(days=rng.randint(300, 1500)),
                    valid_to=start - dt.timedelta(days=1),
                    source_agency=owner.agency,
                )
            PersonPlace.objects.create(
                person=person,
                place=home,
                relation=PlaceRelation.LIVES_AT,
                valid_from=start,
                source_agency=owner.agency,
            )
            _share_address(home, owner, structure)
            if rng.random() < 0.25:
                PersonPlace.objects.create(
                    person=person,
                    place=rng.choice(public),
                    relation=PlaceRelation.FREQUENTS,
                    source_agency=owner.agency,
                )
            if rng.random() < 0.1:
                nickname = rng.choice(["Tiny", "Smudge", "Ginge", "Big Man", "Shorty", "Bugsy"])
                Alias.objects.create(
                    person=person, kind=AliasKind.NICKNAME, given_name=nickname, source_agency=owner.agency
                )
            if sex == Sex.FEMALE and rng.random() < 0.1:
                Alias.objects.create(
                    person=person,
                    kind=AliasKind.PREVIOUS,
                    given_name=given,
                    family_name=fake.last_name(),
                    source_agency=owner.agency,
                )
            agency_key = owner.agency.short_name
            if agency_key == "police":
                Identifier.objects.create(
                    person=person,
                    scheme=Scheme.POLICE_NICHE,
                    value=f"NN{rng.randint(100000, 999999)}",
                    source_agency=owner.agency,
                )
                if rng.random() < 0.3:
                    Identifier.objects.create(
                        person=person,
                        scheme=Scheme.PNC,
                        value=f"{rng.randint(2000, 2025)}/{rng.randint(0, 9999999):07d}"
                        f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}",
                        source_agency=owner.agency,
                    )
            elif agency_key == "icb":
                Identifier.objects.create(
                    person=person, scheme=Scheme.NHS, value=_nhs_number(rng), source_agency=owner.agency
                )
            elif agency_key in COUNCIL_OFFICERS:
                Identifier.objects.create(
                    person=person,
                    scheme=Scheme.COUNCIL,
                    value=f"{agency_key[:3].upper()}-ASB-{rng.randint(1000, 99999)}",
                    source_agency=owner.agency,
                )
            elif agency_key == "rockingham-homes":
                Identifier.objects.create(
                    person=person,
                    scheme=Scheme.HOUSING,
                    value=f"RFH/{rng.randint(10000, 99999)}",
                    source_agency=owner.agency,
                )
            if rng.random() < 0.2:
                PersonFlag.objects.create(person=person, flag=rng.choice(FlagType.values), source_agency=owner.agency)
            if rng.random() < 0.15:
                number = f"+447700{rng.randint(900000, 900999)}"
                phone = Phone.objects.filter(number=number).first()
                if phone is None:
                    phone = Phone.objects.create(number=number, owning_agency=owner.agency, created_by=owner)
                PersonPhone.objects.create(person=person, phone=phone, source_agency=owner.agency)
            if rng.random() < 0.05:
                vrm = f"{rng.choice(['AB', 'KX', 'NV', 'YR'])}{rng.randint(10, 74)} {fake.lexify('???').upper()}"
                vehicle = Vehicle.objects.filter(registration=vrm.replace(" ", "")).first()
                if vehicle is None:
                    vehicle = Vehicle.objects.create(
                        registration=vrm.replace(" ", ""),
                        owning_agency=owner.agency,
                        make=rng.choice(["Ford", "Vauxhall", "BMW", "Audi"]),
                        colour=rng.choice(["Black", "Silver", "White", "Blue"]),
                        created_by=owner,
                    )
                PersonVehicle.objects.create(person=person, vehicle=vehicle, source_agency=owner.agency)
            disclosures += _share(person, owner_name, home_district, structure, rng)
        people_created += 1
    logger.info("demo scenario: %s people, %s places created", people_created, places_created)
    return ScenarioResult(people_created, places_created, disclosures)


def _share_address(home: Place, owner: User, structure: Structure) -> None:
    """The council that holds an address shares it with a statutory agency that records someone living there."""
    agency = owner.agency
    assert agency is not None
    if agency.is_community_sector or home.owning_agency_id == agency.pk or home.parties.filter(pk=agency.pk).exists():
        return
    holder = next(
        u for u in structure.users.values() if u.agency_id == home.owning_agency_id and u.has_role("case_officer")
    )
    with _as(holder):
        disclose(
            home,
            to=agency,
            by=holder,
            purpose="crime_disorder",
            justification=f"Address of a person known to {agency}: shared for community safety case work",
        )


def _share(person: Person, owner_name: str, district: str, structure: Structure, rng: random.Random) -> int:
    """Realistic sharing through the ISA-checked services (run in the owner's audit context)."""
    users, agencies = structure.users, structure.agencies
    owner = users[owner_name]
    count = 0
    council = agencies[COUNCILS[district]]
    if person.sensitivity == Sensitivity.DOMESTIC_ABUSE:
        # Domestic abuse: shared with the council for the district and the IDVA personally, under NN-ISA-002.
        disclose(
            person,
            to=council,
            by=owner,
            purpose="domestic_abuse",
            justification="Victim at high risk: referral to MARAC and housing safeguarding",
        )
        share_with_user(
            person,
            to=users["wa.idva"],
            by=owner,
            purpose="domestic_abuse",
            justification="IDVA allocated to support the victim through MARAC",
        )
        return 2
    if person.sensitivity == Sensitivity.INTELLIGENCE:
        return 0
    if owner_name == "pc.hughes" and rng.random() < 0.5:
        disclose(
            person,
            to=council,
            by=owner,
            purpose="asb",
            justification="Joint ASB problem-solving with the council's ASB team",
        )
        count += 1
    elif owner_name in COUNCIL_OFFICERS.values() and rng.random() < 0.5:
        disclose(
            person,
            to=agencies["police"],
            by=owner,
            purpose="asb",
            justification="Shared with neighbourhood policing for joint ASB case work",
        )
        count += 1
    if owner_name in COUNCIL_OFFICERS.values() and person.flags.exists() and rng.random() < 0.6:
        disclose(
            person,
            to=agencies["fire"],
            by=owner,
            purpose="safeguarding",
            justification="Vulnerable resident: referral for a fire service safe-and-well visit",
        )
        count += 1
    elif owner_name in {"sp.volunteer", "outreach.worker", "faith.lead"}:
        # Voluntary referrals go to the council for the district (the referrer may share as party via referral).
        try:
            disclose(
                person,
                to=council,
                by=owner,
                purpose="safeguarding",
                justification="Vulnerable person met on patrol: referral to the council's safeguarding team",
            )
            count += 1
        except DisclosureRefused as exc:
            logger.info("referral by %s refused: %s", owner_name, exc.reason)
    return count
