"""The cuckooing panel's ranked list: a pure, vectorised function of the premises and what is near them. No Django.

Each premises on the panel's list gets a score from 0 to 100, the weighted sum of four components, each from 0 to 1:

- ``person``: the resident's vulnerability, the share of the most the cuckooing checklist's resident section can
  score (0 when no checklist was completed);
- ``property``: the property's indicators, the share of the most the checklist's property section can score;
- ``drug_hotspot``: nearness to the nearest drug-crime hotspot cell (Gi*, ``csphub.analytics``);
- ``county_lines``: nearness to the nearest known county-lines address (the intelligence app's, through
  ``csphub.cuckooing.sources``).

Nearness is a Gaussian kernel of the distance d to the nearest point, ``exp(-d^2 / 2h^2)`` (Silverman,
*Density Estimation*, 1986, ch. 3: the normal kernel), with a bandwidth h per component; the nearest point is found
with a k-d tree (``scipy.spatial.cKDTree``, Maneewongvatana and Mount 1999), O(n log m). A premises with no
location scores 0 on both nearness components. The weights, bandwidths and the thresholds that make a component
a *reason* are versioned configuration (``definitions/panel_ranking.toml``, ``load_settings``).

Ties keep the order the premises were given in (a stable sort), so the same inputs always rank the same way.

What a reason says depends on who reads it (``describe``): police and serious-organised-crime leads read "within
150 m of a known county-lines address"; panel partners read "near known drug activity", which names neither the
intelligence nor the public hotspot it may come from (both fold into one reason and one "area" component), so a
partner cannot tell a rank that rests on intelligence from one that rests on police.uk figures.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

DEFINITION = Path(__file__).resolve().parent / "definitions" / "panel_ranking.toml"

COMPONENTS = ("person", "property", "drug_hotspot", "county_lines")
PERSON, PROPERTY, HOTSPOT, COUNTY_LINES = range(4)


class RankingSettingsError(ValueError):
    """The ranking's configuration is not usable (every problem named)."""


class Audience(StrEnum):
    """Who reads the reasons: police and SOC leads see the intelligence behind a rank; panel partners do not."""

    INTELLIGENCE = "intelligence"
    PANEL = "panel"


@dataclass(frozen=True)
class RankingSettings:
    version: str
    digest: str = ""
    title: str = "Cuckooing panel ranking"
    person_weight: float = 0.35
    property_weight: float = 0.35
    hotspot_weight: float = 0.15
    county_lines_weight: float = 0.15
    hotspot_bandwidth_m: float = 300.0
    county_lines_bandwidth_m: float = 200.0
    person_reason_at_least: float = 0.5
    property_reason_at_least: float = 0.4
    hotspot_reason_within_m: float = 250.0
    county_lines_reason_within_m: float = 150.0
    hotspot_months: int = 6
    hotspot_crime_types: tuple[str, ...] = ("Drugs",)
    hotspot_cell_m: float = 250.0
    hotspot_band_m: float = 750.0
    hotspot_alpha: float = 0.05

    def __post_init__(self) -> None:
        problems = []
        if not self.version.strip():
            problems.append("the version is empty")
        weights = self.weights
        if any(not math.isfinite(w) or w < 0 for w in weights):
            problems.append("every weight must be a number of 0 or more")
        elif not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
            problems.append(f"the weights must add up to 1, not {sum(weights):g}")
        for name in ("hotspot_bandwidth_m", "county_lines_bandwidth_m", "hotspot_cell_m", "hotspot_band_m"):
            if not getattr(self, name) > 0:
                problems.append(f"{name} must be positive")
        for name in ("person_reason_at_least", "property_reason_at_least"):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        for name in ("hotspot_reason_within_m", "county_lines_reason_within_m"):
            if not getattr(self, name) >= 0:
                problems.append(f"{name} must be 0 or more")
        if not 1 <= self.hotspot_months <= 60:
            problems.append("hotspot months must be between 1 and 60")
        if not 0 < self.hotspot_alpha < 1:
            problems.append("the hotspots' alpha must be between 0 and 1")
        if problems:
            raise RankingSettingsError("; ".join(problems))

    @property
    def weights(self) -> tuple[float, float, float, float]:
        return (self.person_weight, self.property_weight, self.hotspot_weight, self.county_lines_weight)

    @property
    def label(self) -> str:
        """How a ranking names its configuration: "version 2026-1 (3f2a9c01)"."""
        return f"version {self.version}" + (f" ({self.digest[:8]})" if self.digest else "")


