"""Sign-in events (success, failure, sign-out) written to the audit log as security events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from csphub.audit import log
from csphub.audit.context import audit_context, current_or_none
from csphub.audit.models import AuditEntry, Operation


def _request_id(request: HttpRequest | None) -> str | None:
    ctx = current_or_none()
    return ctx.request_id if ctx is not None else None


def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    with audit_context("web", actor=user, request_id=_request_id(request)):
        log.write(log.Event.about(Operation.SECURITY, user, "Signed in (password)"))


def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with audit_context("web", actor=user, request_id=_request_id(request)):
        log.write(log.Event.about(Operation.SECURITY, user, "Signed out"))


def _fit(value: str, field: str) -> str:
    """``value`` cut to the audit field's length (PostgreSQL refuses longer values; the username is typed by anyone)."""
    limit = getattr(AuditEntry._meta.get_field(field), "max_length", None)
    return value[:limit] if limit else value


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("username", ""))
    username = typed[:150]
    label = _fit(f"anonymous:{username}", "actor_username")
    with audit_context("web", actor_label=label, request_id=_request_id(request)):
        log.write(
            log.Event(
                action=Operation.SECURITY,
                record_type="partnership.user",
                record_id=_fit(username, "record_id") or "unknown",
                summary="Failed sign-in attempt",
                detail={"username": username, "username_length": len(typed)} if len(username) > 64 else {},
            )
        )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="csphub.accounts.login")
    user_logged_out.connect(on_logout, dispatch_uid="csphub.accounts.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="csphub.accounts.login_failed")
