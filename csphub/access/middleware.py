"""The access decisions a view never has to make: pages a user may not use at all (403 before the view runs), and
the access layer's JustificationRequired turned into a redirect to the justification form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from csphub.access.models import JustificationRequired
from csphub.access.policy import page_refusal


class AccessDecisionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

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
