"""A request builds the access policy's filters once per user and model, and nothing is kept beyond it."""

from __future__ import annotations

from typing import Any

import pytest

from csphub.access import policy, scope
from csphub.access.policy import Action
from csphub.registers.models import Person
from tests.factories import World, make_person


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


def test_it_builds_a_users_filters_once_per_request(world: World, builds: list[tuple[Any, ...]]) -> None:
    person = make_person(world["police_officer"])
    with scope.request_scope():
        for _ in range(3):
            assert Person.objects.visible_to(world["police_officer"]).filter(pk=person.pk).exists()
        Person.objects.with_rules(world["police_officer"]).count()
    assert builds == [("police_officer", "registers.person", False)]


def test_it_builds_them_every_time_outside_a_request(world: World, builds: list[tuple[Any, ...]]) -> None:
    Person.objects.visible_to(world["police_officer"]).count()
    Person.objects.visible_to(world["police_officer"]).count()
    assert len(builds) == 2


def test_it_keeps_each_users_and_actions_filters_apart_in_one_request(world: World) -> None:
    police = make_person(world["police_officer"])
    with scope.request_scope():
        assert Person.objects.visible_to(world["police_officer"]).filter(pk=police.pk).exists()
        assert not Person.objects.visible_to(world["council_officer"]).filter(pk=police.pk).exists()
        # An analyst may see a record of their agency but not change it: VIEW and CHANGE differ.
        assert Person.objects.visible_to(world["police_analyst"]).filter(pk=police.pk).exists()
        assert not Person.objects.visible_to(world["police_analyst"], Action.CHANGE).filter(pk=police.pk).exists()


def test_it_forgets_the_filters_when_the_request_ends(world: World, builds: list[tuple[Any, ...]]) -> None:
    officer = world["police_officer"]
    with scope.request_scope():
        Person.objects.visible_to(officer).count()
    with scope.request_scope():
        Person.objects.visible_to(officer).count()
    assert len(builds) == 2


def test_it_decides_per_record_rules_in_the_database_even_within_a_request(world: World) -> None:
    """What is memoised depends on the user alone: a record shared during the request is seen at once."""
    person = make_person(world["police_officer"])
    council = world["council_officer"]
    with scope.request_scope():
        assert not Person.objects.visible_to(council).filter(pk=person.pk).exists()
        person.shared_with_users.add(council)
        assert Person.objects.visible_to(council).filter(pk=person.pk).exists()


def test_it_gives_the_same_records_as_a_plain_filter(world: World) -> None:
    """The memoised filter is ANDed into the caller's queryset: same rows as filtering with the policy's Q."""
    officer = world["police_officer"]
    for n in range(3):
        make_person(officer, given_name=f"Sam{n}")
    make_person(world["council_officer"], given_name="Sam9")
    expected = set(Person.objects.filter(policy.visibility_filter(officer, Person)).values_list("pk", flat=True))
    with scope.request_scope():
        sam = {"given_name__startswith": "Sam"}
        got = set(Person.objects.filter(**sam).visible_to(officer).values_list("pk", flat=True))
        again = set(Person.objects.visible_to(officer).filter(**sam).values_list("pk", flat=True))
    sams = set(Person.objects.filter(given_name__startswith="Sam").values_list("pk", flat=True))
    assert got == again == expected & sams
    assert len(got) == 3
