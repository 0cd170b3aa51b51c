"""The base map shipped with the front end is the published boundaries, simplified, and regenerates exactly."""

from __future__ import annotations

import json

from shapely.geometry import shape

from csphub.tools import base_map


def test_it_ships_the_file_the_generator_writes() -> None:
    assert base_map.main(["--check"]) == 0, "run python -m csphub.tools.base_map and commit the result"


def test_it_keeps_every_district_and_both_unitaries_close_to_the_published_outline() -> None:
    shipped = json.loads(base_map.OUTPUT.read_text(encoding="utf-8"))
    layers = {(f["properties"]["layer"], f["properties"]["name"]): shape(f["geometry"]) for f in shipped["features"]}
    assert {name for layer, name in layers if layer == "district-2013"} == {
        "Corby", "Daventry", "East Northamptonshire", "Kettering", "Northampton", "South Northamptonshire",
        "Wellingborough",
    }  # fmt: skip
    assert {name for layer, name in layers if layer == "unitary-2021"} == {
        "North Northamptonshire",
        "West Northamptonshire",
    }
    published = json.loads(base_map.DISTRICTS.read_text(encoding="utf-8"))["features"]
    for feature in published:
        original = shape(feature["geometry"])
        simplified = layers[("district-2013", feature["properties"]["LAD13NM"])]
        # Simplification moves an outline by at most the tolerance (rounding adds under 1 m): areas agree within 1%.
        assert abs(simplified.area - original.area) / original.area < 0.01
        assert original.hausdorff_distance(simplified) <= base_map.TOLERANCE + 1e-5
    assert "Crown copyright" in shipped["attribution"]
