"""The cuckooing register: vulnerability records keyed by person and by premises, support, reviews, panel members.

A vulnerability record is a governed record (owning agency, parties, caveat, sensitivity: ``csphub.access``) about
a person on the register, a premises on the register (a ``Place``, with its UPRN and address), or both. Its
checklist is the cuckooing question set, completed through the assessments service (``complete_about``). Support
offered (and accepted or declined, with its outcome) and the panel's reviews hang off it and are seen with it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.ui.links import record_url


class RecordStatus(models.TextChoices):
    OPEN = "open", "On the panel's list"
    CLOSED = "closed", "Closed"


@audited(label="cuckooing vulnerability record", exclude=("updated_at",))
class VulnerabilityRecord(Governed):
    person = models.ForeignKey(
        "registers.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cuckooing_records",
        help_text="The resident at risk",
    )
    premises = models.ForeignKey(
        "registers.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cuckooing_records",
        help_text="The home that could be taken over",
    )
    summary = models.TextField(blank=True, help_text="Why the panel should know of it")
    status = models.CharField(max_length=8, choices=RecordStatus.choices, default=RecordStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True, help_text="When the panel reviews it next")

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(premises__isnull=False),
                name="vulnerability_record_has_person_or_premises",
            )
        ]

    def __str__(self) -> str:
        return f"Cuckooing vulnerability record {self.reference}"

    @property
    def reference(self) -> str:
        return f"K-{self.uuid.hex[:8].upper()}"

    def get_absolute_url(self) -> str:
        return record_url("cuckooing:record", self.uuid)

    @property
    def is_open(self) -> bool:
        return self.status == RecordStatus.OPEN

    def review_overdue(self, today: Any) -> bool:
        return self.is_open and self.review_on is not None and self.review_on < today

    def disclosure_companions(self) -> list[Governed]:
        """A vulnerability record is shared with its person and its premises (not with their other links)."""
        return [r for r in (self.person, self.premises) if r is not None]


class SupportResponse(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


@audited(label="support offer", record=lambda s: s.record)
class SupportOffer(models.Model):
    """Support an agency offered the resident, whether it was taken up, and what came of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(VulnerabilityRecord, on_delete=models.CASCADE, related_name="support")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=200, help_text="e.g. tenancy support visit, befriending, drug treatment")
    offered_on = models.DateField()
    response = models.CharField(max_length=10, choices=SupportResponse.choices, default=SupportResponse.OFFERED)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-offered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_response_display().lower()})"


@audited(label="panel review", record=lambda r: r.record)
class PanelReview(models.Model):
    """The panel looked at the record again: what it decided and when it looks next."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(VulnerabilityRecord, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    closed = models.BooleanField(default=False, help_text="The panel closed the record at this review")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.reviewed_on:%d %B %Y}"


@audited(label="cuckooing panel member", kind="configuration")
class PanelMember(models.Model):
    """A member of the partnership's cuckooing panel: records brought to the panel are shared with them (their
    agency, for a statutory partner; them personally, for a voluntary-sector member), each under an ISA."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cuckooing_panel_membership"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} on the cuckooing panel"
