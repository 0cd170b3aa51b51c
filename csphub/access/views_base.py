"""Base classes for views of governed records: every fetch goes through the access policy."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from csphub.access.models import Governed
from csphub.access.policy import Action, allowed_actions, permissions


class RecordMixin(LoginRequiredMixin):
    """Fetches ``self.record`` (a ``model`` by the URL's ``uuid``) for ``action``: 404 outside, 403 without the right."""

    model: ClassVar[type[Governed]]
    action: ClassVar[Action] = Action.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = self.model.objects.fetch(request.user, self.action, uuid=kwargs["uuid"])  # type: ignore[attr-defined]
        self.allowed = permissions(request.user, self.record.matched_rules())  # type: ignore[arg-type]
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


class CreateMixin(LoginRequiredMixin):
    """Views that create records: 403 for roles that may not create."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and Action.CREATE not in allowed_actions(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Your role does not allow you to create records.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


class ReadMixin(LoginRequiredMixin):
    """List and search views of personal data: 403 for roles that read no personal data (administrators)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and Action.VIEW not in allowed_actions(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Your role does not give access to personal records.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
