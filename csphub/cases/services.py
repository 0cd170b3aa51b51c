"""Verbs on cases: open, add people and places, record timeline entries and actions, change status, transfer.

Each verb asks the access policy whether the acting user may do it, validates, and saves; the audit log is written
by the model signals and (for disclosures) by the access services, inside the caller's audit context.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from csphub.access.policy import allowed_actions, is_community_user
from csphub.access.services import DisclosureRefused, Handover, Withheld, hand_on, plan_handover, require
from csphub.access.vocabulary import Caveat, Sensitivity, Verb
from csphub.audit import log
from csphub.audit.models import Operation
from csphub.cases.kinds import (
    DEFAULT_HANDLING,
    PURPOSES,
    TRANSITIONS,
    ActionStatus,
    CaseStatus,
    EntryKind,
)
from csphub.cases.models import (
    Action,
    Case,
    CasePerson,
    CasePlace,
    CaseReviewApplication,
    CaseSequence,
    CaseTransfer,
    MaracAttendance,
    MaracReferral,
    PowerRecord,
    StatusChange,
    TimelineEntry,
)
from csphub.partnership.models import COMMUNITY_SECTORS, Agency, District, Purpose
from csphub.partnership.sharing import check_disclosure
from csphub.registers.models import Person, Place
from csphub.ui.dates import govuk_date

if TYPE_CHECKING:
    from csphub.partnership.models import User

MIN_REASON = 5


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ValidationError({"reason": f"Give the reason for {what}"})
    return text


@transaction.atomic
def open_case(
    by: User,
    *,
    case_type: str,
    title: str,
    summary: str = "",
    issue: str = "",
    owning_district: District | None = None,
    hate_strands: Iterable[str] = (),
    sara_stage: str = "",
    opened_on: dt.date | None = None,
    caveat: str | None = None,
    sensitivity: str | None = None,
    uuid: uuid_module.UUID | None = None,
) -> Case:
    """Open a case owned by the user's agency and the user (volunteers make referrals instead: csphub.referrals).

    ``uuid`` lets an import or the demo give a case a stable identity, so that loading it again adds nothing."""
    if Verb.CREATE not in allowed_actions(by) or by.agency is None:
        raise PermissionDenied("Your role does not allow you to open cases.")
    if is_community_user(by):
        # A volunteer's case was owned by their charity and seen by nobody who could act on it: they refer instead.
        raise PermissionDenied("Volunteers and business members make a referral; the partnership team opens the case.")
    default_caveat, default_sensitivity = DEFAULT_HANDLING.get(case_type, (Caveat.OFFICIAL, Sensitivity.GENERAL))
    opened = opened_on or timezone.localdate()
    partnership_code = by.agency.partnership.code
    case = Case(
        uuid=uuid or uuid_module.uuid4(),
        reference=CaseSequence.next_reference(partnership_code, case_type, opened.year) if case_type else "",
        case_type=case_type,
        title=title.strip(),
        summary=summary.strip(),
        issue=issue.strip(),
        owning_agency=by.agency,
        owning_officer=by,
        owning_district=owning_district,
        hate_strands=sorted(set(hate_strands)),
        sara_stage=sara_stage,
        opened_on=opened,
        caveat=caveat or default_caveat,
        sensitivity=sensitivity or default_sensitivity,
        created_by=by,
    )
    case.full_clean()
    case.save()
    refresh_districts(case)
    return case


@transaction.atomic
def change_case(
    case: Case,
    by: User,
    *,
    case_type: str,
    title: str,
    summary: str = "",
    issue: str = "",
    owning_district: District | None = None,
    hate_strands: Iterable[str] = (),
    sara_stage: str = "",
) -> Case:
    """Change a case's details. Its type keeps its reference (the reference records the type it was opened as)."""
    require(by, Verb.CHANGE, case)
    case.case_type = case_type
    case.title = title.strip()
    case.summary = summary.strip()
    case.issue = issue.strip()
    case.owning_district = owning_district
    case.hate_strands = sorted(set(hate_strands))
    case.sara_stage = sara_stage
    case.full_clean()
    case.save()
    refresh_districts(case)
    return case


