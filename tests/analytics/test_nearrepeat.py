"""Knox near-repeat test: the observed table against a brute-force pair count, seeded Monte Carlo."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from csphub.analytics.api import Analytics
from csphub.analytics.errors import SettingsError
from csphub.analytics.nearrepeat import KnoxSettings, knox_test
from csphub.analytics.queries import event_points
from csphub.analytics.store import EventFilter, MonthRange

from .conftest import NORTHANTS_MONTHS


def _brute_table(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, space: tuple[float, ...], time: tuple[int, ...]
) -> np.ndarray:
    table = np.zeros((len(space), len(time)), dtype=int)
    for i, j in itertools.combinations(range(len(x)), 2):
        d = math.hypot(x[i] - x[j], y[i] - y[j])
        dt = abs(int(t[i]) - int(t[j]))
        s = next((k for k, limit in enumerate(space) if d <= limit), None)
        u = next((k for k, limit in enumerate(time) if dt <= limit), None)
        if s is not None and u is not None:
            table[s, u] += 1
    return table


def _events(seed: int, n: int = 300) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 5000, n).round(-1)  # rounded so that some pairs share a place or sit on a band edge
    y = rng.uniform(0, 5000, n).round(-1)
    t = rng.integers(0, 12, n)
    return x, y, t


def test_it_counts_pairs_in_space_and_time_bands_like_a_brute_force_count() -> None:
    x, y, t = _events(1)
    settings = KnoxSettings(space_bands=(0, 100, 200, 400), time_bands=(0, 1, 3), permutations=19)
    result = knox_test(x, y, t, settings)
    np.testing.assert_array_equal(result.observed, _brute_table(x, y, t, settings.space_bands, settings.time_bands))


def test_it_finds_near_repeats_and_not_in_random_events() -> None:
    x, y, t = _events(2, 400)
    # Add near repeats: 60 events a few metres from an earlier one, in the same or next month.
    rng = np.random.default_rng(3)
    source = rng.integers(0, 400, 60)
    x = np.concatenate([x, x[source] + rng.uniform(-50, 50, 60)])
    y = np.concatenate([y, y[source] + rng.uniform(-50, 50, 60)])
    t = np.concatenate([t, np.minimum(t[source] + rng.integers(0, 2, 60), 11)])
    settings = KnoxSettings(space_bands=(100, 500, 1000), time_bands=(1, 3, 6), permutations=199, seed=5)
    result = knox_test(x, y, t, settings)
    assert result.p_value[0, 0] < 0.01 and result.ratio[0, 0] > 1.5
    random = knox_test(*_events(4, 460), settings)
    assert random.p_value[0, 0] > 0.05


def test_it_gives_the_same_answer_for_the_same_seed() -> None:
    x, y, t = _events(6)
    settings = KnoxSettings(permutations=99, seed=42)
    a, b = knox_test(x, y, t, settings), knox_test(x, y, t, settings)
    np.testing.assert_array_equal(a.p_value, b.p_value)
    np.testing.assert_array_equal(a.expected, b.expected)
    other = knox_test(x, y, t, KnoxSettings(permutations=99, seed=43))
    assert not np.array_equal(a.expected, other.expected)
    assert ((a.p_value > 0) & (a.p_value <= 1)).all()


def test_it_validates_its_bands() -> None:
    with pytest.raises(SettingsError, match="increasing"):
        KnoxSettings(space_bands=(200, 100))
    with pytest.raises(SettingsError, match="permutations"):
        KnoxSettings(permutations=5)


def test_it_gives_the_same_answer_on_real_data_however_the_months_were_ingested(
    shipped: Analytics, empty: Analytics
) -> None:
    for month in reversed(NORTHANTS_MONTHS):  # one month at a time, newest first
        empty.ingest([month])
    burglary = EventFilter(
        crime_types=("Burglary",), districts=shipped.area(None), months=MonthRange.parse("2025-01:2025-06")
    )
    con_a, con_b = shipped.store.connect(), empty.store.connect()
    a, b = event_points(con_a, burglary), event_points(con_b, burglary)
    np.testing.assert_array_equal(np.column_stack([a.x, a.y, a.month]), np.column_stack([b.x, b.y, b.month]))
    assert (np.lexsort((a.month, a.y, a.x)) == np.arange(len(a.x))).all()  # a fixed order: sorted
    settings = KnoxSettings(permutations=99, seed=7)
    first = shipped.near_repeat(settings, burglary)
    np.testing.assert_array_equal(first.p_value, empty.near_repeat(settings, burglary).p_value)
    assert first.n_events == len(a.x) > 400
