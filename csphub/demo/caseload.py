"""A realistic caseload for the demo partnership, spread over two years and the four districts.

Story cases (ASB around a town-centre fast-food restaurant where knives are hidden and around a bingo hall, hate
crime, domestic abuse at each risk level, cuckooing, a county line across district lines, a case transferred from
Kettering to Corby) and a seeded spread of ordinary ones. Everything goes through the case services, as the demo
users of the agencies involved, so access rules, ISAs and the audit log apply as in real use. Each case has a
stable UUID: re-running adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from csphub.access.services import disclose
from csphub.access.vocabulary import Verb
from csphub.assessments.engine import load_shipped
from csphub.assessments.services import complete
from csphub.cases import services
from csphub.cases.kinds import CaseType, EntryKind, ReportingChannel
from csphub.cases.models import Case
from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.partnership.models import User
from csphub.registers import services as register
from csphub.registers.models import Person, Place

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("0b6e8f2a-1c55-4f0e-9a51-2d0c1a2e2019")
KETTERING, CORBY, EAST_NORTHANTS, WELLINGBOROUGH = "E07000153", "E07000150", "E07000152", "E07000156"


@dataclass(frozen=True)
class CaseloadSettings:
    seed: int = 20240401
    ordinary_cases: int = 80
    months: int = 24

    def __post_init__(self) -> None:
        if self.ordinary_cases < 0 or not 1 <= self.months <= 120:
            raise ValueError("ordinary_cases must be >= 0 and months between 1 and 120")


@dataclass(frozen=True)
class CaseloadResult:
    cases_created: int


class _Builder:
    def __init__(self, structure: Structure, cfg: CaseloadSettings) -> None:
        self.s = structure
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.today = timezone.localdate()
        self.created = 0

    def user(self, username: str) -> User:
        return self.s.users[username]

    def days_ago(self, days: int, hour: int = 21) -> dt.datetime:
        day = self.today - dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59))))

    def place(self, name: str) -> Place:
        return Place.objects.get(name=name)

    def person(self, owner: User, index: int, given: str, family: str, **fields: object) -> Person:
        """A story person, recorded by the case owner (idempotent by a derived UUID)."""
        uid = uuid.uuid5(NAMESPACE, f"person-{index}")
        existing = Person.objects.filter(uuid=uid).first()
        if existing is not None:
            return existing
        person = Person(
            uuid=uid, given_name=given, family_name=family, owning_agency=owner.agency, created_by=owner, **fields
        )
        person.full_clean()
        person.save()
        return person

    def home(self, owner: User, district: str) -> Place:
        """An existing dwelling in the district that the owner's agency may see."""
        candidates = list(
            Place.objects.visible_to(owner).filter(kind="dwelling", district__ons_code=district).order_by("pk")[:60]
        )
        if not candidates:
            return register.record_place(owner, address=f"{self.rng.randint(1, 90)} High Street", postcode="")
        return self.rng.choice(candidates)

    def open(self, key: str, owner: User, *, opened_days_ago: int, **fields: object) -> Case | None:
        uid = uuid.uuid5(NAMESPACE, f"case-{key}")
        if Case.objects.filter(uuid=uid).exists():
            return None
        case = services.open_case(owner, uuid=uid, opened_on=self.today - dt.timedelta(days=opened_days_ago), **fields)  # type: ignore[arg-type]
        self.created += 1
        return case

    def share(self, case: Case, owner: User, *agencies: str, purpose: str = "asb") -> None:
        for short in agencies:
            disclose(
                case,
                to=self.s.agencies[short],
                by=owner,
                purpose=purpose,
                justification=f"{self.s.agencies[short]} is a partner in this case's problem-solving plan",
            )

    def complaints(
        self,
        case: Case,
        owner: User,
        place: Place | None,
        complainants: Sequence[Person],
        when: Sequence[tuple[int, int]],
        title: str,
        hate: bool = False,
    ) -> None:
        """Incidents reported as complaints: (behaviour days ago, days later it was reported)."""
        for n, (ago, delay) in enumerate(when):
            complainant = complainants[n % len(complainants)] if complainants else None
            services.record_entry(
                case,
                owner,
                kind=EntryKind.INCIDENT,
                title=title,
                occurred_at=self.days_ago(ago),
                body="Reported by a resident.",
                place=place,
                reporting_channel=self.rng.choice(
                    [ReportingChannel.PHONE_101, ReportingChannel.COUNCIL, ReportingChannel.ONLINE]
                ),
                is_complaint=True,
                reported_on=self.today - dt.timedelta(days=ago - delay),
                complainant=complainant,
                is_hate_incident=hate,
            )


