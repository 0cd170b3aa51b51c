"""Secure headers, the Content-Security-Policy, idle timeout, production settings and secrets."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.test import Client

from tests.environment import run_django
from tests.factories import World, verified_client


def test_pages_carry_secure_headers_and_a_nonce_based_csp(world: World) -> None:
    response = verified_client(world["police_officer"]).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()  # the one inline script carries it
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_a_skip_link_and_no_gov_uk_brand(world: World) -> None:
    body = Client().get("/accounts/sign-in/").content.decode()
    assert 'href="#main-content" class="govuk-skip-link"' in body and 'id="main-content"' in body
    for brand in ("govuk-logo", "govuk-crest", "crown.svg", "govuk-logotype", "GOV.UK", "GDS Transport"):
        assert brand not in body
    assert '<label class="govuk-label govuk-label--s" for="id_username">' in body


def test_an_idle_session_expires(world: World) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = verified_client(world["police_officer"])
    assert client.get("/").status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "csphub.settings",
    "CSPHUB_ENVIRONMENT": "production",
    "CSPHUB_ALLOWED_HOSTS": "csphub.example.org",
}


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run_django(
        {**PRODUCTION, "CSPHUB_SECRET_KEY": secrets.token_urlsafe(60), "CSPHUB_AUDIT_KEY": secrets.token_urlsafe(48)},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_from_the_environment() -> None:
    result = run_django(PRODUCTION, "check")
    assert result.returncode != 0 and "CSPHUB_SECRET_KEY must be set" in result.stderr


def test_a_bad_setting_fails_loudly_naming_the_variable() -> None:
    result = run_django(
        {"DJANGO_SETTINGS_MODULE": "csphub.settings", "CSPHUB_IDLE_TIMEOUT_MINUTES": "half an hour"}, "check"
    )
    assert result.returncode != 0 and "CSPHUB_IDLE_TIMEOUT_MINUTES must be a whole number" in result.stderr
