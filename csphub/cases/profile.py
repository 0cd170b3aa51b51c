"""A case's page: what the user may see of its people, places, timeline and actions (each shown logged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from csphub.access import consultation
from csphub.access.policy import Action as AccessAction
from csphub.access.policy import restricted_entries_filter
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
    timeline: list[TimelineEntry]
    actions: list[Action]
    status_changes: list[StatusChange]
    transfers: list[CaseTransfer]
    parties: list[Agency]
    districts: list[District]
    hidden_people: int
    hidden_places: int


def visible_entries(user: User, case: Case) -> list[TimelineEntry]:
    return list(
        case.timeline.filter(restricted_entries_filter(user, TimelineEntry))
        .select_related("author", "author_agency", "place", "complainant")
        .prefetch_related("restricted_to")
    )


def case_profile(user: User, case: Case) -> CaseProfile:
    people_qs = case.case_people.select_related("person").order_by("role", "person__family_norm")
    places_qs = (
        case.case_places.select_related("place", "place__district").defer("place__district__boundary").order_by("role")
    )
    visible_people = people_qs.filter(person__in=Person.objects.visible_to(user, AccessAction.VIEW))
    visible_places = places_qs.filter(place__in=Place.objects.visible_to(user, AccessAction.VIEW))
    people, places = list(visible_people), list(visible_places)
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
        timeline=visible_entries(user, case),
        actions=list(case.actions.select_related("assigned_agency", "assigned_officer").order_by("due_on", "id")),
        status_changes=list(case.status_changes.select_related("by")),
        transfers=list(
            case.transfers.select_related(
                "from_agency", "to_agency", "from_officer", "to_officer", "from_district", "to_district", "by"
            ).defer("from_district__boundary", "to_district__boundary")
        ),
        parties=list(case.parties.order_by("name")),
        districts=list(case.districts.order_by("name")),
        hidden_people=people_qs.count() - len(people),
        hidden_places=places_qs.count() - len(places),
    )