def build_caseload(structure: Structure, settings: CaseloadSettings | None = None) -> CaseloadResult:
    b = _Builder(structure, settings or CaseloadSettings())
    _problem_place(b)
    _bingo_hall(b)
    _hate(b)
    _domestic_abuse(b)
    _cuckooing(b)
    _county_line(b)
    _transferred(b)
    _ordinary(b)
    logger.info("demo caseload: %s cases created", b.created)
    return CaseloadResult(b.created)


def _problem_place(b: _Builder) -> None:
    pc, kbc = b.user("pc.hughes"), b.user("kbc.asb")
    shop = b.place("Chicken Shack (fast-food restaurant)")
    with _as(pc):
        case = b.open(
            "chicken-shack",
            pc,
            opened_days_ago=540,
            case_type=CaseType.PROBLEM_PLACE,
            title="Knives hidden at the Chicken Shack, Gold Street, Kettering",
            summary="Knives found hidden in bins and planters around the restaurant; groups of youths "
            "gather late at night. SARA problem-solving with the council and licensing.",
            sara_stage="response",
            owning_district=b.s.districts[KETTERING],
        )
        if case is None:
            return
        services.add_place(case, shop, pc, role="problem_premises")
        for ago, title in (
            (530, "Kitchen knife found in a planter"),
            (410, "Machete found behind the bins"),
            (300, "Fight outside after closing"),
            (200, "Knife found under a bench"),
            (95, "Group of youths refusing to leave"),
            (20, "Knife found in a drain"),
        ):
            services.record_entry(
                case,
                pc,
                kind=EntryKind.INCIDENT,
                title=title,
                occurred_at=b.days_ago(ago, 23),
                place=shop,
                reporting_channel=ReportingChannel.PATROL,
            )
        services.record_entry(
            case,
            pc,
            kind=EntryKind.DECISION,
            title="Weapon sweeps twice nightly, Thu–Sat",
            occurred_at=b.days_ago(400, 10),
        )
        b.share(case, pc, "kettering-bc")
        services.add_action(
            case,
            pc,
            title="Knife amnesty bin and signage",
            due_on=b.today - dt.timedelta(days=10),
            assigned_agency=b.s.agencies["kettering-bc"],
            assigned_officer=kbc,
        )
        services.add_action(
            case,
            pc,
            title="Review CCTV coverage of Gold Street",
            due_on=b.today + dt.timedelta(days=14),
            assigned_agency=b.s.agencies["police"],
            assigned_officer=pc,
        )
    with _as(kbc):
        residents = [
            b.person(kbc, n, g, f, dob_year=y)
            for n, (g, f, y) in enumerate(
                [("Margaret", "Hollis", 1948), ("Sunil", "Desai", 1979), ("Kerry", "Baxter", 1991)]
            )
        ]
        asb = b.open(
            "flats-above",
            kbc,
            opened_days_ago=150,
            case_type=CaseType.ASB_PERSONAL,
            title="Residents above the Chicken Shack harassed late at night",
            issue="Late-night noise, shouting and threats outside the flats",
            owning_district=b.s.districts[KETTERING],
        )
        if asb is not None:
            services.add_place(asb, shop, kbc, role="incident_location")
            for r in residents:
                services.add_person(asb, r, kbc, role="victim")
            # Three qualifying complaints within six months: the ASB case review threshold is met.
            b.complaints(asb, kbc, shop, residents, [(120, 2), (70, 5), (25, 1)], "Shouting and threats at night")
            services.add_action(
                asb,
                kbc,
                title="Offer a case review application form",
                due_on=b.today + dt.timedelta(days=7),
                assigned_agency=b.s.agencies["kettering-bc"],
                assigned_officer=kbc,
            )
            services.apply_for_case_review(
                asb, kbc, received_on=b.today - dt.timedelta(days=10), applicant=residents[0]
            )
            complete(
                asb,
                kbc,
                key="asb_victim_risk",
                person=residents[0],
                answers={
                    q.id: "yes" if n < 8 else "no" for n, q in enumerate(load_shipped("asb_victim_risk").questions)
                },
            )
            # A warning to the ringleader, then a notice once the time to comply has passed.
            ringleader = b.person(kbc, 3, "Jordan", "Pike", dob_year=2001, dob_month=6, dob_day=2, sex="male")
            services.add_person(asb, ringleader, kbc, role="perpetrator")
            warned = b.days_ago(60, 14)
            services.record_power(
                asb,
                kbc,
                power="cpw",
                action="issued",
                on=warned,
                person=ringleader,
                until=warned + dt.timedelta(days=14),
                reference="KBC-CPW-0412",
            )
            services.record_power(
                asb,
                kbc,
                power="cpn",
                action="issued",
                on=b.days_ago(30, 11),
                person=ringleader,
                reference="KBC-CPN-0107",
            )


