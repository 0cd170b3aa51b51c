"""Register verbs: record and change people, references, phones and vehicles, erasure; through the web forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from csphub.audit.models import AuditEntry, Operation
from csphub.common.dates import PartialDate
from csphub.registers import services
from csphub.registers.models import Person, Phone, Vehicle
from tests.factories import World, make_person, verified_client


def test_it_records_a_person_with_a_partial_date_of_birth(world: World) -> None:
    person = services.record_person(
        world["police_officer"], given_name="Ada", family_name="Okoro", date_of_birth=PartialDate(1987, 6)
    )
    assert (person.dob_year, person.dob_month, person.dob_day) == (1987, 6, None)
    assert person.owning_agency == world.agencies["police"] and person.referred_by is None


def test_a_volunteer_refers_the_people_they_record(world: World) -> None:
    pastor = world["pastor"]
    person = services.record_person(pastor, given_name="Kim", family_name="Lee")
    assert person.referred_by == pastor
    assert Person.objects.visible_to(pastor).filter(pk=person.pk).exists()


def test_read_only_partners_cannot_record_or_change(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.record_person(world["fire_partner"], family_name="Nope")
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    with pytest.raises(PermissionDenied):
        services.change_person(person, world["fire_partner"], family_name="Changed")


def test_it_refuses_an_nhs_number_with_a_wrong_check_digit(world: World) -> None:
    person = make_person(world["police_officer"])
    with pytest.raises(ValidationError, match="check digit"):
        services.add_identifier(person, world["police_officer"], scheme="nhs", value="943 476 5918")


def test_a_phone_number_is_one_entity_linked_by_many(world: World) -> None:
    police = world["police_officer"]
    a, b = make_person(police), make_person(police, family_name="Jones")
    services.link_phone(a, police, number="07700 900123")
    services.link_phone(b, police, number="+44 7700 900123")
    phone = Phone.objects.get()
    assert phone.number == "+447700900123" and phone.person_links.count() == 2
    # Another agency typing the same number gets its own record of it (finding 8 of issue 18: it was handed theirs).
    council = world["council_officer"]
    services.link_phone(make_person(council, family_name="Khan"), council, number="07700 900123")
    assert not Phone.objects.visible_to(council).filter(pk=phone.pk).exists()
    with pytest.raises(ValidationError, match="not a valid phone number"):
        services.link_phone(a, police, number="12345")


def test_a_vehicle_registration_is_normalised(world: World) -> None:
    police = world["police_officer"]
    link = services.link_vehicle(make_person(police), police, registration="kx19 abc", make="Ford")
    assert link.vehicle.registration == "KX19ABC"


def test_erasing_a_person_needs_the_erase_right(world: World) -> None:
    person = make_person(world["police_officer"])
    with pytest.raises(PermissionDenied):
        services.erase_person(person, world["police_officer"])
    services.erase_person(person, world["police_manager"])
    assert not Person.objects.filter(pk=person.pk).exists()
    assert AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.ERASURE).exists()


def test_the_person_form_records_a_person_and_reports_errors(world: World) -> None:
    client = verified_client(world["police_officer"])
    bad = client.post(
        "/register/people/new/",
        {
            "given_name": "Ada",
            "sex": "female",
            "caveat": "official",
            "sensitivity": "general",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "1990",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in body
    assert "Enter the family name" in body and "Date of birth must be a real date" in body
    assert 'aria-describedby="id_family_name-error"' in body
    good = client.post(
        "/register/people/new/",
        {
            "given_name": "Ada",
            "family_name": "Okoro",
            "sex": "female",
            "caveat": "official",
            "sensitivity": "general",
            "date_of_birth_0": "",
            "date_of_birth_1": "6",
            "date_of_birth_2": "1987",
        },
    )
    assert good.status_code == 302
    person = Person.objects.get(family_name="Okoro")
    assert good["Location"] == person.get_absolute_url() and person.date_of_birth == PartialDate(1987, 6)


def test_the_person_page_offers_only_the_actions_the_user_may_take(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    officer_page = verified_client(world["police_officer"]).get(person.get_absolute_url()).content.decode()
    partner_page = verified_client(world["fire_partner"]).get(person.get_absolute_url()).content.decode()
    assert "Change details" in officer_page and "/share/" in officer_page and "Erase" not in officer_page
    assert "Change details" not in partner_page and "/share/" not in partner_page


def test_recording_a_person_first_shows_likely_existing_records(world: World) -> None:
    officer = world["police_officer"]
    existing = make_person(officer, given_name="John", family_name="Smith", dob_year=1990, dob_month=4, dob_day=3)
    hidden = make_person(world["council_officer"], given_name="Jon", family_name="Smith")
    client = verified_client(officer)
    form = {
        "given_name": "Jon",
        "family_name": "Smyth",
        "sex": "male",
        "caveat": "official",
        "sensitivity": "general",
        "date_of_birth_0": "",
        "date_of_birth_1": "",
        "date_of_birth_2": "1990",
    }
    first = client.post("/register/people/new/", form)
    body = first.content.decode()
    assert first.status_code == 200 and "This person may already be on the register" in body
    assert existing.get_absolute_url() in body and hidden.get_absolute_url() not in body
    assert not Person.objects.filter(family_name="Smyth").exists()
    confirmed = client.post("/register/people/new/", {**form, "confirmed_new": "on"})
    assert confirmed.status_code == 302 and Person.objects.filter(family_name="Smyth").exists()
    # A different year of birth is not a likely match.
    other = client.post("/register/people/new/", {**form, "family_name": "Smith", "date_of_birth_2": "1950"})
    assert other.status_code == 302


def test_the_edit_form_changes_a_person(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer, given_name="Ada", family_name="Okoro")
    response = verified_client(officer).post(
        f"/register/people/{person.uuid}/edit/",
        {
            "given_name": "Ada",
            "family_name": "Okoro-Bell",
            "sex": "female",
            "caveat": "official",
            "sensitivity": "general",
            "date_of_birth_0": "",
            "date_of_birth_1": "",
            "date_of_birth_2": "1987",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Okoro-Bell" and person.dob_year == 1987


def test_finding_8_another_agencys_phone_or_vehicle_is_not_handed_on_by_typing_it(world: World) -> None:
    police, council = world["police_officer"], world["council_officer"]
    suspect = make_person(police, family_name="Suspect")
    services.link_phone(suspect, police, number="07700 900123")
    services.link_vehicle(suspect, police, registration="KX19 ABC", make="Ford", model="Transit", colour="Red")
    police_phone, police_vehicle = Phone.objects.get(), Vehicle.objects.get()
    neighbour = make_person(council, family_name="Neighbour")
    phone_link = services.link_phone(neighbour, council, number="+44 7700 900123")
    vehicle_link = services.link_vehicle(neighbour, council, registration="kx19abc")
    # The council is not added to the police's records, and sees none of their details or links.
    assert not police_phone.parties.exists() and not police_vehicle.parties.exists()
    assert not Phone.objects.visible_to(council).filter(pk=police_phone.pk).exists()
    assert not Vehicle.objects.visible_to(council).filter(pk=police_vehicle.pk).exists()
    assert phone_link.phone.number == "+447700900123" and phone_link.phone.owning_agency == council.agency
    assert vehicle_link.vehicle.owning_agency == council.agency
    page = verified_client(council).get(neighbour.get_absolute_url()).content.decode()
    assert "07700 900123" in page and "KX19ABC" in page and "Ford" not in page and "Transit" not in page
    assert not AuditEntry.objects.filter(action=Operation.DISCLOSURE).exists()


def test_a_phone_the_user_may_see_is_linked_not_copied(world: World) -> None:
    police, council = world["police_officer"], world["council_officer"]
    services.link_phone(make_person(police), police, number="07700 900124")
    phone = Phone.objects.get()
    phone.parties.add(world.agencies["council"])  # shared with the council before (e.g. under an ISA)
    link = services.link_phone(make_person(council, family_name="Jones"), council, number="07700 900124")
    assert link.phone == phone and Phone.objects.count() == 1
