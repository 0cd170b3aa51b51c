"""A case's page: what the user may see of its people, places, timeline and actions (each shown logged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from csphub.access import consultation
from csphub.access.policy import restricted_entries_filter
from csphub.access.vocabulary import Verb
from csphub.cases.kinds import EntryKind
from csphub.cases.models import Action, Case, CasePerson, CasePlace, CaseTransfer, StatusChange, TimelineEntry
from csphub.partnership.models import Agency, District
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User


@dataclass(frozen=True)
class CaseProfile:
    case: Case
    people: list[CasePerson]
    places: list[CasePlace]
    timeline_page: Page[TimelineEntry]  # one page of the timeline, newest first
    actions: list[Action]
    status_changes: list[StatusChange]
    transfers: list[CaseTransfer]
    parties: list[Agency]
    districts: list[District]
    hidden_people: int
    hidden_places: int


# A case page shows its timeline 25 entries at a time: a long-running case has hundreds.
TIMELINE_PAGE_SIZE = 25


def _visible_entries(user: User, case: Case) -> QuerySet[TimelineEntry]:
    return (
        case.timeline.filter(restricted_entries_filter(user, TimelineEntry))
        .select_related("author", "author_agency", "place", "complainant")
        .prefetch_related("restricted_to")
        .order_by("-occurred_at", "-id")
    )


def visible_entries(user: User, case: Case) -> list[TimelineEntry]:
    """All the entries of a case's timeline the user may see, newest first."""
    return list(_visible_entries(user, case))


def timeline_page(user: User, case: Case, number: int | str = 1) -> Page[TimelineEntry]:
    """One page of the entries the user may see, newest first (the last page if ``number`` is past it)."""
    return Paginator(_visible_entries(user, case), TIMELINE_PAGE_SIZE).get_page(number)


def _link_count(model: type[CasePerson] | type[CasePlace]) -> Coalesce:
    links = model.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


# What a case page lists beside its timeline, people and places: a query each, and most cases have none of most
# of them, so the page asks first (one EXISTS each, in the case's own query) and skips the empty ones.
PAGE_RELATIONS = (
    "actions",
    "status_changes",
    "transfers",
    "case_review_applications",
    "marac_referrals",
    "powers",
    "assessments",
)


def case_page_queryset() -> QuerySet[Case]:
    """Cases with what their page shows of them in the same query: the owner (agency and its partnership, whose
    rule settings the statutory panels read; district team; officer), how many people and places are linked
    (to say how many the user may not see) and which of its other lists have anything in them
    (``Case.related``). The access policy is applied on top (``fetch``)."""
    return (
        Case.objects.select_related("owning_agency__partnership", "owning_district", "owning_officer")
        .defer("owning_district__boundary")
        .annotate(
            people_links=_link_count(CasePerson),
            place_links=_link_count(CasePlace),
            **{f"has_{relation}": Case.has_related(relation) for relation in PAGE_RELATIONS},
            has_complaints=Case.has_related("timeline", kind=EntryKind.INCIDENT, is_complaint=True),
        )
    )


def case_profile(user: User, case: Case, timeline: int | str = 1) -> CaseProfile:
    people_qs = case.case_people.select_related("person").order_by("role", "person__family_norm")
    places_qs = (
        case.case_places.select_related("place", "place__district").defer("place__district__boundary").order_by("role")
    )
    visible_people = people_qs.filter(person__in=Person.objects.visible_to(user, Verb.VIEW))
    visible_places = places_qs.filter(place__in=Place.objects.visible_to(user, Verb.VIEW))
    people, places = list(visible_people), list(visible_places)
    entries = timeline_page(user, case, timeline)
    consultation.record_results(
        [
            *{link.person.pk: link.person for link in people}.values(),
            *{link.place.pk: link.place for link in places}.values(),
        ],
        f"case {case.reference}",
        {"case": case.reference},
    )
    return CaseProfile(
        case=case,
        people=people,
        places=places,
        timeline_page=entries,
        actions=list(
            case.related("actions").select_related("assigned_agency", "assigned_officer").order_by("due_on", "id")
        ),
        status_changes=list(case.related("status_changes").select_related("by")),
        transfers=list(
            case.related("transfers")
            .select_related(
                "from_agency", "to_agency", "from_officer", "to_officer", "from_district", "to_district", "by"
            )
            .defer("from_district__boundary", "to_district__boundary")
        ),
        parties=list(case.parties.order_by("name")),
        districts=list(case.districts.order_by("name")),
        hidden_people=_links(case, "people_links", people_qs) - len(people),
        hidden_places=_links(case, "place_links", places_qs) - len(places),
    )


def _links(case: Case, annotation: str, links: QuerySet[CasePerson] | QuerySet[CasePlace]) -> int:
    """How many people (places) are linked to the case: annotated by ``case_page_queryset``, else counted."""
    n = getattr(case, annotation, None)
    return int(n) if n is not None else links.count()
