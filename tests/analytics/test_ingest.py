"""Ingest of real police.uk files: what is stored equals what the raw files say, checked independently."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from csphub.analytics.api import Analytics
from csphub.analytics.cli import main
from csphub.analytics.errors import IngestError
from csphub.analytics.ingest import IngestSettings

from .conftest import BEDS, DATA, NORTHANTS, NORTHANTS_MONTHS, POLICE, config_for


def _independent_districts(lon: list[float], lat: list[float]) -> list[str]:
    """District of each point by a plain covers test against each repaired polygon, in file order."""
    features = json.loads((DATA / "boundaries" / "lad2013_northamptonshire.geojson").read_text())["features"]
    points = shapely.points(np.array(lon), np.array(lat))
    result = [""] * len(lon)
    for feature in features:
        polygon = shapely.make_valid(shape(feature["geometry"]))
        for i in np.flatnonzero(shapely.covers(polygon, points)):
            if not result[i]:
                result[i] = feature["properties"]["LAD13CD"]
    return result


def test_it_counts_the_shipped_months_as_an_independent_count_of_the_raw_files(
    shipped: Analytics, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[dict[str, str]] = []
    for path in sorted(POLICE.glob("*/*-street.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    located = [r for r in rows if r["Longitude"]]
    districts = iter(
        _independent_districts([float(r["Longitude"]) for r in located], [float(r["Latitude"]) for r in located])
    )
    expected = Counter((r["Month"], r["Crime type"], next(districts) if r["Longitude"] else "") for r in rows)

    assert main(["counts", "--by", "month,crime_type,district", "--data-dir", str(shipped.config.data_dir)]) == 0
    out = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert out[0] == ["month", "crime_type", "district", "count"]
    counted = {(m, t, d): int(n) for m, t, d, n in out[1:]}
    assert counted == dict(expected)
    assert sum(counted.values()) == len(rows) == 37_420 + 5_272 + 5_343


def test_it_keeps_rows_without_a_location_and_reports_them(shipped: Analytics) -> None:
    raw = NORTHANTS / "2025-03-northamptonshire-street.csv"
    with raw.open(encoding="utf-8") as fh:
        no_location = sum(1 for r in csv.DictReader(fh) if not r["Longitude"])
    assert no_location > 0
    con = shipped.store.connect()
    stored = con.execute(
        "SELECT count(*) FROM street WHERE force = 'northamptonshire' AND month = DATE '2025-03-01' AND x IS NULL"
    ).fetchall()[0][0]
    assert stored == no_location


def test_it_projects_coordinates_to_british_national_grid(shipped: Analytics) -> None:
    con = shipped.store.connect()
    rows = con.execute(
        "SELECT longitude, latitude, x, y FROM street WHERE x IS NOT NULL USING SAMPLE 50 ROWS"
    ).fetchall()
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    for lon, lat, x, y in rows:
        ex, ey = to_bng.transform(lon, lat)
        assert (x, y) == pytest.approx((ex, ey), abs=1e-6)


def test_it_replaces_a_reingested_month_and_never_duplicates_it(empty: Analytics) -> None:
    month = NORTHANTS_MONTHS[0]
    first = empty.ingest([month])
    assert [f.replaced for f in first.files] == [False]
    again = empty.ingest([month])
    assert [f.replaced for f in again.files] == [True]
    with month.open(encoding="utf-8") as fh:
        raw_rows = sum(1 for _ in csv.DictReader(fh))
    assert empty.store.connect().execute("SELECT count(*) FROM street").fetchall()[0][0] == raw_rows


def test_it_reads_a_police_uk_zip_archive_like_the_unpacked_files(tmp_path: Path, empty: Analytics) -> None:
    archive = tmp_path / "police-uk-download.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in (*NORTHANTS_MONTHS[:2], *sorted(BEDS.glob("2024-04-*.csv"))):
            zf.write(path, f"{path.name[:7]}/{path.name}")
    result = empty.ingest([archive])
    assert sorted((f.kind, f.force, f.month) for f in result.files) == [
        ("outcomes", "bedfordshire", "2024-04"),
        ("stop-and-search", "bedfordshire", "2024-04"),
        ("street", "bedfordshire", "2024-04"),
        ("street", "northamptonshire", "2025-01"),
        ("street", "northamptonshire", "2025-02"),
    ]
    assert all(f.source.startswith(f"{archive}!") for f in result.files)
    # Where each stored month came from is kept in its Parquet metadata.
    stored = empty.store.police_path("street", "northamptonshire", "2025-01")
    provenance = empty.store.provenance(stored)
    assert provenance["csphub_source"] == f"{archive}!2025-01/{NORTHANTS_MONTHS[0].name}"
    assert provenance["csphub_rows"] == str(sum(1 for _ in NORTHANTS_MONTHS[0].open(encoding="utf-8")) - 1)
    folder = tmp_path / "unpacked"
    folder.mkdir()
    for path in NORTHANTS_MONTHS[:2]:
        shutil.copy(path, folder)
    other = Analytics(replace(empty.config, data_dir=tmp_path / "other"))
    other.ingest([folder])
    query = "SELECT * FROM street WHERE force = 'northamptonshire' ORDER BY ALL"
    assert empty.store.connect().execute(query).fetchall() == other.store.connect().execute(query).fetchall()


def test_it_joins_outcomes_to_their_crimes_by_crime_id(shipped: Analytics) -> None:
    with (BEDS / "2024-04-bedfordshire-outcomes.csv").open(encoding="utf-8") as fh:
        outcomes = {r["Crime ID"]: r["Outcome type"] for r in csv.DictReader(fh)}
    with (BEDS / "2024-03-bedfordshire-street.csv").open(encoding="utf-8") as fh:
        march = [r["Crime ID"] for r in csv.DictReader(fh) if r["Crime ID"] in outcomes]
    assert len(march) > 100  # crimes of March with an outcome recorded in April
    con = shipped.store.connect()
    sample = march[:25]
    rows = dict(
        con.execute(
            f"SELECT crime_id, latest_outcome_type FROM crimes WHERE crime_id IN ({', '.join('?' * len(sample))})",
            sample,
        ).fetchall()
    )
    assert rows == {crime_id: outcomes[crime_id] for crime_id in sample}


def test_it_stores_stop_and_search_with_typed_columns(shipped: Analytics) -> None:
    path = BEDS / "2024-03-bedfordshire-stop-and-search.csv"
    with path.open(encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    con = shipped.store.connect()
    rows = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE part_of_policing_operation),
        count(*) FILTER (WHERE outcome_linked_to_object_of_search),
        min(strftime(occurred_at, '%Y-%m-%dT%H:%M:%S'))
        FROM stop_and_search WHERE month = DATE '2024-03-01'"""
    ).fetchall()[0]
    assert rows[0] == len(raw)
    assert rows[1] == sum(r["Part of a policing operation"] == "True" for r in raw)
    assert rows[2] == sum(r["Outcome linked to object of search"] == "True" for r in raw)
    assert rows[3] == min(r["Date"][:19] for r in raw)


