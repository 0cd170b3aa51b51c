"""The ``csphub`` command: one entry point for every csphub command.

``csphub crime …`` runs the analytics command line directly (it needs no Django); ``csphub link …`` is one parser
(:mod:`csphub.linkage.cli`) whose database subcommands (``import``, ``run``) it hands to Django; everything else is a
Django management command (``csphub demo``, ``csphub audit verify``, ``csphub migrate``, ``csphub runserver`` …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
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
