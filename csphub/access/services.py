"""Verbs on governed records that change who may see them: disclose, share with a user, request access, review."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from csphub.access.consultation import MIN_JUSTIFICATION_LENGTH
from csphub.access.grants import AccessGrant, AccessGrantQuerySet, GrantStatus
from csphub.access.models import Governed
from csphub.access.policy import (
    GOVERNANCE_ROLES,
    SUPERVISOR_ROLES,
    allowed_actions,
    closed_membership,
    decide,
    is_community_user,
    may_review_grants,
    role_limit_reason,
)
from csphub.access.vocabulary import Verb
from csphub.audit import log
from csphub.audit.models import Operation
from csphub.partnership.models import Agency, InformationSharingAgreement, Purpose, User
from csphub.partnership.sharing import SharingDecision, check_disclosure
from csphub.ui.dates import govuk_when


class DisclosureRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def governed_models() -> dict[str, type[Governed]]:
    return {m._meta.label_lower: m for m in apps.get_models() if issubclass(m, Governed)}


# The short reference shown on a register record's page: a type letter and the first 8 hex digits of its UUID
# (P-1B4E28BA for a person, L- a place, T- a phone, V- a vehicle).
_SHORT_REFERENCE = re.compile(r"^[A-Z]-([0-9A-F]{8})$")


class AmbiguousReference(Exception):
    """A short reference shared by more than one record: the full reference (the UUID) is needed."""


def _by_uuid(record_uuid: uuid.UUID) -> Governed | None:
    for model in governed_models().values():
        obj = model._base_manager.filter(uuid=record_uuid).first()
        if obj is not None:
            return obj
    return None


def _by_short_reference(reference: str, prefix: str) -> list[Governed]:
    # A range on the UUID (the unique index serves it on every database) rather than a text prefix of it.
    low, high = uuid.UUID(prefix + "0" * 24), uuid.UUID(prefix + "f" * 24)
    found: list[Governed] = []
    for model in governed_models().values():
        for obj in model._base_manager.filter(uuid__range=(low, high)):
            if getattr(obj, "reference", None) == reference:
                found.append(obj)
    return found


def _by_stored_reference(reference: str) -> Governed | None:
    """A record whose own ``reference`` field holds this reference (a case: NN-ASB-2026-000123)."""
    name = "reference"
    for model in governed_models().values():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not getattr(field, "unique", False):
            continue
        obj = model._base_manager.filter(**{f"{name}__iexact": reference}).first()
        if obj is not None:
            return obj
    return None


def find_record(reference: uuid.UUID | str) -> Governed | None:
    """The governed record with this reference, whatever its type (no access check: callers decide).

    A reference is what people know: the record's UUID, a case reference (NN-ASB-2026-000123) or a register
    record's short reference (P-1B4E28BA). AmbiguousReference if a short reference names more than one record."""
    if isinstance(reference, uuid.UUID):
        return _by_uuid(reference)
    text = (reference or "").strip()
    if not text:
        return None
    try:
        return _by_uuid(uuid.UUID(text))
    except ValueError:
        pass
    short = _SHORT_REFERENCE.match(text.upper())
    if short:
        found = _by_short_reference(text.upper(), short.group(1).lower())
        if len(found) > 1:
            raise AmbiguousReference(text)
        return found[0] if found else None
    return _by_stored_reference(text)


def _check_justification(text: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_JUSTIFICATION_LENGTH:
        raise ValidationError(
            f"Write a justification of at least {MIN_JUSTIFICATION_LENGTH} characters: why you need this record."
        )
    return text


def require(user: User, action: Verb, record: Governed) -> None:
    obj = type(record).objects.filter(pk=record.pk).with_rules(user).first()
    decision = decide(user, action, obj.matched_rules() if obj is not None else ())
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


def disclose(record: Governed, *, to: Agency, by: User, purpose: str, justification: str) -> SharingDecision:
    """Make ``to`` a party to the record, if an ISA covers it. Refused (with the reason) otherwise."""
    require(by, Verb.SHARE, record)
    justification = _check_justification(justification)
    if purpose not in Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}")
    if by.agency is None:
        raise PermissionDenied("You must belong to an agency to share records.")
    if to.pk == record.owning_agency_id or record.parties.filter(pk=to.pk).exists():
        return SharingDecision(True, f"{to} is already a party to this record.")
    decision = check_disclosure(by.agency, to, record.data_category, purpose)
    if not decision.allowed:
        log.write(
            log.Event.about(
                Operation.SECURITY,
                record,
                f"Disclosure to {to} refused",
                justification=justification,
                recipients=[to.name],
                detail={"reason": decision.reason, "purpose": purpose},
            )
        )
        raise DisclosureRefused(decision.reason)
    assert decision.agreement is not None
    detail = {"purpose": purpose, "agreement": decision.agreement.reference, "recipient_uuid": str(to.uuid)}
    with transaction.atomic():
        record.parties.add(to)
        events = [
            log.Event.about(
                Operation.DISCLOSURE,
                record,
                f"Disclosed to {to}",
                justification=justification,
                basis=decision.agreement.reference,
                recipients=[to.name],
                detail=detail,
            )
        ]
        for companion in _companions_to_share(record, by, to):
            companion.parties.add(to)
            events.append(
                log.Event.about(
                    Operation.DISCLOSURE,
                    companion,
                    f"Disclosed to {to} with {record._meta.verbose_name}",
                    related=record,
                    justification=justification,
                    basis=decision.agreement.reference,
                    recipients=[to.name],
                    detail=detail,
                )
            )
        log.write(*events)
    return decision


