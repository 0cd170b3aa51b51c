"""Reading the audit log through the access policy.

The log holds personal data (its summaries, justifications and before/after snapshots), so it is read per row
through the policy of the record each row is about: a row about a governed record (``record_type``/``record_id``,
and ``related_type``/``related_id``) is shown to a reader only if ``visible_to`` lets them see that record now, and
a row about an entry restricted inside a record (a restricted timeline entry) only if they may see that entry.
Rows about configuration (agencies, agreements, user accounts and roles) carry no personal data of the public and
are shown to every reader of the log; any other row (an access request for an unknown reference, an export of the
log, a record erased since) only to the auditor. The auditor (``policy.reads_whole_audit_log``: the partnership's
information governance lead) reads every row. Rows a reader may not see are counted, never shown.

Administrators hold no role that reads personal records, so they see the configuration rows only.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from csphub.access.models import Governed
from csphub.access.policy import allowed_actions, reads_whole_audit_log, restricted_entries_filter
from csphub.access.services import AmbiguousReference, find_record, governed_models
from csphub.access.vocabulary import Verb
from csphub.audit.exports import ExportScope, TextSink, write_csv
from csphub.audit.models import AuditEntry
from csphub.audit.registry import registered

if TYPE_CHECKING:
    from csphub.partnership.models import User

T = TypeVar("T")

# Account events (sign-ins, account and role changes) are filed under the user: staff data, not the public's.
ACCOUNT_TYPES = frozenset({"partnership.user"})
# The most rows the recent-entries page looks through for rows the reader may see.
RECENT_SCAN_LIMIT = 2000


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass
class AuditReader:
    """One reader of the log: decides, a batch of rows at a time, which rows they may see."""

    user: User
    withheld: int = 0
    _governed: dict[str, type[Governed]] = field(default_factory=governed_models, init=False)

    @cached_property
    def reads_everything(self) -> bool:
        return reads_whole_audit_log(self.user)

    @cached_property
    def configuration_types(self) -> frozenset[str]:
        kinds = {m._meta.label_lower for m, spec in registered().items() if spec.kind == "configuration"}
        return frozenset(kinds | ACCOUNT_TYPES)

    def visible(self, entries: Sequence[AuditEntry]) -> list[AuditEntry]:
        """The rows of ``entries`` the reader may see; the others are added to ``withheld``."""
        if self.reads_everything:
            return list(entries)
        seen = self._visible_records(entries)
        shown = [e for e in entries if self._may_see(e, seen)]
        self.withheld += len(entries) - len(shown)
        return shown

    def _refs(self, entry: AuditEntry) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
        """The records a row is about (its record and related record), and the object inside one, if any."""
        refs = [(entry.record_type, entry.record_id)]
        if entry.related_type:
            refs.append((entry.related_type, entry.related_id))
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        inner = (str(detail.get("object", "")), str(detail.get("object_id", "")))
        return refs, inner if all(inner) and inner not in refs else None

    def _may_see(self, entry: AuditEntry, seen: set[tuple[str, str]]) -> bool:
        refs, inner = self._refs(entry)
        for ref in refs:
            if ref[0] in self._governed:
                if ref not in seen:
                    return False
            elif ref[0] not in self.configuration_types:
                return False  # not a record the policy can decide: the auditor's only
        return inner is None or inner[0] in self.configuration_types or inner in seen

    def _visible_records(self, entries: Sequence[AuditEntry]) -> set[tuple[str, str]]:
        """The (type, id) references of these rows that the reader may see now, asked of the policy."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            refs, inner = self._refs(entry)
            for ref_type, ref_id in [*refs, *([inner] if inner else [])]:
                if ref_type not in self.configuration_types:
                    wanted[ref_type].add(ref_id)
        seen: set[tuple[str, str]] = set()
        reads_records = Verb.VIEW in allowed_actions(self.user)
        for ref_type, ids in wanted.items():
            model = self._governed.get(ref_type)
            if model is not None:
                if not reads_records:
                    continue
                uuids = {u for u in map(_uuid, ids) if u is not None}
                found = model.objects.visible_to(self.user).filter(uuid__in=uuids).values_list("uuid", flat=True)
                seen |= {(ref_type, str(u)) for u in found}
            else:
                seen |= self._visible_entries(ref_type, ids)
        return seen

    def _visible_entries(self, ref_type: str, ids: set[str]) -> set[tuple[str, str]]:
        """Entries inside a record (e.g. a case's timeline) that were restricted further: the reader sees the row
        about one only if they may see the entry now. Other non-governed objects are decided by their record."""
        try:
            model = apps.get_model(ref_type)
        except (LookupError, ValueError):
            return set()
        try:
            model._meta.get_field("restricted_to")
        except FieldDoesNotExist:
            return {(ref_type, i) for i in ids}
        key_field = "uuid" if any(f.name == "uuid" for f in model._meta.concrete_fields) else "pk"
        keys: set[object] = (
            {u for u in map(_uuid, ids) if u is not None} if key_field == "uuid" else {i for i in ids if i.isdigit()}
        )
        qs: models.QuerySet[models.Model] = model._default_manager.filter(**{f"{key_field}__in": keys})
        found = qs.filter(restricted_entries_filter(self.user, model)).values_list(key_field, flat=True)
        return {(ref_type, str(k)) for k in found}


