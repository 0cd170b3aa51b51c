import json

import pytest

from csphub.nte.geometry import GeometryError, check_polygon, contains, parse
from tests.nte.factories import SQUARE


def test_it_takes_a_polygon_a_feature_or_a_collection_of_one():
    assert parse(json.dumps(SQUARE)) == SQUARE
    assert parse(json.dumps({"type": "Feature", "geometry": SQUARE, "properties": {}})) == SQUARE
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": SQUARE}]}
    assert parse(json.dumps(collection)) == SQUARE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "not GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [-0.72, 52.39]}), "must be a polygon"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "exactly one area"),
        # latitude and longitude swapped: not in Great Britain
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[52.39, -0.72], [52.4, -0.72], [52.4, -0.7], [52.39, -0.72]]]}
            ),
            "not in Great Britain",
        ),
        # a bow tie crosses itself
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[-0.73, 52.39], [-0.72, 52.40], [-0.72, 52.39], [-0.73, 52.40], [-0.73, 52.39]]],
                }
            ),
            "crosses itself",
        ),
    ],
)
def test_it_refuses_what_is_not_a_usable_area_saying_why(text, reason):
    with pytest.raises(GeometryError, match=reason):
        parse(text)


def test_it_tells_whether_a_point_is_inside():
    check_polygon(SQUARE)
    assert contains(SQUARE, 52.398, -0.727)
    assert not contains(SQUARE, 52.41, -0.727)
