"""Verbs on referrals: refer, accept into a new case or an existing one, decline.

``refer`` decides where a referral goes (``route``): a crime to the police, anything else to the ASB team of the
council for the district the place is in. Handing the referral's content to that agency is a disclosure: it needs
an information sharing agreement between the referrer's agency and the receiving one, and it is logged as one.
The triage verbs ask the access policy (``require``) like every other verb; the audit log is written by the model
signals and, for the disclosure, here through ``csphub.audit.log``.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.access.policy import may_refer, may_triage
from csphub.access.services import DisclosureRefused, require
from csphub.access.vocabulary import Verb
from csphub.audit import log
from csphub.audit.models import Operation
from csphub.cases import services as case_services
from csphub.cases.kinds import EntryKind, ReportingChannel
from csphub.cases.models import Case, CaseSequence
from csphub.common.postcodes import PostcodeError
from csphub.common.postcodes import normalise as normalise_postcode
from csphub.partnership.models import Agency, DataCategory, District, Purpose, Sector
from csphub.partnership.sharing import check_disclosure
from csphub.referrals.models import Concern, Referral, ReferralStatus
from csphub.registers import geo
from csphub.registers import services as register
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User

MIN_REASON = 10
PURPOSES: dict[str, str] = {
    Concern.ASB: Purpose.ASB,
    Concern.CRIME: Purpose.CRIME_DISORDER,
    Concern.SAFEGUARDING: Purpose.SAFEGUARDING,
}


@dataclass(frozen=True)
class Route:
    agency: Agency
    district: District | None
    why: str


def district_of(postcode: str) -> District | None:
    """The partnership district a postcode is in (None: unknown postcode, or outside the partnership)."""
    if not postcode:
        return None
    point = geo.postcode_point(postcode)
    if point is None:
        return None
    district_id = geo.district_id_at(point.latitude, point.longitude)
    return District.objects.filter(pk=district_id).first() if district_id is not None else None


def route(by: User, concern: str, district: District | None) -> Route:
    """Who triages a referral: the police for a crime, otherwise the council for the district (the place's, or
    the referrer's agency's when it serves one district only)."""
    assert by.agency is not None
    agencies = Agency.objects.filter(partnership_id=by.agency.partnership_id)
    if district is None:
        served = list(by.agency.districts.all()[:2])
        district = served[0] if len(served) == 1 else None
    if concern == Concern.CRIME:
        police = agencies.filter(sector=Sector.POLICE).order_by("name").first()
        if police is not None:
            return Route(police, district, "A crime: the police deal with it.")
    if district is None:
        raise ValidationError({"postcode": "Give the postcode, or choose the area it happened in"})
    council = agencies.filter(sector=Sector.LOCAL_AUTHORITY, districts=district).order_by("name").first()
    if council is None:
        raise ValidationError({"district": f"No council team takes referrals for {district} yet"})
    return Route(council, district, f"The ASB team for {district}.")


def _reference(by: User, year: int) -> str:
    assert by.agency is not None
    prefix = by.agency.partnership.code
    with transaction.atomic():
        CaseSequence.objects.get_or_create(prefix=prefix, type_code="REF", year=year)
        row = CaseSequence.objects.select_for_update().get(prefix=prefix, type_code="REF", year=year)
        row.last += 1
        row.save(update_fields=["last"])
    return f"{prefix}-REF-{year}-{row.last:06d}"


def _postcode(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return normalise_postcode(text)
    except PostcodeError as exc:
        raise ValidationError({"postcode": str(exc)}) from exc


def refer(
    by: User,
    *,
    concern: str,
    what_happened: str,
    where: str,
    consent: str,
    urgency: str,
    people: str = "",
    postcode: str = "",
    district: District | None = None,
    occurred_at: dt.datetime | None = None,
    uuid: uuid_module.UUID | None = None,
) -> Referral:
    """A volunteer's referral, sent to the team that deals with it under an ISA (refused, and logged, without one:
    the refusal is written outside the transaction that would have saved the referral, so it stays)."""
    if not may_refer(by) or by.agency is None:
        raise PermissionDenied("Only voluntary and business members make referrals; case officers open cases.")
    postcode = _postcode(postcode)
    place_district = district_of(postcode) or district
    to = route(by, concern, place_district)
    purpose = PURPOSES[concern]
    sharing = check_disclosure(by.agency, to.agency, DataCategory.PERSONAL, purpose)
    now = timezone.now()
    referral = Referral(
        uuid=uuid or uuid_module.uuid4(),
        reference="",
        concern=concern,
        what_happened=what_happened.strip(),
        occurred_at=occurred_at,
        where=where.strip(),
        postcode=postcode,
        district=place_district,
        people=people.strip(),
        consent=consent,
        urgency=urgency,
        owning_agency=to.agency,
        receiving_district=to.district,
        referred_by=by,
        created_by=by,
        created_at=now,
    )
    referral.full_clean(exclude=["reference"])
    if not sharing.allowed:
        log.write(
            log.Event.about(
                Operation.SECURITY,
                by.agency,
                f"Referral to {to.agency} refused",
                recipients=[to.agency.name],
                detail={"reason": sharing.reason, "purpose": purpose},
            )
        )
        raise DisclosureRefused(sharing.reason)
    assert sharing.agreement is not None
    with transaction.atomic():
        referral.reference = _reference(by, timezone.localdate(now).year)
        referral.agreement = sharing.agreement.reference
        referral.save()
        log.write(
            log.Event.about(
                Operation.DISCLOSURE,
                referral,
                f"Referred to {to.agency}",
                basis=sharing.agreement.reference,
                recipients=[to.agency.name],
                detail={"purpose": purpose, "agreement": sharing.agreement.reference, "route": to.why},
            )
        )
    return referral


def _require_triage(referral: Referral, by: User) -> None:
    if not may_triage(by):
        raise PermissionDenied("Your role does not allow you to triage referrals.")
    require(by, Verb.CHANGE, referral)
    if not referral.is_open:
        raise ValidationError(f"Referral {referral.reference} has already been {referral.get_status_display().lower()}")


def _close(referral: Referral, by: User, status: str, *, case: Case | None = None, reason: str = "") -> Referral:
    referral.status = status
    referral.decided_at = timezone.now()
    referral.decided_by = by
    referral.case = case
    referral.decline_reason = reason
    referral.save()
    return referral


def _entry(referral: Referral) -> str:
    where = referral.where + (f" ({referral.postcode})" if referral.postcode else "")
    lines = [referral.what_happened, "", f"Where: {where}"]
    if referral.people:
        lines += ["Who:", *(f"- {line}" for line in referral.people_lines())]
    lines += [f"Consent: {referral.get_consent_display()}", f"Urgency: {referral.get_urgency_display()}"]
    return "\n".join(lines)


def _record_referral_entry(case: Case, referral: Referral, by: User, place: Place | None) -> None:
    referrer = referral.referred_by
    source = referrer.agency if referrer is not None and referrer.agency is not None else None
    case_services.record_entry(
        case,
        by,
        kind=EntryKind.INCIDENT,
        title=f"Referral {referral.reference}" + (f" from {source}" if source else ""),
        body=_entry(referral),
        occurred_at=referral.occurred_at or referral.created_at,
        place=place,
        reporting_channel=ReportingChannel.PARTNER,
    )


@dataclass(frozen=True)
class PersonChoice:
    """What to do with one line of the referral's "who": leave it as text (``person`` and ``new`` unset), record a
    new person (``new``: given and family names), or add a person already on the register (``person``)."""

    role: str
    person: Person | None = None
    new: tuple[str, str] | None = None


@transaction.atomic
def accept_into_new_case(
    referral: Referral,
    by: User,
    *,
    case_type: str,
    title: str,
    summary: str = "",
    owning_district: District | None = None,
    place: Place | None = None,
    new_place: bool = False,
    people: Sequence[PersonChoice] = (),
) -> Case:
    """Open a case from the referral: its place and people (matched to the register or recorded new), and what
    happened as the case's first timeline entry."""
    _require_triage(referral, by)
    case = case_services.open_case(
        by,
        case_type=case_type,
        title=title,
        summary=summary,
        owning_district=owning_district or referral.receiving_district,
    )
    if new_place:
        place = register.record_place(by, address=referral.where, postcode=referral.postcode)
    if place is not None:
        case_services.add_place(case, place, by, role="incident_location")
    for choice in people:
        person = choice.person
        if choice.new is not None:
            given, family = choice.new
            person = register.record_person(by, given_name=given, family_name=family)
        if person is not None:
            case_services.add_person(case, person, by, role=choice.role)
    _record_referral_entry(case, referral, by, place)
    _close(referral, by, ReferralStatus.ACCEPTED, case=case)
    return case


@transaction.atomic
def accept_into_case(referral: Referral, by: User, case: Case) -> Case:
    """Add the referral to a case the officer may change, as a timeline entry."""
    _require_triage(referral, by)
    require(by, Verb.CHANGE, case)
    _record_referral_entry(case, referral, by, None)
    _close(referral, by, ReferralStatus.ACCEPTED, case=case)
    return case


@transaction.atomic
def decline(referral: Referral, by: User, reason: str) -> Referral:
    """Decline the referral; the referrer sees the reason."""
    _require_triage(referral, by)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": "Tell the referrer why the referral is declined"})
    return _close(referral, by, ReferralStatus.DECLINED, reason=reason)


def split_name(text: str) -> tuple[str, str]:
    """A referral's "who" line as (given name, family name): the words before the first comma, last one the
    family name ("Jay Smith, about 17" → ("Jay", "Smith")); ("", "") when it names nobody."""
    words = [w for w in text.split(",", 1)[0].split() if w[:1].isalpha()]
    if not words or not words[-1][:1].isupper():
        return "", ""
    return " ".join(words[:-1]), words[-1]
