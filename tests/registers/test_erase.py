"""Erasing a person who is still in a case is refused with the cases named (those the user may see)."""

from __future__ import annotations

from csphub.cases.models import CasePerson
from csphub.registers.models import Person
from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client


def test_finding_9_erasing_a_person_in_a_case_is_refused_with_the_cases_named(world: World) -> None:
    manager = world["police_manager"]  # links below are test set-up, not the service
    person = make_person(world["police_officer"], family_name="Casey")
    seen = make_case(world["police_officer"], title="Visible case")
    hidden = make_case(world["council_officer"], title="Council case")
    CasePerson.objects.create(case=seen, person=person, role="victim", added_by_agency=seen.owning_agency)
    CasePerson.objects.create(case=hidden, person=person, role="witness", added_by_agency=hidden.owning_agency)
    client = verified_client(manager)
    client.raise_request_exception = False
    response = client.post(f"/register/people/{person.uuid}/erase/", {"confirm": "on"})
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert seen.reference in body
    assert hidden.reference not in body
    assert "1 more case you may not see" in body
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_still_erases_a_person_in_no_case(world: World) -> None:
    person = make_person(world["police_officer"], family_name="Gone")
    response = verified_client(world["police_manager"]).post(
        f"/register/people/{person.uuid}/erase/", {"confirm": "on"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
