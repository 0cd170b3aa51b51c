"""The extension of csphub.geography used by the ingest: locate_many skips points outside the areas'
extent."""

from __future__ import annotations

import numpy as np

from csphub.analytics.api import Analytics


def test_it_locates_many_points_as_it_locates_each_one(shipped: Analytics) -> None:
    locator = shipped.districts.locator
    rng = np.random.default_rng(9)
    lat = np.concatenate([rng.uniform(52.0, 52.7, 3000), rng.uniform(50.0, 55.0, 500), [np.nan, 52.4]])
    lon = np.concatenate([rng.uniform(-1.4, -0.3, 3000), rng.uniform(-4.0, 1.0, 500), [-0.7, np.nan]])
    many = locator.locate_many(lat, lon)
    one_by_one = []
    for a, b in zip(lat, lon, strict=True):
        area = None if np.isnan(a) or np.isnan(b) else locator.locate(float(a), float(b))
        one_by_one.append(-1 if area is None else locator.areas.index(area))
    assert many.tolist() == one_by_one
    assert (many >= 0).sum() > 1000 and (many[3000:3500] == -1).sum() > 400
