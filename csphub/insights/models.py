"""An upload of crime data into the analytics store, and its progress (written by the worker, read by the page)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from csphub.audit.registry import audited


class UploadKind(models.TextChoices):
    POLICE = "police", "police.uk monthly files (CSV or zip)"
    PARTNER = "partner", "partner CSV files"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Loading"
    DONE = "done", "Loaded"
    FAILED = "failed", "Not loaded"


# Who loaded which files, and when, is in the audit log (the upload row is created in the request). Progress is
# written with update(), which the log does not follow.
@audited(label="crime data upload", kind="configuration")
class CrimeUpload(models.Model):
    """One upload: its files are checked and loaded together by the engine's ingest (all of them or none)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=UploadKind.choices)
    files = models.JSONField(default=list)  # the names of the uploaded files
    status = models.CharField(max_length=8, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)  # the ingest's message: file and line
    result = models.JSONField(default=list)  # per file: rows, unlocated, outside the districts…
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} uploaded {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == UploadStatus.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.FAILED)
