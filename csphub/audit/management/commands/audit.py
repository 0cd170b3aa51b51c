"""``csphub audit verify``, ``checkpoint``, ``export`` and ``grant-sql``."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from csphub.audit.commands import AuditedCommand
from csphub.audit.exports import ExportScope, write_csv
from csphub.audit.grants import grant_sql
from csphub.audit.verification import CheckpointRefused, checkpoint_dir, verify_log, write_checkpoint


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _role(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]{0,62}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a plain PostgreSQL role name")
    return text


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
    help = (
        "Verify the audit log's keyed hash chain and its signed checkpoints, write a checkpoint, export entries for "
        "a person or a period as CSV, or print the PostgreSQL privileges that keep the log append-only."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="check every entry against the keyed hash chain and every checkpoint; exit 1 naming the first bad one",
            description="Check every audit entry against the keyed hash chain (needs CSPHUB_AUDIT_KEY) and against "
            "every signed checkpoint in the checkpoint directory; exit 1 naming the first bad entry or checkpoint.",
        )
        verify.add_argument(
            "--checkpoints",
            type=Path,
            metavar="DIR",
            help="the checkpoint directory (default: CSPHUB_AUDIT_CHECKPOINT_DIR)",
        )
        checkpoint = sub.add_parser(
            "checkpoint",
            help="write a signed checkpoint of the chain's head outside the database (safe to re-run)",
            description="Check the chain since the last checkpoint, then write a signed checkpoint of its head (seq, "
            "hash, count, time) to the checkpoint directory. Nothing is written when the head has not moved; "
            "exit 1, writing nothing, when the log or an existing checkpoint fails verification.",
        )
        checkpoint.add_argument(
            "--out", type=Path, metavar="DIR", help="the checkpoint directory (default: CSPHUB_AUDIT_CHECKPOINT_DIR)"
        )
        grants = sub.add_parser(
            "grant-sql",
            help="print the PostgreSQL GRANT/REVOKE statements for the application's role",
            description="Print the SQL that leaves the application's PostgreSQL role able to read the audit log "
            "and append to it (through csphub_audit_append) but not to update, delete or truncate it. Run it as "
            "the tables' owner after each migrate: psql -1 -f FILE.",
        )
        grants.add_argument("--app-role", required=True, type=_role, metavar="NAME", help="the application's role")
        grants.add_argument(
            "--owner-role",
            type=_role,
            metavar="NAME",
            help="the role that owns the audit tables and runs the migrations (default: leave ownership as it is)",
        )
        grants.add_argument("--schema", default="public", type=_role, metavar="NAME", help="csphub's schema")
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
            self._verify(options["checkpoints"])
        elif options["subcommand"] == "checkpoint":
            self._checkpoint(options["out"])
        elif options["subcommand"] == "grant-sql":
            self.stdout.write(grant_sql(options["app_role"], options["owner_role"], options["schema"]), ending="")
        else:
            self._export(options)

    def _verify(self, directory: Path | None) -> None:
        def progress(n: int) -> None:
            self.stderr.write(f"  checked {n:,} entries…")

        directory = checkpoint_dir(directory)
        result = verify_log(progress, directory=directory)
        if result.ok:
            keyed = result.checked - result.legacy
            self.stdout.write(
                f"audit log OK: {result.checked:,} entries ({keyed:,} keyed, {result.legacy:,} unkeyed from before "
                f"the key), chain head #{result.head_seq} {result.head_hash}"
            )
            if result.checkpoints:
                plural = "s agree" if result.checkpoints != 1 else " agrees"
                self.stdout.write(f"{result.checkpoints:,} signed checkpoint{plural} with the log ({directory})")
            else:
                self.stderr.write(
                    f"warning: no checkpoints in {directory}: a log truncated or rewritten by someone holding the "
                    "audit key would go unseen (run: csphub audit checkpoint)"
                )
            return
        where = f"at entry #{result.first_bad_seq}" if result.first_bad_seq is not None else "at a checkpoint"
        self.stderr.write(f"audit log FAILED verification {where}: {result.reason}")
        if result.first_bad_seq is not None:
            self.stderr.write(f"({result.checked:,} entries before it are intact)")
        for problem in result.problems:
            if problem != result.reason:
                self.stderr.write(f"also: {problem}")
        sys.exit(1)

    def _checkpoint(self, directory: Path | None) -> None:
        try:
            written = write_checkpoint(directory)
        except CheckpointRefused as exc:
            self.stderr.write(f"no checkpoint written: the audit log FAILED verification: {exc}")
            sys.exit(1)
        except FileExistsError as exc:
            self.stderr.write(f"no checkpoint written: {exc.filename} exists and is never replaced")
            sys.exit(1)
        point = written.checkpoint
        if written.new:
            self.stdout.write(
                f"checkpoint written: {written.path} (head #{point.head_seq} {point.head_hash}, "
                f"{written.checked:,} entries checked since the previous one)"
            )
        else:
            self.stdout.write(f"unchanged: the head is still #{point.head_seq}, as checkpoint {written.path} records")

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
