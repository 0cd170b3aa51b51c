"""The cases, assessments and ASB powers on a person's or place's register page, as the viewer may see them.

Plugged into the register pages at start-up (``csphub.registers.linked``; see ``CasesConfig.ready``): registers
know no cases. Cases are listed through ``Case.objects.visible_to`` joined through the case's people (places);
the cases the viewer may not see are counted, never named; an assessment or power is shown only in a case the
viewer may see. Every case shown is logged as consulted. A fixed number of queries, however many cases.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.assessments.models import CompletedAssessment
from csphub.cases.models import Case, CasePerson, CasePlace, PowerRecord
from csphub.registers.linked import LinkedRow, LinkedSection
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User


def long_date(when: dt.date | dt.datetime | None) -> str:
    """GOV.UK style: 7 December 2026 (a time's local date)."""
    if when is None:
        return ""
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date()
    return f"{when.day} {when:%B %Y}"


def _hidden(n: int) -> str:
    return f"{n} more case{'s' if n != 1 else ''} you may not see." if n else ""


def _case_section(user: User, links: Any, visible: Any, what: str) -> tuple[LinkedSection, list[Case]]:
    """The cases among ``links`` (CasePerson or CasePlace) the user may see, a row each with its roles."""
    shown = list(
        links.filter(case__in=visible).select_related("case").order_by("-case__opened_on", "case__reference", "role")
    )
    cases: dict[int, Case] = {}
    roles: dict[int, list[str]] = {}
    for link in shown:
        cases.setdefault(link.case_id, link.case)
        roles.setdefault(link.case_id, []).append(link.get_role_display())
    hidden = links.exclude(case__in=visible).values("case").distinct().count()
    rows = [
        LinkedRow(
            cells=(
                case.reference,
                case.title,
                case.get_case_type_display(),
                ", ".join(dict.fromkeys(roles[pk])),
                case.get_status_display(),
                long_date(case.opened_on),
            ),
            url=case.get_absolute_url(),
        )
        for pk, case in cases.items()
    ]
    section = LinkedSection(
        heading="Cases",
        columns=("Case", "Title", "Type", what, "Status", "Opened"),
        rows=rows,
        hidden=_hidden(hidden),
        empty="No cases you may see.",
    )
    return section, list(cases.values())


def _power_section(powers: Any) -> LinkedSection:
    rows = [
        LinkedRow(
            cells=(
                p.get_power_display(),
                p.action,
                long_date(p.on),
                long_date(p.until) or "—",
                p.case.reference,
            ),
            url=p.case.get_absolute_url(),
        )
        for p in powers.select_related("case").order_by("-on", "-id")
    ]
    return LinkedSection(
        heading="ASB powers",
        columns=("Power", "Action", "On", "Until", "Case"),
        rows=rows,
        empty="No powers you may see.",
    )


def linked_to(user: User, record: Person | Place) -> list[LinkedSection]:
    """The sections of a person's (place's) page about cases: cases, and the assessments and powers in them."""
    visible = Case.objects.visible_to(user, Verb.VIEW).values("pk")
    if isinstance(record, Person):
        cases, shown = _case_section(user, CasePerson.objects.filter(person=record), visible, "Their role")
        assessments = (
            CompletedAssessment.objects.filter(person=record, case__in=visible, case__isnull=False)
            .select_related("question_set", "case")
            .order_by("-completed_at", "-id")
        )
        assessment_section = LinkedSection(
            heading="Assessments",
            columns=("Assessment", "Level", "Completed", "Case"),
            rows=[
                LinkedRow(
                    cells=(
                        a.question_set.title,
                        (a.final_level or "").replace("_", " ").capitalize(),
                        long_date(a.completed_at),
                        a.case.reference,
                    ),
                    url=a.case.get_absolute_url(),
                )
                for a in assessments
                if a.case is not None
            ],
            empty="No assessments you may see.",
        )
        powers = _power_section(PowerRecord.objects.filter(person=record, case__in=visible))
        sections = [cases, *(s for s in (assessment_section, powers) if s.rows)]
    else:
        cases, shown = _case_section(user, CasePlace.objects.filter(place=record), visible, "Role of the place")
        powers = _power_section(PowerRecord.objects.filter(place=record, case__in=visible))
        sections = [cases, *([powers] if powers.rows else [])]
    consultation.record_results(shown, f"the page of {record.reference}", {"record": str(record.uuid)})
    return sections
