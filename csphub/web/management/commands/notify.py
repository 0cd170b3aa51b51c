"""``csphub notify``: e-mail each user the new deadlines and actions assigned to them (safe to re-run)."""

from __future__ import annotations

from typing import Any

from csphub.audit.commands import AuditedCommand
from csphub.web.notify import notify


class Command(AuditedCommand):
    help = "E-mail users their new deadlines and assigned actions, as their preferences say (safe to re-run)."

    def handle(self, *args: Any, **options: Any) -> None:
        emailed, sent = notify()
        self.stdout.write(
            f"{sent} notice{'s' if sent != 1 else ''} sent to {emailed} user{'s' if emailed != 1 else ''}."
        )
