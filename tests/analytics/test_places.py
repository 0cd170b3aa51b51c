"""Repeat places and the concentration of events among places."""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.places import PlaceCounts, repeat_places
from csphub.analytics.store import EventFilter, MonthRange

from .conftest import NORTHANTS


def _places(counts: list[int]) -> PlaceCounts:
    n = len(counts)
    return PlaceCounts(
        location=tuple(f"On or near Street {i}" for i in range(n)),
        district=("E07000153",) * n,
        lsoa_code=("E01027000",) * n,
        x=np.arange(n, dtype=float),
        y=np.zeros(n),
        count=np.array(counts),
    )


def test_it_measures_the_share_of_events_at_the_top_five_percent_of_places() -> None:
    # 40 places: the top 5 % is 2 places, holding 30 + 20 of the 99 events.
    counts = [30, 20, 10, 3, *([1] * 36)]
    total = sum(counts)
    assert (len(counts), total) == (40, 99)
    result = repeat_places(_places(counts), top=3)
    assert (result.n_places, result.n_events, result.top_places) == (40, total, 2)
    assert result.top_share == pytest.approx(50 / total)
    assert [p.count for p in result.places] == [30, 20, 10]
    assert result.places[1].cumulative_share == pytest.approx(50 / total)
    assert result.repeat_places == 4
    # 41 places: ⌈0.05 x 41⌉ = 3 places.
    assert repeat_places(_places([*counts, 1])).top_places == 3


def test_it_ranks_the_busiest_real_places_as_the_raw_file_does(shipped: Analytics) -> None:
    with (NORTHANTS / "2025-04-northamptonshire-street.csv").open(encoding="utf-8") as fh:
        raw = Counter((r["Longitude"], r["Latitude"], r["Location"]) for r in csv.DictReader(fh) if r["Longitude"])
    result = shipped.repeat_places(EventFilter(months=MonthRange.parse("2025-04")), top=10)
    assert result.n_places == len(raw)
    assert result.n_events == sum(raw.values())
    assert [p.count for p in result.places] == sorted(raw.values(), reverse=True)[:10]
    assert result.places[0].location == raw.most_common(1)[0][0][2]