def _companions_to_share(record: Governed, by: User, to: Agency) -> list[Governed]:
    """Linked records the discloser may share and the recipient does not hold yet (same ISA coverage)."""
    result = []
    for companion in record.disclosure_companions():
        if companion.partnership_wide or companion.owning_agency_id == to.pk:
            continue
        if companion.parties.filter(pk=to.pk).exists():
            continue
        obj = type(companion).objects.filter(pk=companion.pk).with_rules(by).first()
        if obj is not None and decide(by, Verb.SHARE, obj.matched_rules()).allowed:
            result.append(companion)
    return result


@dataclass(frozen=True)
class Handover:
    """A linked record handed on to an agency under an information sharing agreement."""

    record: Governed
    to: Agency
    agreement: InformationSharingAgreement


@dataclass(frozen=True)
class Withheld:
    """A linked record the acting user may see that stays with its owner, and why."""

    record: Governed
    to: Agency
    reason: str


@dataclass
class HandoverPlan:
    """What handing linked records on would do: each record either goes (under an ISA) or stays with its owner.

    Records the acting user may not see are only counted (``hidden_withheld``): never named to them."""

    handed_on: list[Handover] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    hidden_withheld: int = 0

    @property
    def complete(self) -> bool:
        """Everything would be handed on: nothing stays behind."""
        return not self.withheld and not self.hidden_withheld

    def extend(self, other: HandoverPlan) -> None:
        self.handed_on.extend(other.handed_on)
        self.withheld.extend(other.withheld)
        self.hidden_withheld += other.hidden_withheld


def plan_handover(
    records: Iterable[Governed], *, to: Agency, by: User | None, purpose: str | None = None
) -> HandoverPlan:
    """Which of ``records`` may be handed on to ``to`` (a pure read: nothing changes, nothing is logged).

    A record goes only if the acting user may see it and may share it (``Verb.SHARE``), and an ISA in force between
    the sharing agency and ``to`` covers its data category and the purpose (``check_disclosure``, as ``disclose``).
    With no acting user (an automatic step, e.g. the linkage), the sharing agency is the record's owner. Records
    ``to`` already holds, or that every member sees (partnership-wide), are left out: nothing is handed on."""
    if purpose is not None and purpose not in Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}")
    plan = HandoverPlan()
    seen: set[tuple[str, int]] = set()
    for record in records:
        key = (record._meta.label_lower, record.pk)
        if key in seen:
            continue
        seen.add(key)
        if record.partnership_wide or record.owning_agency_id == to.pk or record.parties.filter(pk=to.pk).exists():
            continue
        source = record.owning_agency
        if by is not None:
            obj = type(record).objects.filter(pk=record.pk).with_rules(by).first()
            if obj is None or not obj.matched_rules():
                plan.hidden_withheld += 1
                continue
            decision = decide(by, Verb.SHARE, obj.matched_rules())
            if not decision.allowed:
                plan.withheld.append(Withheld(record, to, decision.reason))
                continue
            if by.agency is None:
                plan.withheld.append(Withheld(record, to, "You must belong to an agency to share records."))
                continue
            source = by.agency
        sharing = check_disclosure(source, to, record.data_category, purpose)
        if not sharing.allowed or sharing.agreement is None:
            plan.withheld.append(Withheld(record, to, sharing.reason))
            continue
        plan.handed_on.append(Handover(record, to, sharing.agreement))
    return plan


