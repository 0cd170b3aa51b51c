"""The audit log (DPA 2018 s.62): append-only, hash-chained entries.

Rows are never updated, deleted or replaced: the model refuses it, the database refuses it (triggers installed by
the migrations on SQLite and PostgreSQL; on PostgreSQL in production, the application's role has no right to, see
``csphub audit grant-sql``) and, should someone bypass both with raw SQL after dropping a trigger, ``csphub audit
verify`` finds the first row that no longer fits the keyed chain or the signed checkpoints kept outside the
database.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Operation(models.TextChoices):
    """What was done. The first six are the processing operations DPA 2018 s.62(1) requires logs of."""

    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"
    SECURITY = "security", "Security event"
    CONFIGURATION = "configuration", "Configuration change"


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only: they cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only: they cannot be deleted")

    def for_record(self, record_id: object) -> AuditEntryQuerySet:
        key = str(record_id)
        return self.filter(models.Q(record_id=key) | models.Q(related_id=key))


AuditEntryManager = models.Manager.from_queryset(AuditEntryQuerySet)


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(db_index=True, editable=False)
    action = models.CharField(max_length=16, choices=Operation.choices, db_index=True)
    # Who: the user (id kept without a foreign key, so the log outlives accounts) and snapshots of names.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150)
    agency_uuid = models.CharField(max_length=36, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=8)
    request_id = models.CharField(max_length=64, db_index=True)
    # Which record: "app_label.model" and its UUID; "related" is the other end of a link (a person's place).
    record_type = models.CharField(max_length=64, db_index=True)
    record_id = models.CharField(max_length=64, db_index=True)
    related_type = models.CharField(max_length=64, blank=True)
    related_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.CharField(max_length=300)
    justification = models.TextField(blank=True)
    basis = models.CharField(max_length=200, blank=True)
    recipients = models.JSONField(default=list)
    detail = models.JSONField(default=dict)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How ``hash`` was made (csphub.audit.chain): 1, SHA-256 (entries written before the chain was keyed); 2,
    # HMAC-SHA256 under the audit key. Hashed too: the version is part of the hashed text.
    hash_version = models.PositiveSmallIntegerField(default=2, editable=False)

    objects = AuditEntryManager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["record_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.record_type} {self.record_id} by {self.actor_username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only: they cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only: they cannot be deleted")


class ChainHead(models.Model):
    """The last entry of the chain: locked while appending, so concurrent writers extend it one at a time. Triggers
    let it move forward only, to an entry that exists, and refuse its deletion."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_seq}"
