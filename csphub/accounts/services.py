"""The second factor's verbs: each signs the user in further (or not) and writes its security event to the log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.audit import log
from csphub.audit.models import Operation

if TYPE_CHECKING:
    from csphub.partnership.models import User


def pass_second_factor(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """The code was right: the session is verified with this device."""
    otp_login(request, device)
    log.write(log.Event.about(Operation.SECURITY, user, "Second factor verified"))


def fail_second_factor(user: User) -> None:
    """A wrong code: written to the log, so that guessing shows."""
    log.write(log.Event.about(Operation.SECURITY, user, "Wrong second-factor code"))


def set_up_second_factor(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """The first right code from a new authenticator app: the device is confirmed and the session verified."""
    device.confirmed = True
    device.save()
    otp_login(request, device)
    log.write(log.Event.about(Operation.SECURITY, user, "Second factor set up"))
