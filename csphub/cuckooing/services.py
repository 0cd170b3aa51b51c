"""Verbs of the cuckooing register: add a person or premises, bring it to the panel, complete its checklist, offer
support and record the answer, review it.

Each verb asks the access policy first (``require``); sharing with the panel goes through the access services
(``disclose``, ``share_with_user``), so every disclosure needs an ISA that covers it and is logged naming it.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.access.models import Governed
from csphub.access.policy import is_community_user, may_keep_cuckooing_register
from csphub.access.services import DisclosureRefused, disclose, require, share_with_user
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.assessments.models import CompletedAssessment
from csphub.assessments.services import complete_about
from csphub.cuckooing.models import (
    PanelMember,
    PanelReview,
    RecordStatus,
    SupportOffer,
    SupportResponse,
    VulnerabilityRecord,
)
from csphub.partnership.models import Agency, Purpose, User
from csphub.registers.models import Person, Place

CHECKLIST = "cuckooing"
# What the panel shares records for: safeguarding the resident (the cuckooing case type's purpose too).
PANEL_PURPOSE = Purpose.SAFEGUARDING
PANEL_JUSTIFICATION = "Brought to the cuckooing panel: shared with its members to safeguard the resident"


@transaction.atomic
def add_to_register(
    by: User,
    *,
    person: Person | None = None,
    premises: Place | None = None,
    summary: str = "",
    review_on: dt.date | None = None,
    bring_to_panel: bool = True,
    uuid: uuid_module.UUID | None = None,
) -> VulnerabilityRecord:
    """A new vulnerability record about a person, a premises or both (the caller fetched each through
    ``visible_to``), owned by the user's agency, OFFICIAL-SENSITIVE; brought to the panel unless told not to.
    ``uuid``: a stable one (the demo's, so that re-running adds nothing)."""
    if not may_keep_cuckooing_register(by):
        raise PermissionDenied("Your role does not allow you to add people or premises to the cuckooing register.")
    if person is None and premises is None:
        raise ValidationError("Choose the person, the premises or both")
    for linked in (person, premises):
        if linked is not None:
            require(by, Verb.VIEW, linked)
    # The resident's own handling travels with the record: a domestic-abuse victim's record is domestic abuse too.
    sensitivity = person.sensitivity if person is not None else Sensitivity.GENERAL
    record = VulnerabilityRecord(
        **({"uuid": uuid} if uuid is not None else {}),
        person=person,
        premises=premises,
        summary=summary.strip(),
        review_on=review_on,
        owning_agency=by.agency,
        created_by=by,
        caveat=Caveat.OFFICIAL_SENSITIVE,
        sensitivity=sensitivity,
    )
    record.full_clean()
    record.save()
    if bring_to_panel:
        share_with_panel(record, by)
    return record


@dataclass
class PanelSharing:
    """What bringing a record to the panel did: who it was shared with, and what stayed with its holder and why."""

    agencies: list[Agency] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)


def panel_members(partnership_id: int | None = None) -> list[User]:
    members = PanelMember.objects.select_related("user", "user__agency").filter(user__is_active=True)
    if partnership_id is not None:
        members = members.filter(user__agency__partnership_id=partnership_id)
    return [m.user for m in members if m.user.agency_id is not None]


def share_with_panel(record: VulnerabilityRecord, by: User) -> PanelSharing:
    """Share the record, and its person and premises, with the panel's members: a statutory member's agency becomes
    a party (``disclose``), a voluntary-sector member is shared with personally (``share_with_user``). Each needs an
    ISA covering the data for safeguarding; what no ISA covers stays with its holder (a domestic-abuse victim stays
    hidden from a member whose agency has no domestic-abuse agreement)."""
    require(by, Verb.SHARE, record)
    done = PanelSharing()
    partnership = by.agency.partnership_id if by.agency is not None else None
    seen_agencies: set[int] = set()
    for member in panel_members(partnership):
        agency = member.agency
        assert agency is not None
        if is_community_user(member):
            # The record first: its person and premises go only with it.
            if _share_personally(record, by, member, done):
                done.users.append(member)
                for item in record.disclosure_companions():
                    _share_personally(item, by, member, done)
            continue
        if agency.pk in seen_agencies or agency.pk == record.owning_agency_id:
            continue
        seen_agencies.add(agency.pk)
        try:
            disclose(record, to=agency, by=by, purpose=PANEL_PURPOSE, justification=PANEL_JUSTIFICATION)
        except DisclosureRefused as exc:
            done.withheld.append(f"{record.reference} from {agency}: {exc.reason}")
        else:
            done.agencies.append(agency)
    return done


