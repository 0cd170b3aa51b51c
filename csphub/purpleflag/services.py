"""Verbs on Purple Flag evidence packs: create one, write its narrative. Each asks the access policy."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.access.policy import allowed_actions, decide, is_community_user, sees_small_partner_counts
from csphub.access.vocabulary import Verb
from csphub.partnership.models import COMMUNITY_SECTORS, User

from .models import EvidencePack, Narrative
from .standards import SLUGS

if TYPE_CHECKING:
    from csphub.nte.models import NteArea
    from csphub.partnership.models import Agency


def threshold_for(user: User | None) -> int | None:
    """The suppression threshold of partner counts for this reader (None: unsuppressed). A pack printed for no one
    in particular (the command, for the assessors) is suppressed."""
    if user is not None and sees_small_partner_counts(user):
        return None
    return int(settings.CSPHUB_SUPPRESSION_THRESHOLD)


def has_packs(user: User) -> bool:
    """Whether the service navigation offers "Purple Flag" (every page asks).

    A member whose role reads records is offered the list whenever a pack exists: packs hold aggregate figures only,
    and the list shows the packs the policy lets them see. A community-sector user (the town-centre partnership,
    shared with personally) only when a pack is shared with them. Asking the policy on every page for everyone cost
    about 7 ms a page (most of the navigation's time in the canary harness's profile)."""
    if not user.is_authenticated:
        return False
    if not is_community_user(user) and Verb.VIEW in allowed_actions(user):
        return EvidencePack.objects.exists()
    return EvidencePack.objects.visible_to(user).exists()


def may_create(user: User) -> bool:
    return bool(user.is_authenticated and not is_community_user(user) and Verb.CREATE in allowed_actions(user))


@transaction.atomic
def create_pack(
    by: User,
    *,
    title: str,
    town_centre: str,
    district_code: str,
    centre: tuple[float, float],
    first_month: dt.date,
    last_month: dt.date,
    radius_m: int = 700,
    nte_area: NteArea | None = None,
    town_centre_agency: Agency | None = None,
    parties: list[Agency] | tuple[Agency, ...] = (),
    uuid: uuid_module.UUID | None = None,
) -> EvidencePack:
    """A pack owned by the creator's agency; the town-centre partnership's users are shared with it personally (a
    community-sector agency sees nothing through its agency)."""
    if not may_create(by):
        raise PermissionDenied("Only a statutory partner's officers and managers start an evidence pack.")
    pack = EvidencePack(
        uuid=uuid or uuid_module.uuid4(),
        title=title,
        town_centre=town_centre,
        district_code=district_code,
        centre_latitude=centre[0],
        centre_longitude=centre[1],
        radius_m=radius_m,
        first_month=first_month.replace(day=1),
        last_month=last_month.replace(day=1),
        nte_area=nte_area,
        town_centre_agency=town_centre_agency,
        owning_agency=by.agency,
        created_by=by,
    )
    pack.full_clean()
    pack.save()
    statutory = [a for a in parties if a.pk != pack.owning_agency_id and a.sector not in COMMUNITY_SECTORS]
    if town_centre_agency is not None and town_centre_agency.sector not in COMMUNITY_SECTORS:
        statutory.append(town_centre_agency)
    if statutory:
        pack.parties.add(*statutory)
    if town_centre_agency is not None and town_centre_agency.sector in COMMUNITY_SECTORS:
        share_with_town_centre(pack)
    for slug in SLUGS:
        Narrative.objects.create(pack=pack, standard=slug)
    return pack


def share_with_town_centre(pack: EvidencePack) -> None:
    """Share the pack with every active user of its town-centre partnership (re-run when one joins)."""
    agency = pack.town_centre_agency
    if agency is None:
        return
    pack.shared_with_users.add(*User.objects.filter(agency=agency, is_active=True))


def may_edit_narrative(pack: EvidencePack, user: User) -> bool:
    """Whoever the policy lets change the pack (CHANGE: the owning and party agencies' roles that write), and the
    town-centre partnership's users who may see it."""
    if not user.is_authenticated or user.agency_id is None:
        return False
    visible = EvidencePack.objects.visible_to(user).with_rules(user).filter(pk=pack.pk).first()
    if visible is None:
        return False
    if pack.town_centre_agency_id is not None and user.agency_id == pack.town_centre_agency_id:
        return True
    return decide(user, Verb.CHANGE, visible.matched_rules()).allowed


@transaction.atomic
def write_narrative(pack: EvidencePack, by: User, texts: dict[str, str]) -> list[Narrative]:
    """Save the narrative of each standard given; one that did not change is left as it is (no new version)."""
    if not may_edit_narrative(pack, by):
        raise PermissionDenied("Only the pack's owning agency and the town-centre partnership write its narrative.")
    unknown = set(texts) - set(SLUGS)
    if unknown:
        raise ValidationError(f"Unknown standards: {', '.join(sorted(unknown))}")
    changed = []
    for slug, text in texts.items():
        narrative, _ = Narrative.objects.get_or_create(pack=pack, standard=slug)
        text = text.strip()
        if narrative.text == text:
            continue
        narrative.text = text
        narrative.version += 1
        narrative.updated_by = by
        narrative.updated_at = timezone.now()
        narrative.save()
        changed.append(narrative)
    return changed
