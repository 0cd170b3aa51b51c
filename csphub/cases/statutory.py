"""The statutory calculators applied to a case: ASB case review, MARAC criteria, the ASB powers tracker.

The rules themselves are pure functions in ``csphub.rules``; this module turns a case's records into their inputs,
with the partnership's local settings (``Partnership.rule_settings``), and returns their results for the case page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from csphub.cases.kinds import ASB_TYPES, HATE_TYPES, CaseType, EntryKind
from csphub.cases.models import Action, Case, CaseReviewApplication, MaracReferral, PowerRecord, TimelineEntry
from csphub.partnership.models import Agency
from csphub.registers.models import Person, Place
from csphub.rules import asb_powers, case_review, marac
from csphub.rules.settings import StatutoryRules, settings_from

# Powers whose times matter to the hour (closure): recorded and checked as datetimes; the others by the day.
_TIMED = {(asb_powers.Power.CLOSURE_NOTICE, a) for a in ("served", "extended", "cancelled")} | {
    (asb_powers.Power.CLOSURE_ORDER, a) for a in ("applied", "heard")
}
_TIMED_UNTIL = {(asb_powers.Power.CLOSURE_NOTICE, "served"), (asb_powers.Power.CLOSURE_NOTICE, "extended")}


def rules_for(case: Case) -> StatutoryRules:
    return settings_from(case.owning_agency.partnership.rule_settings)


def complaints(case: Case, entries: Sequence[TimelineEntry]) -> list[case_review.Complaint]:
    """The case's complaints as the case review counts them (the complainant only to tell individuals apart)."""
    issue = case.issue or case.title
    return [
        case_review.Complaint(
            received_on=e.reported_on,
            behaviour_on=e.behaviour_on,
            complainant=str(e.complainant_id or e.uuid),
            issue=issue,
            is_hate_incident=e.is_hate_incident,
        )
        for e in entries
        if e.is_complaint and e.reported_on is not None
    ]


def case_review_panel(case: Case, rules: StatutoryRules, as_of: dt.date) -> case_review.CaseReviewAssessment | None:
    """For ASB and hate cases (and any case with complaints): whether the case review threshold is met today.

    Every complaint recorded in the case counts, including entries restricted from some agencies: the threshold
    is statutory. The result shows dates and counts, not what the restricted entries say."""
    has_complaints = getattr(case, "has_complaints", True)
    entries = list(case.timeline.filter(kind=EntryKind.INCIDENT, is_complaint=True)) if has_complaints else []
    if not entries and case.case_type not in ASB_TYPES | HATE_TYPES:
        return None
    return case_review.assess(complaints(case, entries), as_of, rules.case_review)


@dataclass(frozen=True)
class MaracPanel:
    assessment: marac.MaracAssessment | None
    dash_yes: int | None
    last_referral: dt.date | None
    problem: str = ""


def marac_panel(case: Case, rules: StatutoryRules, as_of: dt.date) -> MaracPanel | None:
    if case.case_type != CaseType.DOMESTIC_ABUSE:
        return None
    dash = case.related("assessments").filter(question_set__key="dash").order_by("-completed_at", "-id").first()
    incidents = [
        timezone.localtime(at).date()
        for at in case.timeline.filter(kind=EntryKind.INCIDENT).values_list("occurred_at", flat=True)
    ]
    last = case.related("marac_referrals").order_by("-referred_on").values_list("referred_on", flat=True).first()
    judgement = marac.RiskLevel(dash.judgement_level) if dash is not None and dash.judgement_level else None
    try:
        result = marac.assess(
            dash.yes_count if dash else None,
            judgement,
            dash.judgement_reason if dash else "",
            incidents,
            last,
            as_of,
            rules.marac,
        )
    except ValueError as exc:  # a stored judgement no longer consistent with changed thresholds
        return MaracPanel(None, dash.yes_count if dash else None, last, str(exc))
    return MaracPanel(result, dash.yes_count if dash else None, last)


def _when(record: PowerRecord, value: dt.datetime | None, timed: bool) -> dt.date | dt.datetime | None:
    if value is None:
        return None
    local = timezone.localtime(value)
    return local if timed else local.date()


def power_event(record: PowerRecord) -> asb_powers.PowerEvent:
    power = asb_powers.Power(record.power)
    key = (power, record.action)
    return asb_powers.PowerEvent(
        power=power,
        action=record.action,
        on=_when(record, record.on, key in _TIMED) or timezone.localdate(),
        until=_when(record, record.until, key in _TIMED_UNTIL),
        place=str(record.place) if record.place_id else "",
        review_on=record.review_on,
        senior_authority=record.senior_authority,
        reference=record.reference,
    )


