"""The demo's serious organised crime picture: county lines into Kettering and beyond, three organised crime groups.

Two years of history, recorded as a police intelligence unit would have recorded it — each fact a few days after it
began, in date order — so that the picture "as known then" is meaningful for every date:

- 20 county lines run into the area; 16 are active in Kettering today, some of them also in Corby, Wellingborough
  or East Northamptonshire; four went quiet along the way (disrupted or closed).
- Two organised crime groups at the start; the larger splits **overnight** on ``split_on`` (``SPLIT_DAYS_AGO`` days
  before the demo's today): half its members, and the lines they run, move to a new third group that night.
  Members join and leave the others over the two years.
- Deal-line numbers (Ofcom's drama range), one of which moves to another line; nominals in their roles (line
  holders, runners, exploited children and adults); cuckooed addresses, trap houses and stashes; vehicles.
- One **late-recorded** fact: an address taken over ``LATE_VALID_DAYS_AGO`` days ago, learnt only
  ``LATE_RECORDED_DAYS_AGO`` days ago; it is in the picture of those days "as known now", not "as known then".

Names come from the demo's seeded generator (Faker, en_GB): fictional. Records have UUIDs derived from the seed:
re-running adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone
from faker import Faker

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.demo.scenario import _as, _postcodes_by_district, _save_place
from csphub.demo.structure import Structure
from csphub.intelligence import services
from csphub.intelligence.models import (
    Activity,
    AddressRole,
    CountyLine,
    Fact,
    GroupStatus,
    LineStatus,
    MemberRole,
    NominalRole,
    OrganisedCrimeGroup,
    believed,
)
from csphub.intelligence.timeline import Kind
from csphub.partnership.models import District, User
from csphub.registers import geo
from csphub.registers.models import Person, Place, PlaceKind

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("3a5d2c1e-9b7f-4e08-8d61-5c0f2e1a2019")
KETTERING, CORBY, EAST_NORTHANTS, WELLINGBOROUGH = "E07000153", "E07000150", "E07000152", "E07000156"

DAYS = 730  # the demo's two years
SPLIT_DAYS_AGO = 240  # the night the largest group split in two: the tests compare the days either side
LATE_VALID_DAYS_AGO = 400  # an address taken over then ...
LATE_RECORDED_DAYS_AGO = 300  # ... learnt only then
ACTIVE_LINES_IN_KETTERING = 16
RECORDED_AFTER_DAYS = 2  # an ordinary fact is recorded two days after it began
SOC_LEAD = "nnc.childrens"  # named a serious organised crime lead by the Kettering community safety manager


@dataclass(frozen=True)
class IntelligenceSettings:
    seed: int = 20241101


@dataclass(frozen=True)
class IntelligenceResult:
    created: bool
    split_on: dt.date
    late_fact_valid_from: dt.date
    late_fact_recorded_at: dt.datetime
    lines: int
    groups: int


def split_on(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=SPLIT_DAYS_AGO)


def _uid(kind: str, index: int | str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}-{index}")


def _at(day: dt.date, delay: int = RECORDED_AFTER_DAYS, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=delay), dt.time(hour, 0)))


class _Builder:
    def __init__(self, structure: Structure, cfg: IntelligenceSettings, today: dt.date) -> None:
        self.s = structure
        self.rng = random.Random(cfg.seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(cfg.seed)
        self.today = today
        self.start = today - dt.timedelta(days=DAYS)
        self.di: User = structure.users["di.okafor"]
        self.pools = _postcodes_by_district(structure)
        self.people = 0
        self.places = 0
        self.phones = 0

    def d(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def district(self, code: str) -> District:
        return self.s.districts[code]

    def person(self, subject: CountyLine | OrganisedCrimeGroup, age: int | None = None) -> Person:
        self.people += 1
        male = self.rng.random() < 0.8
        given = self.fake.first_name_male() if male else self.fake.first_name_female()
        return services.intelligence_person(
            subject,
            self.di,
            given_name=given,
            family_name=self.fake.last_name(),
            dob_year=(self.today.year - age) if age else None,
            uuid=_uid("person", self.people),
        )

    def address(self, code: str) -> Place:
        self.places += 1
        postcode = self.rng.choice(self.pools[code])
        town = {KETTERING: "Kettering", CORBY: "Corby", WELLINGBOROUGH: "Wellingborough", EAST_NORTHANTS: "Rushden"}
        place = Place(
            uuid=_uid("place", self.places),
            kind=PlaceKind.DWELLING,
            address=f"{self.rng.randint(1, 120)} {self.fake.street_name()}, {town[code]}",
            postcode=postcode,
            owning_agency=self.di.agency,
            created_by=self.di,
            caveat=Caveat.OFFICIAL_SENSITIVE,
            sensitivity=Sensitivity.INTELLIGENCE,
        )
        point = geo.postcode_point(postcode)
        _save_place(place, point.latitude if point else None, point.longitude if point else None)
        return place

    def number(self) -> str:
        self.phones += 1
        return f"07700 900{100 + self.phones:03d}"  # Ofcom's range for drama: no real subscriber


def build_intelligence(
    structure: Structure, settings: IntelligenceSettings | None = None, *, today: dt.date | None = None
) -> IntelligenceResult:
    """Build the demo's lines and groups (nothing if they are already there)."""
    day = today or timezone.localdate()
    b = _Builder(structure, settings or IntelligenceSettings(), day)
    split = split_on(day)
    late_from, late_at = b.d(LATE_VALID_DAYS_AGO), _at(b.d(LATE_RECORDED_DAYS_AGO), delay=0)
    if OrganisedCrimeGroup.objects.filter(uuid=_uid("group", 1)).exists():
        return IntelligenceResult(False, split, late_from, late_at, CountyLine.objects.count(), 3)
    with _as(structure.users["kbc.manager"]):
        services.designate_soc_lead(structure.users[SOC_LEAD], structure.users["kbc.manager"])
    with _as(b.di):
        services.load_morile()
        lines, groups = _build(b, split, late_from, late_at)
    logger.info("demo intelligence: %s lines, %s groups", len(lines), len(groups))
    return IntelligenceResult(True, split, late_from, late_at, len(lines), len(groups))


