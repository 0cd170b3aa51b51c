"""Where the panel's ranking finds what is near a premises: drug-crime hotspots and known county-lines addresses.

- **Known county-lines addresses** come from the intelligence app (``intelligence.services.known_addresses``: the
  cuckooed addresses, trap houses and stashes of the lines active on a day, as points with no names). The cuckooing
  app sits above it in the layers. Tests and the bench swap the source (``use_known_addresses``); with none, there
  is no county-lines component (and the page says so).
- **Drug-crime hotspots** come from ``csphub.analytics``: Gi* hotspots (``Analytics.hotspots``) on the crime types
  and the latest months the ranking's configuration names, up to the day. The hot cells' centres are the points.
  An empty store gives none (and the page says so). Tests and the bench swap the provider (``use_drug_hotspots``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.errors import EmptyStoreError
from csphub.analytics.hotspots import HotspotSettings
from csphub.analytics.store import EventFilter, MonthRange
from csphub.cuckooing.ranking import RankingSettings
from csphub.geography import wgs84_to_bng_arrays

logger = logging.getLogger(__name__)

KnownAddresses = Callable[[dt.date], Sequence[tuple[float, float]]]


@dataclass(frozen=True, eq=False)
class HotspotCells:
    """The hot cells' centres (British National Grid metres, (m, 2)) and the months they were found in."""

    xy: np.ndarray
    months: str = ""  # "January to June 2025"
    note: str = ""  # why there are none, for the page


NO_HOTSPOTS = HotspotCells(np.empty((0, 2)), note="No drug-crime figures in the analytics store.")

DrugHotspots = Callable[[dt.date, RankingSettings], HotspotCells]


def intelligence_addresses(as_at: dt.date) -> Sequence[tuple[float, float]]:
    """The intelligence app's located addresses of the county lines active on the day (points only, no names)."""
    from csphub.intelligence.services import known_addresses

    return known_addresses(as_at)


_known: KnownAddresses | None = intelligence_addresses


@contextlib.contextmanager
def use_known_addresses(provider: KnownAddresses | None) -> Iterator[None]:
    """Use another source of county-lines addresses meanwhile, or none (tests, the bench)."""
    global _known
    previous = _known
    _known = provider
    try:
        yield
    finally:
        _known = previous


def has_known_addresses() -> bool:
    return _known is not None


def known_addresses_xy(as_at: dt.date) -> np.ndarray:
    """The county-lines addresses' points on the day, in British National Grid metres ((k, 2); empty when none)."""
    provider = _known
    points = [(float(lat), float(lon)) for lat, lon in provider(as_at)] if provider else []
    if not points:
        return np.empty((0, 2))
    latlon = np.asarray(points, dtype=np.float64)
    easting, northing = wgs84_to_bng_arrays(latlon[:, 0], latlon[:, 1])
    return np.column_stack([easting, northing])


def _month_name(day: dt.date) -> str:
    return f"{day:%B %Y}"


def analytics_drug_hotspots(as_at: dt.date, settings: RankingSettings) -> HotspotCells:
    """Gi* hotspots of the configured crime types over the latest months the store holds up to ``as_at``."""
    analytics = Analytics(AnalyticsConfig.from_env())
    crime_types = settings.hotspot_crime_types
    key = _store_key(analytics, as_at, settings)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    try:
        by_month = analytics.counts(("month",), EventFilter(months=MonthRange(None, as_at), crime_types=crime_types))
        months = sorted(k[0] for k, n in by_month.as_dict().items() if n and isinstance(k[0], dt.date))
        if not months:
            raise EmptyStoreError("no months")
        chosen = months[-settings.hotspot_months :]
        result = analytics.hotspots(
            HotspotSettings(cell=settings.hotspot_cell_m, band=settings.hotspot_band_m, alpha=settings.hotspot_alpha),
            EventFilter(months=MonthRange(chosen[0], chosen[-1]), crime_types=crime_types),
        )
    except EmptyStoreError:
        cells = NO_HOTSPOTS
    else:
        hot = result.significant & (result.z > 0)
        xc, yc = result.grid.centres()
        span = _month_name(chosen[0]) if len(chosen) == 1 else f"{_month_name(chosen[0])} to {_month_name(chosen[-1])}"
        cells = HotspotCells(np.column_stack([xc[hot], yc[hot]]), months=span)
        if not hot.any():
            cells = HotspotCells(cells.xy, months=span, note=f"No significant drug-crime hotspot in {span}.")
    _cache.clear()  # one entry: the latest store state
    _cache[key] = cells
    return cells


_cache: dict[tuple[object, ...], HotspotCells] = {}


def _store_key(analytics: Analytics, as_at: dt.date, settings: RankingSettings) -> tuple[object, ...]:
    """What the hotspots depend on: the store's files (and when each last changed), the month and the settings."""
    files = tuple(
        (str(p.path), p.path.stat().st_mtime_ns)
        for p in analytics.store.partitions()
        if p.table in ("street", "partner")
    )
    return (files, as_at.year, as_at.month, settings)


_hotspots: DrugHotspots = analytics_drug_hotspots


def drug_hotspots(as_at: dt.date, settings: RankingSettings) -> HotspotCells:
    try:
        return _hotspots(as_at, settings)
    except Exception:  # the list still ranks without them; the page says the hotspots are missing
        logger.exception("drug-crime hotspots could not be computed")
        return HotspotCells(np.empty((0, 2)), note="The drug-crime hotspots could not be computed.")


@contextlib.contextmanager
def use_drug_hotspots(provider: DrugHotspots) -> Iterator[None]:
    """Use another hotspot provider meanwhile (tests, the bench)."""
    global _hotspots
    previous = _hotspots
    _hotspots = provider
    try:
        yield
    finally:
        _hotspots = previous
