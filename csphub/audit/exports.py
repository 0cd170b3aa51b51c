"""Exports of the audit log for a person or a period (CSV), for the ICO or a subject access request."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from csphub.audit import log
from csphub.audit.models import AuditEntry, Operation
from csphub.common import csvsafe

COLUMNS = (
    "seq",
    "at",
    "action",
    "actor_username",
    "agency_name",
    "channel",
    "request_id",
    "record_type",
    "record_id",
    "related_type",
    "related_id",
    "summary",
    "justification",
    "basis",
    "recipients",
    "before",
    "after",
    "detail",
    "hash",
)


@dataclass(frozen=True)
class ExportScope:
    record_ids: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None

    def describe(self) -> str:
        parts = []
        if self.record_ids:
            parts.append(f"records {', '.join(self.record_ids)}")
        if self.start or self.end:
            parts.append(f"from {self.start or 'the start'} to {self.end or 'today'}")
        return "; ".join(parts) or "the whole log"


def entries(scope: ExportScope) -> Iterator[AuditEntry]:
    qs = AuditEntry.objects.all()
    if scope.record_ids:
        q = Q()
        for rid in scope.record_ids:
            q |= Q(record_id=rid) | Q(related_id=rid)
        qs = qs.filter(q)
    tz = timezone.get_current_timezone()
    if scope.start:
        qs = qs.filter(at__gte=dt.datetime.combine(scope.start, dt.time.min, tzinfo=tz))
    if scope.end:
        qs = qs.filter(at__lt=dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.order_by("seq").iterator(chunk_size=2000)


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


class Reader(Protocol):
    """Who reads the export: which entries of a batch they may see (the access policy decides: the log knows no
    csphub app). ``withheld`` counts the entries they may not."""

    withheld: int

    def visible(self, entries: Sequence[AuditEntry], /) -> list[AuditEntry]: ...


BATCH = 500


def _batches(items: Iterator[AuditEntry]) -> Iterator[list[AuditEntry]]:
    batch: list[AuditEntry] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _readable(scope: ExportScope, reader: Reader | None) -> Iterator[AuditEntry]:
    if reader is None:
        yield from entries(scope)
        return
    for batch in _batches(entries(scope)):
        yield from reader.visible(batch)


def write_csv(
    scope: ExportScope,
    out: TextSink,
    *,
    recipient: str,
    reason: str,
    reader: Reader | None = None,
    downloaded_by: str = "",
) -> int:
    """Write the entries in scope as CSV; the export itself is logged as a disclosure of the log, to whoever
    downloaded it (``downloaded_by``) and the recipient they name.

    ``reader``: only the entries it may see are written (whole, with their snapshots); the others are left out
    and counted in the disclosure entry. Without one (the command line, run by the operator), every entry."""
    writer = csvsafe.writer(out)  # usernames, summaries and snapshots may be typed by anyone: no formulas
    writer.writerow(COLUMNS)
    count = 0
    for entry in _readable(scope, reader):
        row = []
        for column in COLUMNS:
            value = getattr(entry, column)
            if isinstance(value, dt.datetime):
                value = value.isoformat()
            elif isinstance(value, dict | list):
                value = json.dumps(value, sort_keys=True)
            elif value is None:
                value = ""
            row.append(value)
        writer.writerow(row)
        count += 1
    recipients = [r for r in dict.fromkeys((downloaded_by, recipient)) if r]
    detail: dict[str, object] = {"entries": count, "scope": scope.describe()}
    if reader is not None:
        detail["withheld"] = reader.withheld
    log.write(
        log.Event(
            action=Operation.DISCLOSURE,
            record_type="audit.auditentry",
            record_id=",".join(scope.record_ids) or "log",
            summary=f"Exported {count} audit entries ({scope.describe()})",
            justification=reason,
            recipients=recipients,
            detail=detail,
        )
    )
    return count
