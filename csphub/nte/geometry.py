"""Dispersal and PSPO areas' polygons: GeoJSON checked and normalised (no Django: pure, over plain data)."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from csphub.geography import GB_LAT_RANGE, GB_LON_RANGE

POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """The GeoJSON is not a usable polygon; the message says why, for the person who drew or uploaded it."""


def parse(text: str) -> dict[str, Any]:
    """A polygon's geometry from GeoJSON text: a Polygon or MultiPolygon, or a Feature or a FeatureCollection of
    one feature holding one."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise GeometryError("The area is not GeoJSON: draw it on the map or upload a .geojson file") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise GeometryError("The GeoJSON file must hold exactly one area (one feature)")
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    check_polygon(data)
    assert isinstance(data, dict)
    return {"type": data["type"], "coordinates": data["coordinates"]}


def check_polygon(geometry: Any) -> BaseGeometry:
    """The shapely polygon of a GeoJSON geometry, or GeometryError: it must be a valid (Multi)Polygon in WGS84
    degrees inside Great Britain."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise GeometryError("The area must be a polygon (GeoJSON Polygon or MultiPolygon)")
    try:
        polygon = shape(geometry)
    except Exception:  # shapely raises several kinds on malformed coordinates
        raise GeometryError("The polygon's coordinates are malformed") from None
    if polygon.is_empty:
        raise GeometryError("The polygon is empty")
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if not (
        GB_LON_RANGE[0] <= min_lon <= max_lon <= GB_LON_RANGE[1]
        and GB_LAT_RANGE[0] <= min_lat <= max_lat <= GB_LAT_RANGE[1]
    ):
        raise GeometryError("The polygon is not in Great Britain (coordinates are longitude, latitude in degrees)")
    if not polygon.is_valid:
        raise GeometryError("The polygon crosses itself: redraw it")
    return polygon


def contains(geometry: dict[str, Any], latitude: float, longitude: float) -> bool:
    from shapely.geometry import Point

    return bool(check_polygon(geometry).covers(Point(longitude, latitude)))
