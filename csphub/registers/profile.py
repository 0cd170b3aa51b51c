"""A person's page: the records linked to them that the user may see, each shown one logged as consulted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.partnership.models import Agency
from csphub.partnership.sharing import check_disclosure
from csphub.registers.models import (
    Alias,
    Identifier,
    Person,
    PersonFlag,
    PersonPhone,
    PersonPlace,
    PersonVehicle,
    Phone,
    Place,
    Vehicle,
)

if TYPE_CHECKING:
    from csphub.partnership.models import User


@dataclass(frozen=True)
class PersonProfile:
    person: Person
    aliases: list[Alias]
    identifiers: list[Identifier]
    flags: list[PersonFlag]
    place_links: list[PersonPlace]
    phone_links: list[PersonPhone]
    vehicle_links: list[PersonVehicle]
    parties: list[Agency]
    source_records: list[Any]
    hidden_source_records: int
    merges: list[Any]


def may_see_source_rows(user: User, supplier: Agency, person: Person) -> bool:
    """Whether the user may read the legacy source rows an agency supplied about a person (e.g. after a merge).

    A source row is the supplying agency's record: its users read it, and so do users of an agency that holds the
    person (owner or party) under an information sharing agreement with the supplier covering the person's data.
    Anyone else who may see the person (a grant, a personal share) sees the rows counted."""
    if user.agency_id is None:
        return False
    if supplier.pk == user.agency_id:
        return True
    holds = person.owning_agency_id == user.agency_id or person.parties.filter(pk=user.agency_id).exists()
    if not holds or user.agency is None:
        return False
    return check_disclosure(supplier, user.agency, person.data_category).allowed


def visible_source_records(user: User, person: Person) -> tuple[list[Any], int]:
    """The person's source rows the user may read, and how many more there are."""
    rows = list(person.source_records.select_related("batch__owning_agency").order_by("source", "record_id"))
    decided: dict[int, bool] = {}
    shown = []
    for row in rows:
        supplier = row.batch.owning_agency
        if supplier.pk not in decided:
            decided[supplier.pk] = may_see_source_rows(user, supplier, person)
        if decided[supplier.pk]:
            shown.append(row)
    return shown, len(rows) - len(shown)


def person_profile(user: User, person: Person) -> PersonProfile:
    """Everything shown on a person's page, limited to what the user may see; linked records are logged too."""
    place_links = list(
        person.place_links.filter(place__in=Place.objects.visible_to(user, Verb.VIEW)).select_related(
            "place", "place__district", "source_agency"
        )
    )
    phone_links = list(
        person.phone_links.filter(phone__in=Phone.objects.visible_to(user, Verb.VIEW)).select_related("phone")
    )
    vehicle_links = list(
        person.vehicle_links.filter(vehicle__in=Vehicle.objects.visible_to(user, Verb.VIEW)).select_related("vehicle")
    )
    linked = [
        *{link.place.pk: link.place for link in place_links}.values(),
        *(link.phone for link in phone_links),
        *(link.vehicle for link in vehicle_links),
    ]
    consultation.record_results(linked, f"the page of {person.reference}", {"person": str(person.uuid)})
    source_records, hidden_source_records = visible_source_records(user, person)
    return PersonProfile(
        person=person,
        aliases=list(person.aliases.select_related("source_agency")),
        identifiers=list(person.identifiers.select_related("source_agency")),
        flags=list(person.flags.select_related("source_agency")),
        place_links=place_links,
        phone_links=phone_links,
        vehicle_links=vehicle_links,
        parties=list(person.parties.order_by("name")),
        source_records=source_records,
        hidden_source_records=hidden_source_records,
        merges=list(person.merges_in.filter(undone_at__isnull=True).select_related("absorbed", "merged_by")),
    )


def linked_people(user: User, record: Place | Phone | Vehicle) -> tuple[list[Any], int]:
    """The links from people to a place, phone or vehicle whose person the user may see (each shown logged as
    consulted), and how many people linked to it they may not see (counted, never named)."""
    links: Any = record.person_links.all()
    visible = Person.objects.visible_to(user, Verb.VIEW)
    shown = list(links.filter(person__in=visible).select_related("person"))
    hidden = links.exclude(person__in=visible).values("person").distinct().count()
    people: dict[int, Person] = {link.person.pk: link.person for link in shown}
    consultation.record_results(people.values(), f"the page of {record.reference}", {"record": str(record.uuid)})
    return shown, hidden
