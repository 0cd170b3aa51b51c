"""The inherited access cases: every view in csphub gets them by subclassing one kind of view's cases.

As NetBox's view test cases (``ViewTestCases.GetObjectViewTestCase`` …), each case is a small mixin and each kind
of view inherits exactly the cases that apply to it, so no case is skipped:

- ``RecordViewCases``: a view of one governed record. Anonymous → sign-in; another agency → 404; a party agency's
  read-only role → 403 for writes (200 for reads); a permitted user → success.
- ``RoleViewCases``: a page for some roles only (e.g. the audit log). Anonymous → sign-in; a member without the
  role → 403 (or 404 where ``refused_status`` says the page does not exist for them); a member with it → success.
- ``MemberViewCases``: a page every signed-in member may see (the partnership's structure). Anonymous → sign-in;
  a member → success.
- ``PublicViewCases``: sign-in pages, reachable without an account.

A test class names its URL (``url_name``) and derives from one kind; deriving from ``AccessCases`` directly is an
error, so a view cannot end up with fewer cases than its kind. ``tests/web/test_url_coverage.py`` fails if any URL
of the project has no subclass here, so no view can forget.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.test import Client
from django.urls import reverse

from csphub.access.models import Governed
from tests.factories import World, make_person, verified_client

SIGN_IN = "/accounts/sign-in/"


class AccessCases:
    """How a view is called, and the case every view has: a permitted user gets through."""

    # Each view's answers to each kind of user are the web layer's: they run in make test's SQLite pass. On
    # PostgreSQL the canary harness requests every page for one user of each kind of access and the policy's tests
    # run every rule, so the database's side of these answers is asked there too (564 of 1,190 tests, about a third
    # of that pass's time).
    pytestmark: ClassVar[list[pytest.MarkDecorator]] = [pytest.mark.sqlite_pass]

    url_name: ClassVar[str]
    method: ClassVar[str] = "get"
    permitted: ClassVar[str] = "police_officer"
    expected_ok: ClassVar[tuple[int, ...]] = (200,)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: `kind` is gone; derive from RecordViewCases, RoleViewCases, …")
        if "url_name" in cls.__dict__ and not issubclass(cls, KINDS):
            raise TypeError(f"{cls.__name__} names a URL: derive it from one of {[k.__name__ for k in KINDS]}")

    def target(self, world: World) -> Governed | None:
        """The record the URL is about (record views only)."""
        return None

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[target.uuid]) if target is not None else reverse(self.url_name)

    def data(self, world: World, target: Governed | None) -> dict[str, Any]:
        return {}

    def _call(self, client: Client, world: World, target: Governed | None) -> Any:
        url = self.url(world, target)
        if self.method == "post":
            return client.post(url, self.data(world, target))
        return client.get(url, self.data(world, target))

    def test_it_allows_a_permitted_user(self, world: World) -> None:
        response = self._call(verified_client(world[self.permitted]), world, self.target(world))
        assert response.status_code in self.expected_ok, getattr(response, "content", b"")[:2000]


# The cases, one mixin each.


class SignInRequiredCase(AccessCases):
    def test_it_sends_anonymous_users_to_sign_in(self, world: World) -> None:
        response = self._call(Client(), world, self.target(world))
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


class AnonymousAllowedCase(AccessCases):
    expected_anonymous: ClassVar[tuple[int, ...]] = (200,)

    def test_it_lets_anonymous_users_in(self, world: World) -> None:
        response = self._call(Client(), world, self.target(world))
        assert response.status_code in self.expected_anonymous


class OtherAgencyHiddenCase(AccessCases):
    outsider: ClassVar[str] = "council_officer"

    def test_it_hides_records_from_another_agency(self, world: World) -> None:
        response = self._call(verified_client(world[self.outsider]), world, self.target(world))
        assert response.status_code == 404


class ReadOnlyRoleCase(AccessCases):
    """A party agency's read-only role: refused a write (403), allowed a read."""

    write: ClassVar[bool] = False
    read_only: ClassVar[str] = "fire_partner"

    def test_it_refuses_roles_without_the_right(self, world: World) -> None:
        response = self._call(verified_client(world[self.read_only]), world, self.target(world))
        if self.write:
            assert response.status_code == 403
        else:
            assert response.status_code in self.expected_ok


class LackingRoleRefusedCase(AccessCases):
    lacking_role: ClassVar[str] = "fire_partner"
    #: 403 (the page exists, you may not use it); 404 for pages that do not exist for those without the role
    #: (the intelligence network: as a nominal, a line or a group, it is not there for a panel partner)
    refused_status: ClassVar[int] = 403

    def test_it_refuses_roles_without_the_right(self, world: World) -> None:
        response = self._call(verified_client(world[self.lacking_role]), world, self.target(world))
        assert response.status_code == self.refused_status


# The kinds of view, each with exactly the cases that apply to it.


class RecordViewCases(SignInRequiredCase, OtherAgencyHiddenCase, ReadOnlyRoleCase):
    def target(self, world: World) -> Governed | None:
        """By default a person owned by the police, shared with the fire service."""
        return make_person(world["police_officer"], parties=(world.agencies["fire"],))


class RoleViewCases(SignInRequiredCase, LackingRoleRefusedCase):
    pass


class MemberViewCases(SignInRequiredCase):
    pass


class PublicViewCases(AnonymousAllowedCase):
    pass


KINDS = (RecordViewCases, RoleViewCases, MemberViewCases, PublicViewCases)