def hand_on(
    plan: HandoverPlan,
    *,
    summary: str,
    justification: str,
    related: Governed | None = None,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
    add_parties: bool = True,
) -> list[Handover]:
    """Carry out a plan: each record handed on is made the recipient's (``add_parties``) and logged as a disclosure
    naming its ISA (``{to}`` in ``summary`` names the recipient). ``add_parties`` False: the data reaches the
    recipient another way (a merge moves it onto a record they hold), and only the disclosure is logged."""
    events = []
    with transaction.atomic():
        for item in plan.handed_on:
            if add_parties:
                item.record.parties.add(item.to)
            events.append(
                log.Event.about(
                    Operation.DISCLOSURE,
                    item.record,
                    summary.replace("{to}", str(item.to)),
                    related=related,
                    justification=justification,
                    basis=item.agreement.reference,
                    recipients=[item.to.name],
                    detail={
                        **(detail or {}),
                        "purpose": purpose or "",
                        "agreement": item.agreement.reference,
                        "recipient_uuid": str(item.to.uuid),
                    },
                )
            )
        if events:
            log.write(*events)
    return plan.handed_on


def share_with_user(record: Governed, *, to: User, by: User, purpose: str, justification: str) -> SharingDecision:
    """Share a record with one named user (e.g. a voluntary-sector worker), under an ISA with their agency."""
    require(by, Verb.SHARE, record)
    justification = _check_justification(justification)
    if to.agency is None or by.agency is None:
        raise DisclosureRefused("Both users must belong to an agency.")
    decision = check_disclosure(by.agency, to.agency, record.data_category, purpose)
    if not decision.allowed:
        log.write(
            log.Event.about(
                Operation.SECURITY,
                record,
                f"Disclosure to {to.get_username()} refused",
                justification=justification,
                recipients=[f"{to.get_username()} ({to.agency})"],
                detail={"reason": decision.reason, "purpose": purpose},
            )
        )
        raise DisclosureRefused(decision.reason)
    with transaction.atomic():
        record.shared_with_users.add(to)
        log.write(
            log.Event.about(
                Operation.DISCLOSURE,
                record,
                f"Shared with {to.get_full_name() or to.get_username()} ({to.agency})",
                justification=justification,
                basis=decision.agreement.reference if decision.agreement else "",
                recipients=[f"{to.get_username()} ({to.agency})"],
                detail={"purpose": purpose, "recipient_user_uuid": str(to.uuid)},
            )
        )
    return decision


def note_unmatched_request(reference: str, justification: str) -> None:
    """Someone asked for access to a reference that matches no record: a security event (probing is visible)."""
    log.write(
        log.Event(
            action=Operation.SECURITY,
            record_type="unknown",
            record_id=reference,
            summary="Access requested to a reference that matches no record",
            justification=justification,
        )
    )


def _refuse_break_glass(user: User, record: Governed, justification: str, reason: str) -> PermissionDenied:
    """A refused break glass is a security event: log it with the reason, and return the refusal to raise."""
    log.write(
        log.Event.about(
            Operation.SECURITY,
            record,
            "Break-glass access refused",
            justification=justification,
            detail={"reason": reason, "requester": user.get_username()},
        )
    )
    return PermissionDenied(reason)


def _active_with_roles(roles: frozenset[str], **where: object) -> models.QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role__in=roles, **where).distinct()


def agency_reviewers(requester: User, owning_agency_id: int) -> list[User]:
    """The partnership managers of the requester's agency and of the owning agency (never the requester)."""
    agencies = {a for a in (requester.agency_id, owning_agency_id) if a is not None}
    return list(_active_with_roles(SUPERVISOR_ROLES, agency_id__in=agencies).exclude(pk=requester.pk))


def fallback_reviewers(requester: User, owning_agency_id: int) -> list[User]:
    """The partnership's information governance lead(s) or, if it has none, its partnership managers."""
    partnership_id = Agency.objects.filter(pk=owning_agency_id).values_list("partnership_id", flat=True).first()
    for roles in (GOVERNANCE_ROLES, SUPERVISOR_ROLES):
        found = list(
            _active_with_roles(roles, agency__partnership_id=partnership_id)
            .exclude(agency__isnull=True)
            .exclude(pk=requester.pk)
        )
        if found:
            return found
    return []


