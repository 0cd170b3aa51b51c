"""Coordinates and district boundaries, in plain Python (no Django): shared by the register and analytics.

- WGS84 (EPSG:4326, latitude/longitude) ⇄ British National Grid (EPSG:27700, easting/northing in metres),
  with pyproj's default transformation (metre-level accuracy, enough for district assignment and hotspots).
- Point-in-polygon against district boundaries held as GeoJSON (WGS84), with shapely prepared geometries and
  an STRtree so that locating many points is fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# Great Britain's extent in BNG metres, with margin: anything outside is not a British National Grid point.
BNG_BOUNDS = (-10_000.0, -10_000.0, 710_000.0, 1_300_000.0)
# WGS84 extent of Great Britain and its islands, with margin.
GB_LAT_RANGE = (49.0, 61.5)
GB_LON_RANGE = (-9.0, 2.5)


class CoordinateError(ValueError):
    """A coordinate that cannot be a point in Great Britain."""


@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def check_wgs84(lat: float, lon: float) -> None:
    if not (GB_LAT_RANGE[0] <= lat <= GB_LAT_RANGE[1]) or not (GB_LON_RANGE[0] <= lon <= GB_LON_RANGE[1]):
        raise CoordinateError(f"latitude {lat}, longitude {lon} is not in Great Britain")


def check_bng(easting: float, northing: float) -> None:
    x0, y0, x1, y1 = BNG_BOUNDS
    if not (x0 <= easting <= x1) or not (y0 <= northing <= y1):
        raise CoordinateError(f"easting {easting}, northing {northing} is not a British National Grid point")


def wgs84_to_bng(lat: float, lon: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees → (easting, northing) in metres."""
    check_wgs84(lat, lon)
    easting, northing = _to_bng().transform(lon, lat)
    return float(easting), float(northing)


def bng_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(easting, northing) in metres → (latitude, longitude) in degrees."""
    check_bng(easting, northing)
    lon, lat = _to_wgs84().transform(easting, northing)
    return float(lat), float(lon)


def bng_to_wgs84_arrays(easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _to_wgs84().transform(easting, northing)
    return np.asarray(lat), np.asarray(lon)


def wgs84_to_bng_arrays(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    easting, northing = _to_bng().transform(lon, lat)
    return np.asarray(easting), np.asarray(northing)


@dataclass(frozen=True)
class Area:
    """One polygon area (a district) with its code and name, geometry in WGS84 lon/lat."""

    code: str
    name: str
    geometry: BaseGeometry


class AreaLocator:
    """Finds which area each point falls in (point-in-polygon), for one point or many at once."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self.areas = list(areas)
        self._geoms = [a.geometry for a in self.areas]
        for geom in self._geoms:
            shapely.prepare(geom)
        self._tree = shapely.STRtree(self._geoms)
        # The areas' joint bounding box (lon0, lat0, lon1, lat1): points outside it are in no area and skip
        # the tree, which matters when most points are far away (a national file against a county's districts).
        self._bounds = shapely.total_bounds(self._geoms) if self._geoms else np.full(4, np.nan)

    @classmethod
    def from_geojson(cls, geojson: dict[str, Any], code_field: str, name_field: str) -> AreaLocator:
        areas = [
            Area(
                str(f["properties"][code_field]),
                str(f["properties"][name_field]),
                shape(f["geometry"]).buffer(0),
            )
            for f in geojson["features"]
        ]
        return cls(areas)

    @classmethod
    def from_file(cls, path: Path, code_field: str, name_field: str, codes: Iterable[str] | None = None) -> AreaLocator:
        data = json.loads(path.read_text(encoding="utf-8"))
        if codes is not None:
            wanted = set(codes)
            data = {
                **data,
                "features": [f for f in data["features"] if f["properties"][code_field] in wanted],
            }
        return cls.from_geojson(data, code_field, name_field)

    def locate(self, lat: float, lon: float) -> Area | None:
        """The area containing the point (on the boundary counts as inside), or None."""
        point = shapely.Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self.areas[int(index)]
        return None

    def locate_many(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Index into ``areas`` for each point, -1 where a point is in none (or has NaN coordinates)."""
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        result = np.full(len(lat), -1, dtype=np.int64)
        lon0, lat0, lon1, lat1 = self._bounds
        # NaN compares False, so points without coordinates drop out here too.
        valid = (lon >= lon0) & (lon <= lon1) & (lat >= lat0) & (lat <= lat1)
        points = shapely.points(lon[valid], lat[valid])
        point_idx, area_idx = self._tree.query(points, predicate="intersects")
        valid_positions = np.flatnonzero(valid)
        # A point on a shared border intersects two areas: keep the first (lowest area index) for determinism.
        order = np.lexsort((area_idx, point_idx))
        point_idx, area_idx = point_idx[order], area_idx[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        result[valid_positions[point_idx[first]]] = area_idx[first]
        return result
