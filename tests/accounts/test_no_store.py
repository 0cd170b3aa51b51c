"""Pages and files with personal data are never kept by browsers or proxies (Cache-Control: no-store)."""

from __future__ import annotations

from tests.cases.factories import make_case
from tests.factories import World, make_person, verified_client


def test_finding_9_a_person_page_is_sent_with_no_store(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    response = verified_client(officer).get(f"/register/people/{person.uuid}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_finding_9_a_csv_export_is_sent_with_no_store(world: World) -> None:
    officer = world["police_officer"]
    make_case(officer)
    response = verified_client(world["police_manager"]).get("/cases/export.csv")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_keeps_no_store_on_every_page_of_a_signed_in_user(world: World) -> None:
    response = verified_client(world["council_admin"]).get("/partnership/")
    assert "no-store" in response["Cache-Control"]
