"""A person's page shows only the linked records the user may see, and logs each one shown."""

from __future__ import annotations

from csphub.audit.models import AuditEntry, Operation
from csphub.registers import services
from tests.factories import World, make_person, make_place, verified_client


def test_the_person_page_shows_and_logs_only_visible_linked_places(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    own_place = make_place(officer, address="12 Rockingham Road, Kettering")
    hidden_place = make_place(world["council_officer"], address="3 Secret Lane, Corby")
    services.link_place(person, own_place, officer, relation="lives_at")
    services.link_place(person, hidden_place, officer, relation="frequents")  # the council's record of a place
    body = verified_client(officer).get(person.get_absolute_url()).content.decode()
    assert "12 Rockingham Road" in body and "Secret Lane" not in body
    shown = AuditEntry.objects.filter(action=Operation.CONSULTATION, summary__startswith="Shown place")
    assert [e.record_id for e in shown] == [str(own_place.uuid)]


def _queries_for_page_with(world: World, links: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = world["police_officer"]
    person = make_person(officer, family_name=f"Links{links}")
    for n in range(links):
        services.link_place(person, make_place(officer, address=f"{n} High Street"), officer, relation="frequents")
        services.add_alias(person, officer, given_name=f"Alias{n}", family_name="Smith")
        services.link_phone(person, officer, number=f"07700 90{links}{n:03d}")
    client = verified_client(officer)
    client.get("/")  # settle the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(person.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_person_page_makes_no_query_per_linked_record(world: World) -> None:
    assert _queries_for_page_with(world, 1) == _queries_for_page_with(world, 6)
