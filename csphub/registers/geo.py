"""Placing a register location: coordinates in both systems and the district it falls in."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from csphub.common.postcodes import PostcodeDirectory, PostcodePoint, directory
from csphub.geography import Area, AreaLocator, bng_to_wgs84, wgs84_to_bng
from csphub.partnership.models import District

POSTCODE_FILE = "postcodes/northamptonshire_postcodes_with_latlon_DERIVED.csv"


@lru_cache(maxsize=1)
def _locator() -> tuple[AreaLocator, dict[str, int]]:
    from shapely.geometry import shape

    rows = list(District.objects.values_list("pk", "ons_code", "name", "boundary"))
    areas = [Area(code, name, shape(boundary).buffer(0)) for _, code, name, boundary in rows]
    return AreaLocator(areas), {code: pk for pk, code, _, _ in rows}


def clear_cache() -> None:
    _locator.cache_clear()


def district_id_at(latitude: float, longitude: float) -> int | None:
    """The partnership district containing the point, or None when it is outside all of them."""
    locator, ids = _locator()
    if not locator.areas:
        return None
    area = locator.locate(latitude, longitude)
    return ids[area.code] if area is not None else None


def postcode_directory() -> PostcodeDirectory:
    return directory(settings.REFERENCE_DATA_DIR / POSTCODE_FILE)


def postcode_point(postcode: str) -> PostcodePoint | None:
    return postcode_directory().lookup(postcode)


def complete(
    latitude: float | None = None,
    longitude: float | None = None,
    easting: float | None = None,
    northing: float | None = None,
) -> tuple[float, float, float, float] | None:
    """Both coordinate systems from either one (raises CoordinateError for a point outside Great Britain)."""
    if latitude is not None and longitude is not None:
        e, n = wgs84_to_bng(latitude, longitude)
        return latitude, longitude, round(e, 1), round(n, 1)
    if easting is not None and northing is not None:
        lat, lon = bng_to_wgs84(easting, northing)
        return round(lat, 6), round(lon, 6), easting, northing
    return None
