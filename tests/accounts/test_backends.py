"""Signing in: the user comes with their agency in one query, and inactive users are refused."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from csphub.accounts.backends import UserBackend
from tests.factories import World


def test_it_loads_the_user_with_their_agency_in_one_query(world: World) -> None:
    officer = world["police_officer"]
    with CaptureQueriesContext(connection) as ctx:
        user = UserBackend().get_user(officer.pk)
        assert user is not None
        assert user.agency.name == officer.agency.name
    assert len(ctx.captured_queries) == 1


def test_it_refuses_an_inactive_or_unknown_user(world: World) -> None:
    officer = world["police_officer"]
    officer.is_active = False
    officer.save()
    assert UserBackend().get_user(officer.pk) is None
    assert UserBackend().get_user(10**9) is None


def test_it_is_the_backend_a_sign_in_uses(world: World) -> None:
    client = Client()
    client.force_login(world["police_officer"])
    assert client.session["_auth_user_backend"] == "csphub.accounts.backends.UserBackend"
    assert client.session[SESSION_KEY] == str(world["police_officer"].pk)
