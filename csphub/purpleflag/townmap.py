"""A static map of the town centre for the pack (SVG, drawn here, so that WeasyPrint prints it as it is shown).

Layers, bottom up: the density of night-time crime (the analytics engine's kernel density of police.uk's night-time
economy types over the period, in the centre), the base map (csphub/static/csphub/geo: district boundaries, the
streets police.uk names and place names), the dispersal and PSPO areas in force in the period, the town centre's
circle, and the night-time venues. Coordinates are British National Grid metres, north up.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from django.contrib.staticfiles import finders

from csphub.analytics.errors import AnalyticsError
from csphub.analytics.kde import KdeSettings
from csphub.analytics.store import EventFilter, MonthRange
from csphub.geography import wgs84_to_bng_arrays
from csphub.insights.engine import analytics
from csphub.nte.models import NteVenue

from .models import EvidencePack
from .questions import designations, held_months, period_months, police_types, town_centre

WIDTH = 640  # px; the map is square
CELL = 25.0  # metres, the density grid's cell
BANDWIDTH = 120.0  # metres, the density's kernel
# Light to dark: GOV.UK-friendly sequential purples (Purple Flag), for the density's five classes.
RAMP = ("#f2eef7", "#d9cbe8", "#b89ad3", "#8e63b8", "#5c2d91")


@lru_cache(maxsize=2)
def _geojson(name: str) -> dict[str, Any]:
    found = finders.find(f"csphub/geo/{name}.geojson")
    path = (
        Path(str(found))
        if found
        else Path(__file__).resolve().parents[1] / "static" / "csphub" / "geo" / f"{name}.geojson"
    )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class _Frame:
    """BNG metres to SVG pixels over the square round the centre."""

    def __init__(self, x: float, y: float, half: float) -> None:
        self.x0, self.y0, self.half = x - half, y - half, half
        self.scale = WIDTH / (2 * half)

    def px(self, x: float, y: float) -> tuple[float, float]:
        return round((x - self.x0) * self.scale, 1), round(WIDTH - (y - self.y0) * self.scale, 1)

    def inside(self, x: float, y: float, margin: float = 0) -> bool:
        return -margin <= (x - self.x0) <= 2 * self.half + margin and -margin <= (y - self.y0) <= 2 * self.half + margin


def _project(coords: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(coords, dtype=np.float64)
    return wgs84_to_bng_arrays(arr[:, 1], arr[:, 0])


def _path(frame: _Frame, rings: list[list[list[float]]], closed: bool) -> str:
    parts = []
    for ring in rings:
        xs, ys = _project(ring)
        pts = [frame.px(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        if not pts:
            continue
        parts.append("M" + " L".join(f"{a},{b}" for a, b in pts) + (" Z" if closed else ""))
    return " ".join(parts)


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def town_map(pack: EvidencePack, threshold: int | None) -> tuple[str, list[str]]:
    """The map as an SVG string, and its notes (what it shows, sources)."""
    circle = town_centre(pack)
    frame = _Frame(circle.x, circle.y, circle.radius * 1.3)
    out: list[str] = []
    notes: list[str] = []

    # Density of night-time crime (police.uk), from the engine's kernel density.
    held = held_months(pack, "police")
    months, _ = period_months(pack, held)
    top = 0.0
    if months:
        events = EventFilter(MonthRange(months[0], months[-1]), police_types(), (), "police", circle)
        try:
            kde = analytics().kde(CELL, KdeSettings(BANDWIDTH), events, (pack.district_code,))
        except AnalyticsError:
            kde = None
        if kde is not None and kde.n_events:
            xs, ys = kde.grid.centres()
            near = (np.abs(xs - circle.x) <= frame.half + CELL) & (np.abs(ys - circle.y) <= frame.half + CELL)
            values = np.where(near & np.isfinite(kde.density), kde.density, 0.0)
            top = float(values.max())
            if top > 0:
                size = CELL * frame.scale
                for r, c in zip(*np.nonzero(values > top * 0.05), strict=True):
                    level = min(4, int(values[r, c] / top * 5))
                    x, y = frame.px(float(xs[r, c]) - CELL / 2, float(ys[r, c]) + CELL / 2)
                    out.append(
                        f'<rect x="{x}" y="{y}" width="{size:.1f}" height="{size:.1f}" fill="{RAMP[level]}" '
                        'stroke="none"/>'
                    )
            notes.append(
                f"Shading: the density of {kde.n_events:,} police.uk night-time economy crimes in the centre, "
                f"{months[0]:%B %Y} to {months[-1]:%B %Y} (quartic kernel, {BANDWIDTH:.0f} m), darker is denser."
            )

    # The base map.
    for feature in _geojson("base")["features"]:
        if feature["properties"].get("layer") != "district-2013":
            continue
        for poly in _polygons(feature["geometry"]):
            d = _path(frame, poly, True)
            out.append(f'<path d="{d}" fill="none" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="6 4"/>')
    labels: list[str] = []
    for feature in _geojson("streets")["features"]:
        geom, props = feature["geometry"], feature["properties"]
        if geom["type"] == "LineString":
            xs, ys = _project(geom["coordinates"])
            if not any(frame.inside(float(x), float(y), 200) for x, y in zip(xs, ys, strict=True)):
                continue
            width = 3 if props.get("major") else 1.6
            d = _path(frame, [geom["coordinates"]], False)
            out.append(f'<path d="{d}" fill="none" stroke="#b1b4b6" stroke-width="{width}"/>')
        elif geom["type"] == "Point" and props.get("layer") == "place":
            xs, ys = _project([geom["coordinates"]])
            x, y = float(xs[0]), float(ys[0])
            if frame.inside(x, y):
                px, py = frame.px(x, y)
                labels.append(
                    f'<text x="{px}" y="{py}" font-size="13" font-style="italic" fill="#505a5f" text-anchor="middle">'
                    f"{escape(str(props.get('name', '')))}</text>"
                )

    # Dispersal and PSPO areas.
    areas = designations(pack)
    for area in areas:
        for poly in _polygons(area.geometry):
            out.append(
                f'<path d="{_path(frame, poly, True)}" fill="#d4351c" fill-opacity="0.12" stroke="#d4351c" '
                'stroke-width="2"/>'
            )
    if areas:
        notes.append("Red outlines: " + "; ".join(f"{a.name} ({a.get_kind_display()})" for a in areas) + ".")

    # The town centre.
    cx, cy = frame.px(circle.x, circle.y)
    out.append(
        f'<circle cx="{cx}" cy="{cy}" r="{circle.radius * frame.scale:.1f}" fill="none" stroke="#1d70b8" '
        'stroke-width="2.5"/>'
    )
    notes.append(f"Blue circle: the town centre assessed, {pack.radius_m:,} m round its centre.")

    # Venues.
    venues = NteVenue.objects.filter(active=True, latitude__isnull=False, longitude__isnull=False)
    if pack.nte_area is not None:
        venues = venues.filter(area=pack.nte_area)
    # Numbered markers with a key under the map: names would overlap where venues cluster.
    shown: list[str] = []
    for venue in venues.order_by("name"):
        xs, ys = wgs84_to_bng_arrays(np.array([venue.latitude]), np.array([venue.longitude]))
        x, y = float(xs[0]), float(ys[0])
        if not frame.inside(x, y):
            continue
        shown.append(venue.name)
        px, py = frame.px(x, y)
        labels.append(
            f'<circle cx="{px}" cy="{py}" r="9" fill="#0b0c0c" stroke="white" stroke-width="1.5"/>'
            f'<text x="{px}" y="{py + 4}" font-size="11" font-weight="bold" fill="white" text-anchor="middle">'
            f"{len(shown)}</text>"
        )
    if shown:
        notes.append(
            "Numbered dots, night-time venues: " + "; ".join(f"{n} {name}" for n, name in enumerate(shown, 1)) + "."
        )

    # Scale bar: 250 m.
    bar = 250 * frame.scale
    scale = (
        f'<g font-size="12" fill="#0b0c0c"><rect x="16" y="{WIDTH - 28}" width="{bar:.1f}" height="6" fill="#0b0c0c"/>'
        f'<text x="16" y="{WIDTH - 34}">250 m</text>'
        f'<text x="{WIDTH - 24}" y="30" font-size="16" font-weight="bold">N</text>'
        f'<path d="M{WIDTH - 19},36 l-6,14 h12 z" fill="#0b0c0c"/></g>'
    )
    notes.append(
        "Base map: district boundaries (ONS), the streets police.uk names; contains OS data © Crown copyright "
        "and database right; police.uk data under the Open Government Licence v3.0."
    )
    title = escape(f"Map of {pack.town_centre}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {WIDTH}" width="{WIDTH}" height="{WIDTH}" '
        f'role="img" aria-label="{title}" font-family="Arial, Helvetica, sans-serif">'
        f'<rect width="{WIDTH}" height="{WIDTH}" fill="white"/>'
        f'<clipPath id="frame"><rect width="{WIDTH}" height="{WIDTH}"/></clipPath>'
        f'<g clip-path="url(#frame)">{"".join(out)}{"".join(labels)}</g>{scale}'
        f'<rect width="{WIDTH}" height="{WIDTH}" fill="none" stroke="#0b0c0c"/></svg>'
    )
    if not math.isfinite(top):
        notes.append("No density could be drawn.")
    return svg, notes
