"""The ``csphub`` command: one entry point for every csphub command.

``csphub crime …`` runs the analytics command line directly (it needs no Django); ``csphub link …`` is one parser
(:mod:`csphub.linkage.cli`) whose database subcommands (``import``, ``run``) it hands to Django; everything else is a
Django management command (``csphub demo``, ``csphub audit verify``, ``csphub migrate``, ``csphub runserver`` …).
"""

from __future__ import annotations

import os
import sys

# The groups this module dispatches itself (below, in ``main``), with their line in ``csphub help``; every other
# csphub group is a management command of a csphub app and is found as Django finds it.
OWN_GROUPS = {
    "crime": "crime and place analytics on police.uk and partner data: ingest, counts, change, hotspots, maps …",
    "link": "record linkage: import register exports, run the linkage, dedupe a CSV, explain a score …",
}
HELP_WORDS = ("help", "--help", "-h")


def command_groups() -> tuple[dict[str, str], list[str]]:
    """csphub's command groups with one line each, and the names of the other (Django's own) commands.

    The groups are ``OWN_GROUPS`` and every management command of a csphub app, from Django's ``get_commands()``
    (which needs the settings: a bad setting stops here, naming the variable, as any other command would).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    groups = dict(OWN_GROUPS)
    others = []
    for name, app in sorted(get_commands().items()):
        if app.split(".")[0] != "csphub":
            others.append(name)
        elif name not in groups:
            groups[name] = " ".join(str(load_command_class(app, name).help).split())
    return groups, others


def print_help(args: list[str]) -> int:
    """``csphub help``: the command groups; ``csphub help GROUP``: that group's help; ``--django``: every command."""
    if args[:1] == ["--django"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["csphub", "help"])
        return 0
    if args:
        main([args[0], "--help"])
        return 0
    groups, others = command_groups()
    width = max(len(name) for name in groups) + 2
    lines = [
        "usage: csphub COMMAND [ARGUMENTS …]",
        "",
        "csphub's commands (`csphub COMMAND --help` or `csphub help COMMAND` explains each one):",
        *(f"  {name.ljust(width)}{line}" for name, line in groups.items()),
        "",
        f"The {len(others)} commands of Django and its add-ons work too (migrate, runserver, createsuperuser …):",
        "`csphub help --django` lists every command by the app that provides it.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in HELP_WORDS:
        sys.exit(print_help(args[1:]))
    if args[:1] == ["crime"]:
        from csphub.analytics.cli import main as crime_main

        sys.exit(crime_main(args[1:]))
    if args[:1] == ["link"]:
        from csphub.linkage.cli import main as link_main

        sys.exit(link_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["csphub", *args])


if __name__ == "__main__":
    main()
