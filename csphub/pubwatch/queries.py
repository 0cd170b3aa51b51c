"""What a member sees, through the access policy: their schemes, a scheme's register, the bans due for review.

The register lists the excluded people by name: each ban shown is a consultation in the audit log, with the
justification the member gave for opening the register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from csphub.access import consultation
from csphub.audit.context import current
from csphub.pubwatch.models import ENDED_STATUSES, IN_FORCE_STATUSES, Ban, BanStatus, Membership, Scheme

if TYPE_CHECKING:
    from csphub.partnership.models import User


def schemes_for(user: User) -> QuerySet[Scheme]:
    return Scheme.objects.visible_to(user).select_related("owning_agency").order_by("name")


def is_member(user: User) -> bool:
    """Whether the user belongs to any scheme (the navigation offers Pubwatch only to them)."""
    return bool(user.is_authenticated and Membership.objects.filter(user=user, active=True).exists())


def bans_for(user: User, scheme: Scheme) -> QuerySet[Ban]:
    return (
        Ban.objects.visible_to(user)
        .with_rules(user)
        .filter(scheme=scheme)
        .select_related("incident_at")
        .prefetch_related("premises")
    )


def membership(user: User, scheme: Scheme) -> Membership | None:
    return scheme.memberships.filter(user=user, active=True).first()


@dataclass
class Register:
    proposed: list[Ban]
    awaiting_telling: list[Ban]
    in_force: list[Ban]
    review_due: list[Ban]
    ended: list[Ban]
    today: dt.date


def register(user: User, scheme: Scheme, today: dt.date | None = None) -> Register:
    """The scheme's ban register as this member sees it; every ban shown by name is logged as a consultation."""
    today = today or timezone.localdate()
    bans = list(bans_for(user, scheme).order_by("status", "ends_on", "-proposed_on", "id"))
    current_bans = [b for b in bans if b.status not in ENDED_STATUSES]
    consultation.record_results(
        current_bans,
        f"the ban register of {scheme}",
        {"scheme": str(scheme.uuid)},
        justification=current().justification_for(scheme.uuid),
    )
    in_force = sorted((b for b in bans if b.status in IN_FORCE_STATUSES), key=lambda b: (b.ends_on or today, b.pk))
    return Register(
        proposed=[b for b in bans if b.status == BanStatus.PROPOSED],
        awaiting_telling=[b for b in bans if b.status == BanStatus.DECIDED],
        in_force=in_force,
        review_due=[b for b in in_force if b.review_due(today) or b.status == BanStatus.UNDER_REVIEW],
        ended=sorted((b for b in bans if b.status in ENDED_STATUSES), key=lambda b: b.ended_on or today, reverse=True),
        today=today,
    )
