"""Which models are audited, and how. Models declare themselves with ``@audited(...)``.

The signal handlers in ``signals.py`` write a collection / alteration / erasure entry for every save and delete
of a registered model, with before/after values, filed under the record a person would ask about (a person's
alias is filed under the person, a person–place link under the person with the place as the related record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db import models

M = TypeVar("M", bound=type[models.Model])


@dataclass(frozen=True)
class AuditSpec:
    kind: Literal["personal", "configuration"]
    label: str
    # The record an entry is filed under (default: the object itself) and the related record, if any.
    record: Callable[[Any], models.Model] | None
    related: Callable[[Any], models.Model | None] | None
    # Fields never copied into the log (derived search keys, secrets).
    exclude: frozenset[str]

    def fields(self, model: type[models.Model]) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields if f.attname not in self.exclude]


_registry: dict[type[models.Model], AuditSpec] = {}


def audited(
    *,
    label: str,
    kind: Literal["personal", "configuration"] = "personal",
    record: Callable[[Any], models.Model] | None = None,
    related: Callable[[Any], models.Model | None] | None = None,
    exclude: tuple[str, ...] = (),
) -> Callable[[M], M]:
    def register(model: M) -> M:
        _registry[model] = AuditSpec(kind, label, record, related, frozenset(exclude))
        return model

    return register


def spec_for(model: type[models.Model]) -> AuditSpec | None:
    return _registry.get(model)


def registered() -> dict[type[models.Model], AuditSpec]:
    return dict(_registry)
