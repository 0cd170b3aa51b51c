"""A person's page: the records linked to them that the user may see, each shown one logged as consulted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.partnership.models import Agency
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
    merges: list[Any]


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
    return PersonProfile(
        person=person,
        aliases=list(person.aliases.select_related("source_agency")),
        identifiers=list(person.identifiers.select_related("source_agency")),
        flags=list(person.flags.select_related("source_agency")),
        place_links=place_links,
        phone_links=phone_links,
        vehicle_links=vehicle_links,
        parties=list(person.parties.order_by("name")),
        source_records=list(person.source_records.select_related("batch").order_by("source", "record_id")),
        merges=list(person.merges_in.filter(undone_at__isnull=True).select_related("absorbed", "merged_by")),
    )
