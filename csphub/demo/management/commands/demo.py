"""``csphub demo``: build the North Northamptonshire demo partnership. Safe to re-run."""

from __future__ import annotations

import argparse
import os
from typing import Any

from django.db import transaction

from csphub.audit.commands import AuditedCommand
from csphub.demo.caseload import CaseloadSettings, build_caseload
from csphub.demo.cuckooing import build_cuckooing
from csphub.demo.intelligence import build_intelligence
from csphub.demo.meetings import build_meetings
from csphub.demo.nte import build_nte
from csphub.demo.pubwatch import build_pubwatch
from csphub.demo.purpleflag import build_purple_flag
from csphub.demo.referrals import build_referrals
from csphub.demo.scenario import ScenarioSettings, build_scenario
from csphub.demo.structure import USERS, build_structure

DEFAULT_PASSWORD = "north-northants-demo"


class Command(AuditedCommand):
    help = "Load the demo partnership: districts, agencies, users of every role, two ISAs, people and places."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--people",
            type=int,
            default=ScenarioSettings.people,
            help=f"people in the register (default {ScenarioSettings.people}, at least 20)",
        )
        parser.add_argument(
            "--dwellings",
            type=int,
            default=ScenarioSettings.dwellings,
            help=f"homes in the register (default {ScenarioSettings.dwellings}, at least 20)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=ScenarioSettings.seed,
            help=f"seed of the generated people and places (default {ScenarioSettings.seed})",
        )
        parser.add_argument(
            "--cases", type=int, default=CaseloadSettings.ordinary_cases, help="ordinary cases besides the story cases"
        )
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("CSPHUB_DEMO_PASSWORD", DEFAULT_PASSWORD)
        if options["logins"]:
            self._print_logins(password)
            return
        settings = ScenarioSettings(seed=options["seed"], people=options["people"], dwellings=options["dwellings"])
        self.stderr.write("Building the partnership: districts, agencies, users, agreements…")
        with transaction.atomic():
            structure = build_structure(password)
        self.stderr.write(f"Building the register: {settings.people} people, {settings.dwellings} homes…")
        with transaction.atomic():
            result = build_scenario(structure, settings)
        self.stderr.write("Building the caseload: two years of cases across the four districts…")
        with transaction.atomic():
            caseload = build_caseload(structure, CaseloadSettings(ordinary_cases=options["cases"]))
        with transaction.atomic():
            build_referrals(structure)
        self.stderr.write("Building the serious organised crime picture: county lines and groups over two years…")
        with transaction.atomic():
            intelligence = build_intelligence(structure)
        self.stderr.write("Building the cuckooing panel: its members, vulnerable people and premises, support…")
        with transaction.atomic():
            cuckooing = build_cuckooing(structure)
        self.stderr.write("Building the meetings: the faith action group and the monthly MARAC…")
        with transaction.atomic():
            build_meetings(structure)
        self.stderr.write("Building Kettering's night-time economy: a year of shift logs, sweeps and weapon finds…")
        with transaction.atomic():
            nte = build_nte(structure)
        self.stderr.write("Building Corby Pubwatch: its premises, licensees and ban register…")
        with transaction.atomic():
            bans = build_pubwatch(structure)
        self.stderr.write("Building the Purple Flag evidence pack: Kettering town centre, the last twelve months…")
        with transaction.atomic():
            build_purple_flag(structure)
        self.stdout.write(
            f"Demo partnership ready: {result.people_created} people and {result.places_created} places added "
            f"({result.disclosures} disclosures under ISAs), {caseload.cases_created} cases, "
            f"{intelligence.lines} county lines and {intelligence.groups} organised crime groups "
            f"(one split overnight on {intelligence.split_on}), "
            f"{cuckooing} people and premises on the cuckooing register, "
            f"{nte.shifts} night-time shifts with {nte.incidents} incidents and {nte.finds} weapon finds, "
            f"{bans} bans on Corby Pubwatch's register. "
            "Re-running adds nothing that is already there."
        )

    def _print_logins(self, password: str) -> None:
        from csphub.partnership.models import User

        self.stdout.write(f"\nDemo logins (password for all: {password})\n")
        width = max(len(spec.username) for spec in USERS)
        for spec in USERS:
            user = User.objects.filter(username=spec.username).select_related("agency").first()
            if user is None:
                continue
            roles = ", ".join(user.display_roles)
            self.stdout.write(f"  {spec.username:<{width}}  {user.agency}  —  {roles}")
        self.stdout.write(
            "\nTry pc.hughes (police) and sp.volunteer (Street Pastors): each sees what they may, no more.\n"
        )
