"""Web requests run in an audit context carrying the request id."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from csphub.access import consultation
from csphub.audit.context import audit_context
from csphub.audit.models import AuditEntry, Operation
from csphub.audit.verification import verify_log
from csphub.registers.models import Person
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


def test_it_appends_a_requests_consultations_in_one_batch_before_the_response(world: World) -> None:
    officer = world["police_officer"]
    people = [make_person(officer, given_name="Ada", family_name="Batchley") for _ in range(3)]
    client = verified_client(officer)
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/register/people/", {"name": "Ada Batchley"})
    assert response.status_code == 200
    shown = AuditEntry.objects.filter(
        seq__gt=before, action=Operation.CONSULTATION, request_id=response["X-Request-ID"]
    )
    assert {e.record_id for e in shown} == {str(p.uuid) for p in people}
    # An append is one INSERT (SQLite) or one call of the append function (PostgreSQL).
    appends = [
        q
        for q in queries.captured_queries
        if 'INSERT INTO "audit_auditentry"' in q["sql"] or "csphub_audit_append(" in q["sql"]
    ]
    assert len(appends) == 1
    assert verify_log().ok


def test_it_logs_consultations_at_once_outside_a_batching_context(world: World) -> None:
    officer = world["police_officer"]
    person = make_person(officer)
    before = AuditEntry.objects.count()
    with audit_context("test", actor=officer):
        consultation.open_record(Person.objects.all(), officer, uuid=person.uuid)
        assert AuditEntry.objects.count() == before + 1
