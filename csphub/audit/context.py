"""The audit context: who is acting, for which agency, through which channel, in which request.

Every write of personal data happens inside an audit context. Web requests get one from
``AuditContextMiddleware``; management commands from ``AuditedCommand``; jobs and scripts open one with
``audit_context(...)``. Saving an audited model outside any context raises ``AuditContextMissing``: there is no
way to change personal data that the log does not attribute to someone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    # The actor is the project's user model (settings.AUTH_USER_MODEL): the log knows no csphub app.
    from django.contrib.auth.base_user import AbstractBaseUser as User

Channel = Literal["web", "cli", "job", "test"]


class AuditContextMissing(RuntimeError):
    """Personal data was touched outside an audit context."""


@dataclass(frozen=True)
class AuditContext:
    """Who is acting. Immutable: nested changes (a justification) make a new context."""

    channel: Channel
    actor: User | None = None
    actor_label: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Written justifications the actor has given, by record UUID (from the session, for web requests).
    justifications: tuple[tuple[str, str], ...] = ()
    # A justification that applies to everything done in this context (e.g. a command's --reason).
    reason: str = ""
    # Consultation events waiting to be appended in one batch (web requests: see ``log.consult``); None: append
    # each at once. Shared by the contexts derived from this one (``with_justification``).
    pending: list[Any] | None = field(default=None, compare=False, repr=False)

    @property
    def username(self) -> str:
        if self.actor is not None:
            return self.actor.get_username()
        return self.actor_label or f"system:{self.channel}"

    @property
    def agency_label(self) -> str:
        agency = getattr(self.actor, "agency", None) if self.actor is not None else None
        return agency.name if agency is not None else ""

    @property
    def agency_uuid(self) -> str:
        agency = getattr(self.actor, "agency", None) if self.actor is not None else None
        return str(agency.uuid) if agency is not None else ""

    def justification_for(self, record_uuid: object) -> str:
        key = str(record_uuid)
        for uid, text in self.justifications:
            if uid == key:
                return text
        return self.reason

    def with_justification(self, record_uuid: object, text: str) -> AuditContext:
        key = str(record_uuid)
        others = tuple((u, t) for u, t in self.justifications if u != key)
        return replace(self, justifications=(*others, (key, text)))


_current: ContextVar[AuditContext | None] = ContextVar("csphub_audit_context", default=None)


def current() -> AuditContext:
    ctx = _current.get()
    if ctx is None:
        raise AuditContextMissing(
            "personal data was read or changed outside an audit context: wrap the work in "
            "csphub.audit.context.audit_context(...) (commands: subclass AuditedCommand)"
        )
    return ctx


def current_or_none() -> AuditContext | None:
    return _current.get()


@contextmanager
def audit_context(
    channel: Channel,
    *,
    actor: User | None = None,
    actor_label: str = "",
    request_id: str | None = None,
    reason: str = "",
    justifications: tuple[tuple[str, str], ...] = (),
    batch: bool = False,
) -> Iterator[AuditContext]:
    """Open an audit context. ``batch``: collect its consultation entries for one append (``log.flush``)."""
    ctx = AuditContext(
        channel=channel,
        actor=actor,
        actor_label=actor_label,
        request_id=request_id or uuid.uuid4().hex,
        reason=reason,
        justifications=justifications,
        pending=[] if batch else None,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def replaced(ctx: AuditContext | None) -> Iterator[None]:
    """Run with ``ctx`` as the current context (None: no context), restoring the previous one after."""
    token = _current.set(ctx)
    try:
        yield
    finally:
        _current.reset(token)
