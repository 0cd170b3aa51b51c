"""The intelligence picture at scale: as-at of a 2,000-entity neighbourhood, and the full diff between two dates.

A synthetic network — 100,000 entities (county lines, organised crime groups, people, phones, places, vehicles)
and 500,000 link facts over two years (seeded), with record-time history: most facts recorded within a month of
becoming true, 5 % recorded late (two to ten months on), 10 % later corrected (the old version closed in record
time, a corrected one recorded) — in a scratch database, built once and kept:

    .venv/bin/python bench/intelligence_asat.py                   # SQLite: var/bench/intelligence_asat.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csphub_bench_intel .venv/bin/python bench/intelligence_asat.py

Options: --entities, --links, --seed, --rebuild (drop what the scratch database holds and generate again),
--repeat N (timed runs of each query; the median is printed). Targets (issue 21): the as-at view of a
2,000-entity neighbourhood in under 1 s; the full diff between two dates in under 5 s. Each query runs as a police
intelligence manager, through the access policy (``facts_for``), as the pages do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
os.environ.setdefault("CSPHUB_ENVIRONMENT", "test")

log = logging.getLogger("bench.intelligence_asat")
SCRATCH = ROOT / "var" / "bench" / "intelligence_asat.sqlite3"
DAYS = 730
TARGET_ASAT_S, TARGET_DIFF_S = 1.0, 5.0

# How the entities split (of 100,000) and how the links split (of 500,000), by kind of fact.
ENTITY_SHARES = {"line": 0.02, "group": 0.005, "person": 0.6, "phone": 0.2, "place": 0.12, "vehicle": 0.055}
LINK_KINDS = (
    ("group_member", "group", "person", 0.30, ("principal", "lieutenant", "enforcer", "associate")),
    ("line_nominal", "line", "person", 0.25, ("line_holder", "runner", "exploited_child", "exploited_adult")),
    ("line_phone", "line", "phone", 0.20, ("",)),
    ("line_address", "line", "place", 0.15, ("cuckooed", "trap_house", "stash")),
    ("line_vehicle", "line", "vehicle", 0.10, ("",)),
)


def _setup(rebuild: bool) -> None:
    """Point Django at the scratch database (emptied first with --rebuild) and migrate it."""
    if "DATABASE_URL" not in os.environ:
        SCRATCH.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}"
        if rebuild:
            SCRATCH.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if rebuild and connection.vendor == "postgresql":
        if "bench" not in str(connection.settings_dict["NAME"]):
            raise SystemExit("--rebuild empties the database: give one whose name says bench")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)


def _build(entities: int, links: int, seed: int, today: dt.date) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from csphub.access.vocabulary import Caveat, Sensitivity
    from csphub.audit.context import audit_context
    from csphub.intelligence.models import CountyLine, Fact, OrganisedCrimeGroup
    from csphub.partnership.models import Agency, District, Partnership, Role, RoleAssignment, Sector, User
    from csphub.registers.models import Person, Phone, Place, Vehicle

    rng = random.Random(seed)
    start = today - dt.timedelta(days=DAYS)
    marks = {"caveat": Caveat.OFFICIAL_SENSITIVE, "sensitivity": Sensitivity.INTELLIGENCE}
    t0 = time.perf_counter()
    with audit_context("cli", actor_label="bench"), transaction.atomic():
        partnership = Partnership.objects.create(name="Bench partnership", code="BN", formed_on=start)
        districts = [
            District.objects.create(partnership=partnership, name=f"District {i}", ons_code=f"E0799990{i}", boundary={})
            for i in range(4)
        ]
        police = Agency.objects.create(
            partnership=partnership, name="Bench police", short_name="bench-police", sector=Sector.POLICE
        )
        user = User(username="bench.manager", agency=police)
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.PARTNERSHIP_MANAGER)
        counts = {k: int(entities * share) for k, share in ENTITY_SHARES.items()}
        counts["person"] += entities - sum(counts.values())
        common = {"owning_agency": police, **marks}
        batch = 5000
        CountyLine.objects.bulk_create((CountyLine(name=f"LINE{i}", **common) for i in range(counts["line"])), batch)
        OrganisedCrimeGroup.objects.bulk_create(
            (OrganisedCrimeGroup(name=f"Group {i}", **common) for i in range(counts["group"])), batch
        )
        Person.objects.bulk_create(
            (Person(family_name=f"Nominal{i}", **common) for i in range(counts["person"])), batch
        )
        Phone.objects.bulk_create((Phone(number=f"+4477009{i:05d}", **common) for i in range(counts["phone"])), batch)
        Place.objects.bulk_create((Place(address=f"{i} Bench Street", **common) for i in range(counts["place"])), batch)
        Vehicle.objects.bulk_create(
            (Vehicle(registration=f"BN{i:06d}", **common) for i in range(counts["vehicle"])), batch
        )
        ids = {
            "line": list(CountyLine.objects.values_list("pk", flat=True)),
            "group": list(OrganisedCrimeGroup.objects.values_list("pk", flat=True)),
            "person": list(Person.objects.values_list("pk", flat=True)),
            "phone": list(Phone.objects.values_list("pk", flat=True)),
            "place": list(Place.objects.values_list("pk", flat=True)),
            "vehicle": list(Vehicle.objects.values_list("pk", flat=True)),
        }
        log.info("entities: %s in %.1f s", {k: len(v) for k, v in ids.items()}, time.perf_counter() - t0)
        tz = timezone.get_current_timezone()

        def moment(day: dt.date, hours: int) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(9), tzinfo=tz) + dt.timedelta(hours=hours)

        rows: list[Fact] = []
        column = {"person": "person_id", "phone": "phone_id", "place": "place_id", "vehicle": "vehicle_id"}
        # Statuses and districts of every line and group first (they count towards the links).
        for kind in ("line", "group"):
            for pk in ids[kind]:
                began = start + dt.timedelta(days=rng.randint(0, 300))
                status = Fact(kind=f"{kind}_status", value="active", valid_from=began, recorded_at=moment(began, 48))
                setattr(status, f"{kind}_id", pk)
                rows.append(status)
                if kind == "line":
                    rows.append(
                        Fact(
                            kind="line_district",
                            line_id=pk,
                            district=rng.choice(districts),
                            valid_from=began,
                            recorded_at=moment(began, 48),
                        )
                    )
        weights = [k[3] for k in LINK_KINDS]
        while len(rows) < links:
            kind, subject_type, obj_type, _w, values = rng.choices(LINK_KINDS, weights)[0]
            began = start + dt.timedelta(days=rng.randint(0, DAYS - 1))
            ended = began + dt.timedelta(days=rng.randint(7, 400)) if rng.random() < 0.4 else None
            if ended is not None and ended > today:
                ended = None
            late = rng.random() < 0.05
            recorded = moment(began, rng.randint(60 * 24, 300 * 24) if late else rng.randint(1, 30 * 24))
            fact = Fact(kind=kind, value=rng.choice(values), valid_from=began, valid_to=ended, recorded_at=recorded)
            setattr(fact, f"{subject_type}_id", rng.choice(ids[subject_type]))
            setattr(fact, column[obj_type], rng.choice(ids[obj_type]))
            if rng.random() < 0.10 and len(rows) + 1 < links:
                # Corrected later: this version closed in record time, a corrected one recorded then.
                corrected_at = recorded + dt.timedelta(days=rng.randint(5, 120))
                fact.superseded_at = corrected_at
                fixed_end = (ended or began + dt.timedelta(days=30)) + dt.timedelta(days=rng.randint(-5, 5))
                fix = Fact(
                    kind=kind,
                    value=fact.value,
                    valid_from=began,
                    valid_to=fixed_end if fixed_end > began else None,
                    recorded_at=corrected_at,
                )
                for name in ("line_id", "group_id", *column.values()):
                    setattr(fix, name, getattr(fact, name))
                rows.append(fix)
            rows.append(fact)
        Fact.objects.bulk_create(rows[:links], batch_size=batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE intelligence_fact")
    log.info("facts: %s in %.1f s", len(rows[:links]), time.perf_counter() - t0)


def _median(fn: object, repeat: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this process (SQLite runs inside it; a PostgreSQL server's work is
    not in the CPU figure), and the last result. The machine is shared: the wall time includes waiting for a core."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _setup(args.rebuild)

    from django.db import connection
    from django.utils import timezone

    from csphub.intelligence import services
    from csphub.intelligence.models import CountyLine, Fact
    from csphub.partnership.models import User

    today = dt.date(2026, 12, 1)  # fixed, so that a kept database gives the same figures
    if Fact.objects.count() != args.links or not User.objects.filter(username="bench.manager").exists():
        log.info("building %s entities and %s links (seed %s)…", args.entities, args.links, args.seed)
        _build(args.entities, args.links, args.seed, today)

    user = User.objects.get(username="bench.manager")
    known = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    valid = today - dt.timedelta(days=200)
    seed_line = CountyLine.objects.order_by("pk").values_list("pk", flat=True)[7]

    asat_s, asat_cpu, hood = _median(
        lambda: services.neighbourhood(user, [("line", seed_line)], valid=valid, known=known, limit=2000), args.repeat
    )
    first, second = today - dt.timedelta(days=365), today - dt.timedelta(days=30)
    diff_s, diff_cpu, changes = _median(lambda: services.diff(user, first, second, known=known), args.repeat)
    then = services.known_then(valid)
    then_s, then_cpu, _ = _median(
        lambda: services.neighbourhood(user, [("line", seed_line)], valid=valid, known=then, limit=2000), args.repeat
    )

    assert isinstance(hood, services.Neighbourhood) and isinstance(changes, list)
    asat_verdict = "met" if asat_s < TARGET_ASAT_S else "MISSED"
    diff_verdict = "met" if diff_s < TARGET_DIFF_S else "MISSED"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"database: {connection.vendor}; {Fact.objects.count():,} facts about {args.entities:,} entities")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (wall times include waiting for a core)")
    print(
        f"as-at neighbourhood of {len(hood.entities):,} entities, {len(hood.picture.facts):,} facts "
        f"(as known now): {asat_s:.3f} s wall, {asat_cpu:.3f} s CPU (target < {TARGET_ASAT_S:.0f} s: {asat_verdict})"
    )
    print(f"as-at neighbourhood, as known then: {then_s:.3f} s wall, {then_cpu:.3f} s CPU")
    print(
        f"full diff {first} → {second}: {len(changes):,} changes in {diff_s:.3f} s wall, {diff_cpu:.3f} s CPU "
        f"(target < {TARGET_DIFF_S:.0f} s: {diff_verdict})"
    )


if __name__ == "__main__":
    main()