def refresh_districts(case: Case) -> None:
    """The case's districts are those of its places and incident locations; more than one: cross-boundary. Before
    any place is known, the district of the owning district team (if the case has one)."""
    place_districts = set(case.case_places.exclude(place__district=None).values_list("place__district", flat=True))
    entry_districts = set(case.timeline.exclude(place__district=None).values_list("place__district", flat=True))
    ids = place_districts | entry_districts
    if not ids and case.owning_district_id is not None:
        ids = {case.owning_district_id}
    case.districts.set(ids)
    cross = len(ids) > 1
    if case.cross_boundary != cross:
        case.cross_boundary = cross
        case.save(update_fields=["cross_boundary", "updated_at"])


def _add_link(
    case: Case, by: User, link_model: type[CasePerson] | type[CasePlace], field: str, record: Person | Place, role: str
) -> CasePerson | CasePlace:
    """Put a person or place the user may see into the case, in a role (once per role)."""
    require(by, Verb.CHANGE, case)
    noun = type(record)._meta.verbose_name
    if not type(record).objects.visible_to(by).filter(pk=record.pk).exists():
        raise PermissionDenied(f"You cannot add a {noun} you may not see.")
    assert by.agency is not None
    if link_model.objects.filter(case=case, role=role, **{field: record}).exists():
        raise ValidationError({field: f"This {noun} already has this role in the case"})
    link = link_model(case=case, role=role, added_by_agency=by.agency, **{field: record})
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def add_person(case: Case, person: Person, by: User, *, role: str) -> CasePerson:
    link = _add_link(case, by, CasePerson, "person", person, role)
    assert isinstance(link, CasePerson)
    return link


@transaction.atomic
def add_place(case: Case, place: Place, by: User, *, role: str) -> CasePlace:
    link = _add_link(case, by, CasePlace, "place", place, role)
    assert isinstance(link, CasePlace)
    refresh_districts(case)
    return link


@transaction.atomic
def record_entry(
    case: Case,
    by: User,
    *,
    kind: str,
    title: str,
    body: str = "",
    occurred_at: dt.datetime | None = None,
    place: Place | None = None,
    reporting_channel: str = "",
    reported_on: dt.date | None = None,
    complainant: Person | None = None,
    is_complaint: bool = False,
    is_hate_incident: bool = False,
    document: UploadedFile | None = None,
    restricted_to: Iterable[Agency] = (),
) -> TimelineEntry:
    require(by, Verb.CHANGE, case)
    assert by.agency is not None
    if place is not None and not Place.objects.visible_to(by).filter(pk=place.pk).exists():
        raise PermissionDenied("You cannot record an incident at a place you may not see.")
    if kind == EntryKind.DOCUMENT and document is None:
        raise ValidationError({"document": "Choose the document to upload"})
    entry = TimelineEntry(
        case=case,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        occurred_at=occurred_at or timezone.now(),
        place=place,
        reporting_channel=reporting_channel,
        reported_on=reported_on,
        complainant=complainant,
        is_complaint=is_complaint,
        is_hate_incident=is_hate_incident,
        author=by,
        author_agency=by.agency,
    )
    if document is not None:
        entry.document.save(document.name or "document", document, save=False)
    entry.full_clean()
    entry.save()
    restricted = list(restricted_to)
    if restricted:
        entry.restricted_to.set(restricted)
    if place is not None:
        refresh_districts(case)
    return entry


@transaction.atomic
def add_action(
    case: Case,
    by: User,
    *,
    title: str,
    due_on: dt.date,
    assigned_agency: Agency,
    assigned_officer: User | None = None,
    detail: str = "",
    marac_referral: MaracReferral | None = None,
) -> Action:
    require(by, Verb.CHANGE, case)
    parties = {case.owning_agency_id, *case.parties.values_list("pk", flat=True)}
    if assigned_agency.pk not in parties:
        raise ValidationError(
            {"assigned_agency": f"{assigned_agency} is not a party to this case: share the case with them first"}
        )
    action = Action(
        case=case,
        title=title.strip(),
        detail=detail.strip(),
        due_on=due_on,
        assigned_agency=assigned_agency,
        assigned_officer=assigned_officer,
        created_by=by,
        marac_referral=marac_referral,
    )
    action.full_clean()
    action.save()
    return action