def request_access(user: User, record: Governed, justification: str) -> AccessGrant:
    """Break glass: a time-limited read grant to a record outside the user's parties, flagged for review.

    Never more than the user's role may see (a read-only partner gets no OFFICIAL-SENSITIVE record; the
    sensitivity limits apply), and never without someone to review it."""
    justification = _check_justification(justification)
    if closed_membership(type(record)) is not None:
        raise PermissionDenied("Only the scheme's members see its records: there is no break glass into them.")
    if Verb.VIEW not in allowed_actions(user):
        raise PermissionDenied("Your role does not give access to personal data.")
    if is_community_user(user):
        raise PermissionDenied(
            "Voluntary and community sector members see records referred by them or shared with them; "
            "ask the record's owning agency to share it with you."
        )
    reason = role_limit_reason(user, record.caveat, record.sensitivity)
    if reason:
        raise _refuse_break_glass(user, record, justification, reason)
    reviewers = agency_reviewers(user, record.owning_agency_id) or fallback_reviewers(user, record.owning_agency_id)
    if not reviewers:
        raise _refuse_break_glass(
            user,
            record,
            justification,
            "No partnership manager or information governance lead could review this access: ask the owning "
            "agency to share the record with you.",
        )
    now = timezone.now()
    expires = now + dt.timedelta(hours=settings.CSPHUB_ACCESS_GRANT_HOURS)
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            user=user,
            record_type=record._meta.label_lower,
            record_uuid=record.uuid,
            record_label=str(record)[:200],
            owning_agency_id=record.owning_agency_id,
            justification=justification,
            granted_at=now,
            expires_at=expires,
        )
        grant.reviewers.set(reviewers)
        log.write(
            log.Event.about(
                Operation.SECURITY,
                record,
                f"Break-glass access granted until {govuk_when(expires)}, for review",
                justification=justification,
                detail={
                    "grant": str(grant.uuid),
                    "expires_at": expires.isoformat(),
                    "reviewers": sorted(r.get_username() for r in reviewers),
                },
            )
        )
    return grant


def grants_for_review(reviewer: User) -> AccessGrantQuerySet:
    """Grants a reviewer may review: those assigned to them, and (partnership managers) those by users of their
    agency or to records their agency owns. Never their own."""
    if not may_review_grants(reviewer):
        return AccessGrant.objects.none()
    assigned = AccessGrant.reviewers.through.objects.filter(accessgrant_id=OuterRef("pk"), user_id=reviewer.pk)
    q = Q(Exists(assigned))
    if reviewer.has_role(*SUPERVISOR_ROLES):
        q |= Q(user__agency_id=reviewer.agency_id) | Q(owning_agency_id=reviewer.agency_id)
    return AccessGrant.objects.filter(q).exclude(user=reviewer)


def escalate_overdue(at: dt.datetime | None = None) -> list[AccessGrant]:
    """Assign grants still unreviewed ``CSPHUB_GRANT_REVIEW_HOURS`` after they were granted to the fallback
    reviewers, once each (``escalated_at``), logging it. Safe to run again: escalated grants are left alone."""
    now = at or timezone.now()
    escalated = []
    for grant_id in AccessGrant.objects.overdue(now).filter(escalated_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            grant = (
                AccessGrant.objects.select_for_update()
                .filter(pk=grant_id, escalated_at__isnull=True, status=GrantStatus.PENDING)
                .select_related("user")
                .first()
            )
            if grant is None:
                continue
            fallback = fallback_reviewers(grant.user, grant.owning_agency_id)
            grant.escalated_at = now
            grant.save(update_fields=["escalated_at"])
            grant.reviewers.add(*fallback)
            names = sorted(r.get_username() for r in fallback)
            log.write(
                log.Event(
                    action=Operation.SECURITY,
                    record_type=grant.record_type,
                    record_id=str(grant.record_uuid),
                    summary=f"Break-glass access by {grant.user.get_username()} unreviewed after "
                    f"{settings.CSPHUB_GRANT_REVIEW_HOURS} hours: escalated to {', '.join(names) or 'nobody'}",
                    justification="",
                    detail={"grant": str(grant.uuid), "requester": grant.user.get_username(), "reviewers": names},
                )
            )
            escalated.append(grant)
    return escalated


def review_grant(grant: AccessGrant, *, by: User, uphold: bool, note: str) -> AccessGrant:
    if not grants_for_review(by).filter(pk=grant.pk).exists():
        raise PermissionDenied("You cannot review this access grant.")
    if grant.status != GrantStatus.PENDING:
        raise ValidationError("This grant has already been reviewed.")
    if not uphold and len(note.strip()) < 5:
        raise ValidationError("Say why the access is revoked.")
    now = timezone.now()
    with transaction.atomic():
        grant.status = GrantStatus.UPHELD if uphold else GrantStatus.REVOKED
        grant.reviewed_by = by
        grant.reviewed_at = now
        grant.review_note = note.strip()
        if not uphold:
            grant.expires_at = min(grant.expires_at, now)
        grant.save()
        log.write(
            log.Event(
                action=Operation.SECURITY,
                record_type=grant.record_type,
                record_id=str(grant.record_uuid),
                summary=f"Break-glass access by {grant.user.get_username()} {'upheld' if uphold else 'revoked'}",
                justification=note.strip(),
                detail={"grant": str(grant.uuid), "requester": grant.user.get_username()},
            )
        )
    return grant
