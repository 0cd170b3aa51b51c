"""Turns the access layer's JustificationRequired into a redirect to the justification form."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from csphub.access.models import JustificationRequired


class AccessDecisionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JustificationRequired):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('access:justify', args=[exception.record.uuid])}?{query}")
        return None
