"""Multi-agency cases: people and places, a timeline, actions, status workflow and transfers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef
from django.utils import timezone

from csphub.access.models import Governed
from csphub.audit.registry import audited
from csphub.cases.kinds import (
    ACTIVE_STATUSES,
    OPEN_ACTION_STATUSES,
    REFERENCE_CODES,
    ActionStatus,
    CaseRole,
    CaseStatus,
    CaseType,
    EntryKind,
    HateStrand,
    PlaceRole,
    ReportingChannel,
    SaraStage,
)
from csphub.rules import marac
from csphub.ui.links import record_url


class CaseSequence(models.Model):
    """The last number used for references of one prefix, type code and year (NN-ASB-2026-000123)."""

    prefix = models.CharField(max_length=8)
    type_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "type_code", "year"], name="unique_case_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.type_code}-{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, prefix: str, case_type: str, year: int) -> str:
        code = REFERENCE_CODES[case_type]
        with transaction.atomic():
            cls.objects.get_or_create(prefix=prefix, type_code=code, year=year)
            row = cls.objects.select_for_update().get(prefix=prefix, type_code=code, year=year)
            row.last += 1
            row.save(update_fields=["last"])
        return f"{prefix}-{code}-{year}-{row.last:06d}"


@audited(label="case", exclude=("updated_at",))
class Case(Governed):
    reference = models.CharField(max_length=24, unique=True, editable=False)
    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    issue = models.CharField(
        max_length=200, blank=True, help_text="The problem complained of, for the ASB case review (e.g. noise)"
    )
    status = models.CharField(max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    owning_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_cases"
    )
    owning_district = models.ForeignKey(
        "partnership.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The district team that runs the case",
    )
    districts = models.ManyToManyField("partnership.District", blank=True, related_name="cases")
    cross_boundary = models.BooleanField(default=False)
    hate_strands = models.JSONField(default=list, blank=True)
    sara_stage = models.CharField(max_length=12, choices=SaraStage.choices, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "case_type", "-opened_on"]),
            models.Index(fields=["owning_agency", "status", "-opened_on"]),
            models.Index(fields=["-opened_on", "-id"]),
            models.Index(fields=["owning_officer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return record_url("cases:case", self.reference)

    @classmethod
    def has_related(cls, relation: str, **lookup: Any) -> models.Exists:
        """Whether a case has any ``relation`` records (matching ``lookup``): annotate it as ``has_<relation>`` and
        ``related`` answers an empty list without a query."""
        field = cls._meta.get_field(relation)
        assert isinstance(field, models.ForeignObjectRel) and field.related_model is not None
        related_model: Any = field.related_model
        return models.Exists(related_model._default_manager.filter(**{field.field.name: OuterRef("pk")}, **lookup))

    def related(self, relation: str) -> models.QuerySet[Any]:
        """The case's ``relation`` records; no query at all when annotated (``has_related``) as having none."""
        manager = getattr(self, relation)
        if getattr(self, f"has_{relation}", True) is False:
            return manager.none()
        return manager.all()

    def clean(self) -> None:
        super().clean()
        unknown = [s for s in self.hate_strands or [] if s not in HateStrand.values]
        if unknown:
            raise ValidationError({"hate_strands": f"Unknown hate crime strands: {', '.join(unknown)}"})
        if self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "A case cannot close before it opened"})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def reference_code(self) -> str:
        return REFERENCE_CODES[self.case_type]

    def hate_strand_labels(self) -> list[str]:
        return [HateStrand(s).label for s in self.hate_strands or [] if s in HateStrand.values]

    def disclosure_companions(self) -> list[Governed]:
        """A case is shared with the people and places in it."""
        return [
            *(link.person for link in self.case_people.select_related("person")),
            *(link.place for link in self.case_places.select_related("place")),
        ]


@audited(label="person in the case", record=lambda link: link.case, related=lambda link: link.person)
class CasePerson(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_people")
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=12, choices=CaseRole.choices)
    added_at = models.DateTimeField(default=timezone.now)
    added_by_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="unique_case_person_role")]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.case.reference}"


@audited(label="place in the case", record=lambda link: link.case, related=lambda link: link.place)
class CasePlace(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_places")
    place = models.ForeignKey("registers.Place", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=20, choices=PlaceRole.choices)
    added_at = models.DateTimeField(default=timezone.now)
    added_by_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "place", "role"], name="unique_case_place_role")]

    def __str__(self) -> str:
        return f"{self.place} ({self.get_role_display()}) in {self.case.reference}"


def _document_path(entry: TimelineEntry, filename: str) -> str:
    return f"case-documents/{entry.case.uuid}/{uuid.uuid4().hex}-{filename[-80:]}"


