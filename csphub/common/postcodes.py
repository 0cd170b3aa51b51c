"""UK postcodes: validation, normalisation, and the shipped Code-Point Open directory (postcode → coordinates)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The UK postcode format (BS 7666): outward code (area letters never Q, V, X first or I, J, Z second) then the
# inward code (digit and two letters, never C, I, K, M, O or V); GIR 0AA is the one oddity.
_OUTWARD_PATTERN = r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
_POSTCODE = re.compile(rf"^(GIR0AA|{_OUTWARD_PATTERN}[0-9][ABD-HJLNP-UW-Z]{{2}})$")
_OUTWARD = re.compile(rf"^{_OUTWARD_PATTERN}$")


class PostcodeError(ValueError):
    pass


def compact(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").upper())


def normalise(text: str) -> str:
    """'nn160ab' → 'NN16 0AB'. Raises PostcodeError if it is not a UK postcode."""
    value = compact(text)
    if not _POSTCODE.match(value):
        raise PostcodeError(f"{text.strip()!r} is not a valid UK postcode")
    return f"{value[:-3]} {value[-3:]}"


def search_prefix(text: str) -> str | None:
    """A full postcode, a sector ("NN16 0") or a district ("NN16") as a prefix of the normalised form."""
    value = (text or "").upper().strip()
    value = re.sub(r"\s+", " ", value)
    try:
        return normalise(value)
    except PostcodeError:
        pass
    parts = value.split(" ")
    if len(parts) == 1 and _OUTWARD.match(parts[0]):
        return parts[0] + " "
    if len(parts) == 2 and _OUTWARD.match(parts[0]) and re.match(r"^[0-9][A-Z]?$", parts[1]):
        return f"{parts[0]} {parts[1]}"
    return None


@dataclass(frozen=True)
class PostcodePoint:
    postcode: str
    easting: float
    northing: float
    latitude: float
    longitude: float


class PostcodeDirectory:
    """Postcode centroids from OS Code-Point Open (shipped in data/postcodes)."""

    def __init__(self, points: dict[str, PostcodePoint]) -> None:
        self._points = points

    @classmethod
    def from_csv(cls, path: Path) -> PostcodeDirectory:
        points: dict[str, PostcodePoint] = {}
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                try:
                    code = normalise(row["Postcode"])
                except PostcodeError:
                    continue
                points[code] = PostcodePoint(
                    code,
                    float(row["Eastings"]),
                    float(row["Northings"]),
                    float(row["Latitude_WGS84"]),
                    float(row["Longitude_WGS84"]),
                )
        return cls(points)

    def lookup(self, postcode: str) -> PostcodePoint | None:
        try:
            return self._points.get(normalise(postcode))
        except PostcodeError:
            return None

    def __len__(self) -> int:
        return len(self._points)

    def codes(self) -> list[str]:
        return sorted(self._points)


@lru_cache(maxsize=4)
def directory(path: Path) -> PostcodeDirectory:
    return PostcodeDirectory.from_csv(path)
