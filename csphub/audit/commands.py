"""Management commands that touch personal data run inside an audit context: subclass ``AuditedCommand``."""

from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from csphub.audit.context import audit_context


class AuditedCommand(BaseCommand):
    """A command whose work is attributed in the audit log to ``--as-user`` (or to ``system:<command>``)."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--as-user", metavar="USERNAME", help="attribute the work to this user in the audit log")
        parser.add_argument("--reason", default="", help="the justification recorded in the audit log")

    def execute(self, *args: Any, **options: Any) -> str | None:
        actor = None
        username = options.get("as_user")
        if username:
            actor = get_user_model()._default_manager.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {username!r}")
        name = type(self).__module__.rsplit(".", 1)[-1]
        with audit_context("cli", actor=actor, actor_label=f"system:{name}", reason=options.get("reason") or ""):
            return super().execute(*args, **options)
