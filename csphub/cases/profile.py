"""A case's page: what the user may see of its people, places, timeline and actions (each shown logged).

One rule for linked records: every person or place a case links to (its people and places, a timeline entry's
complainant and place, an assessment's subject, a form's choices) is resolved here through ``visible_to`` for the
viewer. Templates get the visible records and counts of the hidden ones; they never follow a link themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from csphub.access import consultation
from csphub.access.models import Governed
from csphub.access.policy import restricted_entries_filter
from csphub.access.vocabulary import Verb
from csphub.cases.kinds import EntryKind
from csphub.cases.models import Action, Case, CasePerson, CasePlace, CaseTransfer, StatusChange, TimelineEntry
from csphub.partnership.models import Agency, District
from csphub.registers.models import Person, Place

if TYPE_CHECKING:
    from csphub.partnership.models import User

G = TypeVar("G", bound=Governed)


def visible_by_pk(user: User, model: type[G], pks: Iterable[int | None]) -> dict[int, G]:
    """The records among ``pks`` the user may see, by primary key (no query when there are none)."""
    wanted = {pk for pk in pks if pk is not None}
    if not wanted:
        return {}
    found: list[G] = list(model.objects.visible_to(user).filter(pk__in=wanted))  # type: ignore[arg-type]
    return {obj.pk: obj for obj in found}


@dataclass(frozen=True)
class TimelineItem:
    """A timeline entry with its complainant and place as the viewer may see them (hidden: counted, not named)."""

    entry: TimelineEntry
    complainant: Person | None
    complainant_hidden: bool
    place: Place | None
    place_hidden: bool


@dataclass(frozen=True)
class AssessmentItem:
    """A completed assessment with its subject as the viewer may see them."""

    assessment: Any
    person: Person | None
    person_hidden: bool


@dataclass(frozen=True)
class CaseProfile:
    case: Case
    people: list[CasePerson]
    places: list[CasePlace]
    timeline_page: Page[TimelineEntry]  # one page of the timeline, newest first
    timeline: list[TimelineItem]  # that page's entries, their linked people and places resolved for the viewer
    assessments: list[AssessmentItem]
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
        .select_related("author", "author_agency")
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
    assessments = list(case.related("assessments").select_related("question_set", "completed_by"))
    # The timeline's complainants and places and the assessments' subjects: one query each, only if there are any.
    shown_people = visible_by_pk(
        user,
        Person,
        [e.complainant_id for e in entries.object_list] + [a.person_id for a in assessments],
    )
    shown_places = visible_by_pk(user, Place, [e.place_id for e in entries.object_list])
    items = [
        TimelineItem(
            entry=e,
            complainant=shown_people.get(e.complainant_id) if e.complainant_id else None,
            complainant_hidden=e.complainant_id is not None and e.complainant_id not in shown_people,
            place=shown_places.get(e.place_id) if e.place_id else None,
            place_hidden=e.place_id is not None and e.place_id not in shown_places,
        )
        for e in entries.object_list
    ]
    assessment_items = [
        AssessmentItem(
            assessment=a,
            person=shown_people.get(a.person_id) if a.person_id else None,
            person_hidden=a.person_id is not None and a.person_id not in shown_people,
        )
        for a in assessments
    ]
    shown: dict[tuple[str, int], Governed] = {}
    for record in [
        *(link.person for link in people),
        *(link.place for link in places),
        *(i.complainant for i in items if i.complainant is not None),
        *(i.place for i in items if i.place is not None),
        *(a.person for a in assessment_items if a.person is not None),
    ]:
        shown.setdefault((record._meta.label_lower, record.pk), record)
    consultation.record_results(shown.values(), f"case {case.reference}", {"case": case.reference})
    return CaseProfile(
        case=case,
        people=people,
        places=places,
        timeline_page=entries,
        timeline=items,
        assessments=assessment_items,
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


@dataclass(frozen=True)
class CaseLinks:
    """The people and places of a case as one user may see them (for forms' choices): the visible links, and the
    hidden people and places counted (by role), never named."""

    people: list[CasePerson]
    places: list[CasePlace]
    hidden_people_roles: dict[int, set[str]] = field(default_factory=dict)  # hidden person (pk) -> their roles
    hidden_places: int = 0

    def people_in(self, role: str | None = None) -> list[Person]:
        """The people the user may see (in ``role``), each once, in the case's order."""
        found: dict[int, Person] = {}
        for link in self.people:
            if role is None or link.role == role:
                found.setdefault(link.person.pk, link.person)
        return list(found.values())

    def place_records(self) -> list[Place]:
        found: dict[int, Place] = {}
        for link in self.places:
            found.setdefault(link.place.pk, link.place)
        return list(found.values())

    def hidden_people(self, role: str | None = None) -> int:
        return sum(1 for roles in self.hidden_people_roles.values() if role is None or role in roles)

    def records(self) -> list[Governed]:
        return [*self.people_in(), *self.place_records()]


def case_links(user: User, case: Case) -> CaseLinks:
    """The case's people and places the user may see, and how many they may not (four queries)."""
    people_qs = case.case_people.select_related("person").order_by("role", "person__family_norm")
    places_qs = case.case_places.select_related("place").order_by("role")
    visible_person_ids = Person.objects.visible_to(user, Verb.VIEW).values("pk")
    visible_place_ids = Place.objects.visible_to(user, Verb.VIEW).values("pk")
    hidden: dict[int, set[str]] = {}
    for person_id, role in case.case_people.exclude(person__in=visible_person_ids).values_list("person_id", "role"):
        hidden.setdefault(person_id, set()).add(role)
    return CaseLinks(
        people=list(people_qs.filter(person__in=visible_person_ids)),
        places=list(places_qs.filter(place__in=visible_place_ids)),
        hidden_people_roles=hidden,
        hidden_places=case.case_places.exclude(place__in=visible_place_ids).values("place").distinct().count(),
    )


def _links(case: Case, annotation: str, links: QuerySet[CasePerson] | QuerySet[CasePlace]) -> int:
    """How many people (places) are linked to the case: annotated by ``case_page_queryset``, else counted."""
    n = getattr(case, annotation, None)
    return int(n) if n is not None else links.count()
