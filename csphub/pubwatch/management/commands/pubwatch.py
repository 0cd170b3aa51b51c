"""``csphub pubwatch expire``: lapse the Pubwatch bans past their end date and delete their photos, and erase the
bans ended longer ago than ``CSPHUB_PUBWATCH_RETENTION_DAYS`` (only a count per scheme is kept)."""

from __future__ import annotations

import argparse
from typing import Any

from csphub.audit.commands import AuditedCommand
from csphub.pubwatch.services import erase_ended, lapse_due, retention_days


class Command(AuditedCommand):
    help = "Pubwatch ban registers: lapse the bans that have ended and delete their photos."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "expire",
            help="lapse bans past their end, delete their photos, erase those past retention (re-runnable)",
            description="Lapse every Pubwatch ban in force whose end date has passed, deleting its photo from the "
            "private photo directory (CSPHUB_PUBWATCH_PHOTO_DIR), and delete any photo an ended ban still holds. "
            "Then erase every ban that ended more than CSPHUB_PUBWATCH_RETENTION_DAYS ago (its record, reasons, "
            "minutes and photo; a count per scheme, year and outcome is kept). Each change is in the audit log. "
            "Safe to run again (e.g. daily from cron): the second run does nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = lapse_due()
        noun = "ban" if len(lapsed) == 1 else "bans"
        self.stdout.write(f"lapsed {len(lapsed)} {noun} past their end date; their photos deleted")
        for ban in lapsed:
            self.stdout.write(f"  {ban.reference} ({ban.scheme}): ended {ban.ended_on:%d %B %Y}")
        erased = erase_ended()
        noun = "ban" if erased == 1 else "bans"
        self.stdout.write(
            f"erased {erased} {noun} ended more than {retention_days()} days ago; a count kept per scheme"
        )