def _bingo_hall(b: _Builder) -> None:
    cbc = b.user("cbc.asb")
    hall = b.place("Corby Mecca-style bingo hall")
    with _as(cbc):
        neighbours = [b.person(cbc, 10 + n, g, f) for n, (g, f) in enumerate([("Alan", "McBride"), ("Fiona", "Reid")])]
        case = b.open(
            "bingo-hall",
            cbc,
            opened_days_ago=260,
            case_type=CaseType.ASB_NUISANCE,
            title="Noise and gatherings at the bingo hall car park, Corporation Street",
            issue="Car park gatherings, noise and litter after 11pm",
            owning_district=b.s.districts[CORBY],
        )
        if case is None:
            return
        services.add_place(case, hall, cbc, role="incident_location")
        for n in neighbours:
            services.add_person(case, n, cbc, role="victim")
        # Two complaints in time and one reported seven weeks after the behaviour: threshold not met.
        b.complaints(case, cbc, hall, neighbours, [(150, 3), (90, 50), (40, 2)], "Car park noise after closing")
        services.record_entry(
            case,
            cbc,
            kind=EntryKind.CONTACT,
            title="Met the hall's manager",
            body="Agreed to close the car park barrier at 11pm.",
            occurred_at=b.days_ago(80, 14),
        )


def _hate(b: _Builder) -> None:
    cbc, enc = b.user("cbc.asb"), b.user("enc.asb")
    with _as(cbc):
        victim = b.person(cbc, 20, "Amir", "Rahman", dob_year=1986, sex="male")
        case = b.open(
            "hate-willow",
            cbc,
            opened_days_ago=120,
            case_type=CaseType.HATE_CRIME,
            title="Racist abuse of a shopkeeper at Willow Place",
            hate_strands=["race", "religion"],
            owning_district=b.s.districts[CORBY],
        )
        if case is not None:
            services.add_person(case, victim, cbc, role="victim")
            services.add_place(case, b.place("Willow Place shopping centre"), cbc, role="incident_location")
            b.complaints(
                case,
                cbc,
                b.place("Willow Place shopping centre"),
                [victim],
                [(110, 0), (60, 1)],
                "Racist abuse shouted at the shop",
                hate=True,
            )
            b.share(case, cbc, "police", purpose="crime_disorder")
    with _as(enc):
        victim2 = b.person(enc, 21, "Daniel", "Ashworth", dob_year=1972, sex="male")
        case2 = b.open(
            "hate-rushden",
            enc,
            opened_days_ago=200,
            case_type=CaseType.HATE_INCIDENT,
            title="Repeated disability hate incidents against a Rushden resident",
            hate_strands=["disability"],
            owning_district=b.s.districts[EAST_NORTHANTS],
        )
        if case2 is not None:
            services.add_person(case2, victim2, enc, role="victim")
            services.add_place(case2, b.home(enc, EAST_NORTHANTS), enc, role="victim_home")
            b.complaints(case2, enc, None, [victim2], [(190, 4), (100, 2)], "Name-calling and mimicry", hate=True)


