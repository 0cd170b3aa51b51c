"""Importing a legacy register export: every row kept as a source record of a person, or quarantined with why.

The export is parsed through its mapping by the plain-Python engine (``csphub.linkage.engine.parse``); here each
record becomes a person on the register (with their address as a place), owned by the source's agency, inside the
caller's audit context. Re-importing the same file adds nothing (its SHA-256 is recorded); a later export of the
same source adds only the records it has not seen (by the source's record id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from csphub.access.vocabulary import Caveat, Sensitivity
from csphub.linkage.engine import ParsedSource, Record, parse_source
from csphub.linkage.models import ImportBatch, QuarantinedRow, SourceRecord
from csphub.partnership.models import Agency, User
from csphub.registers import geo
from csphub.registers.models import LocationSource, Person, PersonPlace, Place, PlaceRelation

# Which agency holds each demo source (a partnership maps its own sources with --agency).
DEFAULT_AGENCIES = {
    "kettering": "kettering-bc",
    "corby": "corby-bc",
    "east-northamptonshire": "east-northants",
    "wellingborough": "wellingborough-bc",
}


@dataclass(frozen=True)
class ImportSummary:
    source: str
    file: str
    rows_read: int
    imported: int
    already_known: int
    quarantined: int
    already_imported: bool

    def __str__(self) -> str:
        if self.already_imported:
            return f"{self.source}: {self.file} was imported before (same SHA-256): nothing added"
        return (
            f"{self.source}: {self.rows_read} rows read, {self.imported} imported, {self.already_known} already "
            f"known, {self.quarantined} quarantined ({self.file})"
        )


def _place_for(record: Record, agency: Agency, cache: dict[tuple[str, str], Place]) -> Place | None:
    if not (record.address or record.postcode):
        return None
    key = (record.address.casefold(), record.postcode)
    if key in cache:
        return cache[key]
    place = Place(address=record.address or record.postcode, postcode=record.postcode, owning_agency=agency)
    point = geo.postcode_point(record.postcode) if record.postcode else None
    if point is not None:
        place.latitude, place.longitude = point.latitude, point.longitude
        place.easting, place.northing = point.easting, point.northing
        place.location_source = LocationSource.POSTCODE
        place.district_id = geo.district_id_at(point.latitude, point.longitude)
    place.save()
    cache[key] = place
    return place


def import_export(
    mapping: str | Path,
    agency: Agency,
    *,
    by: User | None = None,
    path: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    parsed: ParsedSource = parse_source(mapping, path, progress=False)
    name = Path(parsed.file).name
    if ImportBatch.objects.filter(source=parsed.source, file_sha256=parsed.file_sha256).exists():
        return ImportSummary(parsed.source, name, parsed.rows_read, 0, 0, 0, True)
    records = list(parsed.records)
    known = set(SourceRecord.objects.filter(source=parsed.source).values_list("record_id", flat=True))
    imported = already = 0
    places: dict[tuple[str, str], Place] = {}
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=parsed.source,
            file_name=name,
            file_sha256=parsed.file_sha256,
            owning_agency=agency,
            imported_by=by,
            rows_read=parsed.rows_read,
            rows_quarantined=len(parsed.quarantined),
        )
        for row in parsed.quarantined:
            QuarantinedRow.objects.create(batch=batch, line=row.line, reason=row.reason, raw=dict(row.raw))
        for n, record in enumerate(records, 1):
            if progress is not None:
                progress(n, len(records))
            if record.record_id in known:
                already += 1
                continue
            dob = record.date_of_birth
            person = Person(
                given_name=record.given_name,
                middle_names=record.middle_names,
                family_name=record.family_name or "UNKNOWN",
                sex=record.sex or "not_known",
                owning_agency=agency,
                created_by=by,
                caveat=Caveat.OFFICIAL,
                sensitivity=Sensitivity.GENERAL,
            )
            person.set_date_of_birth(dob)
            person.save()
            SourceRecord.objects.create(
                batch=batch,
                source=parsed.source,
                record_id=record.record_id,
                line=record.line or 0,
                row_key=record.row_key,
                person=person,
                given_name=record.given_name,
                middle_names=record.middle_names,
                family_name=record.family_name,
                dob_year=dob.year if dob else None,
                dob_month=dob.month if dob else None,
                dob_day=dob.day if dob else None,
                sex=record.sex,
                address=record.address,
                street=record.street,
                locality=record.locality,
                town=record.town,
                county=record.county,
                postcode=record.postcode,
                raw=dict(record.raw),
            )
            place = _place_for(record, agency, places)
            if place is not None:
                PersonPlace.objects.create(
                    person=person, place=place, relation=PlaceRelation.LIVES_AT, source_agency=agency
                )
            known.add(record.record_id)
            imported += 1
        batch.rows_imported = imported
        batch.rows_already_known = already
        batch.save(update_fields=["rows_imported", "rows_already_known"])
    return ImportSummary(parsed.source, name, parsed.rows_read, imported, already, len(parsed.quarantined), False)