def settings_from(data: dict[str, Any], digest: str = "") -> RankingSettings:
    """The settings a parsed definition holds (unknown sections or keys are errors: a typo must not pass)."""
    known: dict[str, tuple[str, ...]] = {
        "weights": COMPONENTS,
        "nearness": ("drug_hotspot_bandwidth_m", "county_lines_bandwidth_m"),
        "reasons": ("person_at_least", "property_at_least", "drug_hotspot_within_m", "county_lines_within_m"),
        "hotspots": ("months", "crime_types", "cell_m", "band_m", "alpha"),
    }
    problems = [f"unknown setting {k!r}" for k in data if k not in {"version", "title", "source", *known}]
    for section, keys in known.items():
        value = data.get(section, {})
        if not isinstance(value, dict):
            problems.append(f"[{section}] must be a table")
            continue
        problems += [f"unknown setting [{section}] {k!r}" for k in value if k not in keys]
        missing = [k for k in keys if k not in value]
        if missing:
            problems.append(f"[{section}] lacks {', '.join(missing)}")
    if problems:
        raise RankingSettingsError("; ".join(problems))
    w, n, r, h = data["weights"], data["nearness"], data["reasons"], data["hotspots"]
    try:
        return RankingSettings(
            version=str(data.get("version", "")),
            digest=digest,
            title=str(data.get("title", "Cuckooing panel ranking")),
            person_weight=float(w["person"]),
            property_weight=float(w["property"]),
            hotspot_weight=float(w["drug_hotspot"]),
            county_lines_weight=float(w["county_lines"]),
            hotspot_bandwidth_m=float(n["drug_hotspot_bandwidth_m"]),
            county_lines_bandwidth_m=float(n["county_lines_bandwidth_m"]),
            person_reason_at_least=float(r["person_at_least"]),
            property_reason_at_least=float(r["property_at_least"]),
            hotspot_reason_within_m=float(r["drug_hotspot_within_m"]),
            county_lines_reason_within_m=float(r["county_lines_within_m"]),
            hotspot_months=int(h["months"]),
            hotspot_crime_types=tuple(str(t) for t in h["crime_types"]),
            hotspot_cell_m=float(h["cell_m"]),
            hotspot_band_m=float(h["band_m"]),
            hotspot_alpha=float(h["alpha"]),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, RankingSettingsError):
            raise
        raise RankingSettingsError(f"a setting is not a number: {exc}") from exc


def load_settings(path: Path = DEFINITION) -> RankingSettings:
    """The ranking settings of a TOML definition (by default the shipped one), with its content's digest."""
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RankingSettingsError(f"{path.name} is not valid TOML: {exc}") from exc
    return settings_from(data, hashlib.sha256(raw).hexdigest())


@dataclass(frozen=True)
class Reason:
    """Why a premises ranks where it does: one component that reached its threshold (or a missing input)."""

    code: str  # person, property, drug_hotspot, county_lines, no_checklist
    share: float = 0.0  # person/property: the share of the section's most
    distance_m: float = 0.0  # nearness: metres to the nearest point
    points: float = 0.0  # what it adds to the score (0 to 100)


@dataclass(frozen=True, eq=False)
class RankingResult:
    settings: RankingSettings
    score: np.ndarray  # (n,) 0 to 100
    components: np.ndarray  # (n, 4) points each component adds (sum = score)
    order: np.ndarray  # (n,) indices, best first
    rank: np.ndarray  # (n,) 1-based rank of each input row
    person: np.ndarray  # (n,) shares given (NaN: no checklist)
    property: np.ndarray
    hotspot_m: np.ndarray  # (n,) metres to the nearest hotspot cell (inf: none, or no location)
    county_lines_m: np.ndarray

    def __len__(self) -> int:
        return int(self.score.shape[0])

    def reasons(self, i: int) -> tuple[Reason, ...]:
        """The reasons of row ``i``, the heaviest first; missing inputs last."""
        s = self.settings
        found: list[Reason] = []
        points = self.components[i]
        if self.person[i] >= s.person_reason_at_least:
            found.append(Reason("person", share=float(self.person[i]), points=float(points[PERSON])))
        if self.property[i] >= s.property_reason_at_least:
            found.append(Reason("property", share=float(self.property[i]), points=float(points[PROPERTY])))
        if self.hotspot_m[i] <= s.hotspot_reason_within_m:
            found.append(Reason("drug_hotspot", distance_m=float(self.hotspot_m[i]), points=float(points[HOTSPOT])))
        if self.county_lines_m[i] <= s.county_lines_reason_within_m:
            found.append(
                Reason("county_lines", distance_m=float(self.county_lines_m[i]), points=float(points[COUNTY_LINES]))
            )
        found.sort(key=lambda r: -r.points)
        if np.isnan(self.person[i]) and np.isnan(self.property[i]):
            found.append(Reason("no_checklist"))
        return tuple(found)


