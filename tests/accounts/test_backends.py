"""Signing in: the signed-in user comes with their agency in one query, and inactive users are refused."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import World


def test_it_loads_the_signed_in_user_with_their_agency_in_one_query(world: World, rf: RequestFactory) -> None:
    officer = world["police_officer"]
    assert officer.agency is not None
    client = Client()
    client.force_login(officer)
    request = rf.get("/")
    request.session = client.session
    assert request.session[SESSION_KEY] == str(officer.pk)  # the session row is read here, before counting
    with CaptureQueriesContext(connection) as ctx:
        user = auth.get_user(request)
        assert user.pk == officer.pk
        assert user.agency is not None
        assert user.agency.name == officer.agency.name
    assert len(ctx.captured_queries) == 1


def test_it_refuses_an_inactive_or_unknown_user(world: World) -> None:
    officer = world["police_officer"]
    officer.is_active = False
    officer.save()
    assert ModelBackend().get_user(officer.pk) is None
    assert ModelBackend().get_user(10**9) is None


def test_it_is_the_backend_a_sign_in_uses(world: World) -> None:
    client = Client()
    client.force_login(world["police_officer"])
    assert client.session["_auth_user_backend"] in settings.AUTHENTICATION_BACKENDS
    assert client.session[SESSION_KEY] == str(world["police_officer"].pk)
