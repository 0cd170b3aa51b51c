"""Consulting governed records: justifications and the consultation entries of the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from csphub.access.policy import ACTION_VERBS, Action, Decision
from csphub.audit import log
from csphub.audit.context import current
from csphub.audit.models import Operation
from csphub.audit.registry import spec_for

if TYPE_CHECKING:
    from csphub.access.models import Governed

SESSION_KEY = "csphub_justifications"
MIN_JUSTIFICATION_LENGTH = 15


def require_justification(record: Governed) -> None:
    from csphub.access.models import JustificationRequired

    if not current().justification_for(record.uuid).strip():
        raise JustificationRequired(record)


def record(obj: Governed, action: Action, decision: Decision) -> None:
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


def record_results(objs: Iterable[Governed], what: str, detail: Mapping[str, Any]) -> None:
    """Write one consultation entry per record shown in a list of results (a search, a list page)."""
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


def remember(session: MutableMapping[str, Any], record_uuid: object, text: str) -> None:
    """Keep a justification in the user's session for CSPHUB_JUSTIFICATION_MINUTES."""
    until = timezone.now() + dt.timedelta(minutes=settings.CSPHUB_JUSTIFICATION_MINUTES)
    stored = dict(session.get(SESSION_KEY, {}))
    stored[str(record_uuid)] = {"text": text.strip(), "until": until.isoformat()}
    session[SESSION_KEY] = stored


def active(session: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The justifications in a session that have not expired."""
    now = timezone.now()
    result = []
    for uid, item in dict(session.get(SESSION_KEY, {})).items():
        try:
            until = dt.datetime.fromisoformat(item["until"])
        except (KeyError, TypeError, ValueError):
            continue
        if until > now and item.get("text"):
            result.append((uid, str(item["text"])))
    return tuple(result)
