"""Opening governed records for a person: the justification gate and the consultation entries of the audit log.

This is the one framework layer between deciding access (``GovernedQuerySet.fetch``/``visible_to``: pure reads) and
showing a record: ``open_record`` fetches, asks for a justification where the policy requires one, and records the
consultation. Every record view passes through it (``csphub.access.views_base.RecordMixin``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet

from csphub.access.models import Governed, GovernedQuerySet, JustificationRequired
from csphub.access.policy import Decision, requires_justification
from csphub.access.vocabulary import ACTION_VERBS, Verb
from csphub.audit import log
from csphub.audit.context import current
from csphub.audit.models import Operation
from csphub.audit.registry import spec_for

if TYPE_CHECKING:
    from csphub.partnership.models import User

G = TypeVar("G", bound=Governed)

MIN_JUSTIFICATION_LENGTH = 15


def open_record(records: QuerySet[G], user: User, action: Verb = Verb.VIEW, **lookup: Any) -> G:
    """The record for ``action`` (404 outside, 403 without the right), opened for the user to see.

    OFFICIAL-SENSITIVE, domestic-abuse and intelligence records, and records seen only through a break-glass
    grant, raise ``JustificationRequired`` until a written justification has been given; the opening is written to
    the audit log as a consultation with its basis of access.
    """
    if not isinstance(records, GovernedQuerySet):
        raise TypeError(f"{records.model.__name__} is not a governed record")
    obj: G = records.fetch(user, action, **lookup)
    require_justification(obj)
    decision = obj.access_decision
    assert decision is not None
    record(obj, action, decision)
    return obj


def require_justification(record: Governed) -> None:
    """Raise ``JustificationRequired`` if the policy wants a justification for this record and none was given."""
    needed = requires_justification(record.caveat, record.sensitivity, record.matched_rules())
    if needed and not current().justification_for(record.uuid).strip():
        raise JustificationRequired(record)


def record(obj: Governed, action: Verb, decision: Decision) -> None:
    """Write a consultation entry for opening ``obj`` (for reading, or to act on it)."""
    spec = spec_for(type(obj))
    label = spec.label if spec is not None else obj._meta.verbose_name
    log.consult(
        log.Event.about(
            Operation.CONSULTATION,
            obj,
            f"Opened {label} to {ACTION_VERBS[action]}",
            basis=decision.basis,
            detail={"action": str(action), "bases": list(decision.bases)},
        )
    )


def record_results(
    objs: Iterable[Governed], what: str, detail: Mapping[str, Any], *, justification: str | None = None
) -> None:
    """Write one consultation entry per record shown in a list of results (a search, a list page).

    ``justification``: the one given for the page's own record (a Pubwatch scheme's register lists its bans),
    recorded on each entry; None: whatever was given for each record shown."""
    events = []
    for obj in objs:
        spec = spec_for(type(obj))
        label = spec.label if spec is not None else obj._meta.verbose_name
        events.append(
            log.Event.about(
                Operation.CONSULTATION,
                obj,
                f"Shown {label} in {what}",
                basis=", ".join(obj.matched_rules()) if hasattr(obj, "matched_rules") else "",
                justification=justification,
                detail=detail,
            )
        )
    log.consult(*events)


def record_export(objs: Iterable[Governed], what: str, detail: Mapping[str, Any]) -> None:
    """An export (a CSV download) is a disclosure of each record in it, to the person downloading it."""
    ctx = current()
    recipient = f"{ctx.username} ({ctx.agency_label})" if ctx.agency_label else ctx.username
    log.write(
        *(
            log.Event.about(Operation.DISCLOSURE, obj, f"Exported in {what}", recipients=[recipient], detail=detail)
            for obj in objs
        )
    )