def _domestic_abuse(b: _Builder) -> None:
    pc = b.user("pc.hughes")
    with _as(pc):
        for n, (level, district, days) in enumerate(
            (("standard", WELLINGBOROUGH, 300), ("medium", KETTERING, 160), ("high", CORBY, 45))
        ):
            victim = b.person(
                pc,
                30 + n,
                ["Leanne", "Joanne", "Natalie"][n],
                ["Price", "Carter", "Walsh"][n],
                sex="female",
                dob_year=1980 + 3 * n,
                caveat="official_sensitive",
                sensitivity="domestic_abuse",
            )
            partner = b.person(
                pc,
                40 + n,
                ["Craig", "Lee", "Ryan"][n],
                ["Price", "Doyle", "Hart"][n],
                sex="male",
                dob_year=1978 + 3 * n,
                caveat="official_sensitive",
                sensitivity="domestic_abuse",
            )
            case = b.open(
                f"da-{level}",
                pc,
                opened_days_ago=days,
                case_type=CaseType.DOMESTIC_ABUSE,
                title=f"Domestic abuse, {['Wellingborough', 'Kettering', 'Corby'][n]} household ({level} risk)",
                owning_district=b.s.districts[district],
            )
            if case is None:
                continue
            services.add_person(case, victim, pc, role="victim")
            services.add_person(case, partner, pc, role="perpetrator")
            home = b.home(pc, district)
            services.add_place(case, home, pc, role="victim_home")
            for k in range(n + 1):
                services.record_entry(
                    case,
                    pc,
                    kind=EntryKind.INCIDENT,
                    title="Domestic incident attended",
                    occurred_at=b.days_ago(days - 5 - 20 * k, 23),
                    place=home,
                    reporting_channel=ReportingChannel.PHONE_999,
                )
            disclose(
                case,
                to=b.s.agencies[
                    {"E07000150": "corby-bc", "E07000153": "kettering-bc", "E07000156": "wellingborough-bc"}[district]
                ],
                by=pc,
                purpose="domestic_abuse",
                justification="Safeguarding and housing options for the victim",
            )
            # A DASH at the level of the story: 6, 11 and 16 "yes" answers.
            questions = load_shipped("dash").questions
            yes = (6, 11, 16)[n]
            complete(
                case,
                pc,
                key="dash",
                person=victim,
                answers={q.id: ("yes" if i < yes else "no") for i, q in enumerate(questions)},
            )
            if level == "high":
                _marac(b, case, victim, referred_on=b.today - dt.timedelta(days=days - 6))


# The high-risk case at the MARAC: who attends, and what each agency agreed to do (a partner records its own).
MARAC_ATTENDING = ("police", "idva-service", "icb", "probation", "corby-bc", "nnc-social-care", "rockingham-homes")
MARAC_ACTIONS = (
    ("pc.hughes", "police", "Flag the address for an urgent response (treat as high risk)", 14, "done"),
    ("idva.adviser", "idva-service", "Safety plan with the victim; support through the criminal case", 7, "done"),
    ("pc.hughes", "icb", "GP and A&E alert for the victim and the children", 10, "open"),
    ("pc.hughes", "probation", "Check the perpetrator's licence conditions and share them with the IDVA", 10, "open"),
    ("pc.hughes", "rockingham-homes", "Target-harden the property (sanctuary scheme)", 21, "open"),
    ("pc.hughes", "nnc-social-care", "Children's social care visit: assess the children's safety", 5, "done"),
)


