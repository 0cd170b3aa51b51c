"""The access policy's filters are built once per kind of user, and what they decide never goes stale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from csphub.access import filter_cache, policy
from csphub.access.models import AccessGrant, GrantStatus
from csphub.access.vocabulary import Verb
from csphub.partnership.models import Role, RoleAssignment
from csphub.registers.models import Person
from tests.factories import World, make_person


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    filter_cache.clear()
    yield
    filter_cache.clear()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every time the policy really builds a user's rule filters."""
    seen: list[tuple[Any, ...]] = []
    real = policy._rule_filters

    def counting(user: Any, model: Any, *, writable_only: bool) -> Any:
        seen.append((user.username, model._meta.label_lower, writable_only))
        return real(user, model, writable_only=writable_only)

    monkeypatch.setattr(policy, "_rule_filters", counting)
    return seen


def _sees(user: Any, person: Person, action: Verb = Verb.VIEW) -> bool:
    return Person.objects.visible_to(user, action).filter(pk=person.pk).exists()


def test_it_builds_a_users_filters_once(world: World, builds: list[tuple[Any, ...]]) -> None:
    person = make_person(world["police_officer"])
    for _ in range(3):
        assert _sees(world["police_officer"], person)
    Person.objects.with_rules(world["police_officer"]).count()
    assert builds == [("police_officer", "registers.person", False)]


def test_it_keeps_each_users_and_actions_filters_apart(world: World) -> None:
    police = make_person(world["police_officer"])
    assert _sees(world["police_officer"], police)
    assert not _sees(world["council_officer"], police)
    shared = make_person(world["council_officer"])
    shared.shared_with_users.add(world["police_officer"])
    # Shared personally: the officer may read it, not change it — VIEW and CHANGE are different filters.
    assert _sees(world["police_officer"], shared)
    assert not _sees(world["police_officer"], shared, Verb.CHANGE)
    assert _sees(world["police_officer"], police, Verb.CHANGE)


def test_it_builds_new_filters_when_a_users_roles_change(world: World) -> None:
    manager = world["council_manager"]
    da = make_person(manager, sensitivity="domestic_abuse", caveat="official_sensitive")
    analyst = world["council_officer"]
    RoleAssignment.objects.filter(user=analyst).delete()
    RoleAssignment.objects.create(user=analyst, role=Role.ANALYST)
    analyst.refresh_roles()
    assert not _sees(analyst, da)  # analysts do not see domestic-abuse records
    RoleAssignment.objects.create(user=analyst, role=Role.CASE_OFFICER)
    analyst.refresh_roles()
    assert _sees(analyst, da)


def test_it_decides_shares_and_grants_in_the_database_after_the_filter_was_built(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is kept depends on the user alone: shares and grants made later, and a grant's expiry, still count.

    The filter is built while the process's clock runs an hour behind the database's (an injected clock, not a
    sleep): a grant that expired a minute ago is current by the build-time clock, so a kept filter that carried
    that clock (``AccessGrant.objects.current()`` without ``Now()``) would still show the record."""
    person = make_person(world["police_officer"])
    council = world["council_officer"]
    behind = timezone.now() - dt.timedelta(hours=1)
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: behind)
        assert not _sees(council, person)  # the filter is built and kept here
    grant = AccessGrant.objects.create(
        user=council,
        record_type="registers.person",
        record_uuid=person.uuid,
        record_label=str(person),
        owning_agency=person.owning_agency,
        justification="Safeguarding concern raised out of hours by the duty team",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert _sees(council, person)
    grant.expires_at = timezone.now() + dt.timedelta(minutes=1)  # after the filter was built
    grant.save()
    assert _sees(council, person)
    grant.expires_at = timezone.now() - dt.timedelta(minutes=1)  # expired by the database's clock only
    grant.save()
    assert not _sees(council, person)
    grant.expires_at = timezone.now() + dt.timedelta(hours=1)
    grant.status = GrantStatus.REVOKED
    grant.save()
    assert not _sees(council, person)
    person.shared_with_users.add(council)
    assert _sees(council, person)


def test_it_gives_the_same_records_as_a_plain_filter(world: World) -> None:
    """The kept filter is ANDed into the caller's queryset: the same rows as filtering with the policy's Q."""
    officer = world["police_officer"]
    for n in range(3):
        make_person(officer, given_name=f"Sam{n}")
    make_person(world["council_officer"], given_name="Sam9")
    expected = set(Person.objects.filter(policy.visibility_filter(officer, Person)).values_list("pk", flat=True))
    sam = {"given_name__startswith": "Sam"}
    got = set(Person.objects.filter(**sam).visible_to(officer).values_list("pk", flat=True))
    again = set(Person.objects.visible_to(officer).filter(**sam).values_list("pk", flat=True))
    sams = set(Person.objects.filter(**sam).values_list("pk", flat=True))
    assert got == again == expected & sams
    assert len(got) == 3


def test_it_drops_the_least_recently_used_filters_beyond_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filter_cache, "MAX_ENTRIES", 2)
    calls: list[str] = []

    def build(name: str) -> str:
        calls.append(name)
        return name

    for name in ("a", "b", "a", "c", "a", "b"):
        assert filter_cache.memoised(name, lambda name=name: build(name)) == name  # type: ignore[misc]
    assert calls == ["a", "b", "c", "b"]
