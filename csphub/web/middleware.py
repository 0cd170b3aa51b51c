"""Requests no part of csphub can answer sensibly are refused up front with 400, not left to fail as a 500.

A NUL character (``%00``) in the path, the query string or a form field is never legitimate in csphub, and
PostgreSQL refuses it in any text value (a case reference looked up from ``/cases/%00/`` was a server error). Django
answers ``SuspiciousOperation`` with its 400 page and a line in the ``django.security`` log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class NullCharacterInRequest(SuspiciousOperation):
    pass


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise NullCharacterInRequest("A NUL character in the request")
        return self.get_response(request)


def _has_nul(data: object) -> bool:
    lists = getattr(data, "lists", None)
    if lists is None:
        return False
    return any("\x00" in key or any("\x00" in str(v) for v in values) for key, values in lists())
