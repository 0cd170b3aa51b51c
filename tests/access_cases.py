"""The inherited access cases: every view in csphub gets them by subclassing ``AccessCases``.

Kinds of view:
- ``record``: a view of one governed record. Anonymous → sign-in; another agency → 404; a party agency's
  read-only role → 403 for writes (200 for reads); a permitted user → success.
- ``role``: a page for some roles only (e.g. the audit log). Anonymous → sign-in; a member without the role →
  403; a member with it → success.
- ``member``: a page every signed-in member may see (the partnership's structure). Anonymous → sign-in.
- ``public``: sign-in pages, reachable without an account.

``tests/web/test_url_coverage.py`` fails if any URL of the project has no subclass here, so no view can forget.
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
    url_name: ClassVar[str]
    kind: ClassVar[str] = "record"
    method: ClassVar[str] = "get"
    write: ClassVar[bool] = False
    permitted: ClassVar[str] = "police_officer"
    outsider: ClassVar[str] = "council_officer"
    read_only: ClassVar[str] = "fire_partner"
    lacking_role: ClassVar[str] = "fire_partner"
    expected_ok: ClassVar[tuple[int, ...]] = (200,)
    expected_anonymous: ClassVar[tuple[int, ...]] = (200,)  # public pages only

    def target(self, world: World) -> Governed | None:
        """The record the URL is about: by default a person owned by the police, shared with the fire service."""
        if self.kind != "record":
            return None
        return make_person(world["police_officer"], parties=(world.agencies["fire"],))

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[target.uuid]) if target is not None else reverse(self.url_name)

    def data(self, world: World, target: Governed | None) -> dict[str, Any]:
        return {}

    def _call(self, client: Client, world: World, target: Governed | None) -> Any:
        url = self.url(world, target)
        if self.method == "post":
            return client.post(url, self.data(world, target))
        return client.get(url, self.data(world, target))

    def test_it_sends_anonymous_users_to_sign_in(self, world: World) -> None:
        response = self._call(Client(), world, self.target(world))
        if self.kind == "public":
            assert response.status_code in self.expected_anonymous
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(SIGN_IN)

    def test_it_hides_records_from_another_agency(self, world: World) -> None:
        if self.kind != "record":
            pytest.skip("not a record view: there is no other agency to hide it from")
        response = self._call(verified_client(world[self.outsider]), world, self.target(world))
        assert response.status_code == 404

    def test_it_refuses_roles_without_the_right(self, world: World) -> None:
        target = self.target(world)
        if self.kind == "record":
            response = self._call(verified_client(world[self.read_only]), world, target)
            if self.write:
                assert response.status_code == 403
            else:
                assert response.status_code in self.expected_ok
        elif self.kind == "role":
            response = self._call(verified_client(world[self.lacking_role]), world, target)
            assert response.status_code == 403
        else:
            pytest.skip("every member may use this page")

    def test_it_allows_a_permitted_user(self, world: World) -> None:
        response = self._call(verified_client(world[self.permitted]), world, self.target(world))
        assert response.status_code in self.expected_ok, getattr(response, "content", b"")[:2000]
