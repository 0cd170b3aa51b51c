"""Shared fixtures: the shipped real data, a store filled with it once per session, and fresh empty stores."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.geo import Districts, load_districts
from csphub.geography import bng_to_wgs84_arrays

DATA = Path(__file__).resolve().parents[2] / "data"
POLICE = DATA / "police-uk"
NORTHANTS = POLICE / "northamptonshire"
BEDS = POLICE / "bedfordshire"
NORTHANTS_MONTHS = tuple(sorted(NORTHANTS.glob("*-street.csv")))


def config_for(data_dir: Path) -> AnalyticsConfig:
    return replace(AnalyticsConfig.from_env(), data_dir=data_dir, reference_dir=DATA)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Analytics:
    """A store holding every shipped police.uk file (six Northamptonshire months, two Bedfordshire months).
    Shared by the whole session: tests must only read it."""
    app = Analytics(config_for(tmp_path_factory.mktemp("shipped")))
    app.ingest([POLICE])
    return app


@pytest.fixture
def empty(tmp_path: Path) -> Analytics:
    return Analytics(config_for(tmp_path / "store"))


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the store (staging excluded, which is always emptied) with the hash of its bytes."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".staging" not in p.parts and p.name != ".lock"
    }


def _square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A BNG rectangle as a WGS84 ring, with points every 100 m so that its sides stay straight in BNG."""
    xs = np.concatenate(
        [
            np.arange(x0, x1, 100),
            np.full(int((y1 - y0) / 100), x1),
            np.arange(x1, x0, -100),
            np.full(int((y1 - y0) / 100), x0),
        ]
    )
    ys = np.concatenate(
        [
            np.full(int((x1 - x0) / 100), y0),
            np.arange(y0, y1, 100),
            np.full(int((x1 - x0) / 100), y1),
            np.arange(y1, y0, -100),
        ]
    )
    lat, lon = bng_to_wgs84_arrays(xs, ys)
    ring = [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
    return [*ring, ring[0]]


@pytest.fixture(scope="session")
def two_districts(tmp_path_factory: pytest.TempPathFactory) -> Districts:
    """West (E0000000A) and east (E0000000B) districts, each 4 km x 4 km, sharing the line x = 484,000."""
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": {"type": "Polygon", "coordinates": [_square(*box)]},
        }
        for code, name, box in (
            ("E0000000A", "West", (480_000, 270_000, 484_000, 274_000)),
            ("E0000000B", "East", (484_000, 270_000, 488_000, 274_000)),
        )
    ]
    path = tmp_path_factory.mktemp("districts") / "two.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return load_districts(path, "code", "name")
