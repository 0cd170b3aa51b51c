"""``csphub purpleflag pack --out DIR [--png]``: a Purple Flag evidence pack as PDF (and each page as PNG)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from csphub.audit.commands import AuditedCommand
from csphub.purpleflag.models import EvidencePack
from csphub.purpleflag.pdf import page_images, render_pdf


class Command(AuditedCommand):
    help = "Print a Purple Flag evidence pack as PDF, its figures generated now (and its pages as PNG), or list them."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", required=True)
        pack = sub.add_parser(
            "pack",
            help="write a pack's PDF (and, with --png, each page as a PNG)",
            description="Write an evidence pack as PDF into --out, its figures generated from the analytics engine and "
            "the NTE logs as it is printed, with partner counts suppressed as for any reader outside the partnership. "
            "The latest pack unless --pack names one. Safe to re-run: it overwrites its own files.",
        )
        pack.add_argument("--out", type=Path, required=True, help="the folder to write into (made if missing)")
        pack.add_argument("--pack", metavar="UUID", help="the pack (default: the latest)")
        pack.add_argument("--png", action="store_true", help="also write each page as page-NN.png")
        pack.add_argument("--scale", type=float, default=1.5, help="PNG pixels per PDF point (default 1.5)")
        sub.add_parser("list", help="list the packs", description="List every pack: its UUID, period and title.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "list":
            for p in EvidencePack.objects.order_by("-last_month", "title"):
                self.stdout.write(f"{p.uuid}  {p.first_month:%Y-%m} to {p.last_month:%Y-%m}  {p.title}")
            return
        packs = EvidencePack.objects.select_related("owning_agency", "town_centre_agency", "nte_area")
        pack = packs.filter(uuid=options["pack"]).first() if options["pack"] else packs.order_by("-created_at").first()
        if pack is None:
            raise CommandError("no such evidence pack" if options["pack"] else "there is no evidence pack yet")
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        pdf = render_pdf(pack, None)
        name = f"purple-flag-{pack.town_centre.lower().replace(' ', '-')}-{pack.last_month:%Y-%m}"
        target = out / f"{name}.pdf"
        target.write_bytes(pdf)
        self.stdout.write(f"{target}")
        if options["png"]:
            for i, png in enumerate(page_images(pdf, options["scale"]), start=1):
                page = out / f"{name}-page-{i:02d}.png"
                page.write_bytes(png)
                self.stdout.write(f"{page}")