def test_it_reads_the_lsoa_vintage_from_the_codes(tmp_path: Path, empty: Analytics) -> None:
    source = NORTHANTS_MONTHS[0]
    header, *lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    # Current files hold LSOA 2021 codes created in 2021 (above E01033768): vintage 2021.
    assert {f.lsoa_vintage for f in empty.ingest([source]).files} == {2021}
    # A file holding an LSOA 2011 code that no longer exists (E01000010) is a 2011 file.
    old = tmp_path / "2025-01-oldforce-street.csv"
    old.write_text(header + lines[0].replace(lines[0].split(",")[7], "E01000010"), encoding="utf-8")
    assert {f.lsoa_vintage for f in empty.ingest([old]).files} == {2011}
    # Codes valid in both vintages: the default, or what is asked for.
    both = tmp_path / "2025-01-otherforce-street.csv"
    both.write_text(header + lines[0].replace(lines[0].split(",")[7], "E01026949"), encoding="utf-8")
    assert {f.lsoa_vintage for f in empty.ingest([both], IngestSettings(default_lsoa_vintage=2011)).files} == {2011}
    assert {f.lsoa_vintage for f in empty.ingest([both]).files} == {2021}
    with pytest.raises(IngestError, match="LSOA vintage 2021 was asked for, but the file has 2011 codes"):
        empty.ingest([old], IngestSettings(lsoa_vintage=2021))
    con = empty.store.connect()
    assert con.execute("SELECT lsoa_vintage FROM street WHERE force = 'oldforce'").fetchall() == [(2011,)]


