"""The demo's year of Kettering night-time economy logs: how long ``csphub.demo.nte.build_nte`` takes.

About 620 shifts and 1,800 incidents bulk-inserted, a dozen knife sweeps and two dispersal/PSPO areas through the
services, then every agency's months published to the analytics store through the partner ingest path. In a
throw-away SQLite database and store under var/bench/ (rebuilt each time).

Run::

    .venv/bin/python bench/nte_demo.py [--days 365]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="nights of logs (default 365)")
    args = parser.parse_args()
    folder = PROJECT_DIR / "var" / "bench" / "nte_demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["CSPHUB_ENVIRONMENT"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["CSPHUB_DATA_DIR"] = str(folder / "store")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from csphub.audit.context import audit_context
    from csphub.demo.nte import build_nte
    from csphub.demo.structure import build_structure

    call_command("migrate", verbosity=0)
    with audit_context("cli", actor_label="bench:nte_demo"):
        structure = build_structure("bench-password")
        started = time.perf_counter()
        result = build_nte(structure, days=args.days)
        took = time.perf_counter() - started
    print(
        f"{args.days} nights: {result.shifts} shifts, {result.incidents} incidents, {result.finds} weapon finds, "
        f"{result.published_months} agency-months published in {took:.2f} s"
    )


if __name__ == "__main__":
    main()