@audited(label="timeline entry", record=lambda e: e.case, exclude=("document",))
class TimelineEntry(models.Model):
    """Something that happened or was done in a case: an incident, a contact, a note, a decision, a document."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField(
        default=timezone.now, help_text="When it happened (for an incident, the behaviour)"
    )
    # Incidents: where, how it was reported, and whether it is a complaint for the ASB case review.
    place = models.ForeignKey("registers.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reporting_channel = models.CharField(max_length=10, choices=ReportingChannel.choices, blank=True)
    reported_on = models.DateField(null=True, blank=True, help_text="When the complaint was made")
    complainant = models.ForeignKey(
        "registers.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_complaint = models.BooleanField(default=False)
    is_hate_incident = models.BooleanField(default=False)
    document = models.FileField(upload_to=_document_path, null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Empty: every agency party to the case sees it; otherwise only these agencies (and the author).
    restricted_to = models.ManyToManyField("partnership.Agency", blank=True, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"]), models.Index(fields=["case", "kind"])]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self) -> None:
        if self.is_complaint:
            if self.kind != EntryKind.INCIDENT:
                raise ValidationError({"is_complaint": "Only an incident can be a complaint"})
            if self.reported_on is None:
                raise ValidationError({"reported_on": "Enter when the complaint was made"})
            if self.reported_on < timezone.localtime(self.occurred_at).date():
                raise ValidationError({"reported_on": "A complaint cannot be made before the behaviour"})

    @property
    def behaviour_on(self) -> dt.date:
        return timezone.localtime(self.occurred_at).date()


@audited(label="action", record=lambda a: a.case)
class Action(models.Model):
    """A task for an agency (and optionally one officer) with a due date, status and outcome."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    assigned_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="actions")
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # An action agreed at a MARAC meeting (for an agency attending it).
    marac_referral = models.ForeignKey(
        "MaracReferral", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_officer", "status", "due_on"]),
            models.Index(fields=["assigned_agency", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        officer = self.assigned_officer
        if officer is not None and officer.agency_id != self.assigned_agency_id:
            raise ValidationError({"assigned_officer": "The officer must belong to the agency the action is for"})
        if self.status == ActionStatus.DONE and not self.outcome.strip():
            raise ValidationError({"outcome": "Record the outcome of a completed action"})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


@audited(label="status change", record=lambda s: s.case)
class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=14, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=14, choices=CaseStatus.choices)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_status} → {self.to_status}"


@audited(label="transfer", record=lambda t: t.case)
class CaseTransfer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_district = models.ForeignKey(
        "partnership.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_agency} → {self.to_agency}"


@audited(label="ASB case review application", record=lambda a: a.case)
class CaseReviewApplication(models.Model):
    """An application for an ASB case review (s.104) and what became of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_review_applications")
    applicant = models.ForeignKey("registers.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant_description = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'the victim', 'an MP on the victim's behalf'"
    )
    received_on = models.DateField()
    threshold_met = models.BooleanField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    review_completed_on = models.DateField(null=True, blank=True)
    recommendations = models.PositiveIntegerField(default=0)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Case review application of {self.received_on:%d %b %Y} ({self.case.reference})"


@audited(label="MARAC referral", record=lambda r: r.case, related=lambda r: r.person)
class MaracReferral(models.Model):
    """A referral to the Multi-Agency Risk Assessment Conference: the criteria met on the day, the meeting that
    hears the case, the agencies attending it (``MaracAttendance``) and each agency's actions (``Action``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="marac_referrals")
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True, help_text="The date of the MARAC meeting hearing the case")
    level = models.CharField(max_length=20)
    criteria = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"MARAC referral of {self.referred_on:%d %b %Y} ({self.case.reference})"

    @property
    def is_repeat(self) -> bool:
        """A repeat referral: the calculator found abuse after the last referral, within twelve months of it."""
        return marac.REPEAT in (self.criteria or [])

    def attending_agencies(self) -> list[Any]:
        return [a.agency for a in self.attendance.all()]


@audited(label="MARAC meeting attendance", record=lambda a: a.referral.case, related=lambda a: a.referral.person)
class MaracAttendance(models.Model):
    """An agency attending the MARAC meeting that hears a referral (one row each, so that the log records it)."""

    referral = models.ForeignKey(MaracReferral, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["referral", "agency"], name="unique_marac_attendance")]

    def __str__(self) -> str:
        return f"{self.agency} at the MARAC meeting ({self.referral.case.reference})"


class PowerType(models.TextChoices):
    CPW = "cpw", "Community protection warning"
    CPN = "cpn", "Community protection notice"
    FPN = "fpn", "Fixed penalty notice"
    PROSECUTION = "prosecution", "Prosecution for breach"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    CLOSURE_ORDER = "closure_order", "Closure order"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    PSPO = "pspo", "Public spaces protection order"


@audited(label="ASB power", record=lambda p: p.case)
class PowerRecord(models.Model):
    """Something done under an ASB power: against a perpetrator (warning, notice, injunction…) or for a place
    (closure, PSPO)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="powers")
    person = models.ForeignKey(
        "registers.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The perpetrator (a person)",
    )
    place = models.ForeignKey(
        "registers.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The premises or area (closure, PSPO)",
    )
    power = models.CharField(max_length=20, choices=PowerType.choices)
    action = models.CharField(max_length=12)
    on = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    senior_authority = models.BooleanField(default=False)
    reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["power", "until"])]

    def __str__(self) -> str:
        return f"{self.get_power_display()} {self.action} on {timezone.localtime(self.on):%d %b %Y}"