def test_it_accepts_old_crime_type_names_and_groups_them_in_series(tmp_path: Path, empty: Analytics) -> None:
    header = NORTHANTS_MONTHS[0].read_text(encoding="utf-8").splitlines()[0]
    rows = [
        ",2012-06,Some Police,Some Police,-0.72,52.39,On or near X,,,Violent crime,,",
        ",2012-06,Some Police,Some Police,-0.72,52.39,On or near X,,,Public disorder and weapons,,",
        ",2012-06,Some Police,Some Police,,,No location,,,Anti-social behaviour,,",
    ]
    path = tmp_path / "2012-06-some-force-street.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    empty.ingest([path])
    con = empty.store.connect()
    stored = con.execute("SELECT crime_type, crime_series, district FROM street ORDER BY crime_type").fetchall()
    assert stored == [
        ("Anti-social behaviour", "Anti-social behaviour", None),
        ("Public disorder and weapons", "Public order and weapons", "E07000153"),
        ("Violent crime", "Violence and sexual offences", "E07000153"),
    ]
    from csphub.analytics.store import EventFilter

    assert empty.counts(["crime_type"], EventFilter(crime_types=("Violence and sexual offences",))).rows == [
        ("Violent crime", 1),
    ]


def _assert_same_stores(first: Analytics, second: Analytics) -> None:
    """The same rows, column types and provenance (but the ingest time) in both stores."""
    for table in ("street", "outcomes", "stop_and_search"):
        frames = []
        for app in (first, second):
            con = app.store.connect()
            types = con.execute(f"DESCRIBE {table}").fetchall()
            rows = con.execute(f"SELECT COLUMNS(*)::VARCHAR FROM {table} ORDER BY ALL").fetchall()
            frames.append((types, rows))
        assert frames[0] == frames[1], table
    assert len(first.store.partitions()) == len(second.store.partitions())
    for partition in first.store.partitions():
        other_file = second.store.police_path(partition.table, partition.owner, partition.month)
        keys = {k for k in first.store.provenance(partition.path) if k != "csphub_ingested_at"}
        provenance = second.store.provenance(other_file)
        assert {k: provenance[k] for k in keys} == {
            k: v for k, v in first.store.provenance(partition.path).items() if k in keys
        }


def test_the_pyarrow_path_stores_what_the_duckdb_path_stores(
    tmp_path: Path, empty: Analytics, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Street and outcomes files are read and written by pyarrow; a file pyarrow refuses goes the DuckDB way (the
    reference, which names the line of what is wrong). Both store the same rows, columns and types, and report
    the same counts."""
    from csphub.analytics.ingest import arrow_path

    monkeypatch.setattr(arrow_path, "_read_arrow", lambda kind, source: None)
    by_duckdb = empty.ingest([POLICE])
    monkeypatch.undo()
    other = Analytics(config_for(tmp_path / "other"))
    by_arrow = other.ingest([POLICE])
    assert by_duckdb.files == by_arrow.files
    _assert_same_stores(empty, other)


def test_it_stores_the_same_when_each_file_is_a_batch_of_its_own(
    tmp_path: Path, empty: Analytics, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pyarrow path locates each coordinate once per ingest and later batches look theirs up: with one file
    per batch (the real months share most snap points) it stores what the DuckDB path stores."""
    from csphub.analytics.ingest import arrow_path

    monkeypatch.setattr(arrow_path, "_read_arrow", lambda kind, source: None)
    by_duckdb = empty.ingest([POLICE])
    monkeypatch.undo()
    monkeypatch.setattr(arrow_path, "ARROW_BATCH_BYTES", 1)
    other = Analytics(config_for(tmp_path / "other"))
    by_arrow = other.ingest([POLICE])
    assert by_duckdb.files == by_arrow.files
    _assert_same_stores(empty, other)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (5, "", "a longitude without a latitude"),  # a row with a coordinate missing
        (5, "152.1", "is not a point in Great Britain"),  # a distinct coordinate of the batch
    ],
)
def test_it_names_the_first_file_and_line_of_a_bad_coordinate_in_a_batch(
    tmp_path: Path, empty: Analytics, column: int, value: str, message: str
) -> None:
    """The coordinate rules are checked once per distinct coordinate of a batch of files: a broken one is
    traced back to the first file of the batch that has it, and that file's line."""
    folder = tmp_path / "files"
    folder.mkdir()
    for month, line in ((NORTHANTS_MONTHS[1], 9), (NORTHANTS_MONTHS[2], 7)):
        lines = month.read_text(encoding="utf-8").splitlines(keepends=True)
        fields = lines[line - 1].rstrip("\n").split(",")
        fields[column] = value
        lines[line - 1] = ",".join(fields) + "\n"
        (folder / month.name).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        empty.ingest([NORTHANTS_MONTHS[0], folder])
    assert caught.value.source == str(folder / NORTHANTS_MONTHS[1].name)
    assert caught.value.line == 9
    assert message in str(caught.value)
    assert empty.store.partitions() == []