def perpetrator_of(person: Person | None) -> asb_powers.Perpetrator | None:
    if person is None:
        return None
    dob = (person.dob_year, person.dob_month, person.dob_day) if person.dob_year else None
    return asb_powers.Perpetrator(kind="individual", dob=dob)


@dataclass(frozen=True)
class PowersPanel:
    subject: str
    person: Person | None
    place: Place | None
    records: list[PowerRecord]
    tracker: asb_powers.Tracker


def powers_panels(
    case: Case, perpetrators: Sequence[Person], places: Sequence[Place], rules: StatutoryRules, now: dt.datetime
) -> list[PowersPanel]:
    """One tracker per perpetrator the user may see, and one per place with closure or PSPO records."""
    panels = []
    records = list(case.related("powers").select_related("person", "place"))
    for person in perpetrators:
        mine = [r for r in records if r.person_id == person.pk]
        tracker = asb_powers.track([power_event(r) for r in mine], perpetrator_of(person), now, rules.powers)
        panels.append(PowersPanel(str(person), person, None, mine, tracker))
    for place in places:
        theirs = [r for r in records if r.place_id == place.pk and r.person_id is None]
        if theirs:
            tracker = asb_powers.track([power_event(r) for r in theirs], None, now, rules.powers)
            panels.append(PowersPanel(str(place), None, place, theirs, tracker))
    return panels


def annual_case_review_figures(
    applications: Sequence[CaseReviewApplication], start: dt.date, end: dt.date
) -> case_review.AnnualFigures:
    return case_review.annual_figures(
        [
            case_review.Application(a.received_on, a.threshold_met, a.review_completed_on, a.recommendations)
            for a in applications
        ],
        start,
        end,
    )


def referral_from(assessment: marac.MaracAssessment) -> dict[str, Any]:
    return {
        "level": assessment.level.value,
        "criteria": list(assessment.criteria_met),
        "reasons": list(assessment.reasons),
    }


MARAC_CRITERIA = {
    "visible_high_risk": "visible high risk (DASH)",
    "professional_judgement": "professional judgement",
    "potential_escalation": "potential escalation",
    "repeat": "repeat within twelve months of the last referral",
}


@dataclass(frozen=True)
class MaracReferralItem:
    """A MARAC referral for the case page: its criteria in words, who attends the meeting, the actions by agency."""

    referral: MaracReferral
    criteria: list[str]
    attending: list[Agency]
    actions: list[tuple[Agency, list[Action]]]


def marac_referral_items(case: Case) -> list[MaracReferralItem]:
    referrals = case.related("marac_referrals").prefetch_related(
        "attendance__agency",
        Prefetch("actions", Action.objects.select_related("assigned_agency", "assigned_officer").order_by("due_on")),
    )
    items = []
    for referral in referrals:
        by_agency: dict[int, tuple[Agency, list[Action]]] = {}
        for action in referral.actions.all():
            by_agency.setdefault(action.assigned_agency_id, (action.assigned_agency, []))[1].append(action)
        items.append(
            MaracReferralItem(
                referral=referral,
                criteria=[MARAC_CRITERIA.get(c, c) for c in referral.criteria or []],
                attending=referral.attending_agencies(),
                actions=sorted(by_agency.values(), key=lambda pair: pair[0].name),
            )
        )
    return items


def statutory_context(profile: Any) -> dict[str, Any]:
    """What the case page shows of the calculators, for the people and places the user may see."""
    case = profile.case
    rules = rules_for(case)
    today = timezone.localdate()
    perpetrators = [link.person for link in profile.people if link.role == "perpetrator"]
    return {
        "case_review": case_review_panel(case, rules, today),
        "case_review_applications": list(case.related("case_review_applications")),
        "marac": (panel := marac_panel(case, rules, today)),
        "marac_criteria": [MARAC_CRITERIA.get(c, c) for c in panel.assessment.criteria_met]
        if panel is not None and panel.assessment is not None
        else [],
        "marac_referrals": marac_referral_items(case),
        "powers": powers_panels(case, perpetrators, [link.place for link in profile.places], rules, timezone.now()),
        "assessment_sets": [
            ("dash", "DASH risk checklist"),
            ("asb_victim_risk", "ASB victim risk matrix"),
            ("cuckooing", "Cuckooing vulnerability checklist"),
        ],
    }
