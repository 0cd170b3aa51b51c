"""Bulk load of the scale benchmark's data into its own PostgreSQL database, with COPY (psycopg's ``copy``).

Called by ``bench/cases_scale.py`` after ``django.setup()`` with ``DATABASE_URL`` pointing at the benchmark
database (``csphub_bench``). The partnership's structure (districts with their boundaries, agencies, users, ISAs)
is built by the demo's own code, through the ORM and inside an audit context; the people, places, cases and
timeline entries (hundreds of thousands of rows) are streamed from ``bench/_scale_data.py`` with COPY, which
bypasses the model signals: the benchmark data is not written to the audit log (the log records consultations made
during the benchmark, as in production).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from bench._scale_data import COLUMNS, Generator, ScaleSpec, World

log = logging.getLogger("bench.cases_scale")
POSTCODES = "postcodes/northamptonshire_postcodes_with_latlon_DERIVED.csv"


@dataclass(frozen=True)
class Loaded:
    counts: dict[str, int]
    seconds: float


def _copy(table: str, columns: Iterable[str], rows: Iterable[tuple[object, ...]]) -> int:
    raw: Any = connection.connection
    n = 0
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _copy_links(table: str, source: str, rows: list[tuple[int, int]]) -> int:
    return _copy(table, (source, "agency_id"), rows)


def structure_world(password: str) -> World:
    from csphub.audit.context import audit_context
    from csphub.demo.structure import build_structure

    with audit_context("cli", actor_label="system:bench", reason="Scale benchmark structure"):
        structure = build_structure(password)
    return World(
        districts={code: d.pk for code, d in structure.districts.items()},
        agencies={name: a.pk for name, a in structure.agencies.items()},
        users={name: u.pk for name, u in structure.users.items()},
        user_agency={name: u.agency.short_name for name, u in structure.users.items() if u.agency is not None},
    )


def load(spec: ScaleSpec, password: str) -> Loaded:
    """Build the structure and bulk-load people, places, cases and timeline entries. Returns row counts."""
    import json

    started = time.perf_counter()
    world = structure_world(password)
    gen = Generator(spec, world, settings.REFERENCE_DATA_DIR / POSTCODES)
    counts: dict[str, int] = {}
    raw: Any = connection.connection
    with raw.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")

    def step(name: str, n: int) -> None:
        counts[name] = n
        log.info("loaded %s: %s rows (%.0f s)", name, f"{n:,}", time.perf_counter() - started)

    person_parties: list[tuple[int, int]] = []

    def people() -> Iterable[tuple[object, ...]]:
        for row, parties in gen.people():
            person_parties.extend((int(str(row[0])), a) for a in parties)
            yield row

    step("people", _copy("registers_person", COLUMNS["registers_person"], people()))
    step("people parties", _copy_links("registers_person_parties", "person_id", person_parties))

    place_parties: list[tuple[int, int]] = []

    def places() -> Iterable[tuple[object, ...]]:
        for row, parties in gen.places():
            place_parties.extend((int(str(row[0])), a) for a in parties)
            yield row

    step("places", _copy("registers_place", COLUMNS["registers_place"], places()))
    step("places parties", _copy_links("registers_place_parties", "place_id", place_parties))
    step("person-place links", _copy("registers_personplace", COLUMNS["registers_personplace"], gen.person_places()))

    case_parties: list[tuple[int, int]] = []
    case_districts: list[tuple[int, int]] = []

    def cases() -> Iterable[tuple[object, ...]]:
        for row, parties, districts in gen.cases():
            cid = int(str(row[0]))
            case_parties.extend((cid, a) for a in parties)
            case_districts.extend((cid, d) for d in districts)
            yield (*row[:16], json.dumps(row[16]), *row[17:])

    step("cases", _copy("cases_case", COLUMNS["cases_case"], cases()))
    step("cases parties", _copy_links("cases_case_parties", "case_id", case_parties))
    step("cases districts", _copy("cases_case_districts", ("case_id", "district_id"), case_districts))
    step("case people", _copy("cases_caseperson", COLUMNS["cases_caseperson"], gen.case_people()))
    step("case places", _copy("cases_caseplace", COLUMNS["cases_caseplace"], gen.case_places()))

    restricted: list[tuple[int, int]] = []

    def entries() -> Iterable[tuple[object, ...]]:
        for row, agencies in gen.entries():
            restricted.extend((int(str(row[0])), a) for a in agencies)
            yield row

    step("timeline entries", _copy("cases_timelineentry", COLUMNS["cases_timelineentry"], entries()))
    step("restricted entries", _copy_links("cases_timelineentry_restricted_to", "timelineentry_id", restricted))

    with raw.cursor() as cur:
        # Identity columns continue after the loaded ids; reference sequences after the loaded references.
        link_tables = (
            "registers_person_parties",
            "registers_place_parties",
            "cases_case_parties",
            "cases_case_districts",
            "cases_timelineentry_restricted_to",
        )
        for table in (*COLUMNS, *link_tables):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        for (code, year), last in gen.case_count_by_type_year.items():
            cur.execute(
                "INSERT INTO cases_casesequence (prefix, type_code, year, last) VALUES ('NN', %s, %s, %s) "
                "ON CONFLICT (prefix, type_code, year) DO UPDATE SET last = EXCLUDED.last",
                (code, year, last),
            )
    if not raw.autocommit:
        raw.commit()
    with raw.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    log.info("vacuumed and analysed (%.0f s)", time.perf_counter() - started)
    return Loaded(counts, time.perf_counter() - started)


def present(spec: ScaleSpec) -> bool:
    """Whether the database already holds this spec's data (for --reuse)."""
    raw: Any = connection.connection
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    with raw.cursor() as cur:
        try:
            cur.execute(
                "SELECT (SELECT count(*) FROM registers_person), (SELECT count(*) FROM cases_case), "
                "(SELECT count(*) FROM cases_timelineentry)"
            )
        except Exception:  # no tables yet
            return False
        row = cur.fetchone()
    return row is not None and tuple(row) == (spec.people, spec.cases, spec.entries)


def table_counts() -> dict[str, int]:
    raw: Any = connection.connection
    out = {}
    with raw.cursor() as cur:
        for label, table in (
            ("people", "registers_person"),
            ("places", "registers_place"),
            ("cases", "cases_case"),
            ("case people", "cases_caseperson"),
            ("timeline entries", "cases_timelineentry"),
            ("audit entries", "audit_auditentry"),
        ):
            cur.execute(f"SELECT count(*) FROM {table}")
            row = cur.fetchone()
            out[label] = int(row[0]) if row else 0
    return out
