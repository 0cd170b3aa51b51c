from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from csphub.geography import AreaLocator, CoordinateError, bng_to_wgs84, wgs84_to_bng

BOUNDARIES = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "lad2013_northamptonshire.geojson"


def test_it_converts_between_wgs84_and_british_national_grid() -> None:
    # Ordnance Survey's worked example (Caister water tower): ETRS89 52°39'28.8282"N 1°42'57.8663"E is
    # 651409.903 E 313177.270 N. pyproj's default (Helmert, no OSTN15 grid) is good to a few metres.
    lat0, lon0 = 52 + 39 / 60 + 28.8282 / 3600, 1 + 42 / 60 + 57.8663 / 3600
    e, n = wgs84_to_bng(lat0, lon0)
    assert e == pytest.approx(651_409.903, abs=5) and n == pytest.approx(313_177.270, abs=5)
    lat, lon = bng_to_wgs84(e, n)
    assert lat == pytest.approx(lat0, abs=1e-6) and lon == pytest.approx(lon0, abs=1e-6)


def test_it_rejects_points_outside_great_britain() -> None:
    with pytest.raises(CoordinateError):
        wgs84_to_bng(40.0, -3.0)
    with pytest.raises(CoordinateError):
        bng_to_wgs84(900_000, 100_000)


def test_it_locates_points_in_the_real_district_boundaries() -> None:
    locator = AreaLocator.from_file(BOUNDARIES, "LAD13CD", "LAD13NM")
    kettering = locator.locate(52.3990, -0.7275)
    corby = locator.locate(52.4886, -0.7011)
    assert kettering is not None and kettering.name == "Kettering"
    assert corby is not None and corby.code == "E07000150"
    assert locator.locate(51.5, -0.12) is None  # London
    lat = np.array([52.3990, 52.4886, np.nan, 51.5])
    lon = np.array([-0.7275, -0.7011, -0.7, -0.12])
    idx = locator.locate_many(lat, lon)
    assert [locator.areas[i].name if i >= 0 else None for i in idx] == ["Kettering", "Corby", None, None]
    assert json.loads(BOUNDARIES.read_text())["features"]
