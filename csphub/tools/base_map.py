"""Write the base map shipped with the front end: the district boundaries as one small GeoJSON file.

The maps of csphub work without a tile server (the demo, the tests, machines without internet), so the shipped
boundaries are the base map. This turns the published boundaries in ``data/boundaries/`` into
``csphub/static/csphub/geo/base.geojson``:

- ``district-2013``: the seven pre-2021 districts (ONS LAD 2013), the old district lines;
- ``unitary-2021``: the two unitary councils since 1 April 2021, as published (dissolved from the districts).

Each outline is simplified with shapely's Douglas-Peucker (topology preserving) to about 20 m, which is below
what a screen shows at district zoom, and coordinates are rounded to 5 decimal places (about 1 m). The output is
deterministic: ``tests/test_base_map.py`` regenerates it and compares. Usage:
``python -m csphub.tools.base_map [--check]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[2]
DISTRICTS = ROOT / "data" / "boundaries" / "lad2013_northamptonshire.geojson"
UNITARIES = ROOT / "data" / "boundaries" / "unitary_2021_northamptonshire_dissolved.geojson"
OUTPUT = ROOT / "csphub" / "static" / "csphub" / "geo" / "base.geojson"
# Degrees; at 52.4°N one degree of longitude is ~68 km and of latitude ~111 km, so 0.0002° is 14-22 m.
TOLERANCE = 0.0002
ATTRIBUTION = (
    "Contains Ordnance Survey and Office for National Statistics data © Crown copyright and database right; "
    "Open Government Licence v3.0. Boundary GeoJSON by Martin Chorley (CC BY 4.0)."
)


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    simplified = shape(geometry).simplify(TOLERANCE, preserve_topology=True)
    # Round each vertex (not shapely.set_precision, which snaps whole rings to a grid and can move a narrow
    # stretch of boundary by 60 m or more).
    return dict(mapping(shapely.transform(simplified, lambda xy: np.round(xy, 5))))


def base_map(districts: Path = DISTRICTS, unitaries: Path = UNITARIES) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for feature in json.loads(districts.read_text(encoding="utf-8"))["features"]:
        p = feature["properties"]
        properties = {"layer": "district-2013", "code": p["LAD13CD"], "name": p["LAD13NM"], "unitary": p["NNC_AREA"]}
        features.append({"type": "Feature", "properties": properties, "geometry": _rounded(feature["geometry"])})
    for feature in json.loads(unitaries.read_text(encoding="utf-8"))["features"]:
        p = feature["properties"]
        properties = {"layer": "unitary-2021", "code": p["UA_CD"], "name": p["UA_NM"]}
        features.append({"type": "Feature", "properties": properties, "geometry": _rounded(feature["geometry"])})
    features.sort(key=lambda f: (f["properties"]["layer"], f["properties"]["code"]))
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def render(collection: dict[str, Any]) -> str:
    return json.dumps(collection, separators=(",", ":"), sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file is out of date")
    args = parser.parse_args(argv)
    text = render(base_map())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            sys.stderr.write(f"{OUTPUT} is out of date: run python -m csphub.tools.base_map\n")
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {OUTPUT} ({len(text):,} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
