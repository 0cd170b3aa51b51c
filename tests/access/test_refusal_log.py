"""Refused attempts (404 and 403 on records, refused break glass) are logged by the framework, rate-limited."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from csphub.access import middleware
from csphub.audit.models import AuditEntry, Operation
from tests.factories import World, make_person, verified_client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Operation.SECURITY, summary__startswith="Refused").order_by("seq"))


def test_finding_9_refused_attempts_on_records_are_logged(world: World) -> None:
    person = make_person(world["police_officer"])
    outsider = world["council_officer"]
    response = verified_client(outsider).get(f"/register/people/{person.uuid}/")
    assert response.status_code == 404
    entries = _refusals()
    assert len(entries) == 1
    assert entries[0].record_id == str(person.uuid)
    assert entries[0].actor_username == outsider.username
    assert entries[0].detail["status"] == 404


def test_it_logs_a_forbidden_change(world: World) -> None:
    person = make_person(world["police_officer"], parties=(world.agencies["fire"],))
    response = verified_client(world["fire_partner"]).post(f"/register/people/{person.uuid}/edit/", {})
    assert response.status_code == 403
    assert [e.detail["status"] for e in _refusals()] == [403]


def test_finding_9_a_refused_break_glass_request_is_logged(world: World) -> None:
    person = make_person(world["police_officer"])
    response = verified_client(world["pastor"]).post(
        "/access/request/",
        {"record": str(person.uuid), "justification": "I need to check this person's address for a welfare visit"},
    )
    assert response.status_code == 403
    entries = _refusals()
    assert [e.record_id for e in entries] == [str(person.uuid)]


def test_it_rate_limits_refusal_entries_so_a_scan_cannot_flood_the_log(
    world: World, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CSPHUB_REFUSAL_LOG_PER_MINUTE = 3  # type: ignore[attr-defined]
    now = [1_000_000_020.0]
    monkeypatch.setattr(middleware, "_clock", lambda: now[0])
    client = verified_client(world["council_officer"])
    for _ in range(25):
        assert client.get(f"/register/people/{uuid.uuid4()}/").status_code == 404
    entries = _refusals()
    assert len(entries) == 4  # three one by one, then one saying the rest are counted
    assert "rate-limited" in entries[-1].summary
    now[0] += 60
    assert client.get(f"/register/people/{uuid.uuid4()}/").status_code == 404
    entries = _refusals()
    summary = [e for e in entries if e.detail.get("suppressed")]
    assert len(summary) == 1 and summary[0].detail["suppressed"] == 22
    assert len(entries) == 6
    # another user's refusals are counted separately
    other = verified_client(world["corby_officer"])
    assert other.get(f"/register/people/{uuid.uuid4()}/").status_code == 404
    assert len(_refusals()) == 7


def test_it_does_not_log_paths_that_match_no_view(world: World) -> None:
    assert verified_client(world["council_officer"]).get("/no-such-page.ico").status_code == 404
    assert _refusals() == []
