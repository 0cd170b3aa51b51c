"""``csphub access escalate``: break-glass grants left unreviewed too long go to the fallback reviewers."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings

from csphub.access.services import escalate_overdue
from csphub.audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Break-glass access grants: escalate those unreviewed after CSPHUB_GRANT_REVIEW_HOURS."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "escalate",
            help="assign grants unreviewed after CSPHUB_GRANT_REVIEW_HOURS to the fallback reviewers (re-runnable)",
            description="Assign break-glass grants still unreviewed CSPHUB_GRANT_REVIEW_HOURS after they were "
            "granted to the partnership's information governance lead (or, if it has none, its partnership "
            "managers), once each, logging it. Safe to run again (e.g. hourly from cron).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_overdue()
        hours = settings.CSPHUB_GRANT_REVIEW_HOURS
        noun = "grant" if len(escalated) == 1 else "grants"
        self.stdout.write(f"escalated {len(escalated)} {noun} unreviewed after {hours} hours")
        for grant in escalated:
            names = ", ".join(sorted(r.get_username() for r in grant.reviewers.all()))
            self.stdout.write(f"  {grant.uuid} by {grant.user.get_username()}: reviewers now {names}")