def _marac(b: _Builder, case: Case, victim: Person, referred_on: dt.date) -> None:
    """Refer the case to MARAC (shared with the MARAC agencies), record the meeting a week later, and its actions."""
    pc = b.user("pc.hughes")
    meeting = referred_on + dt.timedelta(days=7)
    attending = [b.s.agencies[short] for short in MARAC_ATTENDING]
    referral = services.refer_to_marac(
        case, pc, referred_on=referred_on, person=victim, meeting_on=meeting, attending=attending
    ).referral
    for username, agency, title, due_in, status in MARAC_ACTIONS:
        by = b.user(username)
        with _as(by):
            action = services.add_marac_action(
                referral,
                by,
                title=title,
                due_on=meeting + dt.timedelta(days=due_in),
                assigned_agency=b.s.agencies[agency],
            )
            if status == "done":
                services.update_action(action, by, status="done", outcome="Done, reported back to the MARAC.")


def _cuckooing(b: _Builder) -> None:
    pc, kbc = b.user("pc.hughes"), b.user("kbc.asb")
    with _as(pc):
        resident = b.person(
            pc, 50, "Graham", "Tennant", dob_year=1961, sex="male", description="Lives alone; learning disability"
        )
        case = b.open(
            "cuckoo-kettering",
            pc,
            opened_days_ago=75,
            case_type=CaseType.CUCKOOING,
            title="Flat taken over by dealers, Kettering",
            owning_district=b.s.districts[KETTERING],
        )
        if case is None:
            return
        services.add_person(case, resident, pc, role="vulnerable")
        flat = b.home(pc, KETTERING)
        services.add_place(case, flat, pc, role="cuckooed_address")
        for ago, title in (
            (70, "Neighbours report many short visits"),
            (50, "New cars parked outside overnight"),
            (30, "Resident not seen for two weeks"),
        ):
            services.record_entry(
                case,
                pc,
                kind=EntryKind.INCIDENT,
                title=title,
                occurred_at=b.days_ago(ago, 19),
                place=flat,
                reporting_channel=ReportingChannel.PARTNER,
            )
        b.share(case, pc, "kettering-bc", "rockingham-homes", purpose="safeguarding")
        complete(
            case,
            pc,
            key="cuckooing",
            person=resident,
            answers={q.id: "yes" if n < 9 else "no" for n, q in enumerate(load_shipped("cuckooing").questions)},
        )
        # The flat was closed yesterday evening: the court must hear the closure order within 48 hours.
        served = timezone.now() - dt.timedelta(hours=20)
        services.record_power(
            case,
            pc,
            power="closure_notice",
            action="served",
            on=served,
            place=flat,
            until=served + dt.timedelta(hours=24),
            reference="NP-CN-2291",
        )
        services.record_power(
            case,
            pc,
            power="closure_order",
            action="applied",
            on=served + dt.timedelta(hours=4),
            place=flat,
            reference="NP-CO-2291",
        )
        services.add_action(
            case,
            pc,
            title="Joint welfare visit with housing",
            due_on=b.today - dt.timedelta(days=3),
            assigned_agency=b.s.agencies["rockingham-homes"],
        )
    with _as(kbc):
        services.record_entry(
            case, kbc, kind=EntryKind.CONTACT, title="Adult social care referral made", occurred_at=b.days_ago(28, 11)
        )


def _county_line(b: _Builder) -> None:
    di = b.user("di.okafor")
    with _as(di):
        case = b.open(
            "county-line",
            di,
            opened_days_ago=210,
            case_type=CaseType.COUNTY_LINES,
            title="County line supplying Corby and Wellingborough",
        )
        if case is None:
            return
        services.add_place(case, b.home(di, CORBY), di, role="incident_location")
        services.add_place(case, b.home(di, WELLINGBOROUGH), di, role="incident_location")
        runner = b.person(di, 60, "Tyler", "Brooks", dob_year=b.today.year - 16, sex="male")
        services.add_person(case, runner, di, role="vulnerable")
        services.record_entry(
            case,
            di,
            kind=EntryKind.DECISION,
            title="Referred the young person to the NRM",
            occurred_at=b.days_ago(180, 15),
        )


