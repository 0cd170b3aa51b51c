"""Exporting the log for a person (subject access) or a period (the ICO), itself logged as a disclosure."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from csphub.access import consultation
from csphub.access.vocabulary import Verb
from csphub.audit.exports import ExportScope, write_csv
from csphub.audit.models import AuditEntry, Operation
from csphub.registers import services
from csphub.registers.models import Person
from tests.factories import World, make_person, make_place


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_it_exports_every_entry_about_a_person_and_nothing_else(world: World) -> None:
    officer = world["police_officer"]
    subject = make_person(officer, family_name="Subject")
    other = make_person(officer, family_name="Other")
    place = make_place(officer)
    services.link_place(subject, place, officer, relation="lives_at")
    consultation.open_record(Person.objects.all(), officer, Verb.VIEW, uuid=subject.uuid)
    out = io.StringIO()
    count = write_csv(ExportScope((str(subject.uuid),)), out, recipient="data subject", reason="SAR-2026-001")
    rows = _rows(out.getvalue())
    assert count == len(rows) == 3
    assert {r["action"] for r in rows} == {"collection", "consultation"}
    assert all(str(other.uuid) not in (r["record_id"], r["related_id"]) for r in rows)
    assert any(r["related_id"] == str(place.uuid) for r in rows)


def test_it_exports_a_period(world: World) -> None:
    make_person(world["police_officer"])
    today = timezone.localdate()
    out = io.StringIO()
    write_csv(ExportScope(start=today, end=today), out, recipient="ICO", reason="ICO enquiry")
    assert len(_rows(out.getvalue())) == AuditEntry.objects.exclude(action=Operation.DISCLOSURE).count()
    empty = io.StringIO()
    write_csv(
        ExportScope(start=today - dt.timedelta(days=30), end=today - dt.timedelta(days=29)),
        empty,
        recipient="ICO",
        reason="ICO enquiry",
    )
    assert _rows(empty.getvalue()) == []


def test_it_logs_the_export_as_a_disclosure_to_its_recipient(world: World) -> None:
    subject = make_person(world["police_officer"])
    write_csv(ExportScope((str(subject.uuid),)), io.StringIO(), recipient="data subject", reason="SAR-2026-002")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Operation.DISCLOSURE
    assert entry.recipients == ["data subject"] and entry.justification == "SAR-2026-002"


def test_the_command_writes_a_csv_file_and_requires_a_reason(world: World, tmp_path: object) -> None:
    subject = make_person(world["police_officer"])
    target = tmp_path / "sar.csv"  # type: ignore[operator]
    call_command(
        "audit",
        "export",
        "--person",
        str(subject.uuid),
        "--out",
        str(target),
        "--reason",
        "SAR-9",
        "--recipient",
        "data subject",
        stderr=io.StringIO(),
    )
    rows = _rows(target.read_text())
    assert rows and rows[0]["record_id"] == str(subject.uuid)
    with pytest.raises(CommandError, match="reason"):
        call_command("audit", "export", "--person", str(subject.uuid), stdout=io.StringIO())
