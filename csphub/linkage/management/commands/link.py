"""``csphub link import MAPPING.toml…`` and ``csphub link run`` (the Django side of the register merger).

``csphub link`` is one parser (:mod:`csphub.linkage.cli`) listing every subcommand; it checks the arguments of
``import`` and ``run`` and hands them here. ``dedupe``, ``parse``, ``generate`` and ``explain`` need no database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from csphub.audit.commands import AuditedCommand
from csphub.linkage.engine import LinkageError
from csphub.linkage.importing import DEFAULT_AGENCIES, import_export
from csphub.linkage.running import run_linkage
from csphub.partnership.models import Agency


class Command(AuditedCommand):
    help = "Import legacy register exports through their mappings, or run the linkage over the register."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="import exports (each through its TOML/JSON mapping)")
        imp.add_argument("mappings", nargs="+", type=Path, help="mapping files (their [source] file is read)")
        imp.add_argument("--agency", help="the agency holding these registers (short name); default by source")
        run = sub.add_parser("run", help="score the register's source records; merge, queue for review")
        run.add_argument("--retrain", action="store_true", help="train a new model version even if one exists")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "run":
            run = run_linkage(retrain=options["retrain"], log=lambda m: self.stderr.write(m))
            self.stdout.write(str(run))
            return
        for mapping in options["mappings"]:
            if not mapping.exists():
                raise CommandError(f"{mapping}: no such mapping file")
        totals = [0, 0, 0, 0]
        for mapping in options["mappings"]:
            agency = self._agency(options["agency"], mapping)
            progress = _Progress(self, mapping.stem) if sys.stderr.isatty() else None
            try:
                summary = import_export(mapping, agency, by=None, progress=progress)
            except LinkageError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(str(summary))
            for i, n in enumerate((summary.rows_read, summary.imported, summary.already_known, summary.quarantined)):
                totals[i] += 0 if summary.already_imported else n
        self.stdout.write(
            f"in all: {totals[0]} rows read, {totals[1]} imported, {totals[2]} already known, {totals[3]} quarantined"
        )

    def _agency(self, short_name: str | None, mapping: Path) -> Agency:
        import tomllib

        key = short_name
        if key is None:
            try:
                source = tomllib.loads(mapping.read_text(encoding="utf-8")).get("source", {}).get("key", "")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                source = ""
            key = DEFAULT_AGENCIES.get(source)
        if key is None:
            raise CommandError(f"{mapping}: say which agency holds this register with --agency SHORT_NAME")
        agency = Agency.objects.filter(short_name=key).first()
        if agency is None:
            raise CommandError(f"no agency {key!r}")
        return agency


class _Progress:
    def __init__(self, command: Command, label: str) -> None:
        self.command, self.label = command, label

    def __call__(self, done: int, total: int) -> None:
        if done == total or done % 500 == 0:
            self.command.stderr.write(f"  {self.label}: {done}/{total}", ending="\r" if done < total else "\n")
