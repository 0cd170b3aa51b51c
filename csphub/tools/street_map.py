"""Write the light street and place-name layer of csphub's base map, from open data shipped with the project.

csphub's maps work without a tile server (the demo, the tests, machines without internet). Beside the district
boundaries (``base_map.py``) they get a light reference layer, ``csphub/static/csphub/geo/streets.geojson``:

- ``street`` and ``street_points``: the streets of the partnership's districts as police.uk's street-level crime
  locations show them (``data/police-uk/northamptonshire/``, Open Government Licence v3.0). police.uk places each
  crime at an anonymised snap point named after its street ("On or near Rockingham Road"). The distinct snap
  points of one street name in one district are ordered along the street (a nearest-neighbour walk from the point
  farthest from their middle; a gap of more than ``MAX_GAP_M`` starts a new line, so two streets of one name in
  different towns stay apart) and simplified (Douglas-Peucker, ``TOLERANCE_M``): a ``street`` line. Most streets
  have a single snap point (six months, the four districts: 24 lines, 2,574 streets with one point), which has
  no direction: these are kept as one ``street_points`` MultiPoint, their names in a list. Snap points of other
  kinds ("On or near Supermarket", "Parking Area") are left out: only names ending in a street word (Road,
  Close, Way…) are streets. This is not a street map: it shows where the streets with recorded crime are,
  enough to read a crime map at street level, and says so in its attribution;
- ``place``: the names of the 2013 wards (ONS, Open Government Licence) at the middle of their postcodes
  (Code-Point Open 2014, OS OpenData: the mean position of the ward's postcodes, which finds the village or
  estate rather than the middle of the fields), with the number of postcodes as ``size``.

Deterministic (sorted input, fixed rounding): ``tests/tools/test_street_map.py`` regenerates it and compares.
Usage: ``python -m csphub.tools.street_map [--check]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, shape

from csphub.analytics.config import NORTH_NORTHAMPTONSHIRE_DISTRICTS
from csphub.geography import bng_to_wgs84_arrays, wgs84_to_bng_arrays

ROOT = Path(__file__).resolve().parents[2]
POLICE = ROOT / "data" / "police-uk" / "northamptonshire"
DISTRICTS = ROOT / "data" / "boundaries" / "lad2013_northamptonshire.geojson"
WARDS = ROOT / "data" / "boundaries" / "ward2013_northamptonshire.geojson"
POSTCODES = ROOT / "data" / "postcodes" / "northamptonshire_postcodes_with_latlon_DERIVED.csv"
OUTPUT = ROOT / "csphub" / "static" / "csphub" / "geo" / "streets.geojson"

MAX_GAP_M = 350.0  # snap points of one street are rarely further apart; two streets of one name are
TOLERANCE_M = 5.0
MAJOR_POINTS = 8  # a street with this many snap points or more is drawn heavier
STREET_WORDS = frozenset(
    {
        "Road",
        "Street",
        "Lane",
        "Avenue",
        "Close",
        "Way",
        "Drive",
        "Crescent",
        "Place",
        "Court",
        "Gardens",
        "Walk",
        "Grove",
        "Hill",
        "Square",
        "Rise",
        "Terrace",
        "Mews",
        "View",
        "Green",
        "End",
        "Park",
        "Yard",
        "Row",
        "Gate",
        "Croft",
        "Leys",
        "Oval",
        "Dell",
        "Bank",
        "Bridge",
        "Furlong",
        "Hollow",
        "Corner",
        "Parade",
        "Vale",
        "Ridge",
        "Parkway",
        "Chase",
        "Promenade",
        "Boulevard",
        "Bypass",
        "Link",
        "Approach",
        "Circus",
    }
)
_ON_OR_NEAR = re.compile(r"On or near (.+)")
ATTRIBUTION = (
    "Streets: police.uk crime locations, not a street map (Open Government Licence v3.0); place names: ONS wards, "
    "OS Code-Point Open (Contains OS data © Crown copyright and database right 2014; Contains Royal Mail data © "
    "Royal Mail copyright and database right 2014)"
)


def _street_name(location: str) -> str | None:
    match = _ON_OR_NEAR.fullmatch(location.strip())
    if match is None:
        return None
    name = match[1].strip()
    return name if name.split()[-1] in STREET_WORDS else None


def _districts() -> list[tuple[str, Any]]:
    features = json.loads(DISTRICTS.read_text(encoding="utf-8"))["features"]
    return sorted((f["properties"]["LAD13CD"], shape(f["geometry"])) for f in features)


def snap_points() -> dict[tuple[str, str], np.ndarray]:
    """The distinct snap points (BNG metres) of each (district, street name) of the partnership's districts, from the
    shipped police.uk files."""
    seen: set[tuple[str, float, float]] = set()
    for path in sorted(POLICE.glob("*-street.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = _street_name(row["Location"])
                if name and row["Longitude"] and row["Latitude"]:
                    seen.add((name, float(row["Longitude"]), float(row["Latitude"])))
    ordered = sorted(seen)
    lon = np.array([p[1] for p in ordered])
    lat = np.array([p[2] for p in ordered])
    district = np.full(len(ordered), "", dtype=object)
    for code, polygon in _districts():
        if code not in NORTH_NORTHAMPTONSHIRE_DISTRICTS:
            continue
        inside = shapely.contains_xy(polygon, lon, lat)
        district[inside & (district == "")] = code
    x, y = wgs84_to_bng_arrays(lat, lon)
    groups: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for k, (name, _, _) in enumerate(ordered):
        if district[k]:
            groups.setdefault((str(district[k]), name), []).append((float(x[k]), float(y[k])))
    return {key: np.array(points) for key, points in sorted(groups.items())}


def trace(points: np.ndarray) -> list[np.ndarray]:
    """Order a street's snap points into lines: a nearest-neighbour walk from the point farthest from their middle,
    broken where the next point is more than ``MAX_GAP_M`` away. Lines of one point are dropped."""
    if len(points) < 2:
        return []
    middle = points.mean(axis=0)
    start = int(np.argmax(((points - middle) ** 2).sum(axis=1)))
    left = np.ones(len(points), dtype=bool)
    left[start] = False
    order, lines, current = [start], [], [start]
    while left.any():
        candidates = np.nonzero(left)[0]
        distances = np.hypot(*(points[candidates] - points[order[-1]]).T)
        nearest = int(candidates[np.argmin(distances)])
        if distances.min() > MAX_GAP_M:
            lines.append(current)
            current = []
        current.append(nearest)
        order.append(nearest)
        left[nearest] = False
    lines.append(current)
    return [points[line] for line in lines if len(line) >= 2]


def _to_wgs84(coords: np.ndarray) -> list[list[float]]:
    lat, lon = bng_to_wgs84_arrays(coords[:, 0], coords[:, 1])
    return [[round(float(a), 5), round(float(b), 5)] for a, b in zip(lon, lat, strict=True)]


def streets() -> list[dict[str, Any]]:
    features = []
    single: list[tuple[str, list[float]]] = []
    for (_district, name), points in snap_points().items():
        if len(points) == 1:
            single.append((name, _to_wgs84(points)[0]))
        for line in trace(points):
            simplified = LineString(line).simplify(TOLERANCE_M, preserve_topology=False)
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "layer": "street",
                        "name": name,
                        "major": len(points) >= MAJOR_POINTS,
                    },
                    "geometry": {"type": "LineString", "coordinates": _to_wgs84(np.asarray(simplified.coords))},
                }
            )
    # The single snap points as one MultiPoint, their names in the same order (a third of the size of a feature each).
    features.append(
        {
            "type": "Feature",
            "properties": {"layer": "street_points", "names": [name for name, _ in single]},
            "geometry": {"type": "MultiPoint", "coordinates": [point for _, point in single]},
        }
    )
    return features


def places() -> list[dict[str, Any]]:
    with POSTCODES.open(encoding="utf-8", newline="") as fh:
        rows = [(float(r["Longitude_WGS84"]), float(r["Latitude_WGS84"])) for r in csv.DictReader(fh)]
    lon = np.array([r[0] for r in rows])
    lat = np.array([r[1] for r in rows])
    features = []
    for ward in sorted(
        json.loads(WARDS.read_text(encoding="utf-8"))["features"], key=lambda f: f["properties"]["WD13CD"]
    ):
        polygon = shape(ward["geometry"])
        inside = shapely.contains_xy(polygon, lon, lat)
        if not inside.any():
            continue
        p = ward["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"layer": "place", "name": p["WD13NM"], "ward": p["WD13CD"], "size": int(inside.sum())},
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon[inside].mean()), 5), round(float(lat[inside].mean()), 5)],
                },
            }
        )
    return features


def street_map() -> dict[str, Any]:
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": [*streets(), *places()]}


def render(collection: dict[str, Any]) -> str:
    return json.dumps(collection, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file is out of date")
    args = parser.parse_args(argv)
    text = render(street_map())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            sys.stderr.write(f"{OUTPUT} is out of date: run python -m csphub.tools.street_map\n")
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {OUTPUT} ({len(text.encode()):,} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