def _build(
    b: _Builder, split: dt.date, late_from: dt.date, late_at: dt.datetime
) -> tuple[list[CountyLine], list[OrganisedCrimeGroup]]:
    di, start = b.di, b.start
    rec = _at(start)
    ket, cor, wel, ens = (b.district(c) for c in (KETTERING, CORBY, WELLINGBOROUGH, EAST_NORTHANTS))
    surnames = [b.fake.last_name() for _ in range(3)]
    north = services.open_group(
        di,
        name=f"{surnames[0]} network",
        valid_from=start,
        activities=[Activity.DRUG_SUPPLY, Activity.COUNTY_LINES, Activity.EXPLOITATION],
        areas=[ket, cor],
        recorded_at=rec,
        uuid=_uid("group", 1),
    )
    river = services.open_group(
        di,
        name=f"{surnames[1]} family",
        valid_from=start,
        activities=[Activity.DRUG_SUPPLY, Activity.MONEY_LAUNDERING],
        areas=[wel, ens],
        recorded_at=rec,
        uuid=_uid("group", 2),
    )
    # Members at the start: the north network is the big one.
    members: dict[OrganisedCrimeGroup, list[Person]] = {north: [], river: []}
    roles = [MemberRole.PRINCIPAL, MemberRole.LIEUTENANT, MemberRole.LIEUTENANT, MemberRole.ENFORCER]
    for group, count in ((north, 10), (river, 6)):
        for i in range(count):
            person = b.person(group, age=b.rng.randint(19, 45))
            role = roles[i] if i < len(roles) else MemberRole.ASSOCIATE
            services.record_fact(
                group, di, kind=Kind.GROUP_MEMBER, obj=person, value=role, valid_from=start, recorded_at=rec
            )
            members[group].append(person)

    # 20 lines: 16 active in Kettering today (some also elsewhere), 4 that went quiet.
    lines: list[CountyLine] = []
    origins = ["London (Tottenham)", "Birmingham", "Leicester", "Nottingham", "London (Hackney)", "Luton"]
    elsewhere = [[cor], [wel], [ens], [cor, wel], [], [], [], [], [cor], [], [wel], [], [ens], [], [], []]
    for i in range(20):
        began = start + dt.timedelta(days=b.rng.randint(0, 200))
        # The first 16 stay active in Kettering (some also elsewhere); the others go quiet later.
        districts = [ket, *elsewhere[i]] if i < ACTIVE_LINES_IN_KETTERING else [b.rng.choice([ket, cor, wel])]
        group = north if i % 3 != 2 else river
        line = services.open_line(
            di,
            name=b.fake.first_name_male().upper(),
            origin=b.rng.choice(origins),
            districts=districts,
            group=group,
            valid_from=began,
            recorded_at=_at(began),
            uuid=_uid("line", i),
        )
        lines.append(line)
        for _ in range(1 + (i % 2)):
            phone = services.deal_line_phone(line, di, b.number())
            services.record_fact(line, di, kind=Kind.LINE_PHONE, obj=phone, valid_from=began, recorded_at=_at(began))
        holder = b.person(line, age=b.rng.randint(20, 35))
        services.record_fact(
            line,
            di,
            kind=Kind.LINE_NOMINAL,
            obj=holder,
            value=NominalRole.LINE_HOLDER,
            valid_from=began,
            recorded_at=_at(began),
        )
        runner_role = NominalRole.EXPLOITED_CHILD if i % 4 == 0 else NominalRole.RUNNER
        runner = b.person(line, age=b.rng.randint(15, 17) if i % 4 == 0 else b.rng.randint(18, 24))
        joined = began + dt.timedelta(days=b.rng.randint(5, 60))
        services.record_fact(
            line, di, kind=Kind.LINE_NOMINAL, obj=runner, value=runner_role, valid_from=joined, recorded_at=_at(joined)
        )
        home = districts[0].ons_code
        address_role = [AddressRole.CUCKOOED, AddressRole.TRAP_HOUSE, AddressRole.STASH][i % 3]
        taken = began + dt.timedelta(days=b.rng.randint(10, 90))
        services.record_fact(
            line,
            di,
            kind=Kind.LINE_ADDRESS,
            obj=b.address(home),
            value=address_role,
            valid_from=taken,
            recorded_at=_at(taken),
        )
        if i % 5 == 1:
            exploited = b.person(line, age=b.rng.randint(45, 70))
            services.record_fact(
                line,
                di,
                kind=Kind.LINE_NOMINAL,
                obj=exploited,
                value=NominalRole.EXPLOITED_ADULT,
                valid_from=taken,
                recorded_at=_at(taken),
            )
        if i % 4 == 1:
            car = services.line_vehicle(
                line, di, f"NX{b.rng.randint(10, 24)} {b.fake.lexify('???').upper()}", make="Audi"
            )
            services.record_fact(line, di, kind=Kind.LINE_VEHICLE, obj=car, valid_from=taken, recorded_at=_at(taken))

    # Members come and go in the river family over the two years.
    for n, days_ago in enumerate((560, 430, 330, 150)):
        day = b.d(days_ago)
        newcomer = b.person(river, age=b.rng.randint(19, 30))
        services.record_fact(
            river,
            di,
            kind=Kind.GROUP_MEMBER,
            obj=newcomer,
            value=MemberRole.ASSOCIATE,
            valid_from=day,
            recorded_at=_at(day),
        )
        leaver = members[river][-1 - n]
        held = _current(river, leaver)
        if held is not None:
            services.end_fact(held, di, on=day + dt.timedelta(days=20), recorded_at=_at(day + dt.timedelta(days=20)))

    # Four lines went quiet: two disrupted (warrants), two closed.
    for i, (days_ago, status) in zip(
        range(16, 20),
        ((520, LineStatus.DISRUPTED), (450, LineStatus.CLOSED), (380, LineStatus.DISRUPTED), (300, LineStatus.CLOSED)),
        strict=True,
    ):
        day = b.d(days_ago)
        services.record_fact(
            lines[i], di, kind=Kind.LINE_STATUS, value=status, valid_from=day, recorded_at=_at(day, delay=1)
        )

    # A deal-line number moves to another line (the holder sold it on).
    moved_on = b.d(500)
    phone_fact = lines[5].facts.filter(kind=Kind.LINE_PHONE).order_by("pk").first()
    if phone_fact is not None and phone_fact.phone is not None:
        services.record_fact(
            lines[6], di, kind=Kind.LINE_PHONE, obj=phone_fact.phone, valid_from=moved_on, recorded_at=_at(moved_on)
        )

    # The late fact: an address on line 0 taken over LATE_VALID_DAYS_AGO, learnt LATE_RECORDED_DAYS_AGO.
    services.record_fact(
        lines[0],
        di,
        kind=Kind.LINE_ADDRESS,
        obj=b.address(KETTERING),
        value=AddressRole.CUCKOOED,
        valid_from=late_from,
        recorded_at=late_at,
        source="Late: found in a phone download after the arrests",
    )

    # The overnight split: half the north network, and the lines they ran, form a new group on ``split``.
    rec_split = _at(split, delay=1)
    splinter = services.open_group(
        di,
        name=f"{surnames[2]} crew",
        valid_from=split,
        activities=[Activity.DRUG_SUPPLY, Activity.COUNTY_LINES, Activity.FIREARMS],
        areas=[ket],
        recorded_at=rec_split,
        uuid=_uid("group", 3),
    )
    leaving = members[north][1::2]  # a lieutenant, an enforcer and associates
    for n, person in enumerate(leaving):
        services.record_fact(
            splinter,
            di,
            kind=Kind.GROUP_MEMBER,
            obj=person,
            value=MemberRole.PRINCIPAL if n == 0 else MemberRole.ASSOCIATE,
            valid_from=split,
            recorded_at=rec_split,
        )
    for line in lines[:16:3]:
        services.record_fact(line, di, kind=Kind.LINE_GROUP, obj=splinter, valid_from=split, recorded_at=rec_split)

    # Later on: the crew takes over another address, the river family goes dormant for a while.
    day = b.d(120)
    services.record_fact(
        lines[3],
        di,
        kind=Kind.LINE_ADDRESS,
        obj=b.address(KETTERING),
        value=AddressRole.CUCKOOED,
        valid_from=day,
        recorded_at=_at(day),
    )
    dormant, back = b.d(200), b.d(90)
    services.record_fact(
        river, di, kind=Kind.GROUP_STATUS, value=GroupStatus.DORMANT, valid_from=dormant, recorded_at=_at(dormant)
    )
    services.record_fact(
        river, di, kind=Kind.GROUP_STATUS, value=GroupStatus.ACTIVE, valid_from=back, recorded_at=_at(back)
    )

    for group, scores, confidence, days_ago in (
        (north, {"harm": 4, "likelihood": 3, "position": 2}, "high", 400),
        (river, {"harm": 2, "likelihood": 2, "position": 1}, "medium", 300),
        (splinter, {"harm": 4, "likelihood": 4, "position": 3}, "medium", 200),
    ):
        services.assess_group(group, di, scores=scores, confidence=confidence, assessed_on=b.d(days_ago))
    return lines, [north, river, splinter]


def _current(group: OrganisedCrimeGroup, person: Person) -> Fact | None:
    return (
        Fact.objects.filter(believed(timezone.now()), group=group, person=person, kind=Kind.GROUP_MEMBER, valid_to=None)
        .order_by("-valid_from")
        .first()
    )
