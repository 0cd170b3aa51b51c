"""Writing to the audit log. The only code that creates ``AuditEntry`` rows.

Callers describe what happened as ``Event``s; ``write`` attributes them to the current audit context (who,
agency, channel, request id, the justification given for the record) and appends them to the hash chain in one
transaction, under a lock on the chain head so that concurrent writers extend the chain one at a time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from csphub.audit.chain import GENESIS_HASH, entry_hash
from csphub.audit.context import current
from csphub.audit.models import AuditEntry, ChainHead, Operation


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a value (dates as ISO 8601, UUIDs and decimals as strings)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, models.Model):
        return record_id(value)
    return str(value)


def record_type(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def record_id(obj: models.Model) -> str:
    uid = getattr(obj, "uuid", None)
    return str(uid) if uid is not None else str(obj.pk)


@dataclass(frozen=True)
class Event:
    action: Operation
    record_type: str
    record_id: str
    summary: str
    related_type: str = ""
    related_id: str = ""
    # None: the justification the actor gave for this record in the current context, if any.
    justification: str | None = None
    basis: str = ""
    recipients: Sequence[str] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None

    @classmethod
    def about(
        cls,
        action: Operation,
        obj: models.Model,
        summary: str,
        *,
        related: models.Model | None = None,
        **kwargs: Any,
    ) -> Event:
        return cls(
            action=action,
            record_type=record_type(obj),
            record_id=record_id(obj),
            summary=summary,
            related_type=record_type(related) if related is not None else "",
            related_id=record_id(related) if related is not None else "",
            **kwargs,
        )


def write(*events: Event) -> list[AuditEntry]:
    """Append events to the log, attributed to the current audit context. Returns the new entries."""
    if not events:
        return []
    ctx = current()
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(id=1)
        seq, prev = head.last_seq, head.last_hash
        now = timezone.now()
        entries: list[AuditEntry] = []
        for event in events:
            seq += 1
            justification = event.justification
            if justification is None:
                justification = ctx.justification_for(event.record_id)
            fields: dict[str, Any] = {
                "seq": seq,
                "at": now,
                "action": str(event.action),
                "actor_id": ctx.actor.pk if ctx.actor is not None else None,
                "actor_username": ctx.username,
                "agency_uuid": ctx.agency_uuid,
                "agency_name": ctx.agency_label,
                "channel": ctx.channel,
                "request_id": ctx.request_id,
                "record_type": event.record_type,
                "record_id": event.record_id,
                "related_type": event.related_type,
                "related_id": event.related_id,
                "summary": event.summary[:300],
                "justification": justification,
                "basis": event.basis[:200],
                "recipients": jsonable(list(event.recipients)),
                "detail": jsonable(dict(event.detail)),
                "before": jsonable(dict(event.before)) if event.before is not None else None,
                "after": jsonable(dict(event.after)) if event.after is not None else None,
                "prev_hash": prev,
            }
            fields["hash"] = entry_hash(fields)
            prev = fields["hash"]
            entries.append(AuditEntry(**fields))
        AuditEntry.objects.bulk_create(entries)
        ChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev)
    return entries


def consult(*events: Event) -> list[AuditEntry]:
    """Log consultations. In a context that batches them (a web request), they are kept and appended together with
    the request's other consultations by ``flush`` — one append per request, before the response leaves — instead
    of one append per record shown; elsewhere they are appended at once. Returns the entries appended now."""
    ctx = current()
    resolved = [
        e if e.justification is not None else replace(e, justification=ctx.justification_for(e.record_id))
        for e in events
    ]
    if ctx.pending is None:
        return write(*resolved)
    ctx.pending.extend(resolved)
    return []


def flush() -> list[AuditEntry]:
    """Append the consultations the current context has kept (see ``consult``), in one transaction."""
    ctx = current()
    if not ctx.pending:
        return []
    events = list(ctx.pending)
    ctx.pending.clear()
    return write(*events)


def head() -> tuple[int, str]:
    row = ChainHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)
