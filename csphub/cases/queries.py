"""Lists of cases and actions for a user, through the access policy, filtered, sorted and paged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from csphub.access.vocabulary import Verb
from csphub.cases.kinds import OPEN_ACTION_STATUSES
from csphub.cases.models import Action, Case, CasePerson, CasePlace, CaseReviewApplication
from csphub.cases.statutory import powers_panels, rules_for
from csphub.common import names
from csphub.registers.models import Alias, Person, Place, fold_address
from csphub.rules import case_review
from csphub.rules.asb_powers import Deadline

if TYPE_CHECKING:
    from csphub.partnership.models import User

PAGE_SIZE = 50
SORTS = {
    "opened": ("-opened_on", "-id"),
    "-opened": ("opened_on", "id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "status": ("status", "-opened_on", "-id"),
    "type": ("case_type", "-opened_on", "-id"),
}


@dataclass(frozen=True)
class CaseFilters:
    text: str = ""
    case_types: Sequence[str] = ()
    statuses: Sequence[str] = ()
    districts: Sequence[str] = ()  # ONS codes
    cross_boundary: bool = False
    owned_by: User | None = None
    person: str = ""  # a name (or the start of one) of a person in the case the user may see
    place: str = ""  # words of the address, name or postcode of a place in the case the user may see
    sort: str = "opened"
    extra: dict[str, str] = field(default_factory=dict)


def cases_for(user: User, filters: CaseFilters, action: Verb = Verb.VIEW) -> QuerySet[Case]:
    qs = Case.objects.visible_to(user, action)
    if filters.text.strip():
        text = filters.text.strip()
        qs = qs.filter(Q(reference__iexact=text) | Q(title__icontains=text))
    if filters.case_types:
        qs = qs.filter(case_type__in=list(filters.case_types))
    if filters.statuses:
        qs = qs.filter(status__in=list(filters.statuses))
    if filters.districts:
        through = Case.districts.through
        qs = qs.filter(
            Exists(through.objects.filter(case_id=OuterRef("pk"), district__ons_code__in=list(filters.districts)))
        )
    if filters.cross_boundary:
        qs = qs.filter(cross_boundary=True)
    if filters.owned_by is not None:
        qs = qs.filter(owning_officer=filters.owned_by)
    if filters.person.strip():
        people = people_named(user, filters.person)
        qs = qs.filter(Exists(CasePerson.objects.filter(case_id=OuterRef("pk"), person__in=people.values("pk"))))
    if filters.place.strip():
        places = places_described(user, filters.place)
        qs = qs.filter(Exists(CasePlace.objects.filter(case_id=OuterRef("pk"), place__in=places.values("pk"))))
    return qs.order_by(*SORTS.get(filters.sort, SORTS["opened"]))


def _starts_a_word(field: str, token: str) -> Q:
    """``field`` (folded, words separated by single spaces) has a word starting with ``token``."""
    return Q(**{f"{field}__startswith": token}) | Q(**{f"{field}__contains": f" {token}"})


def people_named(user: User, text: str) -> QuerySet[Person]:
    """The people the user may see with a name (or another name) that has a word starting with each word of
    ``text``. Only people the user may see: a hidden person's name never narrows a list to their cases."""
    qs = Person.objects.visible_to(user, Verb.VIEW)
    for token in names.tokens(text):
        aliases = Alias.objects.filter(_starts_a_word("given_norm", token) | _starts_a_word("family_norm", token))
        qs = qs.filter(
            _starts_a_word("given_norm", token)
            | _starts_a_word("family_norm", token)
            | Q(middle_names__icontains=token)
            | Q(pk__in=aliases.values("person_id"))
        )
    return qs


def places_described(user: User, text: str) -> QuerySet[Place]:
    """The places the user may see whose address, name or postcode holds every word of ``text``."""
    qs = Place.objects.visible_to(user, Verb.VIEW)
    for token in fold_address(text).split():
        qs = qs.filter(
            Q(address_norm__contains=token) | Q(name__icontains=token) | Q(postcode_compact__icontains=token)
        )
    return qs


@dataclass(frozen=True)
class Page:
    rows: list[Case]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(qs: QuerySet[Case], number: int, size: int = PAGE_SIZE) -> Page:
    """One page, without counting the whole list (fast on large registers): fetch one more row to know if there is
    a next page."""
    number = max(1, number)
    start = (number - 1) * size
    rows = list(
        qs.select_related("owning_agency", "owning_officer", "owning_district").defer("owning_district__boundary")[
            start : start + size + 1
        ]
    )
    return Page(rows[:size], number, len(rows) > size)


def actions_for(user: User, *, mine: bool, overdue: bool, today: dt.date | None = None) -> QuerySet[Action]:
    """Open actions of the user (mine) or of their agency, in cases the user may see; optionally only overdue."""
    today = today or timezone.localdate()
    qs = Action.objects.filter(case__in=Case.objects.visible_to(user), status__in=list(OPEN_ACTION_STATUSES))
    qs = qs.filter(assigned_officer=user) if mine else qs.filter(assigned_agency_id=user.agency_id)
    if overdue:
        qs = qs.filter(due_on__lt=today)
    return qs.select_related("case", "assigned_agency", "assigned_officer").order_by("due_on", "id")


@dataclass(frozen=True)
class DeadlineRow:
    case: Case
    subject: str
    deadline: Deadline


def power_deadlines_for(user: User, now: dt.datetime | None = None, *, limit: int = 200) -> list[DeadlineRow]:
    """Deadlines under ASB powers in cases the user may see (against people and places they may see), overdue
    first, then those due soon, then by date."""
    now = now or timezone.now()
    rows: list[DeadlineRow] = []
    cases = (
        Case.objects.visible_to(user)
        .filter(powers__isnull=False)
        .distinct()
        .select_related("owning_agency__partnership")[:limit]
    )
    for case in cases:
        rules = rules_for(case)
        people = list(Person.objects.visible_to(user).filter(pk__in=case.powers.values("person")))
        places = list(Place.objects.visible_to(user).filter(pk__in=case.powers.values("place")))
        for panel in powers_panels(case, people, places, rules, now):
            for deadline in panel.tracker.deadlines:
                rows.append(DeadlineRow(case, panel.subject, deadline))
    rows.sort(key=lambda r: (not r.deadline.overdue, not r.deadline.due_soon, str(r.deadline.due)))
    return rows


@dataclass(frozen=True)
class CaseReviewDue:
    application: CaseReviewApplication
    due_on: dt.date

    @property
    def case(self) -> Case:
        return self.application.case

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on < today


def case_reviews_awaiting_decision(user: User, action: Verb = Verb.CHANGE) -> list[CaseReviewDue]:
    """Case review applications not yet decided, in cases the user may change (who records the decision), with
    the day the decision is due under the partnership's published time; soonest first."""
    applications = CaseReviewApplication.objects.filter(
        case__in=Case.objects.visible_to(user, action), decided_on__isnull=True, threshold_met__isnull=True
    ).select_related("case__owning_agency__partnership")[:200]
    rows = [
        CaseReviewDue(a, case_review.decision_due(a.received_on, rules_for(a.case).case_review)) for a in applications
    ]
    return sorted(rows, key=lambda r: (r.due_on, r.application.pk))
