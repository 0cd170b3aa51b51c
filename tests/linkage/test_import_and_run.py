"""The four demo district exports import (quarantined rows listed, nothing lost, re-import adds nothing); the
linkage merges the register to about as many people as the generator's true identities, and reviewers' decisions
survive a re-run."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from csphub.linkage.importing import import_export
from csphub.linkage.models import CandidatePair, ImportBatch, PairStatus, QuarantinedRow, SourceRecord
from csphub.linkage.review import decide
from csphub.linkage.running import as_record, run_linkage
from csphub.registers.models import Person
from tests.factories import World

LEGACY = Path(__file__).resolve().parents[2] / "data" / "legacy"
SOURCES = {"kettering": "council", "corby": "corby", "east-northamptonshire": "council", "wellingborough": "council"}


def _import_all(world: World) -> list[object]:
    return [import_export(LEGACY / f"{s}.toml", world.agencies[a]) for s, a in SOURCES.items()]


def _truth() -> dict[tuple[str, str], str]:
    with (LEGACY / "truth.csv").open(newline="", encoding="utf-8") as handle:
        return {
            (r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle) if r["expected"] == "imported"
        }


@pytest.mark.slow
def test_the_four_exports_import_with_their_bad_rows_quarantined(world: World) -> None:
    summaries = _import_all(world)
    for batch in ImportBatch.objects.all():
        assert batch.rows_read == batch.rows_imported + batch.rows_quarantined  # nothing silently dropped
    assert QuarantinedRow.objects.count() == sum(s.quarantined for s in summaries) > 0  # type: ignore[attr-defined]
    with (LEGACY / "truth.csv").open(newline="", encoding="utf-8") as handle:
        truth_rows = list(csv.DictReader(handle))
    bad = {(r["source"], int(r["line"])) for r in truth_rows if r["expected"] != "imported"}
    assert {(q.batch.source, q.line) for q in QuarantinedRow.objects.select_related("batch")} == bad
    assert SourceRecord.objects.count() == sum(1 for r in truth_rows if r["expected"] == "imported")
    # A split address keeps its parts (compared part by part by the linkage) and its joined line (the place).
    split = SourceRecord.objects.filter(source="east-northamptonshire").exclude(street="").first()
    assert split is not None and split.town and split.street in split.address and split.town in split.address
    assert as_record(split).street == split.street and as_record(split).town == split.town
    assert not SourceRecord.objects.filter(source="corby").exclude(street="").exists()  # one-line address
    quarantined = QuarantinedRow.objects.select_related("batch").first()
    assert quarantined is not None and quarantined.line > 1 and quarantined.reason
    before = (Person.objects.count(), SourceRecord.objects.count(), ImportBatch.objects.count())
    again = _import_all(world)
    assert all(s.already_imported for s in again)  # type: ignore[attr-defined]
    assert (Person.objects.count(), SourceRecord.objects.count(), ImportBatch.objects.count()) == before


@pytest.mark.slow
def test_the_linkage_merges_to_the_true_people_and_keeps_reviewers_decisions(world: World) -> None:
    _import_all(world)
    summary = run_linkage()
    truth = _truth()
    people: dict[int, set[str]] = defaultdict(set)
    for record in SourceRecord.objects.select_related("person"):
        person = record.person
        while person.merged_into_id is not None:
            person = Person.all_objects.get(pk=person.merged_into_id)
        people[person.pk].add(truth[(record.source, record.record_id)])
    true_people = {truth[(r.source, r.record_id)] for r in SourceRecord.objects.all()}
    assert abs(len(people) - len(true_people)) / len(true_people) < 0.05
    impure = sum(1 for ids in people.values() if len(ids) > 1)
    assert impure / len(people) < 0.03
    assert summary.auto_merged > 0 and summary.queued > 0
    # A reviewer rejects a queued pair; re-running (even retraining) keeps the decision and does not queue it again.
    pair = CandidatePair.objects.filter(status=PairStatus.PENDING).first()
    assert pair is not None
    decide(pair, world["council_officer"], decision="reject", reason="Different dates of birth on the NHS spine")
    again = run_linkage()
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.reason.startswith("Different dates")
    assert again.kept_decisions >= 1
    # The same model checks a person typed in at the door (one matcher everywhere).
    door = SourceRecord.objects.filter(source="kettering").exclude(dob_year=None).first()
    assert door is not None and door.dob_year is not None
    record, year = door, door.dob_year
    from csphub.common.dates import PartialDate
    from csphub.registers.duplicates import likely_matches

    found = likely_matches(
        world["council_officer"],
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=PartialDate(year, record.dob_month, record.dob_day),
    )
    assert found and found[0].reasons[0].startswith("linkage model")
    current = record.person
    while current.merged_into_id is not None:
        current = Person.all_objects.get(pk=current.merged_into_id)
    assert current in [m.person for m in found]
    assert likely_matches(world["fire_partner"], given_name=record.given_name, family_name=record.family_name) == []
