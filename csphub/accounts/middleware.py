"""Session middleware of csphub: the idle timeout, and the second factor (a signed-in user who has not verified a
TOTP code reaches only the sign-in pages)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

# When the session's expiry was last pushed back (seconds since the epoch), kept in the session itself.
TOUCHED_KEY = "_csphub_touched"


class IdleTimeoutMiddleware:
    """Pushes a session's expiry back (by saving it) at most every ``CSPHUB_SESSION_TOUCH_SECONDS``.

    The database session store ends a session ``SESSION_COOKIE_AGE`` (the idle timeout) after it was last saved.
    Saving it on every request (``SESSION_SAVE_EVERY_REQUEST``) costs a database write per page; saving it only when
    the last save is older than the touch interval keeps the idle timeout enforced (a session never outlives the
    timeout after its last request, and ends at most one touch interval earlier) for one write a minute per user.
    Must come after ``SessionMiddleware`` so the session is saved after this has marked it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = int(settings.CSPHUB_SESSION_TOUCH_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session, or signed out: nothing to keep alive
        now = int(time.time())
        touched = session.get(TOUCHED_KEY)
        if session.modified or not isinstance(touched, int) or now - touched >= self.interval:
            session[TOUCHED_KEY] = now  # marks the session modified: SessionMiddleware saves it, with a new expiry
        return response


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


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's never-cache headers) on every response to a signed-in user, and on
    every download (CSV exports, documents) whoever asks: pages with personal data are never kept by a browser's
    cache, a shared computer's disk or a proxy. Must come after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.get("Content-Disposition", "").startswith("attachment") or response.get(
            "Content-Type", ""
        ).startswith("text/csv")
        if download or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
