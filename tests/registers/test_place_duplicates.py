"""Duplicate prevention when recording a place: visible candidates by name, the rest only as a count."""

from __future__ import annotations

from csphub.access.vocabulary import Sensitivity
from csphub.registers.duplicates import likely_places
from csphub.registers.models import Place
from tests.factories import World, make_place, verified_client

FORM = {"name": "Chicken Shak", "kind": "business", "address": "12 High St, Kettering", "postcode": "NN16 8AA"}


def _shack(owner, **fields):
    return make_place(owner, address="12 High Street, Kettering", name="Chicken Shack", postcode="NN16 8AA", **fields)


def test_it_offers_the_visible_place_that_is_probably_the_same(world: World) -> None:
    officer = world["council_officer"]
    shack = _shack(officer)
    make_place(officer, address="14 High Street, Kettering", name="Chicken Shack 2", postcode="NN16 8AA")
    found = likely_places(officer, address=FORM["address"], name=FORM["name"], postcode=FORM["postcode"])
    assert [m.place for m in found.matches] == [shack] and found.hidden == 0


def test_it_counts_places_the_user_may_not_see_and_never_names_them(world: World) -> None:
    _shack(world["police_officer"])
    client = verified_client(world["council_officer"])
    page = client.post("/register/places/new/", FORM).content.decode()
    assert "1 place you may not see looks like this one" in page
    assert "Chicken Shack" not in page and "Possible existing places" not in page
    assert Place.objects.filter(name="Chicken Shak").count() == 0


def test_it_tells_nothing_of_intelligence_places(world: World) -> None:
    _shack(world["police_officer"], sensitivity=Sensitivity.INTELLIGENCE)
    found = likely_places(world["council_officer"], address=FORM["address"], name=FORM["name"], postcode="NN16 8AA")
    assert not found


def test_the_form_shows_candidates_then_records_a_new_place_once_confirmed(world: World) -> None:
    officer = world["council_officer"]
    shack = _shack(officer)
    client = verified_client(officer)
    page = client.post("/register/places/new/", FORM).content.decode()
    assert "This place may already be on the register" in page
    assert f'href="{shack.get_absolute_url()}">Use this place' in page
    assert "Same postcode; same address; similar name" in page
    assert Place.objects.filter(name="Chicken Shak").count() == 0
    response = client.post("/register/places/new/", {**FORM, "confirmed_new": "on"})
    assert response.status_code == 302
    assert Place.objects.filter(name="Chicken Shak").count() == 1


def test_a_place_unlike_any_other_is_recorded_at_once(world: World) -> None:
    officer = world["council_officer"]
    _shack(officer)
    response = verified_client(officer).post(
        "/register/places/new/", {**FORM, "name": "Kettering Library", "address": "Sheep Street, Kettering"}
    )
    assert response.status_code == 302
