"""Writing results: CSV (one header line, then rows) and GeoJSON (RFC 7946: WGS84 longitude/latitude).

Values are written the same way everywhere: months as ``YYYY-MM``, booleans as ``true``/``false``, missing
numbers as empty fields, whole numbers without a decimal point and other numbers with up to 10 significant
digits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TextIO

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from csphub.common import csvsafe
from csphub.geography import bng_to_wgs84_arrays

from .geo import Districts
from .grid import Grid

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains Ordnance Survey and Office for National Statistics data © Crown copyright and database right. "
    "GeoJSON UK boundary data by Martin Chorley (CC BY 4.0)."
)


def format_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.10g}"
    return str(value)


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    writer = csvsafe.writer(out, lineterminator="\n")  # place names and categories come from input files
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([format_value(v) for v in row])
        n += 1
    return n


def _json_value(value: object) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return None if not math.isfinite(number) else number
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return value


def cell_features(
    grid: Grid,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    cells: tuple[np.ndarray, np.ndarray],
    layer: str,
) -> list[dict[str, Any]]:
    """One GeoJSON Polygon per grid cell (its BNG square's corners in WGS84), the row as its properties."""
    rows_idx, cols_idx = cells
    west = grid.x0 + cols_idx * grid.cell
    south = grid.y0 + rows_idx * grid.cell
    corners_x = np.stack([west, west + grid.cell, west + grid.cell, west, west], axis=1)
    corners_y = np.stack([south, south, south + grid.cell, south + grid.cell, south], axis=1)
    lat, lon = bng_to_wgs84_arrays(corners_x.ravel(), corners_y.ravel())
    lat = np.round(lat.reshape(corners_x.shape), 7)
    lon = np.round(lon.reshape(corners_x.shape), 7)
    features = []
    for k, row in enumerate(rows):
        ring = [[float(lon[k, c]), float(lat[k, c])] for c in range(5)]
        properties = {"layer": layer, **{name: _json_value(v) for name, v in zip(columns, row, strict=True)}}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": properties,
            }
        )
    return features


def point_features(
    columns: Sequence[str], rows: Sequence[Sequence[object]], x: np.ndarray, y: np.ndarray, layer: str
) -> list[dict[str, Any]]:
    """One GeoJSON Point per row, at (x, y) BNG metres given in WGS84, the row as its properties."""
    lat, lon = bng_to_wgs84_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lo), 7), round(float(la), 7)]},
            "properties": {
                "layer": layer,
                **{name: _json_value(v) for name, v in zip(columns, row, strict=True)},
            },
        }
        for row, la, lo in zip(rows, lat, lon, strict=True)
    ]


def district_features(districts: Districts, codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The district outlines as GeoJSON features (WGS84), for drawing the old district lines over a map."""
    wanted = set(codes) if codes is not None else None
    features = []
    for area in districts.locator.areas:
        code, name = area.code, area.name
        if wanted is not None and code not in wanted:
            continue
        boundary: BaseGeometry = shapely.boundary(area.geometry)
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(shapely.set_precision(boundary, 1e-7)),
                "properties": {"layer": "district_boundary", "district": code, "name": name},
            }
        )
    return features


def write_geojson(out: TextIO, features: list[dict[str, Any]], **metadata: object) -> None:
    collection = {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION}
    collection.update({k: _json_value(v) for k, v in metadata.items()})
    json.dump(collection, out, separators=(",", ":"), allow_nan=False)
    out.write("\n")
