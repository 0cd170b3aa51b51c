"""Repeat places: the locations with most events, and how concentrated events are among places.

A place is a police.uk location (its anonymised snap point: coordinates and description) or, for partner data,
a postcode or coordinate. Concentration is the share of all events at the top ``fraction`` of places (by
default the top 5 %): with k = ⌈fraction x places⌉, share = (events at the k busiest places) / (all events).
Places are those with at least one event — places with none are unknown to police.uk data — so the share is a
lower bound of the concentration over all places. Ties at the cut-off do not change the share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import SettingsError


@dataclass(frozen=True)
class Place:
    rank: int
    location: str
    district: str
    lsoa_code: str
    x: float
    y: float
    count: int
    share: float  # of all events
    cumulative_share: float


@dataclass(frozen=True)
class RepeatPlaces:
    places: tuple[Place, ...]  # the busiest first, at most ``top`` of them
    n_places: int
    n_events: int
    fraction: float
    top_places: int  # k = ⌈fraction x places⌉
    top_share: float  # share of events at the k busiest places
    repeat_places: int  # places with two events or more


@dataclass(frozen=True)
class PlaceCounts:
    """One row per place, in any order (what the store query returns)."""

    location: tuple[str, ...]
    district: tuple[str, ...]
    lsoa_code: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray
    count: np.ndarray


def repeat_places(counts: PlaceCounts, *, top: int = 50, fraction: float = 0.05) -> RepeatPlaces:
    if not 0 < fraction <= 1:
        raise SettingsError(f"the top fraction must be in (0, 1], not {fraction}")
    if top < 0:
        raise SettingsError("the number of places to list cannot be negative")
    n_places = len(counts.count)
    values = np.asarray(counts.count, dtype=np.int64)
    n_events = int(values.sum())
    # Busiest first; equal counts in a stable order (location, then coordinates) so the listing is
    # reproducible.
    order = sorted(range(n_places), key=lambda i: (-values[i], counts.location[i], counts.x[i], counts.y[i]))
    k = math.ceil(fraction * n_places) if n_places else 0
    ranked = values[order] if n_places else values
    top_share = float(ranked[:k].sum() / n_events) if n_events else 0.0
    cumulative = np.cumsum(ranked) / n_events if n_events else np.zeros(n_places)
    places = tuple(
        Place(
            rank=rank + 1,
            location=counts.location[i],
            district=counts.district[i],
            lsoa_code=counts.lsoa_code[i],
            x=float(counts.x[i]),
            y=float(counts.y[i]),
            count=int(values[i]),
            share=float(values[i] / n_events),
            cumulative_share=float(cumulative[rank]),
        )
        for rank, i in enumerate(order[:top])
    )
    return RepeatPlaces(places, n_places, n_events, fraction, k, top_share, int((values >= 2).sum()))