def _share_personally(item: Governed, by: User, member: User, done: PanelSharing) -> bool:
    if item.shared_with_users.filter(pk=member.pk).exists():
        return True
    try:
        share_with_user(item, to=member, by=by, purpose=PANEL_PURPOSE, justification=PANEL_JUSTIFICATION)
    except DisclosureRefused as exc:
        done.withheld.append(f"{item._meta.verbose_name} for {member.get_username()}: {exc.reason}")
        return False
    except PermissionDenied:
        done.withheld.append(f"{item._meta.verbose_name} for {member.get_username()}: you may not share it")
        return False
    return True


def complete_checklist(
    record: VulnerabilityRecord,
    by: User,
    *,
    answers: Mapping[str, str | None],
    judgement: str = "",
    judgement_reason: str = "",
) -> CompletedAssessment:
    """The cuckooing checklist about this record, scored by the assessments service with its active version."""
    return complete_about(
        record,
        by,
        key=CHECKLIST,
        answers=answers,
        person=record.person,
        judgement=judgement,
        judgement_reason=judgement_reason,
    )


@transaction.atomic
def offer_support(
    record: VulnerabilityRecord, by: User, *, service: str, offered_on: dt.date, agency: Agency | None = None
) -> SupportOffer:
    """Support offered to the resident by an agency (the user's own, by default)."""
    require(by, Verb.CHANGE, record)
    if not service.strip():
        raise ValidationError({"service": "Enter the support offered"})
    if offered_on > timezone.localdate():
        raise ValidationError({"offered_on": "The date the support was offered must be today or in the past"})
    offer = SupportOffer(
        record=record,
        agency=agency or by.agency,
        service=service.strip(),
        offered_on=offered_on,
        recorded_by=by,
    )
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def record_response(
    offer: SupportOffer, by: User, *, response: str, responded_on: dt.date | None = None, outcome: str = ""
) -> SupportOffer:
    """Whether the resident accepted or declined the offer, and what came of it."""
    require(by, Verb.CHANGE, offer.record)
    if response not in SupportResponse.values:
        raise ValidationError({"response": "Choose offered, accepted or declined"})
    if responded_on is not None and responded_on < offer.offered_on:
        raise ValidationError({"responded_on": "The answer cannot come before the offer"})
    offer.response = response
    offer.responded_on = responded_on if response != SupportResponse.OFFERED else None
    offer.outcome = outcome.strip()
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def record_review(
    record: VulnerabilityRecord,
    by: User,
    *,
    reviewed_on: dt.date,
    next_review_on: dt.date | None,
    note: str = "",
    close: bool = False,
) -> PanelReview:
    """The panel reviewed the record: the next review date (none when it closes it)."""
    require(by, Verb.CHANGE, record)
    if close and next_review_on is not None:
        raise ValidationError({"next_review_on": "A closed record has no next review"})
    if not close and next_review_on is None:
        raise ValidationError({"next_review_on": "Enter when the panel reviews it next"})
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ValidationError({"next_review_on": "The next review must come after this one"})
    review = PanelReview(
        record=record,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
        closed=close,
        note=note.strip(),
        recorded_by=by,
    )
    review.full_clean()
    review.save()
    record.review_on = next_review_on
    if close:
        record.status = RecordStatus.CLOSED
        record.closed_on = reviewed_on
    record.save()
    return review
