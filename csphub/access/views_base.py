"""Base classes for views of governed records: every record is opened through the access policy and the log."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from csphub.access import consultation
from csphub.access.models import Governed
from csphub.access.policy import allowed_actions, permissions
from csphub.access.vocabulary import Verb
from csphub.partnership.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user making the request (views call this after sign-in has been required)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in to use csphub.")
    return user


G = TypeVar("G", bound=Governed)


class RecordMixin(LoginRequiredMixin, Generic[G]):
    """Fetches ``self.record`` (``model`` by the URL's ``uuid``) for ``action``: 404 outside, 403 without the right."""

    model: type[G]
    record: G
    lookup: ClassVar[str] = "uuid"  # the model field the URL's <lookup> carries (a UUID or a case reference)
    action: ClassVar[Verb] = Verb.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def record_queryset(self) -> QuerySet[G]:
        """Where the record is fetched from (through the access policy): views add what their page shows of it."""
        return cast(QuerySet[G], self.model.objects.all())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = consultation.open_record(
            self.record_queryset(), acting_user(request), self.action, **{self.lookup: kwargs[self.lookup]}
        )
        self.allowed = permissions(acting_user(request), self.record.matched_rules())
        return super().dispatch(request, *args, **kwargs)


class CreateMixin(LoginRequiredMixin):
    """Views that create records: 403 for roles that may not create."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and Verb.CREATE not in allowed_actions(acting_user(request)):
            raise PermissionDenied("Your role does not allow you to create records.")
        return super().dispatch(request, *args, **kwargs)


class ReadMixin(LoginRequiredMixin):
    """List and search views of personal data: 403 for roles that read no personal data (administrators)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and Verb.VIEW not in allowed_actions(acting_user(request)):
            raise PermissionDenied("Your role does not give access to personal records.")
        return super().dispatch(request, *args, **kwargs)
