"""The idle timeout: the session's expiry is pushed back at most every CSPHUB_SESSION_TOUCH_SECONDS."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from csphub.accounts import middleware
from tests.environment import run_django, run_python
from tests.factories import World, verified_client


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_it_still_ends_an_idle_session(world: World) -> None:
    client = verified_client(world["police_officer"])
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_it_does_not_save_the_session_on_each_request_within_the_touch_window(world: World) -> None:
    client = verified_client(world["police_officer"])
    assert client.get("/").status_code == 200  # the first request touches the session
    before = _session(client)
    for _ in range(3):
        assert client.get("/").status_code == 200
    after = _session(client)
    assert after.expire_date == before.expire_date and after.session_data == before.session_data


def test_it_saves_the_session_once_the_touch_window_has_passed(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client = verified_client(world["police_officer"])
    assert client.get("/").status_code == 200
    before = _session(client)
    later = time.time() + 61
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert client.get("/").status_code == 200
    after = _session(client)
    assert after.expire_date > before.expire_date
    assert client.session[middleware.TOUCHED_KEY] == int(later)


def test_it_refuses_a_touch_interval_over_half_the_idle_timeout() -> None:
    result = run_django(
        {
            "DJANGO_SETTINGS_MODULE": "csphub.settings",
            "CSPHUB_IDLE_TIMEOUT_MINUTES": "2",
            "CSPHUB_SESSION_TOUCH_SECONDS": "61",
        },
        "check",
    )
    assert result.returncode != 0 and "CSPHUB_SESSION_TOUCH_SECONDS must be at most half" in result.stderr
    ok = run_django(
        {
            "DJANGO_SETTINGS_MODULE": "csphub.settings",
            "CSPHUB_IDLE_TIMEOUT_MINUTES": "2",
            "CSPHUB_SESSION_TOUCH_SECONDS": "60",
        },
        "check",
    )
    assert ok.returncode == 0, ok.stderr


def test_it_defaults_the_touch_interval_to_half_a_short_idle_timeout() -> None:
    result = run_python(
        {"CSPHUB_IDLE_TIMEOUT_MINUTES": "1"},
        "-c",
        "import csphub.settings as s; print(s.CSPHUB_SESSION_TOUCH_SECONDS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30"
