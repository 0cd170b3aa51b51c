"""Audit log throughput: appends (single and batched) and verification, on a throw-away test database.

.venv/bin/python bench/audit_log.py [--entries 20000]
DATABASE_URL=postgres://postgres@127.0.0.1:5432/csphub .venv/bin/python bench/audit_log.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
os.environ.setdefault("CSPHUB_ENVIRONMENT", "test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from csphub.audit import log
    from csphub.audit.context import audit_context
    from csphub.audit.models import Operation
    from csphub.audit.verification import verify_log

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        n = args.entries
        single = n // 4
        event = log.Event(
            Operation.CONSULTATION,
            "registers.person",
            "00000000-0000-0000-0000-000000000000",
            "Opened person to see",
            basis="owning agency",
            detail={"action": "view"},
        )
        with audit_context("cli", actor_label="bench"):
            start = time.perf_counter()
            for _ in range(single):
                log.write(event)
            single_s = time.perf_counter() - start
            batches = (n - single) // 50
            start = time.perf_counter()
            for _ in range(batches):
                log.write(*([event] * 50))
            batch_s = time.perf_counter() - start
        start = time.perf_counter()
        result = verify_log()
        verify_s = time.perf_counter() - start
        assert result.ok, result.reason
        print(f"database: {connection.vendor}")
        print(f"append, one entry per transaction: {single:,} entries in {single_s:.2f} s = {single / single_s:,.0f}/s")
        print(
            f"append, batches of 50 (a search page): {batches * 50:,} entries in {batch_s:.2f} s = "
            f"{batches * 50 / batch_s:,.0f}/s"
        )
        print(f"verify: {result.checked:,} entries in {verify_s:.2f} s = {result.checked / verify_s:,.0f}/s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
