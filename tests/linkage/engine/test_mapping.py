from __future__ import annotations

from pathlib import Path

import pytest

from csphub.linkage.engine.errors import MappingError
from csphub.linkage.engine.mapping import load_mapping, mapping_from_dict, mapping_to_toml

GOOD = {
    "source": {"key": "kettering", "file": "k.csv", "record_id": "Ref No"},
    "columns": {"full_name": "Name", "date_of_birth": "DOB", "address": ["Addr 1", "Town"], "sex": "Gender"},
    "formats": {"date_of_birth": ["%d/%m/%Y"], "name_order": "family_first"},
    "values": {"sex": {"M": "male"}, "missing": ["N/K"]},
}


def test_a_good_mapping_is_read() -> None:
    mapping = mapping_from_dict(GOOD)
    assert mapping.key == "kettering"
    assert mapping.format == "csv"  # from the file's extension
    assert mapping.columns["address"] == ("Addr 1", "Town")
    assert mapping.missing == frozenset({"N/K"})
    assert mapping.source_columns == ("Ref No", "Name", "DOB", "Addr 1", "Town", "Gender")


def test_every_problem_is_reported_together() -> None:
    data = {
        "source": {"key": "Bad Key!", "colour": "red"},
        "columns": {"full_name": "Name", "given_name": "First", "shoe_size": "x"},
        "formats": {"date_of_birth": ["%d/%q/%Y"], "name_order": "sideways"},
        "values": {"sex": {"M": "man"}},
        "extra": {},
    }
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(data, path="bad.toml")
    problems = "\n".join(caught.value.problems)
    for expected in (
        "unknown section [extra]",
        "unknown key 'colour' in [source]",
        "unknown key 'shoe_size' in [columns]",
        "[source] record_id is required",
        "key 'Bad Key!'",
        "either full_name or given_name",
        "%q",
        "name_order 'sideways'",
        "'M' = 'man'",
        "[formats] date_of_birth is given but [columns] has no date_of_birth",
        "[values] sex is given but [columns] has no sex",
    ):
        assert expected in problems, expected
    assert len(caught.value.problems) >= 11
    assert str(caught.value).startswith("bad.toml:")


def test_a_name_is_required_and_date_formats_need_a_year() -> None:
    data = {
        "source": {"key": "x", "record_id": "id"},
        "columns": {"date_of_birth": "d"},
        "formats": {"date_of_birth": "%d/%m"},
    }
    with pytest.raises(MappingError) as caught:
        mapping_from_dict(data)
    text = str(caught.value)
    assert "needs a name" in text
    assert "has no year" in text


def test_toml_round_trip(tmp_path: Path) -> None:
    mapping = mapping_from_dict(GOOD)
    path = tmp_path / "m.toml"
    path.write_text(mapping_to_toml(mapping), encoding="utf-8")
    again = load_mapping(path)
    assert again.columns == mapping.columns
    assert again.date_formats == mapping.date_formats
    assert again.sex_values == mapping.sex_values
    assert again.name_order == mapping.name_order


def test_json_mappings_and_unreadable_files(tmp_path: Path) -> None:
    import json

    path = tmp_path / "m.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert load_mapping(path).key == "kettering"
    broken = tmp_path / "broken.toml"
    broken.write_text("[source\nkey = ", encoding="utf-8")
    with pytest.raises(MappingError, match="not valid TOML"):
        load_mapping(broken)
    with pytest.raises(MappingError, match="cannot be read"):
        load_mapping(tmp_path / "missing.toml")
