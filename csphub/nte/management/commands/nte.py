"""``csphub nte publish``: the night-time economy logs to the analytics store, through the partner ingest path."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import CommandError

from csphub.analytics.errors import AnalyticsError
from csphub.audit.commands import AuditedCommand
from csphub.nte import publishing
from csphub.partnership.models import Agency


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-11") from None


class Command(AuditedCommand):
    help = "The night-time economy: publish the shift logs' incidents to the analytics store."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        publish = sub.add_parser(
            "publish",
            help="write each agency's months of NTE incidents as partner CSV and ingest them (re-runnable)",
            description="Write every NTE partner's incidents (categories, times and places only) as partner CSV "
            "files in the documented schema and ingest them with the analytics engine's partner ingest: each "
            "agency-month replaces the one stored, and a month with no incident left is taken out. Safe to "
            "re-run. Logging a shift or an incident in the browser publishes its month already; run this after "
            "restoring a backup or changing the store (CSPHUB_DATA_DIR).",
        )
        publish.add_argument(
            "--agency", action="append", default=[], metavar="SHORT_NAME", help="only this agency (repeatable)"
        )
        publish.add_argument(
            "--month", action="append", default=[], type=_month, metavar="YYYY-MM", help="only this month (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = None
        if options["agency"]:
            found = {a.short_name: a for a in Agency.objects.filter(short_name__in=options["agency"])}
            missing = sorted(set(options["agency"]) - set(found))
            if missing:
                raise CommandError(f"no agency {', '.join(missing)}")
            agencies = list(found.values())
        try:
            results = publishing.publish_all(agencies, options["month"] or None)
        except AnalyticsError as exc:
            raise CommandError(str(exc)) from exc
        for r in results:
            months = ", ".join(r.months) or "none"
            removed = f"; emptied and taken out: {', '.join(r.removed)}" if r.removed else ""
            self.stdout.write(f"{r.agency}: {r.rows} incidents in months {months}{removed}")
        self.stdout.write(f"published {sum(r.rows for r in results)} incidents of {len(results)} agencies")
