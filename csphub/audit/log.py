"""Writing to the audit log. The only code that creates ``AuditEntry`` rows.

Callers describe what happened as ``Event``s; ``write`` attributes them to the current audit context (who,
agency, channel, request id, the justification given for the record) and appends them to the keyed hash chain
(``csphub.audit.chain``, version 2: HMAC under the audit key) in one transaction, under a lock on the chain head so
that concurrent writers extend the chain one at a time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, models, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.utils import timezone

from csphub.audit.chain import CURRENT_VERSION, GENESIS_HASH, canonical_time, hash_template, link_hash
from csphub.audit.context import AuditContext, current
from csphub.audit.keys import chain_key
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
    now = timezone.now()
    rows = [_fields(ctx, event, now) for event in events]
    if connection.vendor == "postgresql":
        return _append_in_database(rows)
    return _append(rows)


def _fields(ctx: AuditContext, event: Event, now: dt.datetime) -> dict[str, Any]:
    """An entry's fields but its place in the chain (``seq``, ``prev_hash``, ``hash``)."""
    justification = event.justification
    if justification is None:
        justification = ctx.justification_for(event.record_id)
    return {
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
    }


def _append(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Extend the chain under a row lock on its head, hashing here (SQLite, whose writers queue anyway)."""
    key = chain_key()
    templates = [hash_template(row, CURRENT_VERSION) for row in rows]
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(id=1)
        seq, prev = head.last_seq, head.last_hash
        entries: list[AuditEntry] = []
        for row, template in zip(rows, templates, strict=True):
            seq += 1
            entry_hash = link_hash(template, seq, prev, CURRENT_VERSION, key)
            entries.append(AuditEntry(**row, seq=seq, prev_hash=prev, hash=entry_hash, hash_version=CURRENT_VERSION))
            prev = entry_hash
        AuditEntry.objects.bulk_create(entries)
        ChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev)
    return entries


def _append_in_database(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Extend the chain in one statement: ``csphub_audit_append`` (migration 0004) locks the head, splices each
    entry's place into its hash template, computes its HMAC under the audit key passed with the call (never stored
    in the database), inserts it and moves the head, all inside PostgreSQL.

    Every web request appends, so the head's lock is the one point all requests pass through. Taken from Python
    it was held over four round trips (lock, insert, update, commit), each waiting for a thread's turn at the
    interpreter on a busy server: 59 ms of waiting per request at 16 concurrent clients on the 2-core bench. In
    the database it is held for the statement (and, outside a transaction, its commit)."""
    payload = []
    for row in rows:
        a, b, c = hash_template(row, CURRENT_VERSION)
        payload.append({**row, "at": canonical_time(row["at"]), "hash_a": a, "hash_b": b, "hash_c": c})
    with _server_binding_cursor() as cursor:
        cursor.execute(
            "SELECT out_id, out_seq, out_prev_hash, out_hash FROM csphub_audit_append(%s::jsonb, %s::bytea)",
            [json.dumps(payload, ensure_ascii=False, allow_nan=False), chain_key()],
        )
        placed = cursor.fetchall()
    entries = []
    for row, (pk, seq, prev, entry_hash) in zip(rows, placed, strict=True):
        entry = AuditEntry(**row, id=pk, seq=seq, prev_hash=prev, hash=entry_hash, hash_version=CURRENT_VERSION)
        entry._state.adding = False
        entry._state.db = connection.alias
        entries.append(entry)
    return entries


def _server_binding_cursor() -> CursorWrapper:
    """A cursor that sends its parameters apart from the statement (PostgreSQL's extended protocol), for the append
    that carries the audit key: Django's default psycopg cursor writes parameters into the statement's text, and
    the text is what ``pg_stat_activity`` shows and what the server logs when a statement fails. Wrapped as Django
    wraps its own, so the append is still counted (and, under ``DEBUG``, logged) with the other queries."""
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]
    except ImportError:  # psycopg2 binds on the client whatever the cursor: no better cursor to be had
        return connection.cursor()
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(raw, connection)


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
