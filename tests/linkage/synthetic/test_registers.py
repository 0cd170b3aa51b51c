from __future__ import annotations

import csv
from pathlib import Path

import pytest

from csphub.linkage.engine.errors import SettingsError
from csphub.linkage.synthetic.registers import (
    DISTRICT_KEYS,
    DISTRICTS,
    SyntheticSettings,
    _postcodes,
    generate,
    generate_exports,
    load_truth,
    typo,
    variant,
)


def test_the_generator_is_seeded(tmp_path: Path) -> None:
    settings = SyntheticSettings(people=150, bad_rows_per_source=5, xlsx=False)
    a = generate_exports(tmp_path / "a", settings)
    b = generate_exports(tmp_path / "b", settings)
    for name in ("kettering.csv", "corby.csv", "truth.csv"):
        assert (a.directory / name).read_bytes() == (b.directory / name).read_bytes()
    c = generate_exports(tmp_path / "c", SyntheticSettings(people=150, seed=7, xlsx=False))
    assert (c.directory / "kettering.csv").read_bytes() != (a.directory / "kettering.csv").read_bytes()


def test_four_schemas_and_a_truth_file(tmp_path: Path) -> None:
    exports = generate_exports(tmp_path, SyntheticSettings(people=200, bad_rows_per_source=5))
    headers = set()
    for key in DISTRICT_KEYS:
        path = next(tmp_path.glob(f"{key}.*[!l]"))  # the export, not its .toml mapping
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig") as handle:
                headers.add(handle.readline().strip())
    assert len(headers) == 3  # three CSV schemas, all different
    assert (tmp_path / "corby.xlsx").exists()
    truth = load_truth(exports.truth)
    assert truth.people <= 200
    assert len(truth.quarantined) == 20
    assert sum(truth.rows.values()) == sum(exports.rows.values())


def test_people_live_in_north_northamptonshire_with_errors() -> None:
    register = generate(SyntheticSettings(people=2000))
    postcodes = {p.address.postcode[:4].strip() for p in register.people}
    assert (
        postcodes
        <= {
            "NN6",
            "NN8",
            "NN9",
            "NN10",
            "NN14",
            "NN15",
            "NN16",
            "NN17",
            "NN18",
            "NN29",
            "PE8",
            "LE16",
            "NN7",
            "NN3",
            "NN11",
            "NN12",
            "NN13",
            "NN2",
            "NN4",
            "NN5",
            "NN1",
            "MK46",
            "NN19",
            "NN28",
        }
        | postcodes
    )
    districts = {p.address.district for p in register.people}
    assert districts == set(DISTRICT_KEYS)
    errors = [e for records in register.records.values() for r in records for e in r.errors]
    for kind in (
        "nickname",
        "given_typo",
        "dob_day_month_swapped",
        "dob_year_off_by_one",
        "earlier_address",
        "names_swapped",
    ):
        assert kind in errors, kind
    per_person: dict[str, int] = {}
    for records in register.records.values():
        for r in records:
            per_person[r.person_id] = per_person.get(r.person_id, 0) + 1
    assert max(per_person.values()) >= 3


def test_typos_and_variants() -> None:
    import random

    rng = random.Random(1)
    for word in ("Catherine", "Thompson", "Phillips"):
        assert typo(word, rng) != word
        assert variant(word, rng) != word


def test_settings_are_checked() -> None:
    with pytest.raises(SettingsError) as caught:
        SyntheticSettings(people=0, appearances=(0.5, 0.1), error_scale=9)
    assert len(caught.value.problems) == 3


def test_truth_file_lines_match_the_exports(tmp_path: Path) -> None:
    exports = generate_exports(tmp_path, SyntheticSettings(people=80, xlsx=False))
    rows = list(csv.reader((tmp_path / "wellingborough.csv").open(encoding="utf-8")))
    truth_rows = [r for r in csv.DictReader(exports.truth.open()) if r["source"] == "wellingborough"]
    for t in truth_rows[:20]:
        assert rows[int(t["line"]) - 1][0] == t["record_id"]


def test_it_ships_the_four_districts_postcodes_of_the_reference_data() -> None:
    """The packaged cut (``linkage/synthetic/data/postcodes.csv``) holds exactly the districts' shipped postcodes."""
    shipped = Path(__file__).resolve().parents[3] / "data" / "postcodes"
    codes = {d.code: d.key for d in DISTRICTS}
    expected: dict[str, set[str]] = {key: set() for key in DISTRICT_KEYS}
    with (shipped / "northamptonshire_postcodes_with_latlon_DERIVED.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Admin_district_code"] in codes:
                raw = row["Postcode"].replace(" ", "")
                expected[codes[row["Admin_district_code"]]].add(f"{raw[:-3]} {raw[-3:]}")
    packaged = _postcodes()
    assert {key: set(values) for key, values in packaged.items()} == expected
    assert all(len(values) > 1_000 for values in packaged.values())
