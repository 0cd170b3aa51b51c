"""District boundaries for the analytics: which district each point falls in, and the districts in BNG metres.

Built on :mod:`csphub.geography` (the project's one WGS84 ⇄ British National Grid transformation and its
point-in-polygon locator). Points are located in WGS84, as police.uk publishes them; grids and maps work in
BNG metres, so the district polygons are also kept projected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from csphub.geography import AreaLocator, wgs84_to_bng_arrays

from .errors import SettingsError


def to_bng(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS84 (lon, lat) geometry projected to British National Grid metres, vertex by vertex."""

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = wgs84_to_bng_arrays(coords[:, 1], coords[:, 0])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


@dataclass(frozen=True, eq=False)
class Districts:
    """The known districts: codes and names in file order, polygons in WGS84 and in BNG metres."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    bng: tuple[BaseGeometry, ...]
    locator: AreaLocator

    def locate(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """The district code of each point (an object array of str), None where a point is in no district."""
        index = self.locator.locate_many(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
        codes = np.array([*self.codes, None], dtype=object)
        return codes[index]  # index -1 picks the trailing None

    def index_of(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise SettingsError(f"unknown district {code!r}: known districts are {', '.join(self.codes)}") from None

    def area(self, codes: tuple[str, ...]) -> BaseGeometry:
        """The union of the given districts, in BNG metres."""
        return shapely.union_all([self.bng[self.index_of(code)] for code in codes])


@lru_cache(maxsize=4)
def load_districts(path: Path, code_field: str, name_field: str) -> Districts:
    try:
        locator = AreaLocator.from_file(path, code_field, name_field)
    except (OSError, ValueError, KeyError) as exc:
        raise SettingsError(f"cannot read the district boundaries {path}: {exc!r}") from exc
    return Districts(
        codes=tuple(a.code for a in locator.areas),
        names=tuple(a.name for a in locator.areas),
        bng=tuple(to_bng(a.geometry) for a in locator.areas),
        locator=locator,
    )
