"""Governed records (the base of every record holding personal data) and break-glass access grants."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone

from csphub.access import filter_cache
from csphub.access.policy import (
    RULE_FIELD_PREFIX,
    Action,
    Caveat,
    Decision,
    Sensitivity,
    decide,
    requires_justification,
    rule_filters,
    visibility_filter,
)
from csphub.partnership.models import DataCategory

if TYPE_CHECKING:
    from csphub.partnership.models import User

G = TypeVar("G", bound="Governed")


class JustificationRequired(Exception):
    """The record may be consulted only with a written justification, and none has been given."""

    def __init__(self, record: Governed) -> None:
        super().__init__(f"a justification is needed to consult {record}")
        self.record = record


class GovernedQuerySet(models.QuerySet[G], Generic[G]):
    """Querysets of governed records: the only way views, search and exports fetch them."""

    def visible_to(self, user: User, action: Action = Action.VIEW) -> GovernedQuerySet[G]:
        """Records the user may see (action VIEW) or may do ``action`` to."""
        from csphub.access.policy import allowed_actions

        if action is not Action.VIEW and action not in allowed_actions(user):
            return self.none()
        writable_only = action is not Action.VIEW
        if getattr(self, "_fields", None) is not None or self.query.distinct or self.query.combinator:
            return self.filter(visibility_filter(user, self.model, writable_only=writable_only))
        # The same filter as above, resolved once per kind of user (``filter_cache``) and ANDed in: resolving the rules'
        # subqueries is most of the cost of asking, and a page asks for several models' records.
        model = self.model
        key = ("visible_to", filter_cache.user_key(user), model._meta.label_lower, writable_only)

        def build() -> models.QuerySet[Any]:
            return models.QuerySet(model).filter(visibility_filter(user, model, writable_only=writable_only))

        visible: models.QuerySet[Any] = filter_cache.memoised(key, build)
        return self & visible

    def with_rules(self, user: User) -> GovernedQuerySet[G]:
        """Annotate each record with whether each access rule lets the user in (``_rule_<name>``)."""
        annotations = {
            f"{RULE_FIELD_PREFIX}{name}": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in rule_filters(user, self.model).items()
        }
        return self.annotate(**annotations) if annotations else self

    def fetch(self, user: User, action: Action = Action.VIEW, **lookup: Any) -> G:
        """One record for ``action``: 404 if the user may not see it, 403 if they may see but not do it.

        Consulting a record is written to the audit log with the basis of access and the user's justification;
        OFFICIAL-SENSITIVE, domestic-abuse and intelligence records, and records opened through a break-glass
        grant, raise ``JustificationRequired`` until a written justification has been given.
        """
        from csphub.access import consultation

        obj = (
            self.visible_to(user, Action.VIEW).with_rules(user).select_related("owning_agency").filter(**lookup).first()
        )
        if obj is None:
            raise Http404("No such record")
        matched = obj.matched_rules()
        decision = decide(user, action, matched)
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
        if requires_justification(obj.caveat, obj.sensitivity, matched):
            consultation.require_justification(obj)
        obj.access_decision = decision
        consultation.record(obj, action, decision)
        return obj


GovernedManager = models.Manager.from_queryset(GovernedQuerySet)


class Governed(models.Model):
    """Abstract base of every record holding personal data: ownership, parties, caveat and sensitivity."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owning_agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency accountable for it",
    )
    parties = models.ManyToManyField("partnership.Agency", blank=True, related_name="+")
    caveat = models.CharField(max_length=20, choices=Caveat.choices, default=Caveat.OFFICIAL)
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.GENERAL)
    partnership_wide = models.BooleanField(
        default=False, help_text="A non-personal record every member may see (e.g. a licensed premises)"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_with_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GovernedManager()

    access_decision: Decision | None = None

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def matched_rules(self) -> tuple[str, ...]:
        prefix = RULE_FIELD_PREFIX
        return tuple(k[len(prefix) :] for k, v in self.__dict__.items() if k.startswith(prefix) and v)

    @property
    def data_category(self) -> str:
        if self.sensitivity == Sensitivity.DOMESTIC_ABUSE:
            return DataCategory.DOMESTIC_ABUSE
        if self.sensitivity == Sensitivity.INTELLIGENCE:
            return DataCategory.INTELLIGENCE
        return DataCategory.PERSONAL

    def disclosure_companions(self) -> list[Governed]:
        """Records disclosed together with this one (a person's addresses, phones, vehicles)."""
        return []

    @property
    def is_sensitive(self) -> bool:
        return self.caveat != Caveat.OFFICIAL or self.sensitivity != Sensitivity.GENERAL

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.partnership_wide and self.is_sensitive:
            raise ValidationError({"partnership_wide": "Only OFFICIAL, general records can be partnership-wide."})


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Awaiting supervisor review"
    UPHELD = "upheld", "Upheld by supervisor"
    REVOKED = "revoked", "Revoked by supervisor"


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def current(self, at: dt.datetime | Now | None = None) -> AccessGrantQuerySet:
        """Grants not revoked and not expired at ``at`` (now; ``Now()`` for the database's clock)."""
        return self.filter(expires_at__gt=at if at is not None else timezone.now()).exclude(status=GrantStatus.REVOKED)

    def awaiting_review(self) -> AccessGrantQuerySet:
        return self.filter(status=GrantStatus.PENDING)


AccessGrantManager = models.Manager.from_queryset(AccessGrantQuerySet)


class AccessGrant(models.Model):
    """A deliberate, justified, time-limited access to one record by a user outside its parties ("break glass")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    record_type = models.CharField(max_length=64)
    record_uuid = models.UUIDField()
    record_label = models.CharField(max_length=200)
    owning_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    justification = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = AccessGrantManager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "record_type", "record_uuid", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.record_label} until {self.expires_at:%d %b %Y %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.status != GrantStatus.REVOKED and self.expires_at > timezone.now()
