"""The streets and place names of the shipped base map: made from the shipped open data, small, and regenerated
exactly."""

from __future__ import annotations

import json

import numpy as np

from csphub.tools import street_map


def test_it_ships_the_file_the_generator_writes() -> None:
    assert street_map.main(["--check"]) == 0, "run python -m csphub.tools.street_map and commit the result"


def test_it_stays_light_and_states_its_sources() -> None:
    assert street_map.OUTPUT.stat().st_size < 300_000
    shipped = json.loads(street_map.OUTPUT.read_text(encoding="utf-8"))
    assert "police.uk" in shipped["attribution"] and "Open Government Licence" in shipped["attribution"]
    assert "Code-Point Open" in shipped["attribution"] and "Royal Mail" in shipped["attribution"]
    layers = {f["properties"]["layer"] for f in shipped["features"]}
    assert layers == {"street", "street_points", "place"}
    points = next(f for f in shipped["features"] if f["properties"]["layer"] == "street_points")
    assert len(points["properties"]["names"]) == len(points["geometry"]["coordinates"]) > 1000
    assert "Rockingham Road" in {
        f["properties"]["name"] for f in shipped["features"] if "name" in f["properties"]
    } | set(points["properties"]["names"])


def test_it_keeps_only_street_names() -> None:
    assert street_map._street_name("On or near Rockingham Road") == "Rockingham Road"
    assert street_map._street_name("On or near Supermarket") is None
    assert street_map._street_name("On or near Parking Area") is None
    assert street_map._street_name("Rockingham Road") is None


def test_it_orders_a_streets_points_and_splits_two_streets_of_one_name() -> None:
    # Points along a line given out of order, then a second street of the same name 2 km away.
    street = np.array([[0.0, 0.0], [200.0, 0.0], [100.0, 0.0], [300.0, 10.0], [2300.0, 0.0], [2450.0, 0.0]])
    lines = street_map.trace(street)
    assert [line.tolist() for line in lines] == [
        [[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [300.0, 10.0]],
        [[2300.0, 0.0], [2450.0, 0.0]],
    ] or [line.tolist() for line in lines] == [
        [[2450.0, 0.0], [2300.0, 0.0]],
        [[300.0, 10.0], [200.0, 0.0], [100.0, 0.0], [0.0, 0.0]],
    ]
    assert street_map.trace(np.array([[5.0, 5.0]])) == []
