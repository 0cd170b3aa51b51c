"""Model signals that write the audit log for every registered model: the framework writes it, not views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from csphub.audit import log
from csphub.audit.context import current
from csphub.audit.models import Operation
from csphub.audit.registry import AuditSpec, spec_for

_BEFORE = "_csphub_audit_before"


def snapshot(instance: models.Model, spec: AuditSpec) -> dict[str, Any]:
    return {name: log.jsonable(getattr(instance, name)) for name in spec.fields(type(instance))}


def _filed_under(instance: models.Model, spec: AuditSpec) -> tuple[models.Model, models.Model | None]:
    record = spec.record(instance) if spec.record is not None else instance
    related = spec.related(instance) if spec.related is not None else None
    return record, related


def _action(spec: AuditSpec, default: Operation) -> Operation:
    return Operation.CONFIGURATION if spec.kind == "configuration" else default


def on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    current()  # fail before the write, not after it, when there is no audit context
    instance.__dict__[_BEFORE] = None
    if instance.pk is not None and not instance._state.adding:
        before = sender._base_manager.filter(pk=instance.pk).values(*spec.fields(sender)).first()
        instance.__dict__[_BEFORE] = {k: log.jsonable(v) for k, v in before.items()} if before else None


def on_post_save(sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    after = snapshot(instance, spec)
    record, related = _filed_under(instance, spec)
    before = instance.__dict__.pop(_BEFORE, None)
    if created or before is None:
        event = log.Event.about(
            _action(spec, Operation.COLLECTION),
            record,
            f"Recorded {spec.label}",
            related=related,
            after=after,
            detail={"object": log.record_type(instance), "object_id": log.record_id(instance)},
        )
    else:
        changed = sorted(k for k in after if after[k] != before.get(k))
        if not changed:
            return
        event = log.Event.about(
            _action(spec, Operation.ALTERATION),
            record,
            f"Changed {spec.label}: {', '.join(changed)}",
            related=related,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            detail={"object": log.record_type(instance), "object_id": log.record_id(instance)},
        )
    log.write(event)


def on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    spec = spec_for(sender)
    if spec is None:
        return
    try:
        record, related = _filed_under(instance, spec)
    except ObjectDoesNotExist:  # the parent went first in a cascade: file the entry under the object itself
        record, related = instance, None
    event = log.Event.about(
        _action(spec, Operation.ERASURE),
        record,
        f"Erased {spec.label}",
        related=related,
        before=snapshot(instance, spec),
        detail={"object": log.record_type(instance), "object_id": log.record_id(instance)},
    )
    log.write(event)


def connect() -> None:
    pre_save.connect(on_pre_save, dispatch_uid="csphub.audit.pre_save")
    post_save.connect(on_post_save, dispatch_uid="csphub.audit.post_save")
    post_delete.connect(on_post_delete, dispatch_uid="csphub.audit.post_delete")
