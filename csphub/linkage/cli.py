"""``csphub link …``: the register merger's command line, every subcommand on one parser.

    csphub link dedupe INPUT.csv --out clusters.csv     cluster one CSV's records into people
    csphub link parse MAPPING.toml…                      read legacy exports through their mappings, report
    csphub link generate DIR                             write the seeded synthetic district exports
    csphub link explain MODEL.json INPUT.csv ID_A ID_B   why two records score as they do
    csphub link import MAPPING.toml…                     import legacy exports into the register (audited)
    csphub link run [--retrain]                          link the register: merge, queue pairs for review (audited)

``dedupe``, ``parse`` and ``explain`` are the plain linkage engine (:mod:`csphub.linkage.engine.cli`) and
``generate`` the synthetic generator (:mod:`csphub.linkage.synthetic`): they need no database and no Django. ``import``
and ``run`` work on the register, so once this parser has checked their arguments it hands them to the Django
management command ``link`` (:mod:`csphub.linkage.management.commands.link`), which also takes Django's common
options and records the work in the audit log under ``--as-user`` and ``--reason``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from csphub.linkage.engine import cli as engine_cli
from csphub.linkage.engine.cli import Subcommands

DATABASE_COMMANDS = ("import", "run")

_EPILOG = """\
dedupe, parse, generate and explain need no database; import and run work on the register (the database) and
are recorded in the audit log. `csphub link COMMAND --help` explains each one.
"""


def _add_generate(commands: Subcommands) -> None:
    g = commands.add_parser(
        "generate",
        help="write the seeded synthetic district exports and their truth (no database)",
        description="Write four former districts' register exports, each in its own schema, with a mapping "
        "beside each and truth.csv saying which person every row is (the demo's data/legacy was made so).",
    )
    g.add_argument("directory", type=Path, help="where to write the exports (created if missing)")
    g.add_argument("--people", type=int, default=700, help="how many people (default 700)")
    g.add_argument("--seed", type=int, default=20210401, help="the random seed (the same seed, the same files)")
    g.add_argument("--bad-rows", type=int, default=5, help="rows per source that must be quarantined (default 5)")
    g.add_argument("--csv", action="store_true", help="write Corby's export as CSV instead of XLSX")


def _add_audit_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``csphub.audit.commands.AuditedCommand`` and Django's common ones, for the help."""
    audit = parser.add_argument_group("audit")
    audit.add_argument("--as-user", metavar="USERNAME", help="attribute the work to this user in the audit log")
    audit.add_argument("--reason", default="", help="the justification recorded in the audit log")
    django = parser.add_argument_group("Django's common options")
    django.add_argument("-v", "--verbosity", choices=("0", "1", "2", "3"), help="how much Django prints (default 1)")
    django.add_argument("--settings", help='a settings module (default "csphub.settings")')
    django.add_argument("--pythonpath", help="a directory to add to the Python path")
    django.add_argument("--traceback", action="store_true", help="show the traceback of an error")
    django.add_argument("--no-color", action="store_true", help="no colours in the output")
    django.add_argument("--force-color", action="store_true", help="colours even when not on a terminal")
    django.add_argument("--skip-checks", action="store_true", help="skip Django's system checks")


def _add_import(commands: Subcommands) -> None:
    i = commands.add_parser(
        "import",
        help="import legacy register exports into the register through their mappings (database, audited)",
        description="Import each mapping's export into the register: every row becomes a source record (and a "
        "person) or a quarantined row with its reason. Re-importing the same file adds nothing.",
    )
    i.add_argument("mappings", nargs="+", type=Path, help="mapping files (TOML or JSON; their [source] file is read)")
    i.add_argument("--agency", help="the agency holding these registers (short name); default by source")
    _add_audit_options(i)


def _add_run(commands: Subcommands) -> None:
    r = commands.add_parser(
        "run",
        help="link the register's source records: merge, queue pairs for review (database, audited)",
        description="Score every pair of the register's source records with the current model (trained first if "
        "there is none): sure matches merge, likely ones wait in the review queue, reviewers' decisions stand.",
    )
    r.add_argument("--retrain", action="store_true", help="train a new model version even if one exists")
    _add_audit_options(r)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csphub link",
        description="Find the records that are the same person, and link the register.",
        epilog=_EPILOG,
    )
    engine_cli.add_common_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    engine_cli.add_dedupe(commands)
    engine_cli.add_parse(commands)
    _add_generate(commands)
    engine_cli.add_explain(commands)
    _add_import(commands)
    _add_run(commands)
    return parser


def _generate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from csphub.linkage.engine.errors import SettingsError
    from csphub.linkage.synthetic.registers import SyntheticSettings, generate_exports

    try:
        settings = SyntheticSettings(
            people=args.people, seed=args.seed, bad_rows_per_source=args.bad_rows, xlsx=not args.csv
        )
    except SettingsError as exc:
        print(f"error: {exc}", file=err)
        return 2
    exports = generate_exports(args.directory, settings)
    for mapping in exports.mappings:
        print(mapping, file=out)
    print(f"{exports.truth} ({exports.people} people; rows: {exports.rows})", file=out)
    return 0


def django_argv(args: argparse.Namespace) -> list[str]:
    """The arguments of the management command ``link`` for a parsed ``import`` or ``run``.

    The management command takes the audit options and Django's own before its subcommand (``link --as-user U
    import …``); here they are given after it, as every subcommand's options are, so they move to the front.
    """
    front: list[str] = []
    for option, dest in (("--as-user", "as_user"), ("--verbosity", "verbosity"), ("--settings", "settings")):
        if getattr(args, dest):
            front += [option, getattr(args, dest)]
    front += ["--pythonpath", args.pythonpath] if args.pythonpath else []
    if args.reason:
        front += ["--reason", args.reason]
    for flag in ("traceback", "no_color", "force_color", "skip_checks"):
        if getattr(args, flag):
            front.append("--" + flag.replace("_", "-"))
    if args.command == "import":
        rest = (["--agency", args.agency] if args.agency else []) + [str(m) for m in args.mappings]
    else:
        rest = ["--retrain"] if args.retrain else []
    return [*front, args.command, *rest]


def _on_the_database(args: argparse.Namespace, err: TextIO) -> int:
    """Run ``import`` or ``run`` as the Django management command ``link`` (a CommandError exits with 1).

    Through ``call_command``, not ``execute_from_command_line``: that one closes every database connection when the
    command ends, which would end a caller's transaction too (a test's, or a job's)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    import django
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.base import CommandError

    if not apps.ready:
        django.setup()
    try:
        call_command("link", *django_argv(args))
    except CommandError as exc:
        print(f"CommandError: {exc}", file=err)
        return 1
    return 0


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command in DATABASE_COMMANDS:
        return _on_the_database(args, err)
    if args.command == "generate":
        return _generate(args, out, err)
    return engine_cli.run(args, out, err)


if __name__ == "__main__":
    sys.exit(main())
