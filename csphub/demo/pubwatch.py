"""The demo's Pubwatch: Corby Pubwatch, its member premises, its coordinator (pubwatch.chair) and licensees
(pubwatch.member, licensee.price), and a ban register with bans proposed, decided but not yet told,
in force (one with a placeholder photo drawn from shapes, no real face), one with a review due, one under review on
appeal, one upheld on appeal and one that lapsed (its photo deleted by ``expire``).

The police are not members: pc.hughes gets 404 on every Pubwatch page. Everything goes through the Pubwatch
services as the members who would do it; stable UUIDs make re-running add nothing. The people are invented.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.partnership.models import User
from csphub.pubwatch import photos, services
from csphub.pubwatch.models import AppealOutcome, Ban, BanCategory, MemberRole, Premises, Scheme

NAMESPACE = uuid.UUID("7c1e9a52-3b4d-4f60-9e21-2026120700b2")
SCHEME = uuid.uuid5(NAMESPACE, "corby-pubwatch")

PREMISES = (
    ("The Steelworks Tap", "14 Corporation Street, Corby", "pubwatch.member"),
    ("The Candle and Crown", "3 Market Walk, Corby", "licensee.price"),
    ("Rosie's Bar", "27 Elizabeth Street, Corby", ""),
    ("The Old Village Inn", "8 High Street, Old Village, Corby", ""),
)


@dataclass(frozen=True)
class BanSpec:
    key: str
    name: str
    description: str
    category: str
    reasons: str
    incident_days_ago: int
    premises: int  # where it happened (index into PREMISES)
    stage: str  # proposed, decided, in_force, review_due, appeal, upheld, lapsed
    months: int = 6
    photo: bool = False


BANS = (
    BanSpec(
        "glass",
        "Kyle Dawson",
        "Man, about 25, shaved head",
        BanCategory.VIOLENCE,
        "Threw a glass at another customer at closing time; door staff detained him until police arrived.",
        150,
        0,
        "review_due",
        12,
    ),
    BanSpec(
        "staff",
        "Liam Rourke",
        "Man, about 40, beard",
        BanCategory.THREATS,
        "Threatened the duty manager after being refused service; returned the next night.",
        40,
        1,
        "appeal",
        6,
    ),
    BanSpec(
        "powder",
        "Dean Mullen",
        "Man, about 30, slim build",
        BanCategory.DRUGS,
        "Seen passing wraps in the toilets on CCTV; refused to leave when asked.",
        30,
        2,
        "in_force",
        6,
        photo=True,
    ),
    BanSpec(
        "damage",
        "Shane Kerr",
        "Man, about 20",
        BanCategory.DAMAGE,
        "Kicked in the toilet door and broke a hand dryer.",
        12,
        0,
        "decided",
        3,
    ),
    BanSpec(
        "fight",
        "Craig Hollis",
        "Man, about 35, tattoo on neck",
        BanCategory.DISORDER,
        "Started a fight in the beer garden; two customers hurt.",
        5,
        3,
        "proposed",
    ),
    BanSpec(
        "upheld",
        "Ryan Tate",
        "Man, about 28",
        BanCategory.VIOLENCE,
        "Headbutted a door supervisor.",
        100,
        1,
        "upheld",
        12,
    ),
    BanSpec(
        "lapsed",
        "Gary Pike",
        "Man, about 50",
        BanCategory.THEFT,
        "Took a customer's phone from a table.",
        160,
        2,
        "lapsed",
        3,
        photo=True,
    ),
)


def _member(structure: Structure, username: str) -> User:
    return structure.users[username]


def _scheme(structure: Structure) -> Scheme:
    coordinator = _member(structure, "pubwatch.chair")
    scheme = Scheme.objects.filter(uuid=SCHEME).first()
    if scheme is None:
        scheme = services.create_scheme(
            coordinator,
            name="Corby Pubwatch",
            agency=structure.agencies["pubwatch"],
            coordinator=coordinator,
            area="Corby town centre",
            max_ban_months=24,
            uuid=SCHEME,
        )
    for name, address, licensee in PREMISES:
        premises = scheme.premises.filter(name=name).first() or services.add_premises(
            scheme, coordinator, name=name, address=address
        )
        if licensee and not scheme.memberships.filter(user=_member(structure, licensee)).exists():
            services.add_member(
                scheme, coordinator, user=_member(structure, licensee), role=MemberRole.LICENSEE, premises=premises
            )
    return scheme


def _photo(label: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{label}.png", photos.placeholder(label), content_type="image/png")


def _ban(structure: Structure, scheme: Scheme, spec: BanSpec, today: dt.date) -> Ban:
    coordinator = _member(structure, "pubwatch.chair")
    premises: list[Premises] = list(scheme.premises.order_by("id"))
    licensee_names = [p[2] for p in PREMISES if p[2]]
    proposer = _member(structure, licensee_names[spec.premises % len(licensee_names)])
    deciders = [_member(structure, n) for n in licensee_names]
    incident_on = today - dt.timedelta(days=spec.incident_days_ago)
    ban = services.propose_ban(
        scheme,
        proposer,
        excluded=services.Excluded(spec.name, spec.description),
        category=spec.category,
        incident_on=incident_on,
        incident_at=premises[spec.premises],
        reasons=spec.reasons,
        photo=_photo(spec.key) if spec.photo else None,
        uuid=uuid.uuid5(NAMESPACE, f"ban-{spec.key}"),
    )
    if spec.stage == "proposed":
        return ban
    decided_on = incident_on + dt.timedelta(days=min(7, spec.incident_days_ago))
    review_on = today - dt.timedelta(days=7) if spec.stage == "review_due" else None
    services.decide(
        ban,
        proposer,
        decided_on=decided_on,
        decided_by=deciders,
        minutes=(
            f"Scheme meeting of {decided_on:%d %B %Y}. {proposer.get_full_name()} described the incident; the CCTV "
            f"was viewed. The licensees present agreed unanimously to ban {spec.name} from "
            f"{'all member premises' if ban.covers_all_premises else 'the premises listed'} for {spec.months} months."
        ),
        starts_on=decided_on,
        months=spec.months,
        review_on=review_on,
    )
    if spec.stage == "decided":
        return ban
    with _as(coordinator):
        services.tell_person(ban, coordinator, told_on=decided_on + dt.timedelta(days=1), how="letter")
        if spec.stage in ("appeal", "upheld"):
            services.lodge_appeal(
                ban, coordinator, lodged_on=decided_on + dt.timedelta(days=10), grounds="Says he was provoked."
            )
    if spec.stage == "upheld":
        hearer = _member(structure, licensee_names[(spec.premises + 1) % len(licensee_names)])
        with _as(hearer):
            services.decide_appeal(
                ban,
                hearer,
                decided_on=decided_on + dt.timedelta(days=35),
                outcome=AppealOutcome.UPHELD,
                note="Heard by a licensee who did not propose the ban; the CCTV shows an unprovoked assault.",
            )
    return ban


def build_pubwatch(structure: Structure) -> int:
    """Corby Pubwatch and its ban register; then ``expire`` lapses the ended ban and deletes its photo. Returns the
    number of bans on the register."""
    today = timezone.localdate()
    with _as(_member(structure, "pubwatch.chair")):
        scheme = _scheme(structure)
    for spec in BANS:
        if Ban.objects.filter(uuid=uuid.uuid5(NAMESPACE, f"ban-{spec.key}")).exists():
            continue
        licensee_names = [p[2] for p in PREMISES if p[2]]
        proposer_name = licensee_names[spec.premises % len(licensee_names)]
        with _as(_member(structure, proposer_name)):
            _ban(structure, scheme, spec, today)
    with _as(_member(structure, "pubwatch.chair")):
        services.expire(today)
    return scheme.bans.count()