def recent_entries(user: User, limit: int = 25) -> tuple[list[AuditEntry], int]:
    """The latest rows the user may see, and how many rows among the more recent ones they may not."""
    reader = AuditReader(user)
    shown: list[AuditEntry] = []
    withheld = 0
    latest = AuditEntry.objects.order_by("-seq")[:RECENT_SCAN_LIMIT].iterator(chunk_size=200)
    for chunk in _chunks(latest, 200):
        visible = {e.pk for e in reader.visible(chunk)}
        for entry in chunk:
            if entry.pk in visible:
                shown.append(entry)
                if len(shown) == limit:
                    return shown, withheld
            else:
                withheld += 1
    return shown, withheld


def export_csv(user: User, scope: ExportScope, out: TextSink, *, recipient: str, reason: str) -> tuple[int, int]:
    """Export the rows in scope the user may see (with their snapshots), logged as a disclosure to the user (and
    the recipient they name). Returns the rows written and the rows withheld."""
    reader = AuditReader(user)
    agency = user.agency.name if user.agency_id is not None and user.agency is not None else ""
    downloader = f"{user.get_username()} ({agency})" if agency else user.get_username()
    count = write_csv(scope, out, recipient=recipient, reason=reason, reader=reader, downloaded_by=downloader)
    return count, reader.withheld


def resolve_reference(user: User, text: str) -> str | None:
    """The record id an export asks for, from what people know: a UUID (used as given: its rows are read through
    the policy, and a record erased since still has rows), a case reference or a register short reference. None if
    no record the reader may see has that reference (a hidden record and no record are refused alike)."""
    text = (text or "").strip()
    as_uuid = _uuid(text)
    if as_uuid is not None:
        return str(as_uuid)
    try:
        record = find_record(text)
    except AmbiguousReference:
        return None
    if record is None:
        return None
    if reads_whole_audit_log(user) or type(record).objects.visible_to(user).filter(pk=record.pk).exists():
        return str(record.uuid)
    return None


@dataclass(frozen=True)
class RecordShown:
    """What a row of the log says about its record to one reader: its reference and name if they may see the
    record now (through ``visible_to``), else its type only."""

    kind: str
    reference: str = ""
    name: str = ""
    url: str = ""


def _kind(record_type: str) -> str:
    try:
        return str(apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return record_type.rsplit(".", 1)[-1].replace("_", " ")


def records_shown(user: User, entries: Sequence[AuditEntry]) -> list[tuple[AuditEntry, RecordShown]]:
    """Each row with what the reader may be told about its record (see ``RecordShown``)."""
    governed = governed_models()
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for entry in entries:
        parsed = _uuid(entry.record_id)
        if entry.record_type in governed and parsed is not None:
            wanted[entry.record_type].add(parsed)
    found: dict[tuple[str, str], Governed] = {}
    if Verb.VIEW in allowed_actions(user):
        for record_type, uuids in wanted.items():
            for record in governed[record_type].objects.visible_to(user).filter(uuid__in=uuids):
                found[(record_type, str(record.uuid))] = record
    rows: list[tuple[AuditEntry, RecordShown]] = []
    for entry in entries:
        kind = _kind(entry.record_type)
        shown = found.get((entry.record_type, entry.record_id))
        if shown is None:
            rows.append((entry, RecordShown(kind)))
            continue
        record = shown
        reference = str(getattr(record, "reference", "") or "")
        name = str(record).removeprefix(reference).strip() if reference else str(record)
        try:
            url = record.get_absolute_url()
        except NotImplementedError:
            url = ""
        rows.append((entry, RecordShown(kind, reference, name, url)))
    return rows
