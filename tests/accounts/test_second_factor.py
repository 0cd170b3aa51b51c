"""TOTP second factor: enforced after the password, set up on first sign-in, switchable off for the demo."""

from __future__ import annotations

from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.audit.models import AuditEntry, Operation
from tests.factories import PASSWORD, World


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _sign_in(client: Client, username: str) -> None:
    response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


@override_settings(CSPHUB_REQUIRE_2FA=True)
def test_a_new_user_must_set_up_an_authenticator_before_anything_else(world: World) -> None:
    client = Client()
    _sign_in(client, "police_officer")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/accounts/second-factor/set-up/")
    setup = client.get(home["Location"])
    assert setup.status_code == 200 and "data:image/svg+xml;base64," in setup.content.decode()
    device = TOTPDevice.objects.get(user=world["police_officer"], confirmed=False)
    wrong = client.post(
        "/accounts/second-factor/set-up/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "The security code is wrong" in wrong.content.decode()
    throttled = client.post("/accounts/second-factor/set-up/", {"token": _code(device)})
    assert "Too many wrong codes" in throttled.content.decode()  # django-otp throttles after a failure…
    device.refresh_from_db()
    device.throttle_reset()  # …until the user has waited
    done = client.post("/accounts/second-factor/set-up/?next=/", {"token": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


@override_settings(CSPHUB_REQUIRE_2FA=True)
def test_a_returning_user_enters_a_code_after_the_password(world: World) -> None:
    user = world["police_officer"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, "police_officer")
    blocked = client.get("/register/people/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/second-factor/?next=")
    response = client.post(blocked["Location"], {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/register/people/"
    assert client.get("/register/people/").status_code == 200
    assert AuditEntry.objects.filter(action=Operation.SECURITY, summary="Second factor verified").exists()


@override_settings(CSPHUB_REQUIRE_2FA=True)
def test_a_wrong_code_is_refused(world: World) -> None:
    device = TOTPDevice.objects.create(user=world["police_officer"], name="phone", confirmed=True)
    client = Client()
    _sign_in(client, "police_officer")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/second-factor/", {"token": wrong})
    assert response.status_code == 200 and "wrong or has expired" in response.content.decode()
    assert client.get("/").status_code == 302


@override_settings(CSPHUB_REQUIRE_2FA=False)
def test_the_demo_can_switch_the_second_factor_off(world: World) -> None:
    client = Client()
    _sign_in(client, "police_officer")
    assert client.get("/").status_code == 200
