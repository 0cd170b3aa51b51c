"""Break glass: a justified, time-limited, logged grant, reviewed by a supervisor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csphub.access.models import GrantStatus
from csphub.access.services import grants_for_review, request_access, review_grant
from csphub.audit.models import AuditEntry, Operation
from csphub.registers.models import Person
from tests.factories import World, make_person, verified_client

WHY = "Child at risk reported out of hours; council duty team unreachable"


def test_it_grants_read_access_for_a_limited_time_flagged_for_review(world: World, settings: object) -> None:
    person = make_person(world["council_officer"])
    grant = request_access(world["police_officer"], person, WHY)
    hours = (grant.expires_at - grant.granted_at).total_seconds() / 3600
    assert hours == pytest.approx(settings.CSPHUB_ACCESS_GRANT_HOURS)  # type: ignore[attr-defined]
    assert grant.status == GrantStatus.PENDING
    assert Person.objects.visible_to(world["police_officer"]).filter(pk=person.pk).exists()
    entry = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.SECURITY).get()
    assert entry.justification == WHY and "Break-glass" in entry.summary


def test_it_needs_a_written_justification(world: World) -> None:
    person = make_person(world["council_officer"])
    with pytest.raises(ValidationError, match="at least"):
        request_access(world["police_officer"], person, "need it")


def test_voluntary_sector_users_cannot_break_glass(world: World) -> None:
    person = make_person(world["council_officer"])
    with pytest.raises(PermissionDenied, match="Voluntary"):
        request_access(world["pastor"], person, WHY)


def test_a_supervisor_reviews_and_can_revoke(world: World) -> None:
    person = make_person(world["council_officer"])
    grant = request_access(world["police_officer"], person, WHY)
    assert grant in grants_for_review(world["police_manager"])  # the requester's agency's manager
    assert grant in grants_for_review(world["council_manager"])  # the owning agency's manager
    with pytest.raises(PermissionDenied):
        review_grant(grant, by=world["police_chair"], uphold=True, note="")
    review_grant(grant, by=world["council_manager"], uphold=False, note="Should have called the duty line")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED and grant.expires_at <= timezone.now()
    assert not Person.objects.visible_to(world["police_officer"]).filter(pk=person.pk).exists()
    with pytest.raises(ValidationError, match="already"):
        review_grant(grant, by=world["police_manager"], uphold=True, note="")


def test_the_web_flow_grants_then_logs_each_view_with_the_justification(world: World) -> None:
    person = make_person(world["council_officer"])
    client = verified_client(world["police_officer"])
    page = f"/register/people/{person.uuid}/"
    assert client.get(page).status_code == 404
    response = client.post("/access/request/", {"record": str(person.uuid), "justification": WHY})
    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).status_code == 200
    consultation = AuditEntry.objects.filter(record_id=str(person.uuid), action=Operation.CONSULTATION).get()
    assert consultation.basis == "break-glass access grant" and consultation.justification == WHY


def test_a_request_for_an_unknown_reference_is_refused_and_logged(world: World) -> None:
    client = verified_client(world["police_officer"])
    bogus = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    response = client.post("/access/request/", {"record": bogus, "justification": WHY})
    assert response.status_code == 200 and "No record has this reference" in response.content.decode()
    assert AuditEntry.objects.filter(record_id=bogus, action=Operation.SECURITY).exists()
