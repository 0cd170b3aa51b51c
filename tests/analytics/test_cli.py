"""The ``csphub crime`` command line: its output contract, formats, progress and exit statuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.cli import HOTSPOT_COLUMNS, main
from csphub.analytics.store import EventFilter, MonthRange

from .conftest import NORTHANTS_MONTHS, POLICE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_it_writes_counts_with_months_as_yyyy_mm_and_an_empty_district_when_there_is_none(
    shipped: Analytics, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "counts", "--data-dir", str(shipped.config.data_dir))
    assert status == 0
    header, *rows = rows_of(out)
    assert header == ["month", "crime_type", "district", "count"]
    assert {r[0] for r in rows} == {
        "2024-03",
        "2024-04",
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    }
    assert {r[2] for r in rows} >= {"", "E07000150", "E07000152", "E07000153", "E07000156"}
    status, out, _ = run(
        capsys,
        "counts",
        "--by",
        "district,month",
        "--district",
        "E07000150",
        "--data-dir",
        str(shipped.config.data_dir),
    )
    assert rows_of(out)[0] == ["district", "month", "count"]
    assert {r[0] for r in rows_of(out)[1:]} == {"E07000150"}


def test_it_writes_every_cell_of_the_hotspot_grid_with_the_contract_columns(
    shipped: Analytics, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys,
        "hotspots",
        "--cell",
        "250",
        "--band",
        "750",
        "--crime-type",
        "Violence and sexual offences",
        "--months",
        "2025-01:2025-06",
        "--data-dir",
        str(shipped.config.data_dir),
    )
    assert status == 0
    header, *rows = rows_of(out)
    assert tuple(header) == HOTSPOT_COLUMNS
    grid = shipped.grid(shipped.area(None), 250.0)
    assert len(rows) == int(grid.mask.sum())
    assert sum(1 for r in rows if r[2] == "0") > len(rows) / 2  # empty cells are written too
    assert all((float(r[0]) - 125) % 250 == 0 and (float(r[1]) - 125) % 250 == 0 for r in rows)  # cell centres
    assert {r[5] for r in rows} == {"true", "false"} and {r[7] for r in rows} <= {"true", "false"}
    assert all(r[6] == "" or r[6].startswith("E0700015") for r in rows)
    counted = shipped.counts(
        [],
        EventFilter(
            months=MonthRange.parse("2025-01:2025-06"),
            crime_types=("Violence and sexual offences",),
            districts=shipped.area(None),
        ),
    )
    assert sum(int(r[2]) for r in rows) == counted.total
    significant = [r for r in rows if r[5] == "true"]
    assert significant and all(float(r[4]) < 0.05 for r in significant)


def test_it_writes_hotspots_and_a_map_as_geojson_with_the_district_lines(
    shipped: Analytics, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(shipped.config.data_dir)
    status, out, _ = run(
        capsys, "hotspots", "--format", "geojson", "--cell", "500", "--band", "1500", "--data-dir", data
    )
    assert status == 0
    collection = json.loads(out)
    cells = collection["features"]
    assert cells and all(f["geometry"]["type"] == "Polygon" for f in cells)
    assert set(cells[0]["properties"]) == {"layer", *HOTSPOT_COLUMNS}
    lon, lat = cells[0]["geometry"]["coordinates"][0][0]
    assert -1.2 < lon < -0.3 and 52.1 < lat < 52.7  # WGS84, in North Northamptonshire
    assert "Open Government Licence" in collection["attribution"]

    geojson = tmp_path / "map.geojson"
    png = tmp_path / "map.png"
    assert run(capsys, "map", "--out", str(geojson), "--data-dir", data)[0] == 0
    assert run(capsys, "map", "--out", str(png), "--data-dir", data)[0] == 0
    features = json.loads(geojson.read_text())["features"]
    lines = [f for f in features if f["properties"]["layer"] == "district_boundary"]
    assert {f["properties"]["district"] for f in lines} == {f"E0700015{i}" for i in range(7)}
    assert any(f["properties"].get("cross_boundary") for f in features if f["properties"]["layer"] == "hotspot_cell")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_it_shows_progress_only_when_asked_or_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "ingest", str(NORTHANTS_MONTHS[0]), "--data-dir", str(tmp_path / "a"))
    assert status == 0 and err == ""
    assert rows_of(out)[0] == [
        "source",
        "kind",
        "force",
        "month",
        "rows",
        "unlocated",
        "outside_districts",
        "lsoa_vintage",
        "replaced",
    ]
    status, _, err = run(capsys, "ingest", str(NORTHANTS_MONTHS[0]), "--progress", "--data-dir", str(tmp_path / "b"))
    assert status == 0 and "ingest:" in err and "it/s" in err


def test_it_exits_1_on_bad_data_and_2_on_bad_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shipped: Analytics
) -> None:
    bad = tmp_path / NORTHANTS_MONTHS[0].name
    bad.write_text("Crime ID,Month\n", encoding="utf-8")
    status, _, err = run(capsys, "ingest", str(bad), "--data-dir", str(tmp_path / "store"))
    assert status == 1 and f"{bad}, line 1: wrong header" in err
    status, _, err = run(capsys, "hotspots", "--band", "100", "--data-dir", str(shipped.config.data_dir))
    assert status == 2 and "at least one cell" in err
    status, _, err = run(capsys, "counts", "--data-dir", str(tmp_path / "nothing"))
    assert status == 0  # an empty store counts nothing
    status, _, err = run(capsys, "hotspots", "--data-dir", str(tmp_path / "nothing"))
    assert status == 1 and "csphub crime ingest" in err
    with pytest.raises(SystemExit) as exited:
        main(["counts", "--months", "2025-13"])
    assert exited.value.code == 2


def test_it_runs_every_analysis_on_the_shipped_months(
    shipped: Analytics, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = ["--data-dir", str(shipped.config.data_dir)]
    expected = {
        ("emerging", "--months", "2025-01:2025-06"): [
            "x",
            "y",
            "category",
            "trend_z",
            "trend_p",
            "hot_months",
            "cold_months",
            "district",
        ],
        ("repeat-places", "--top", "5"): [
            "rank",
            "location",
            "district",
            "lsoa_code",
            "x",
            "y",
            "count",
            "share",
            "cumulative_share",
        ],
        ("near-repeat", "--permutations", "99"): [
            "space_band_m",
            "time_band_months",
            "observed",
            "expected",
            "knox_ratio",
            "p_value",
            "significant",
        ],
        ("deprivation",): [
            "lsoa21_code",
            "lsoa21_name",
            "lsoa11_code",
            "district",
            "residents",
            "events",
            "rate_per_1000",
            "annual_rate_per_1000",
            "imd_rank",
            "imd_decile",
        ],
        ("change", "--base", "2025-01:2025-03", "--compare", "2025-04:2025-06"): [
            "crime_type",
            "base_count",
            "compare_count",
            "change",
            "percent_change",
            "rate_ratio",
            "p_value",
            "significant",
        ],
        ("change", "--year-on-year", "--by", "crime_type"): [
            "crime_type",
            "month",
            "count",
            "previous_year",
            "change",
            "percent_change",
            "rate_ratio",
            "p_value",
            "significant",
        ],
        ("seasonality", "--district", "E07000153"): [
            "calendar_month",
            "count",
            "days",
            "daily_rate",
            "index",
        ],
        ("kde", "--cell", "500"): ["x", "y", "density_per_km2"],
        ("status",): ["table", "owner", "month", "path"],
    }
    for argv, header in expected.items():
        status, out, err = run(capsys, *argv, *data)
        assert status == 0, (argv, err)
        assert rows_of(out)[0] == header, argv
    out_file = tmp_path / "places.csv"
    assert run(capsys, "repeat-places", "--top", "3", "--out", str(out_file), *data)[1] == ""
    assert len(rows_of(out_file.read_text())) == 4
    assert (POLICE / "PROVENANCE.md").exists()


def test_it_writes_repeat_places_as_geojson_points(shipped: Analytics, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "repeat-places",
        "--top",
        "3",
        "--format",
        "geojson",
        "--data-dir",
        str(shipped.config.data_dir),
    )
    assert status == 0
    features = json.loads(out)["features"]
    assert [f["properties"]["rank"] for f in features] == [1, 2, 3]
    assert all(f["geometry"]["type"] == "Point" for f in features)
    lon, lat = features[0]["geometry"]["coordinates"]
    assert -1.2 < lon < -0.3 and 52.0 < lat < 52.7  # the busiest place, in WGS84, in Northamptonshire
