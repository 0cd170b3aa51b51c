"""The demo's cuckooing panel: its members, and a panel's worth of vulnerable people and premises across North
Northamptonshire, with their checklists, support offered (accepted, declined, still open) and review dates.

The people are the demo register's own (the scenario's generated, clearly fictional names) and the premises their
homes. Everything goes through the cuckooing services as the demo users, so ISAs, access and the audit log apply.
Each record has a stable UUID: re-running adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from csphub.access.vocabulary import Sensitivity
from csphub.assessments.engine import load_shipped
from csphub.cuckooing import services
from csphub.cuckooing.models import PanelMember, SupportResponse, VulnerabilityRecord
from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.registers.models import Person, PersonPlace, Place, PlaceRelation

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("5a0f3c1e-7d21-4c3e-8e0b-21c0cc00d021")

# Who sits on the panel: the police SOC lead who chairs it, councils, housing, health, adult social care and two
# voluntary services (shared with personally).
MEMBERS = (
    "di.okafor",
    "pc.hughes",
    "kbc.asb",
    "cbc.asb",
    "bcw.asb",
    "enc.asb",
    "rfh.tenancy",
    "icb.safeguarding",
    "nnc.adults",
    "sp.volunteer",
    "outreach.worker",
)
# Who brings records to the panel (each picks residents they may see).
BRINGERS = ("pc.hughes", "pc.hughes", "kbc.asb", "cbc.asb", "bcw.asb", "enc.asb", "rfh.tenancy")
SUPPORT = (
    ("rfh.tenancy", "Tenancy sustainment visit"),
    ("kbc.asb", "Door and lock check with the neighbourhood team"),
    ("icb.safeguarding", "Referral to the community mental health team"),
    ("nnc.adults", "Adult social care needs assessment"),
    ("pc.hughes", "Safe and well visit"),
    ("cbc.asb", "Target-hardening: door chain and viewer"),
)
SUMMARIES = (
    "Neighbours report many short visits to the flat at all hours.",
    "Lives alone; a new 'friend' has been staying and holds the resident's bank card.",
    "Housing officer found the resident withdrawn and the door fortified.",
    "Drug litter and several phones seen during a welfare visit.",
    "Recently out of hospital; unknown young people seen using the property.",
    "Resident has stopped answering the door to support workers.",
)


@dataclass(frozen=True)
class CuckooingSettings:
    seed: int = 20261207
    records: int = 30

    def __post_init__(self) -> None:
        if not 0 <= self.records <= 200:
            raise ValueError("records must be between 0 and 200")


def _residents(structure: Structure, username: str) -> list[tuple[Person, Place]]:
    """People of general sensitivity the user may see, with a located home they may see too."""
    user = structure.users[username]
    homes = PersonPlace.objects.filter(
        relation=PlaceRelation.LIVES_AT,
        place__in=Place.objects.visible_to(user).filter(easting__isnull=False),
        person_id=OuterRef("pk"),
    )
    people = (
        Person.objects.visible_to(user)
        .filter(sensitivity=Sensitivity.GENERAL)
        .filter(Exists(homes))
        .order_by("pk")[:80]
    )
    found = []
    for person in people:
        link = (
            PersonPlace.objects.filter(person=person, relation=PlaceRelation.LIVES_AT, place__easting__isnull=False)
            .select_related("place")
            .order_by("pk")
            .first()
        )
        if link is not None and Place.objects.visible_to(user).filter(pk=link.place_id).exists():
            found.append((person, link.place))
    return found


def _seat(structure: Structure) -> None:
    for username in MEMBERS:
        user = structure.users.get(username)
        if user is not None:
            with _as(user):
                PanelMember.objects.get_or_create(user=user)


def build_cuckooing(structure: Structure, settings: CuckooingSettings | None = None) -> int:
    """The panel and its records; returns how many records were added (0 on a re-run)."""
    cfg = settings or CuckooingSettings()
    rng = random.Random(cfg.seed)
    today = timezone.localdate()
    questions = load_shipped(services.CHECKLIST).questions
    _seat(structure)
    pools = {name: _residents(structure, name) for name in set(BRINGERS)}
    used: set[int] = set()
    added = 0
    for index in range(cfg.records):
        uid = uuid.uuid5(NAMESPACE, f"record-{index}")
        bringer_name = BRINGERS[index % len(BRINGERS)]
        candidates = [pair for pair in pools[bringer_name] if pair[0].pk not in used]
        # Draw the same numbers whether or not the record exists, so that a re-run picks as the first run did.
        risk = rng.random()
        opened_ago = rng.randint(7, 400)
        pick = rng.randrange(len(candidates)) if candidates else -1
        if VulnerabilityRecord.objects.filter(uuid=uid).exists() or pick < 0:
            if pick >= 0:
                used.add(candidates[pick][0].pk)
            continue
        person, home = candidates[pick]
        used.add(person.pk)
        bringer = structure.users[bringer_name]
        opened_on = today - dt.timedelta(days=opened_ago)
        # Reviews every eight weeks; about one in eight is overdue.
        review_on = today + dt.timedelta(days=rng.randint(-30, -3) if index % 8 == 3 else rng.randint(5, 56))
        with _as(bringer):
            record = services.add_to_register(
                bringer,
                person=person if index % 10 != 7 else None,  # a few premises-only records
                premises=home,
                summary=SUMMARIES[index % len(SUMMARIES)],
                review_on=review_on,
                uuid=uid,
            )
            VulnerabilityRecord.objects.filter(pk=record.pk).update(opened_on=opened_on)
            last_review = review_on - dt.timedelta(days=56)
            if last_review > opened_on:
                services.record_review(
                    record,
                    bringer,
                    reviewed_on=last_review,
                    next_review_on=review_on,
                    note="Panel agreed to keep the record open and review in eight weeks.",
                )
            if index % 9 != 4:  # most have a checklist; a few are waiting for one
                answers = {
                    q.id: ("yes" if rng.random() < risk * (0.9 if q.id.startswith("v") else 0.7) else "no")
                    if rng.random() > 0.1
                    else "not_known"
                    for q in questions
                }
                services.complete_checklist(record, bringer, answers=answers)
        for offer_index in range(rng.randint(0, 3)):
            username, service = SUPPORT[(index + offer_index) % len(SUPPORT)]
            by = structure.users[username]
            record_for_them = VulnerabilityRecord.objects.visible_to(by).filter(pk=record.pk).first()
            by = by if record_for_them is not None else bringer
            offered_on = min(today, opened_on + dt.timedelta(days=rng.randint(1, 30)))
            with _as(by):
                offer = services.offer_support(record, by, service=service, offered_on=offered_on)
                answer = rng.choice([SupportResponse.ACCEPTED, SupportResponse.ACCEPTED, SupportResponse.DECLINED, ""])
                if answer:
                    services.record_response(
                        offer,
                        by,
                        response=answer,
                        responded_on=min(today, offered_on + dt.timedelta(days=rng.randint(1, 14))),
                        outcome="Engaging well; keep under review." if answer == "accepted" else "Resident declined.",
                    )
        added += 1
    logger.info("cuckooing panel: %d records added", added)
    return added
