from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csphub.linkage.engine.errors import MappingError, SourceFileError
from csphub.linkage.engine.mapping import mapping_from_dict
from csphub.linkage.engine.parse import ParsedSource, parse_source, row_key
from csphub.linkage.synthetic.registers import Truth

from .conftest import LEGACY

KIND_TO_REASON = {
    "no_record_id": "no record id",
    "duplicate_record_id": "duplicate record id",
    "bad_date": "date of birth not understood",
    "no_name": "no name",
    "wrong_columns": "wrong number of columns",
}


def test_demo_exports_quarantine_exactly_the_bad_rows(legacy_parsed: list[ParsedSource], legacy_truth: Truth) -> None:
    for parsed in legacy_parsed:
        assert parsed.rows_read == parsed.rows_imported + parsed.rows_quarantined
        assert parsed.rows_read == legacy_truth.rows[parsed.source]
        expected = {line: kind for (source, line), kind in legacy_truth.quarantined.items() if source == parsed.source}
        got = {q.line: q.reason for q in parsed.quarantined}
        assert set(got) == set(expected), parsed.source
        for line, kind in expected.items():
            assert got[line].startswith(KIND_TO_REASON[kind]), (parsed.source, line, got[line])
        imported = {(parsed.source, r) for r in parsed.records.table.column("record_id").to_pylist()}
        assert imported == {k for k in legacy_truth.identities if k[0] == parsed.source}


def test_four_schemas_become_the_same_canonical_records(legacy_parsed: list[ParsedSource]) -> None:
    formats = {p.source: p.mapping.format for p in legacy_parsed}
    assert formats["corby"] == "xlsx"
    for parsed in legacy_parsed:
        record = next(iter(parsed.records))
        assert record.source == parsed.source
        assert record.family_name or record.given_name
        assert record.line and record.line >= 2
        assert len(record.row_key) == 64
        assert record.raw_row  # the row as the file held it
        postcodes = [p for p in parsed.records.table.column("postcode").to_pylist() if p]
        assert all(p == p.upper() and " " in p for p in postcodes)


def test_reimport_is_recognisable(legacy_parsed: list[ParsedSource]) -> None:
    first = legacy_parsed[0]
    again = parse_source(first.mapping, progress=False)
    assert again.file_sha256 == first.file_sha256
    assert again.row_keys() == first.row_keys()
    assert len(set(first.row_keys())) == first.rows_imported


def test_row_keys_are_the_documented_hash(legacy_parsed: list[ParsedSource]) -> None:
    parsed = next(p for p in legacy_parsed if p.mapping.format == "csv")
    record = next(iter(parsed.records))
    assert record.row_key == row_key(parsed.source, [v for _, v in record.raw])


def _csv_mapping(tmp_path: Path, text: str, **extra: object) -> Path:
    (tmp_path / "people.csv").write_text(text, encoding="utf-8")
    mapping = {
        "source": {"key": "test", "file": "people.csv", "record_id": "id"},
        "columns": {"full_name": "name", "date_of_birth": "dob", "postcode": "pc", "sex": "sex"},
        "formats": {"date_of_birth": ["%d/%m/%Y"]},
        "values": {"sex": {"M": "male", "F": "female"}, "missing": ["N/K", "01/01/1900"]},
        **extra,
    }
    import json

    path = tmp_path / "people.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    return path


def test_field_problems_are_warnings_and_placeholders_are_missing(tmp_path: Path) -> None:
    path = _csv_mapping(
        tmp_path,
        'id,name,dob,pc,sex\n1,"SMITH, John",01/01/1900,NN16 OAB,X\n2,Jane Doe,N/K,nn160ab,f\n',
    )
    parsed = parse_source(path, progress=False)
    assert parsed.rows_imported == 2 and not parsed.quarantined
    first, second = list(parsed.records)
    assert first.date_of_birth is None and first.postcode == "" and first.sex == ""
    assert second.postcode == "NN16 0AB" and second.sex == "female" and second.given_name == "Jane"
    reasons = sorted(w.field for w in parsed.warnings)
    assert reasons == ["postcode", "sex"]


def test_unreadable_files_raise_with_the_reason(tmp_path: Path) -> None:
    path = _csv_mapping(tmp_path, "id,fullname,dob\n1,x,y\n")
    with pytest.raises(SourceFileError) as caught:
        parse_source(path, progress=False)
    assert "'name'" in str(caught.value) and "'pc'" in str(caught.value) and "'sex'" in str(caught.value)
    with pytest.raises(SourceFileError, match="does not exist"):
        parse_source(path, tmp_path / "nope.csv", progress=False)
    (tmp_path / "latin.csv").write_bytes("id,name,dob,pc,sex\n1,Zo\xeb Smith,,,\n".encode("latin-1"))
    with pytest.raises(SourceFileError, match="not valid utf-8"):
        parse_source(path, tmp_path / "latin.csv", progress=False)


def test_xlsx_sheets_are_checked(tmp_path: Path) -> None:
    shutil.copy(LEGACY / "corby.xlsx", tmp_path / "corby.xlsx")
    mapping = mapping_from_dict(
        {
            "source": {"key": "corby", "file": "corby.xlsx", "sheet": "People", "record_id": "Client ID"},
            "columns": {"given_name": "Forename", "family_name": "Surname"},
        },
        path=str(tmp_path / "corby.toml"),
    )
    with pytest.raises(SourceFileError, match="has no sheet 'People' \\(sheets: Clients\\)"):
        parse_source(mapping, progress=False)


def test_a_split_address_keeps_its_parts_and_joins_them_into_the_address(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,name,no,road,line2,village,town\n1,Jane Doe,12,High St,,Geddington,Kettering\n", encoding="utf-8"
    )
    import json

    mapping = {
        "source": {"key": "split", "file": "people.csv", "record_id": "id"},
        "columns": {
            "full_name": "name",
            "house_number": "no",
            "street": ["road", "line2"],
            "locality": "village",
            "town": "town",
        },
    }
    path = tmp_path / "people.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    (record,) = list(parse_source(path, progress=False).records)
    assert record.street == "12 High St" and record.locality == "Geddington" and record.town == "Kettering"
    assert record.address == "12 High St, Geddington, Kettering" and record.county == ""
    mapping["columns"]["address"] = "road"  # type: ignore[index]
    path.write_text(json.dumps(mapping), encoding="utf-8")
    with pytest.raises(MappingError, match="either address"):
        parse_source(path, progress=False)
