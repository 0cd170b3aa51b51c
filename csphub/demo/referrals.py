"""Demo referrals from voluntary and business members, in each state: waiting in the Kettering ASB team's triage
inbox, accepted into a new case, and declined by the police with a reason the referrer sees.

Made through the referral services as the demo users (routing, the ISA check and the audit log apply as in real
use); each has a stable UUID, so re-running adds nothing."""

from __future__ import annotations

import logging
import uuid

from csphub.demo.scenario import _as
from csphub.demo.structure import Structure
from csphub.referrals import services
from csphub.referrals.models import Referral
from csphub.referrals.services import PersonChoice

logger = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("3c9d7a52-58b4-4c3e-8f0e-1d2a6b7c2019")


def build_referrals(structure: Structure) -> int:
    users = structure.users
    created = 0

    def refer(key: str, username: str, **fields: str) -> Referral | None:
        nonlocal created
        uid = uuid.uuid5(NAMESPACE, key)
        if Referral.objects.filter(uuid=uid).exists():
            return None
        with _as(users[username]):
            referral = services.refer(users[username], uuid=uid, **fields)  # type: ignore[arg-type]
        created += 1
        return referral

    refer(
        "waiting",
        "sp.volunteer",
        concern="asb",
        what_happened="About ten young people drinking and fighting by the bus shelters, around 11pm on Saturday. "
        "One was sick and could hardly stand; his friends left him there.",
        where="Kettering bus station, Newland Street",
        postcode="NN16 8AA",
        people="Kyle Mercer, about 16, grey tracksuit\nA girl called Jess, about 15",
        consent="not_asked",
        urgency="soon",
    )
    accepted = refer(
        "accepted",
        "sp.coordinator",
        concern="safeguarding",
        what_happened="A man sleeping in the doorway of the old bank for a week. He says people have been taking "
        "his money and using his flat to sell drugs.",
        where="Doorway of the old bank, Gold Street, Kettering",
        postcode="NN15 6AA",
        people="Martin Hale, about 50",
        consent="given",
        urgency="routine",
    )
    if accepted is not None:
        officer = users["kbc.asb"]
        with _as(officer):
            services.accept_into_new_case(
                accepted,
                officer,
                case_type="cuckooing",
                title="Possible cuckooing: Martin Hale's flat",
                summary="Referred by Kettering Street Pastors: man sleeping rough says his flat is used by dealers.",
                new_place=True,
                people=[PersonChoice(role="vulnerable", new=("Martin", "Hale"))],
            )
    declined = refer(
        "declined",
        "pubwatch.chair",
        concern="crime",
        what_happened="A customer was seen passing small bags to others in the toilets of the Rose and Crown.",
        where="Rose and Crown, Corporation Street, Corby",
        postcode="NN17 1AB",
        people="A man in his 20s, shaved head, black puffer jacket",
        consent="not_asked",
        urgency="routine",
    )
    if declined is not None:
        officer = users["pc.hughes"]
        with _as(officer):
            services.decline(
                declined,
                officer,
                "Thank you. Please report this through Crimestoppers or 101 with the date and time, so that it "
                "goes to the Corby neighbourhood team's intelligence log.",
            )
    logger.info("demo referrals: %s created", created)
    return created