def check_may_update_action(action: Action, by: User) -> None:
    """The assigned agency's users whose role may change records, or anyone who may change the case."""
    if by.agency_id == action.assigned_agency_id and Verb.CHANGE in allowed_actions(by):
        return
    require(by, Verb.CHANGE, action.case)


@transaction.atomic
def update_action(action: Action, by: User, *, status: str, outcome: str = "") -> Action:
    check_may_update_action(action, by)
    action.status = status
    action.outcome = outcome.strip()
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def change_status(case: Case, by: User, *, to: str, reason: str) -> StatusChange:
    require(by, Verb.CHANGE, case)
    if to not in TRANSITIONS.get(case.status, frozenset()):
        allowed = ", ".join(CaseStatus(s).label.lower() for s in sorted(TRANSITIONS.get(case.status, ())))
        raise ValidationError(
            {"status": f"A case that is {case.get_status_display().lower()} can become: {allowed or 'nothing else'}"}
        )
    reason = _reason(reason, "the change of status")
    change = StatusChange.objects.create(case=case, from_status=case.status, to_status=to, reason=reason, by=by)
    case.status = to
    case.closed_on = timezone.localdate() if to == CaseStatus.CLOSED else None
    case.save()
    return change


@dataclass(frozen=True)
class TransferResult:
    """A transfer, with what went to the new owner and what stayed with its owner.

    ``withheld`` names only records the transferring user may see; the others are counted (``hidden_withheld``)."""

    transfer: CaseTransfer
    handed_on: list[Handover]
    withheld: list[Withheld]
    hidden_withheld: int


@transaction.atomic
def transfer(
    case: Case,
    by: User,
    *,
    to_agency: Agency,
    to_officer: User | None = None,
    to_district: District | None = None,
    reason: str,
    purpose: str | None = None,
) -> TransferResult:
    """Hand the case to another agency or district team. Every case record stays with it; the previous owner stays
    a party. A transfer to another agency is a disclosure: it needs an ISA covering the case's data and purpose
    (by default the purpose of its type of case), and the user's right to share it.

    The people and places linked to the case go with it only where the transferring user may see and share them
    and an ISA covers each one (as ``disclose``); each is logged as a disclosure naming its ISA. Everything else
    stays with its owner (the new owner sees it counted, as any agency that may not see it)."""
    require(by, Verb.CHANGE, case)
    reason = _reason(reason, "the transfer")
    purpose = purpose or PURPOSES.get(case.case_type, Purpose.CRIME_DISORDER)
    if to_officer is not None and to_officer.agency_id != to_agency.pk:
        raise ValidationError({"to_officer": f"{to_officer.get_full_name()} does not work for {to_agency}"})
    if (
        to_agency.pk == case.owning_agency_id
        and to_district == case.owning_district
        and (to_officer is None or to_officer == case.owning_officer)
    ):
        raise ValidationError({"to_agency": "The case already sits with this agency, team and officer"})
    previous_agency = case.owning_agency
    moving = to_agency.pk != previous_agency.pk
    agreement = None
    if moving:
        require(by, Verb.SHARE, case)
        assert by.agency is not None
        decision = check_disclosure(by.agency, to_agency, case.data_category, purpose)
        if not decision.allowed:
            raise DisclosureRefused(decision.reason)
        agreement = decision.agreement
    record = CaseTransfer.objects.create(
        case=case,
        from_agency=previous_agency,
        to_agency=to_agency,
        from_officer=case.owning_officer,
        to_officer=to_officer,
        from_district=case.owning_district,
        to_district=to_district,
        reason=reason,
        by=by,
    )
    if not moving:
        case.owning_officer = to_officer
        case.owning_district = to_district
        case.save()
        return TransferResult(record, [], [], 0)
    # Decide what goes before the case changes hands: the transferring user's view of the linked records.
    plan = plan_handover(case.disclosure_companions(), to=to_agency, by=by, purpose=purpose)
    case.owning_agency = to_agency
    case.owning_officer = to_officer
    case.owning_district = to_district
    case.save()
    case.parties.add(previous_agency)
    case.parties.remove(to_agency)
    detail = {"transfer": record.pk, "purpose": purpose}
    if agreement is not None:
        log.write(
            log.Event.about(
                Operation.DISCLOSURE,
                case,
                f"Transferred to {to_agency}",
                justification=reason,
                basis=agreement.reference,
                recipients=[to_agency.name],
                detail={**detail, "agreement": agreement.reference},
            )
        )
    handed = hand_on(
        plan,
        summary=f"Disclosed to {to_agency} with case {case.reference}",
        justification=reason,
        related=case,
        purpose=purpose,
        detail={"transfer": record.pk},
    )
    return TransferResult(record, handed, plan.withheld, plan.hidden_withheld)


