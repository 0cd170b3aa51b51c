"""Legacy register imports (every source row kept), candidate pairs for review, and merges that can be undone."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from csphub.audit.registry import audited


class ImportBatch(models.Model):
    """One legacy file imported from one source (a district's register export)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=40)
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64)
    owning_agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    rows_already_known = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "file_sha256"], name="unique_import_per_file")]

    def __str__(self) -> str:
        return f"{self.source}: {self.file_name} ({self.imported_at:%d %b %Y})"


@audited(label="source record", record=lambda r: r.person, exclude=("raw",))
class SourceRecord(models.Model):
    """One row of a legacy register, kept as it came, attached to the person it describes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    source = models.CharField(max_length=40)
    record_id = models.CharField(max_length=100)
    line = models.PositiveIntegerField(help_text="Line (or spreadsheet row) in the file")
    row_key = models.CharField(max_length=64, help_text="Hash of the row's content")
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="source_records")
    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    dob_year = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_month = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_day = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # The address in parts when the source keeps it so (``address`` then holds them joined); compared part by part.
    street = models.CharField(max_length=300, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    recorded_on = models.DateField(null=True, blank=True, help_text="When the source last updated the row")
    raw = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source", "record_id"]
        constraints = [models.UniqueConstraint(fields=["source", "record_id"], name="unique_source_record")]

    def __str__(self) -> str:
        return f"{self.source} {self.record_id}"

    @property
    def key(self) -> str:
        return f"{self.source}:{self.record_id}"


class QuarantinedRow(models.Model):
    """A row that could not be imported, with where it is and why: nothing is silently dropped."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="quarantined")
    line = models.PositiveIntegerField()
    reason = models.TextField()
    raw = models.JSONField(default=dict)

    class Meta:
        ordering = ["batch", "line"]

    def __str__(self) -> str:
        return f"{self.batch.file_name} line {self.line}: {self.reason}"


class PairStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Same person: merged"
    REJECTED = "rejected", "Different people"
    UNSURE = "unsure", "Unsure"
    AUTO_MERGED = "auto_merged", "Merged automatically"


class CandidatePair(models.Model):
    """Two source records the model scored between the thresholds (or above, when merged automatically).

    Keyed by the two records' stable keys, so a reviewer's decision survives re-running the linkage."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_a = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    explanation = models.JSONField(default=list)
    model_version = models.CharField(max_length=80)
    status = models.CharField(max_length=12, choices=PairStatus.choices, default=PairStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [models.UniqueConstraint(fields=["record_a", "record_b"], name="unique_candidate_pair")]
        indexes = [models.Index(fields=["status", "-match_probability"])]

    def __str__(self) -> str:
        return f"{self.record_a} ~ {self.record_b} ({self.match_probability:.3f})"


class MergeEvent(models.Model):
    """A merge of one person into another, with everything needed to undo it exactly."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survivor = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="merges_in")
    absorbed = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="merges_out")
    # What moved (table → primary keys) and the survivor's and absorbed's values before the merge.
    moved = models.JSONField(default=dict)
    survivor_before = models.JSONField(default=dict)
    absorbed_before = models.JSONField(default=dict)
    reason = models.TextField()
    pair = models.ForeignKey(CandidatePair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.absorbed} merged into {self.survivor}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class LinkageModelVersion(models.Model):
    """A trained linkage model, saved and versioned: every scored pair names the version that scored it."""

    version = models.CharField(max_length=80, unique=True)
    definition = models.JSONField()
    records = models.PositiveIntegerField(help_text="How many source records it was trained on")
    trained_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"linkage model {self.version} ({self.trained_at:%d %b %Y})"
