"""``csphub assessments load FILE.json`` (a new version of a question set) and ``csphub assessments list``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from csphub.assessments.models import QuestionSetVersion
from csphub.assessments.services import ensure_shipped, load_version
from csphub.audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Load a version of a risk assessment question set (JSON), or list the versions loaded."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "load",
            help="validate and load a question set version; it becomes the active one",
            description="Validate question set versions (JSON files, or the ones shipped with csphub) and load "
            "them; each becomes the active version of its question set unless --inactive.",
        )
        load.add_argument("files", nargs="*", type=Path, help="question set JSON files")
        load.add_argument("--shipped", action="store_true", help="load the definitions shipped with csphub")
        load.add_argument("--inactive", action="store_true", help="load without making it the active version")
        sub.add_parser(
            "list",
            help="list the versions loaded",
            description="List every question set version loaded: active mark, key, version, date loaded, title.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "list":
            for v in QuestionSetVersion.objects.order_by("key", "-loaded_at"):
                mark = "active" if v.active else "      "
                self.stdout.write(f"{mark}  {v.key:<16} {v.version:<10} {v.loaded_at:%Y-%m-%d}  {v.title}")
            return
        if options["shipped"]:
            ensure_shipped()
        if not options["files"] and not options["shipped"]:
            raise CommandError("name the JSON files to load, or --shipped")
        for path in options["files"]:
            if not path.exists():
                raise CommandError(f"{path}: no such file")
            try:
                version, created = load_version(path, activate=not options["inactive"])
            except ValidationError as exc:
                raise CommandError(f"{path}: " + "; ".join(exc.messages)) from exc
            state = "loaded" if created else "already loaded"
            self.stdout.write(f"{path}: {version.key} version {version.version} {state}")
