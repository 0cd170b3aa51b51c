"""The framework's side of access decisions: pages a user may not use at all are refused before their view runs
(``policy.page_refusal``: volunteers get their referrals only), JustificationRequired becomes a redirect to the
justification form, and every refused attempt (a 404 or 403 answered to a signed-in user: a record outside their
reach, a change they may not make, a refused break-glass request) is written to the audit log, rate-limited per
user.

Views never log refusals: they raise ``Http404`` / ``PermissionDenied`` (or answer 403), and this middleware, which
sits inside the audit context, writes the security entry. So that a scan of guessed UUIDs cannot flood the log, at
most ``CSPHUB_REFUSAL_LOG_PER_MINUTE`` refusals per user and minute are logged one by one; the next writes one entry
saying the rest of that minute are counted, and the count is logged as one summary entry with the user's next refusal
in a later minute. The counters live in Django's cache (per process with the default local-memory cache: a shared
cache makes the limit partnership-wide).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from csphub.access.models import JustificationRequired
from csphub.access.policy import page_refusal
from csphub.audit import log
from csphub.audit.models import Operation

REFUSED_STATUSES = frozenset({403, 404})
# Counters are kept long enough to report a minute's suppressed refusals at the user's next refusal the same day.
_COUNTER_SECONDS = 24 * 60 * 60


def _clock() -> float:
    return time.time()


class AccessDecisionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A refusal is a view's answer (a record outside the user's reach, a verb their role lacks): a path that
        # matches no view (a browser asking for /favicon.ico) is not an attempt on anything.
        if response.status_code in REFUSED_STATUSES and getattr(request, "resolver_match", None) is not None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                note_refusal(request, user, response.status_code)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return
        reason = page_refusal(request.user, match.view_name or "", match.namespace or "")
        if reason:
            raise PermissionDenied(reason)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JustificationRequired):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('access:justify', args=[exception.record.uuid])}?{query}")
        return None


def _target(request: HttpRequest) -> str:
    """The record the refused request was about: the URL's UUID or case reference, or a break-glass form's record."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    for name in ("uuid", "reference"):
        if kwargs.get(name):
            return str(kwargs[name])
    if request.method == "POST":
        try:
            return str(request.POST.get("record", ""))
        except Exception:  # an unreadable body: the path is logged anyway
            return ""
    return ""


def note_refusal(request: HttpRequest, user: Any, status: int) -> None:
    """Log one refused attempt of ``user``, within the per-minute limit (see the module's docstring)."""
    limit = int(settings.CSPHUB_REFUSAL_LOG_PER_MINUTE)
    now = _clock()
    window = int(now // 60)
    prefix = f"csphub:refusals:{user.pk}"
    key = f"{prefix}:{window}"
    cache.add(key, 0, timeout=_COUNTER_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=_COUNTER_SECONDS)
        count = 1
    events: list[log.Event] = []
    pending = cache.get(f"{prefix}:pending")
    if isinstance(pending, int) and pending != window:
        cache.delete(f"{prefix}:pending")
        suppressed = int(cache.get(f"{prefix}:{pending}") or 0) - limit
        if suppressed > 0:
            events.append(
                log.Event(
                    action=Operation.SECURITY,
                    record_type="partnership.user",
                    record_id=str(user.uuid),
                    summary=(
                        f"Refused attempts rate-limited: {suppressed} further refusals in the minute from "
                        f"{time.strftime('%H:%M', time.gmtime(pending * 60))} UTC were counted, not logged one by one"
                    ),
                    detail={"suppressed": suppressed, "minute": pending * 60, "limit": limit},
                )
            )
    path = request.path[:200]
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else ""
    if count <= limit:
        events.append(
            log.Event(
                action=Operation.SECURITY,
                record_type=(view or "unknown")[:64],
                record_id=(_target(request) or "-")[:64],
                summary=f"Refused ({status}): {request.method} {path}"[:300],
                detail={"status": status, "method": request.method, "path": path, "view": view},
            )
        )
    elif count == limit + 1:
        cache.set(f"{prefix}:pending", window, timeout=_COUNTER_SECONDS)
        events.append(
            log.Event(
                action=Operation.SECURITY,
                record_type="partnership.user",
                record_id=str(user.uuid),
                summary=(
                    f"Refused attempts rate-limited: more than {limit} in a minute; the rest of this minute are "
                    "counted and logged as one entry"
                ),
                detail={"status": status, "method": request.method, "path": path, "view": view, "limit": limit},
            )
        )
    if events:
        log.write(*events)
