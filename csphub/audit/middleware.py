"""Opens an audit context for every web request: who, agency, request id, the justifications in the session.

The request's consultations (each record opened, each person shown in a list) are collected and appended to the
log in one batch when the view has answered — before the response leaves: one append per request instead of one
per record shown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from csphub.audit import justifications, log
from csphub.audit.context import audit_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        user = request.user if request.user.is_authenticated else None
        given = justifications.active(request.session) if hasattr(request, "session") else ()
        with audit_context(
            "web",
            actor=user,
            actor_label="anonymous",
            request_id=request_id,
            justifications=given,
            batch=True,
        ):
            response = self.get_response(request)
            log.flush()
        response["X-Request-ID"] = request_id
        return response
