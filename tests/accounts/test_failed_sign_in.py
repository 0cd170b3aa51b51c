"""A failed sign-in with any username fits the audit log's fields (PostgreSQL refuses over-long values)."""

from __future__ import annotations

from django.test import Client

from csphub.audit.models import AuditEntry
from tests.factories import World


def test_finding_9_a_150_character_failed_username_fits_the_audit_fields(world: World) -> None:
    username = "u" * 150
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/sign-in/", {"username": username, "password": "wrong password"})
    assert response.status_code < 500
    entry = AuditEntry.objects.filter(summary="Failed sign-in attempt").order_by("-seq").first()
    assert entry is not None
    for name in ("record_id", "actor_username"):
        limit = getattr(AuditEntry._meta.get_field(name), "max_length", None)
        assert limit is not None and len(getattr(entry, name)) <= limit
    assert entry.record_id.startswith("u" * 32)