def _transferred(b: _Builder) -> None:
    kbc, cbc = b.user("kbc.asb"), b.user("cbc.asb")
    with _as(kbc):
        victim = b.person(kbc, 70, "Sharon", "Doherty", dob_year=1969, sex="female")
        case = b.open(
            "moved-to-corby",
            kbc,
            opened_days_ago=330,
            case_type=CaseType.ASB_PERSONAL,
            title="Neighbour harassment: victim rehoused from Kettering to Corby",
            owning_district=b.s.districts[KETTERING],
            issue="Harassment by a neighbour",
        )
        if case is None:
            return
        services.add_person(case, victim, kbc, role="victim")
        services.add_place(case, b.home(kbc, KETTERING), kbc, role="victim_home")
        b.complaints(case, kbc, None, [victim], [(320, 1), (250, 2)], "Harassment by the neighbour")
        services.transfer(
            case,
            kbc,
            to_agency=b.s.agencies["corby-bc"],
            to_officer=cbc,
            to_district=b.s.districts[CORBY],
            reason="The victim has been rehoused in Corby",
        )


def _ordinary(b: _Builder) -> None:
    owners = ["pc.hughes", "kbc.asb", "cbc.asb", "bcw.asb", "enc.asb", "rfh.tenancy"]
    districts = {"kbc.asb": KETTERING, "cbc.asb": CORBY, "bcw.asb": WELLINGBOROUGH, "enc.asb": EAST_NORTHANTS}
    kinds = [
        CaseType.ASB_PERSONAL,
        CaseType.ASB_NUISANCE,
        CaseType.ASB_ENVIRONMENTAL,
        CaseType.NIGHT_TIME_ECONOMY,
        CaseType.PROBLEM_PLACE,
        CaseType.ASB_PERSONAL,
    ]
    titles = [
        "Noise from a neighbouring flat",
        "Fly-tipping in the back lane",
        "Youths gathering by the shops",
        "Drug litter in the park",
        "Vehicle nuisance on the estate",
        "Harassment by a neighbour",
    ]
    statuses = ["open", "open", "under_review", "closed"]
    for n in range(b.cfg.ordinary_cases):
        owner = b.user(owners[n % len(owners)])
        district = districts.get(owner.username, b.rng.choice(list(districts.values())))
        with _as(owner):
            k = b.rng.randrange(len(kinds))
            opened = b.rng.randint(5, b.cfg.months * 30)
            case = b.open(
                f"ordinary-{n}",
                owner,
                opened_days_ago=opened,
                case_type=kinds[k],
                title=titles[k],
                owning_district=b.s.districts[district],
            )
            if case is None:
                continue
            people = list(
                Person.objects.visible_to(owner, Verb.VIEW).filter(sensitivity="general").order_by("pk")[:200]
            )
            if people:
                services.add_person(case, b.rng.choice(people), owner, role="victim")
                perpetrator = b.rng.choice(people)
                if not case.case_people.filter(person=perpetrator).exists():
                    services.add_person(case, perpetrator, owner, role="perpetrator")
            place = b.home(owner, district)
            services.add_place(case, place, owner, role="incident_location")
            if n % 9 == 0:  # some problems spill over a district line
                other = b.rng.choice([d for d in districts.values() if d != district])
                services.add_place(case, b.home(owner, other), owner, role="incident_location")
            for _ in range(b.rng.randint(1, 4)):
                ago = b.rng.randint(1, max(2, opened))
                services.record_entry(
                    case,
                    owner,
                    kind=EntryKind.INCIDENT,
                    title=titles[k],
                    occurred_at=b.days_ago(ago),
                    place=place,
                    reporting_channel=b.rng.choice(list(ReportingChannel.values)),
                    is_complaint=True,
                    reported_on=b.today - dt.timedelta(days=max(0, ago - 3)),
                )
            services.add_action(
                case,
                owner,
                title="Visit and gather evidence",
                due_on=b.today + dt.timedelta(days=b.rng.randint(-20, 30)),
                assigned_agency=b.s.agencies[owner.agency.short_name if owner.agency else "police"],
                assigned_officer=owner,
            )
            status = statuses[n % len(statuses)]
            if status != "open":
                services.change_status(case, owner, to=status, reason="Reviewed at the monthly case meeting")
