"""Links to records: Django's ``reverse()`` against ``csphub.ui.links.record_url``, microseconds per link.

.venv/bin/python bench/record_links.py [--links 100000]

A case list or a person search links each of its 50 rows to the record's page; this prints the cost of one link
each way (case references and person UUIDs) and what that is for a page of 50 rows. No database is used.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
os.environ.setdefault("CSPHUB_ENVIRONMENT", "test")


def _per_call(make: Callable[[int], str], n: int) -> float:
    """Best of three runs of ``n`` calls, seconds per call."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in range(n):
            make(i)
        best = min(best, (time.perf_counter() - start) / n)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.urls import reverse

    from csphub.ui.links import record_url

    references = [f"NN-ASB-2026-{i:06d}" for i in range(1000)]
    uuids = [uuid.uuid4() for _ in range(1000)]
    for ref, key in zip(references, uuids, strict=True):  # the same URLs either way
        assert reverse("cases:case", args=[ref]) == record_url("cases:case", ref)
        assert reverse("registers:person", args=[key]) == record_url("registers:person", key)
    print(f"{'link':28}{'reverse() us':>14}{'record_url us':>15}{'ratio':>8}{'saved per 50 rows ms':>22}")
    kinds: list[tuple[str, str, list[str] | list[uuid.UUID]]] = [
        ("case (reference)", "cases:case", references),
        ("person (UUID)", "registers:person", uuids),
    ]
    for label, view, keys in kinds:

        def by_reverse(i: int, view: str = view, keys: list[str] | list[uuid.UUID] = keys) -> str:
            return reverse(view, args=[keys[i % 1000]])

        def by_record_url(i: int, view: str = view, keys: list[str] | list[uuid.UUID] = keys) -> str:
            return record_url(view, keys[i % 1000])

        slow, fast = _per_call(by_reverse, args.links), _per_call(by_record_url, args.links)
        print(f"{label:28}{slow * 1e6:>14.1f}{fast * 1e6:>15.1f}{slow / fast:>7.1f}x{(slow - fast) * 50 * 1e3:>22.2f}")


if __name__ == "__main__":
    main()
