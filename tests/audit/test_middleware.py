"""Web requests run in an audit context carrying the request id."""

from __future__ import annotations

from csphub.audit.models import AuditEntry, Operation
from tests.factories import World, make_person, verified_client


def test_it_logs_a_page_view_as_a_consultation_with_the_request_id(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    response = verified_client(officer).get(f"/register/people/{person.uuid}/", HTTP_X_REQUEST_ID="req-abcdef-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-abcdef-123"
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert entry.request_id == "req-abcdef-123" and entry.actor_username == "police_officer"
    assert entry.basis == "owning agency" and entry.channel == "web"


def test_it_gives_each_request_its_own_id(world: World) -> None:
    client = verified_client(world["police_officer"])
    a, b = client.get("/"), client.get("/")
    assert a["X-Request-ID"] != b["X-Request-ID"] and len(a["X-Request-ID"]) == 32
