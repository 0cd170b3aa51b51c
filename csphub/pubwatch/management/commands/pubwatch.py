"""``csphub pubwatch expire``: lapse the Pubwatch bans past their end date and delete their photos."""

from __future__ import annotations

import argparse
from typing import Any

from csphub.audit.commands import AuditedCommand
from csphub.pubwatch.services import expire


class Command(AuditedCommand):
    help = "Pubwatch ban registers: lapse the bans that have ended and delete their photos."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "expire",
            help="lapse every ban past its end date and delete its photo (re-runnable)",
            description="Lapse every Pubwatch ban in force whose end date has passed, deleting its photo from the "
            "private photo directory (CSPHUB_PUBWATCH_PHOTO_DIR), and delete any photo an ended ban still holds. "
            "Each change is in the audit log. Safe to run again (e.g. daily from cron): the second run does nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = expire()
        noun = "ban" if len(lapsed) == 1 else "bans"
        self.stdout.write(f"lapsed {len(lapsed)} {noun} past their end date; their photos deleted")
        for ban in lapsed:
            self.stdout.write(f"  {ban.reference} ({ban.scheme}): ended {ban.ended_on:%d %B %Y}")
