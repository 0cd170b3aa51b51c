"""Enforces the second factor: a signed-in user who has not verified a TOTP code reaches only the sign-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_EXEMPT_NAMES = ("accounts:otp-verify", "accounts:otp-setup", "accounts:logout", "accounts:login")


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if settings.CSPHUB_REQUIRE_2FA and user.is_authenticated and not getattr(user, "is_verified", lambda: False)():
            exempt = [reverse(name) for name in _EXEMPT_NAMES]
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "accounts:otp-verify" if has_device else "accounts:otp-setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
