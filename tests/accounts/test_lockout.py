"""Repeated failed sign-ins lock the account; each failure is a security event in the audit log."""

from __future__ import annotations

from django.test import Client

from csphub.audit.models import AuditEntry, Operation
from tests.factories import PASSWORD, World


def test_it_locks_an_account_after_repeated_failures(world: World, settings: object) -> None:
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT  # type: ignore[attr-defined]
    for _ in range(limit):
        response = client.post("/accounts/sign-in/", {"username": "police_officer", "password": "wrong password"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/sign-in/", {"username": "police_officer", "password": PASSWORD})
    assert locked.status_code == 429 and "Your account is locked" in locked.content.decode()
    failures = AuditEntry.objects.filter(
        action=Operation.SECURITY, summary="Failed sign-in attempt", record_id="police_officer"
    )
    assert failures.count() >= limit


def test_other_accounts_are_not_locked(world: World, settings: object) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):  # type: ignore[attr-defined]
        client.post("/accounts/sign-in/", {"username": "police_officer", "password": "wrong password"})
    ok = Client().post("/accounts/sign-in/", {"username": "council_officer", "password": PASSWORD})
    assert ok.status_code == 302


def test_finding_9_a_stranger_cannot_lock_an_account_out_from_elsewhere(world: World, settings: object) -> None:
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):  # type: ignore[attr-defined]
        stranger.post("/accounts/sign-in/", {"username": "police_officer", "password": "wrong password"})
    # the stranger's address is locked for that account ...
    assert stranger.post("/accounts/sign-in/", {"username": "police_officer", "password": PASSWORD}).status_code == 429
    # ... but the officer signs in from their own address
    officer = Client(REMOTE_ADDR="198.51.100.7")
    assert officer.post("/accounts/sign-in/", {"username": "police_officer", "password": PASSWORD}).status_code == 302