def _nearest(xy: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Metres from each row of ``xy`` to the nearest of ``points`` (inf when there are none or the row is NaN)."""
    out = np.full(xy.shape[0], np.inf)
    if points.shape[0] == 0 or xy.shape[0] == 0:
        return out
    located = np.isfinite(xy).all(axis=1)
    if located.any():
        distance, _ = cKDTree(points).query(xy[located], k=1)
        out[located] = distance
    return out


def _as_points(points: np.ndarray | None) -> np.ndarray:
    if points is None:
        return np.empty((0, 2))
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return array[np.isfinite(array).all(axis=1)]


def rank(
    premises_xy: np.ndarray,
    person: np.ndarray,
    property_: np.ndarray,
    hotspots_xy: np.ndarray | None,
    county_lines_xy: np.ndarray | None,
    settings: RankingSettings,
) -> RankingResult:
    """Rank premises (British National Grid metres, (n, 2), NaN where unknown) by the weighted components.

    ``person`` and ``property_`` are shares from 0 to 1 (NaN: no checklist); ``hotspots_xy`` the centres of the
    hot cells and ``county_lines_xy`` the known county-lines addresses, in the same metres (either may be empty)."""
    xy = np.asarray(premises_xy, dtype=np.float64).reshape(-1, 2)
    n = xy.shape[0]
    shares = np.stack(
        [np.asarray(person, dtype=np.float64).reshape(n), np.asarray(property_, dtype=np.float64).reshape(n)], axis=1
    )
    if np.any((shares < 0) | (shares > 1)):
        raise ValueError("the person and property shares must be between 0 and 1 (NaN: not assessed)")
    hotspot_m = _nearest(xy, _as_points(hotspots_xy))
    county_lines_m = _nearest(xy, _as_points(county_lines_xy))
    # Gaussian kernel of the distance: exp(-d^2 / 2h^2); an infinite distance gives 0.
    near_hot = np.exp(-np.square(hotspot_m) / (2.0 * settings.hotspot_bandwidth_m**2))
    near_lines = np.exp(-np.square(county_lines_m) / (2.0 * settings.county_lines_bandwidth_m**2))
    values = np.column_stack([np.nan_to_num(shares, nan=0.0), near_hot, near_lines])
    components = values * (100.0 * np.asarray(settings.weights))
    score = components.sum(axis=1)
    # Best first; a stable sort keeps the given order between equal scores.
    order = np.argsort(-score, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(1, n + 1)
    return RankingResult(
        settings=settings,
        score=score,
        components=components,
        order=order,
        rank=ranks,
        person=shares[:, 0],
        property=shares[:, 1],
        hotspot_m=hotspot_m,
        county_lines_m=county_lines_m,
    )


def _metres(distance: float) -> str:
    """A distance as a person says it: to the nearest 10 m."""
    return f"{max(10, round(distance / 10) * 10):,.0f} m"


def describe(reasons: tuple[Reason, ...], settings: RankingSettings, audience: Audience) -> list[str]:
    """The reasons in words for this audience.

    Panel partners never read "county lines": nearness to a known county-lines address and to a drug-crime hotspot
    both read "near known drug activity", once, with no distance (a distance to an address the partner could walk
    to would point at it)."""
    words: list[str] = []
    area_said = False
    for reason in reasons:
        if reason.code == "person":
            words.append(f"Vulnerable resident: {reason.share:.0%} of the checklist's resident indicators")
        elif reason.code == "property":
            words.append(f"Signs of cuckooing at the property: {reason.share:.0%} of the property indicators")
        elif reason.code in ("drug_hotspot", "county_lines") and audience is Audience.PANEL:
            if not area_said:
                words.append("Near known drug activity")
                area_said = True
        elif reason.code == "drug_hotspot":
            words.append(
                f"Within {settings.hotspot_reason_within_m:,.0f} m of a drug-crime hotspot "
                f"({_metres(reason.distance_m)})"
            )
        elif reason.code == "county_lines":
            words.append(
                f"Within {settings.county_lines_reason_within_m:,.0f} m of a known county-lines address "
                f"({_metres(reason.distance_m)})"
            )
        elif reason.code == "no_checklist":
            words.append("No cuckooing checklist completed yet")
    return words


def breakdown(result: RankingResult, i: int, audience: Audience) -> list[tuple[str, float]]:
    """The points each component adds to row ``i``'s score, labelled for the audience (panel partners read one
    "area" component: drug-crime hotspots and county-lines addresses together)."""
    points = result.components[i]
    rows = [("Resident", float(points[PERSON])), ("Property", float(points[PROPERTY]))]
    if audience is Audience.PANEL:
        rows.append(("Area", float(points[HOTSPOT] + points[COUNTY_LINES])))
    else:
        rows += [("Drug-crime hotspot", float(points[HOTSPOT])), ("County-lines address", float(points[COUNTY_LINES]))]
    return rows
