"""Break-glass access grants: a deliberate, justified, time-limited access to one record, reviewed by a supervisor."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Awaiting supervisor review"
    UPHELD = "upheld", "Upheld by supervisor"
    REVOKED = "revoked", "Revoked by supervisor"


def review_period() -> dt.timedelta:
    return dt.timedelta(hours=settings.CSPHUB_GRANT_REVIEW_HOURS)


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def current(self, at: dt.datetime | Now | None = None) -> AccessGrantQuerySet:
        """Grants not revoked and not expired at ``at`` (now; ``Now()`` for the database's clock)."""
        return self.filter(expires_at__gt=at if at is not None else timezone.now()).exclude(status=GrantStatus.REVOKED)

    def awaiting_review(self) -> AccessGrantQuerySet:
        return self.filter(status=GrantStatus.PENDING)

    def overdue(self, at: dt.datetime | None = None) -> AccessGrantQuerySet:
        """Grants still awaiting review ``CSPHUB_GRANT_REVIEW_HOURS`` after they were granted."""
        return self.awaiting_review().filter(granted_at__lt=(at or timezone.now()) - review_period())


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
    # Who must review it: the requester's and the owning agency's partnership managers, or the fallback reviewers
    # (the partnership's information governance lead, else its partnership managers); the fallback reviewers are
    # added when it goes unreviewed too long (``escalated_at``: ``csphub access escalate``).
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="grants_to_review")
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantManager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "record_type", "record_uuid", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.record_label} until {self.expires_at:%d %b %Y %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.status != GrantStatus.REVOKED and self.expires_at > timezone.now()

    @property
    def is_overdue(self) -> bool:
        return self.status == GrantStatus.PENDING and self.granted_at < timezone.now() - review_period()
