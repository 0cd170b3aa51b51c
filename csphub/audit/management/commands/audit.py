"""``csphub audit verify`` and ``csphub audit export``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from csphub.audit.commands import AuditedCommand
from csphub.audit.exports import ExportScope, write_csv
from csphub.audit.verification import verify_log


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a record UUID") from None


class _Stdout:
    """The command's standard output as a plain text sink (no line endings added)."""

    def __init__(self, command: AuditedCommand) -> None:
        self.command = command

    def write(self, text: str, /) -> object:
        self.command.stdout.write(text, ending="")
        return None


class Command(AuditedCommand):
    help = "Verify the audit log's hash chain, or export entries for a person or a period as CSV."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "verify",
            help="check every entry against the hash chain; exit 1 naming the first bad entry",
            description="Check every audit entry against the hash chain; exit 1 naming the first bad entry.",
        )
        export = sub.add_parser(
            "export",
            help="write entries for records and/or a period as CSV",
            description="Write the audit entries of records and/or a period as CSV, for a subject access request "
            "or the ICO; the export is itself recorded in the log, with --recipient and --reason.",
        )
        export.add_argument(
            "--person",
            "--record",
            dest="records",
            action="append",
            type=_uuid,
            default=[],
            metavar="UUID",
            help="a person's (or any record's) UUID; repeat for several",
        )
        export.add_argument(
            "--from", dest="start", type=_date, metavar="YYYY-MM-DD", help="entries on or after this day"
        )
        export.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="entries on or before this day")
        export.add_argument("--recipient", default="", help="who receives the export (e.g. ICO, data subject)")
        export.add_argument("--reason", default="", help="why the log is exported (recorded in the log)")
        export.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()
        else:
            self._export(options)

    def _verify(self) -> None:
        def progress(n: int) -> None:
            self.stderr.write(f"  checked {n:,} entries…")

        result = verify_log(progress)
        if result.ok:
            self.stdout.write(
                f"audit log OK: {result.checked:,} entries, chain head #{result.head_seq} {result.head_hash}"
            )
            return
        self.stderr.write(f"audit log FAILED verification at entry #{result.first_bad_seq}: {result.reason}")
        self.stderr.write(f"({result.checked:,} entries before it are intact)")
        sys.exit(1)

    def _export(self, options: dict[str, Any]) -> None:
        if options["start"] and options["end"] and options["end"] < options["start"]:
            raise CommandError("--to must be on or after --from")
        scope = ExportScope(tuple(options["records"]), options["start"], options["end"])
        if not options["reason"]:
            raise CommandError("say why the log is exported: --reason '...' (it is recorded in the log)")
        if options["out"]:
            with options["out"].open("w", newline="", encoding="utf-8") as handle:
                count = write_csv(scope, handle, recipient=options["recipient"], reason=options["reason"])
            self.stderr.write(f"wrote {count:,} entries to {options['out']}")
        else:
            count = write_csv(scope, _Stdout(self), recipient=options["recipient"], reason=options["reason"])
            self.stderr.write(f"wrote {count:,} entries")