# --- Statutory records ---------------------------------------------------------------------------------------------


@transaction.atomic
def apply_for_case_review(
    case: Case, by: User, *, received_on: dt.date, applicant: Person | None = None, applicant_description: str = ""
) -> CaseReviewApplication:
    """Record an application for an ASB case review; the calculator says whether the threshold is met on that day."""
    require(by, Verb.CHANGE, case)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The application date cannot be in the future"})
    application = CaseReviewApplication(
        case=case,
        applicant=applicant,
        applicant_description=applicant_description.strip(),
        received_on=received_on,
        recorded_by=by,
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def decide_case_review(
    application: CaseReviewApplication,
    by: User,
    *,
    threshold_met: bool,
    decided_on: dt.date,
    review_completed_on: dt.date | None = None,
    recommendations: int = 0,
    outcome: str = "",
) -> CaseReviewApplication:
    from csphub.rules.case_review import Application

    require(by, Verb.CHANGE, application.case)
    try:
        Application(application.received_on, threshold_met, review_completed_on, recommendations)
    except ValueError as exc:
        raise ValidationError(str(exc).split(": ", 1)[-1]) from exc
    if decided_on < application.received_on:
        raise ValidationError({"decided_on": "The decision cannot come before the application"})
    application.threshold_met = threshold_met
    application.decided_on = decided_on
    application.review_completed_on = review_completed_on
    application.recommendations = recommendations
    application.outcome = outcome.strip()
    application.save()
    return application


# --- MARAC ------------------------------------------------------------------------------------------------------

# Cases go to MARAC, and everything shared for it is shared, for domestic abuse risk management.
MARAC_PURPOSE = Purpose.DOMESTIC_ABUSE


def marac_agencies(case: Case, by: User) -> list[Agency]:
    """The agencies of the MARAC for this case, as the referring user's agency may share with them: every agency of
    the partnership outside the community sectors (whose members never see records through their agency) with an
    ISA in force with the referrer's agency covering the case's data for domestic abuse risk management (the MARAC
    ISA); of the agencies serving some districts, those serving the case's districts (all, for a case with none)."""
    source = by.agency
    if source is None:
        return []
    districts = {case.owning_district_id, *case.districts.values_list("pk", flat=True)} - {None}
    candidates = Agency.objects.filter(partnership_id=source.partnership_id).exclude(sector__in=COMMUNITY_SECTORS)
    if districts:
        candidates = candidates.filter(Q(county_wide=True) | Q(districts__in=districts)).distinct()
    return [
        agency
        for agency in candidates.order_by("name")
        if check_disclosure(source, agency, case.data_category, MARAC_PURPOSE).allowed
    ]


def marac_meeting_agencies(case: Case, by: User) -> list[Agency]:
    """The agencies that may attend the meeting hearing the case: those holding it and those of the MARAC."""
    holders = Agency.objects.filter(Q(pk=case.owning_agency_id) | Q(pk__in=case.parties.values("pk")))
    found = {a.pk: a for a in holders.exclude(sector__in=COMMUNITY_SECTORS)}
    for agency in marac_agencies(case, by):
        found.setdefault(agency.pk, agency)
    return sorted(found.values(), key=lambda a: a.name)


@dataclass(frozen=True)
class MaracReferralResult:
    """A MARAC referral, with the agencies the case was shared with for it and what stayed with its owner.

    ``withheld`` names only records the referring user may see (once each); the others are counted."""

    referral: MaracReferral
    shared_with: list[Agency]
    handed_on: list[Handover]
    withheld: list[Withheld]
    hidden_withheld: int


def _share_with_marac(case: Case, by: User, referral: MaracReferral) -> MaracReferralResult:
    """Hand the case, and the people and places in it the user may share, on to each MARAC agency under the ISA
    covering it (``plan_handover``/``hand_on``: each disclosure logged naming its ISA)."""
    justification = (
        f"Referred to MARAC on {govuk_date(referral.referred_on)}: shared with the MARAC agencies "
        "for domestic abuse risk management"
    )
    detail = {"marac_referral": str(referral.uuid)}
    shared: list[Agency] = []
    handed: list[Handover] = []
    withheld: dict[tuple[str, int, str], Withheld] = {}
    hidden = 0
    companions = case.disclosure_companions()
    for agency in marac_agencies(case, by):
        case_plan = plan_handover([case], to=agency, by=by, purpose=MARAC_PURPOSE)
        if case_plan.withheld or case_plan.hidden_withheld:
            for w in case_plan.withheld:
                withheld.setdefault((w.record._meta.label_lower, w.record.pk, w.reason), w)
            continue
        linked = plan_handover(companions, to=agency, by=by, purpose=MARAC_PURPOSE)
        if case_plan.handed_on:
            shared.append(agency)
            handed += hand_on(
                case_plan,
                summary="Disclosed to {to}: referred to MARAC",
                justification=justification,
                purpose=MARAC_PURPOSE,
                detail=detail,
            )
        handed += hand_on(
            linked,
            summary=f"Disclosed to {{to}} with case {case.reference} (MARAC referral)",
            justification=justification,
            related=case,
            purpose=MARAC_PURPOSE,
            detail=detail,
        )
        for w in linked.withheld:
            withheld.setdefault((w.record._meta.label_lower, w.record.pk, w.reason), w)
        hidden = max(hidden, linked.hidden_withheld)
    return MaracReferralResult(referral, shared, handed, list(withheld.values()), hidden)


def _set_attendance(referral: MaracReferral, attending: Iterable[Agency]) -> None:
    """Who attends the meeting: agencies holding the case (a row each, added and removed one by one: logged)."""
    case = referral.case
    wanted = {a.pk: a for a in attending}
    holders = {case.owning_agency_id, *case.parties.values_list("pk", flat=True)}
    outside = [a for a in wanted.values() if a.pk not in holders or a.is_community_sector]
    if outside:
        names = ", ".join(sorted(str(a) for a in outside))
        raise ValidationError(
            {"attending": f"{names} does not hold this case: only the agencies it was shared with can attend"}
        )
    current = {row.agency_id: row for row in referral.attendance.all()}
    for agency_id, row in current.items():
        if agency_id not in wanted:
            row.delete()
    for agency_id, agency in wanted.items():
        if agency_id not in current:
            MaracAttendance.objects.create(referral=referral, agency=agency)


def _check_meeting(referral: MaracReferral, meeting_on: dt.date | None) -> None:
    if meeting_on is not None and meeting_on < referral.referred_on:
        raise ValidationError({"meeting_on": "The meeting cannot come before the referral"})


@transaction.atomic
def refer_to_marac(
    case: Case,
    by: User,
    *,
    referred_on: dt.date,
    person: Person | None = None,
    meeting_on: dt.date | None = None,
    attending: Iterable[Agency] = (),
) -> MaracReferralResult:
    """Record a MARAC referral with the criteria the calculator found met on the day (a repeat referral among
    them), and share the case with the agencies of the MARAC (``marac_agencies``) with the people and places in it
    the user may share, each under the ISA that covers it. The meeting and who attends it may be recorded now or
    later (``record_marac_meeting``)."""
    from csphub.cases.statutory import marac_panel, rules_for

    require(by, Verb.CHANGE, case)
    panel = marac_panel(case, rules_for(case), referred_on)
    if panel is None or panel.assessment is None:
        raise ValidationError("Only a domestic abuse case with a valid assessment can be referred to MARAC")
    assessment = panel.assessment
    referral = MaracReferral(
        case=case,
        person=person,
        referred_on=referred_on,
        meeting_on=meeting_on,
        level=assessment.level.value,
        criteria=list(assessment.criteria_met),
        reasons=list(assessment.reasons),
        recorded_by=by,
    )
    _check_meeting(referral, meeting_on)
    referral.full_clean()
    referral.save()
    result = _share_with_marac(case, by, referral)
    attending = list(attending)
    if attending:
        _set_attendance(referral, attending)
    return result


@transaction.atomic
def record_marac_meeting(
    referral: MaracReferral, by: User, *, meeting_on: dt.date, attending: Iterable[Agency]
) -> MaracReferral:
    """Record the date of the meeting hearing the referral and the agencies attending it."""
    require(by, Verb.CHANGE, referral.case)
    _check_meeting(referral, meeting_on)
    attending = list(attending)
    if not attending:
        raise ValidationError({"attending": "Choose the agencies attending the meeting"})
    if referral.meeting_on != meeting_on:
        referral.meeting_on = meeting_on
        referral.full_clean()
        referral.save()
    _set_attendance(referral, attending)
    return referral


def marac_action_agencies(referral: MaracReferral, by: User) -> list[Agency]:
    """The agencies the user may record a MARAC action for: any attending agency for the case's owning agency,
    their own agency (if it attended) for a partner."""
    attending = referral.attending_agencies()
    if by.agency_id == referral.case.owning_agency_id:
        return attending
    return [a for a in attending if a.pk == by.agency_id]


@transaction.atomic
def add_marac_action(
    referral: MaracReferral,
    by: User,
    *,
    title: str,
    due_on: dt.date,
    assigned_agency: Agency,
    assigned_officer: User | None = None,
    detail: str = "",
) -> Action:
    """An action agreed at the MARAC meeting for an agency attending it (a partner records their own agency's)."""
    require(by, Verb.CHANGE, referral.case)
    if assigned_agency.pk not in {a.pk for a in referral.attending_agencies()}:
        raise ValidationError(
            {"assigned_agency": f"{assigned_agency} did not attend the MARAC meeting: record who attended first"}
        )
    if assigned_agency not in marac_action_agencies(referral, by):
        raise ValidationError(
            {
                "assigned_agency": "Record your own agency's actions: the agency that owns the case records "
                "the other agencies' actions"
            }
        )
    return add_action(
        referral.case,
        by,
        title=title,
        due_on=due_on,
        assigned_agency=assigned_agency,
        assigned_officer=assigned_officer,
        detail=detail,
        marac_referral=referral,
    )


@transaction.atomic
def record_power(
    case: Case,
    by: User,
    *,
    power: str,
    action: str,
    on: dt.datetime,
    person: Person | None = None,
    place: Place | None = None,
    until: dt.datetime | None = None,
    review_on: dt.date | None = None,
    senior_authority: bool = False,
    reference: str = "",
) -> PowerRecord:
    """Record a step under an ASB power, refused (with the reasons) when the Act does not allow it."""
    from csphub.cases.statutory import perpetrator_of, power_event, rules_for
    from csphub.rules import asb_powers

    require(by, Verb.CHANGE, case)
    if (person is None) == (place is None):
        raise ValidationError("A power is used against a perpetrator or for a place: choose one")
    record = PowerRecord(
        case=case,
        person=person,
        place=place,
        power=power,
        action=action,
        on=on,
        until=until,
        review_on=review_on,
        senior_authority=senior_authority,
        reference=reference.strip(),
        recorded_by=by,
    )
    try:
        event = power_event(record)
    except ValueError as exc:
        raise ValidationError({"action": str(exc)}) from exc
    history_qs = (
        case.powers.filter(person=person) if person is not None else case.powers.filter(place=place, person=None)
    )
    history = [power_event(r) for r in history_qs]
    problems = asb_powers.check(event, history, perpetrator_of(person), rules_for(case).powers)
    if problems:
        raise ValidationError(list(problems))
    record.full_clean()
    record.save()
    return record
