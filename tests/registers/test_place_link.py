"""Linking a place to a person: by the reference people see, or by address after the duplicate check."""

from __future__ import annotations

from csphub.registers.models import Place
from tests.factories import World, make_person, make_place, verified_client


def _link(client, person, **data):
    return client.post(f"/register/people/{person.uuid}/places/new/", {"relation": "lives_at", **data})


def test_it_links_an_existing_place_by_its_short_reference(world: World) -> None:
    officer = world["council_officer"]
    person, place = make_person(officer), make_place(officer, address="4 Digby Street, Kettering")
    response = _link(verified_client(officer), person, place=place.reference)
    assert response.status_code == 302
    assert person.place_links.filter(place=place).exists()


def test_a_place_the_user_may_not_see_cannot_be_linked_by_reference(world: World) -> None:
    person = make_person(world["council_officer"])
    hidden = make_place(world["police_officer"], address="1 Secret Street, Kettering")
    response = _link(verified_client(world["council_officer"]), person, place=hidden.reference)
    assert response.status_code == 404
    assert not person.place_links.exists()


def test_an_address_like_a_known_place_offers_it_before_recording_a_new_one(world: World) -> None:
    officer = world["council_officer"]
    person = make_person(officer)
    shack = make_place(officer, address="12 High Street, Kettering", name="Chicken Shack", postcode="NN16 8AA")
    client = verified_client(officer)
    page = _link(client, person, address="12 High St, Kettering", postcode="NN16 8AA").content.decode()
    assert "Is it one of these places?" in page and f'value="{shack.reference}"' in page
    assert Place.objects.count() == 1 and not person.place_links.exists()
    unanswered = _link(client, person, address="12 High St, Kettering", postcode="NN16 8AA", checked="1")
    assert "Choose one of the places, or say none of them is this place" in unanswered.content.decode()
    chosen = _link(client, person, address="12 High St, Kettering", postcode="NN16 8AA", existing=shack.reference)
    assert chosen.status_code == 302
    assert list(person.place_links.values_list("place", flat=True)) == [shack.pk] and Place.objects.count() == 1


def test_saying_none_of_these_records_a_new_place(world: World) -> None:
    officer = world["council_officer"]
    person = make_person(officer)
    make_place(officer, address="12 High Street, Kettering", postcode="NN16 8AA")
    response = _link(
        verified_client(officer), person, address="12 High St, Kettering", postcode="NN16 8AA", existing="new"
    )
    assert response.status_code == 302
    assert Place.objects.count() == 2 and person.place_links.count() == 1
