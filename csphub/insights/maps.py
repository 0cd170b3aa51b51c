"""The map page's data: each layer as GeoJSON, computed by ``csphub.analytics`` through its Python API.

Nothing here counts or tests anything itself: the hotspot grid is ``Analytics.hotspots`` (Gi* with the FDR
correction), the emerging categories ``Analytics.emerging``, the density surface ``Analytics.kde``, the repeat
places ``Analytics.repeat_places``; cells and points become GeoJSON through the engine's own writers
(``csphub.analytics.output``). This module chooses which cells a layer shows and remembers results.

Results are remembered per process under (the store's version, the layer, the map query): a new ingest changes
the version (:func:`store_version`), so nothing stale is served; a repeated or shared selection (the page,
then its layers, a click on a cell, an export) is computed once.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import mapping

from csphub.analytics.api import Analytics
from csphub.analytics.config import AnalyticsConfig
from csphub.analytics.emerging import EmergingResult
from csphub.analytics.errors import AnalyticsError
from csphub.analytics.hotspots import HotspotResult, HotspotSettings
from csphub.analytics.kde import KdeResult, KdeSettings
from csphub.analytics.output import ATTRIBUTION, cell_features, district_features, point_features, write_csv
from csphub.analytics.places import RepeatPlaces
from csphub.analytics.store import EventFilter, MonthRange, Source, month_key
from csphub.geography import bng_to_wgs84_arrays

T = TypeVar("T")

CELL_SIZES = (100, 250, 500, 1000)
BANDS = (250, 500, 750, 1000, 1500, 2000, 3000)
SOURCES: tuple[tuple[Source, str], ...] = (
    ("police", "police.uk"),
    ("partner", "Partner agencies"),
    ("all", "police.uk and partners"),
)
KDE_LEVELS = 5  # density classes, equal fifths of the highest density
KDE_FLOOR = 0.05  # cells below 5 % of the highest density are left out of the layer (they would be level 0)
REPEAT_TOP = 50
TABLE_ROWS = 100
RESULTS_KEPT = 24  # analysis results (grids of numbers, ~1 MB each at 250 m): the clicks and exports read them
LAYERS_KEPT = 96  # layers as GeoJSON text (~0.4 MB each)

# Partner incidents could identify someone (one incident at a home address). Until the map applies the partnership's
# small-number suppression rule, a selection with partner data shows no count per cell (z, p and classes only), only
# the significant cells (a cell drawn for holding one incident would tell where it happened) and no places.
PARTNER_NOTE = (
    "Partner incidents are in this selection: counts per cell and places are not shown, as they could identify "
    "someone; the cells' Gi* readings are."
)

# Gi* classes as in csphub.analytics.mapping: |z| ≥ 3.29 (p < 0.001), ≥ 2.58 (p < 0.01), else significant.
Z_CLASSES = ((3.29, 3), (2.58, 2), (0.0, 1))


@dataclass(frozen=True)
class MapQuery:
    """What the map shows: months, a crime type or series (all when empty), source, cell size and distance band."""

    first: date | None = None
    last: date | None = None
    crime_type: str = ""
    source: Source = "police"
    cell: float = 250.0
    band: float = 750.0

    def events(self) -> EventFilter:
        return EventFilter(
            months=MonthRange(self.first, self.last),
            crime_types=(self.crime_type,) if self.crime_type else (),
            source=self.source,
        )

    @property
    def partner(self) -> bool:
        """Partner incidents are in the selection: no cell counts and no places are shown (see ``PARTNER_NOTE``)."""
        return self.source != "police"

    def hotspot_settings(self) -> HotspotSettings:
        return HotspotSettings(cell=self.cell, band=self.band)

    def describe(self) -> str:
        months = str(self.events().months).replace(":", " to ")
        what = self.crime_type or "all crime"
        source = dict(SOURCES)[self.source]
        return f"{what}, {months or 'all months'}, {source}, {self.cell:g} m cells, {self.band:g} m band"


class _Memo:
    """A small least-recently-used store of results, shared by the threads of a process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = make()  # outside the lock: two threads may compute the same key once each, never block each other
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self, keep: str = "") -> None:
        with self._lock:
            for key in [k for k in self._items if k[2] != keep]:
                del self._items[key]


_results = _Memo(RESULTS_KEPT)
_layers = _Memo(LAYERS_KEPT)


@lru_cache(maxsize=4)
def _analytics(data_dir: Path, reference_dir: Path) -> Analytics:
    return Analytics(replace(AnalyticsConfig.from_env(), data_dir=data_dir, reference_dir=reference_dir))


def analytics() -> Analytics:
    """The engine over the store of ``settings.DATA_DIR`` (one per process and store)."""
    config = AnalyticsConfig.from_env()
    return _analytics(Path(settings.DATA_DIR), config.reference_dir)


def forget(*, keep_contents: bool = False) -> None:
    """Drop remembered results (tests that swap stores, the benchmark; an ingest needs nothing: the version
    changes)."""
    _results.clear(keep="contents" if keep_contents else "")
    _layers.clear()
    _versions.clear()


# The store's version: a digest of its files (path, size, modification time), which every ingest changes, so that
# results remembered under it are never stale. Read at most once a second per store: it lists and stats every file
# (7 ms for a national year), and one request asks several times. An ingest shows within a second.
VERSION_SECONDS = 1.0
_versions: dict[str, tuple[float, str]] = {}


def store_version(app: Analytics) -> str:
    digest = hashlib.sha256()
    for part in app.store.partitions():
        try:
            stat = part.path.stat()
        except OSError:  # removed while listing: the next call sees the store as it is
            continue
        digest.update(f"{part.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _store_version(app: Analytics) -> str:
    now = time.monotonic()
    key = str(app.config.data_dir)
    seen = _versions.get(key)
    if seen is None or now - seen[0] > VERSION_SECONDS:
        seen = (now, store_version(app))
        _versions[key] = seen
    return seen[1]


def _remember(layer: str, query: MapQuery | None, make: Callable[[Analytics], T]) -> T:
    app = analytics()
    return _results.get((str(app.config.data_dir), _store_version(app), layer, query), lambda: make(app))


def layer_json(name: str, query: MapQuery) -> bytes:
    """A layer (``hotspots``, ``emerging``, ``kde``, ``repeat``) as GeoJSON text, remembered as text."""
    make = LAYERS[name]
    app = analytics()
    key = (str(app.config.data_dir), _store_version(app), name, query)
    return _layers.get(key, lambda: json.dumps(make(query), separators=(",", ":"), allow_nan=False).encode())


# --- what the store holds: the form's choices
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreContents:
    months: tuple[date, ...]
    series: tuple[str, ...]  # crime series (police.uk's comparable groups)
    types: tuple[str, ...]  # police.uk names and partner categories not already a series


def contents() -> StoreContents:
    def make(app: Analytics) -> StoreContents:
        try:  # one scan of the store
            table = app.counts(("month", "crime_series", "crime_type"), EventFilter(source="all"))
        except AnalyticsError:
            return StoreContents((), (), ())
        series = sorted({str(k[1]) for k in table.keys if k[1]})
        return StoreContents(
            months=tuple(sorted({k[0] for k in table.keys if isinstance(k[0], date)})),
            series=tuple(series),
            types=tuple(sorted({str(k[2]) for k in table.keys if k[2] and k[2] not in series})),
        )

    return _remember("contents", None, make)


# --- the layers
# ---------------------------------------------------------------------------------------------------------


def hotspot_result(query: MapQuery) -> HotspotResult:
    return _remember("hotspots", query, lambda app: app.hotspots(query.hotspot_settings(), query.events()))


def emerging_result(query: MapQuery) -> EmergingResult:
    return _remember("emerging", query, lambda app: app.emerging(query.hotspot_settings(), query.events()))


def kde_result(query: MapQuery) -> KdeResult:
    return _remember("kde", query, lambda app: app.kde(query.cell, KdeSettings(bandwidth=query.band), query.events()))


def repeat_result(query: MapQuery) -> RepeatPlaces:
    area = analytics().config.csp_districts
    events = replace(query.events(), districts=area)
    return _remember("repeat", query, lambda app: app.repeat_places(events, top=REPEAT_TOP))


def _z_class(z: float, significant: bool) -> str:
    if not significant or not math.isfinite(z) or z == 0:
        return "none"
    side = "hot" if z > 0 else "cold"
    level = next(level for bound, level in Z_CLASSES if abs(z) >= bound)
    return f"{side}-{level}"


def _district_names() -> dict[str, str]:
    districts = analytics().districts
    return dict(zip(districts.codes, districts.names, strict=True))


HOTSPOT_COLUMNS = (
    "x",
    "y",
    "count",
    "gi_z",
    "gi_p",
    "fdr_significant",
    "class",
    "district",
    "district_name",
    "crosses_district_line",
    "districts",
    "cross_boundary_hotspot",
)


def _shown_cells(result: HotspotResult, partner: bool) -> tuple[np.ndarray, np.ndarray]:
    """The cells a hotspot layer shows: those with an event or significant (the rest of the area is background);
    with partner data, the significant ones only."""
    grid = result.grid
    shown = result.significant if partner else (result.counts > 0) | result.significant
    rows, cols = np.nonzero(grid.mask & shown)
    return rows, cols


def hotspot_rows(
    result: HotspotResult, partner: bool = False
) -> tuple[list[tuple[object, ...]], tuple[np.ndarray, np.ndarray]]:
    """The rows of the cells shown (``HOTSPOT_COLUMNS``); with partner data, no counts (None)."""
    grid = result.grid
    rows, cols = _shown_cells(result, partner)
    xc, yc = grid.centres()
    names = _district_names()
    bits = grid.district_bits[rows, cols]
    data: list[tuple[object, ...]] = []
    for k in range(len(rows)):
        r, c = rows[k], cols[k]
        code = str(grid.district_code(np.array([grid.centre_district[r, c]]))[0])
        overlapped = [d for i, d in enumerate(grid.district_codes) if int(bits[k]) >> i & 1]
        z = float(result.z[r, c])
        significant = bool(result.significant[r, c])
        data.append(
            (
                float(xc[r, c]),
                float(yc[r, c]),
                None if partner else int(result.counts[r, c]),
                round(z, 3) if math.isfinite(z) else None,
                float(f"{result.p[r, c]:.4g}") if math.isfinite(result.p[r, c]) else None,
                significant,
                _z_class(z, significant),
                code,
                names.get(code, ""),
                len(overlapped) > 1,
                " ".join(overlapped),
                bool(result.cross_boundary[r, c]),
            )
        )
    return data, (rows, cols)


def _collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, **extra, "features": features}


def _empty(message: str) -> dict[str, Any]:
    return _collection([], message=message)


def _guarded(make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A layer, or an empty one saying why (no events match, too few months…): never an error page."""
    try:
        return make()
    except AnalyticsError as exc:
        return _empty(str(exc))


def crossing_outlines(result: HotspotResult) -> list[dict[str, Any]]:
    """The outline of each hotspot that crosses a district line (the union of its cells' squares), to draw one line
    around it instead of one around every cell."""
    grid = result.grid
    features = []
    for hotspot in result.hotspots:
        if not hotspot.cross_boundary:
            continue
        rows, cols = np.nonzero(result.hotspot == hotspot.label)
        west, south = grid.x0 + cols * grid.cell, grid.y0 + rows * grid.cell
        # The squares meet edge to edge (a coverage): GEOS's coverage union dissolves them without overlay work.
        outline = shapely.coverage_union_all(shapely.box(west, south, west + grid.cell, south + grid.cell))

        def to_wgs84(xy: np.ndarray) -> np.ndarray:
            lat, lon = bng_to_wgs84_arrays(xy[:, 0], xy[:, 1])
            return np.round(np.column_stack([lon, lat]), 6)

        geometry = mapping(shapely.transform(outline, to_wgs84))
        properties = {
            "layer": "crossing_hotspot",
            "cells": hotspot.cells,
            "events": hotspot.events,
            "districts": " ".join(hotspot.districts),
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return features


def hotspot_layer(query: MapQuery) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        result = hotspot_result(query)
        rows, cells = hotspot_rows(result, query.partner)
        features = cell_features(result.grid, HOTSPOT_COLUMNS, rows, cells, "hotspot_cell")
        features += crossing_outlines(result)
        significant = int((result.significant & result.grid.mask).sum())
        hot = int((result.significant & (np.nan_to_num(result.z) > 0)).sum())
        return _collection(
            features,
            query=query.describe(),
            events=result.n_events,
            cells=int(result.grid.mask.sum()),
            significant_cells=significant,
            hot_cells=hot,
            hotspots=len(result.hotspots),
            cell_size_m=query.cell,
            band_m=query.band,
            **({"note": PARTNER_NOTE} if query.partner else {}),
        )

    return _guarded(make)


def hotspot_summary(query: MapQuery) -> dict[str, Any]:
    """The figures the page states above the map (the layer's own, without its cells)."""
    try:
        result = hotspot_result(query)
    except AnalyticsError as exc:
        return {"message": str(exc)}
    return {
        "query": query.describe(),
        "events": result.n_events,
        "significant_cells": int((result.significant & result.grid.mask).sum()),
        "hotspots": len(result.hotspots),
        "note": PARTNER_NOTE if query.partner else "",
    }


def significant_table(query: MapQuery) -> list[dict[str, Any]]:
    """The table alternative of the map: significant cells, strongest first (at most ``TABLE_ROWS``)."""
    try:
        rows, _ = hotspot_rows(hotspot_result(query), query.partner)
    except AnalyticsError:
        return []
    chosen: list[dict[str, Any]] = [dict(zip(HOTSPOT_COLUMNS, r, strict=True)) for r in rows if r[5]]
    chosen.sort(key=lambda r: (-abs(r["gi_z"] or 0), r["x"], r["y"]))
    return chosen[:TABLE_ROWS]


EMERGING_COLUMNS = ("x", "y", "category", "trend_z", "trend_p", "hot_months", "cold_months", "district")


def emerging_layer(query: MapQuery) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        result = emerging_result(query)
        grid = result.grid
        chosen = grid.mask & (result.category != "no pattern") & (result.category != "")
        r, c = np.nonzero(chosen)
        xc, yc = grid.centres()
        rows = [
            (
                float(xc[r[k], c[k]]),
                float(yc[r[k], c[k]]),
                str(result.category[r[k], c[k]]),
                round(float(result.trend_z[r[k], c[k]]), 3),
                float(f"{result.trend_p[r[k], c[k]]:.4g}"),
                int(result.hot[:, r[k], c[k]].sum()),
                int(result.cold[:, r[k], c[k]].sum()),
                str(grid.district_code(np.array([grid.centre_district[r[k], c[k]]]))[0]),
            )
            for k in range(len(r))
        ]
        features = cell_features(grid, EMERGING_COLUMNS, rows, (r, c), "emerging_cell")
        return _collection(features, months=[month_key(m) for m in result.months])

    return _guarded(make)


def kde_layer(query: MapQuery) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        result = kde_result(query)
        grid = result.grid
        density = np.nan_to_num(result.density)
        top = float(density.max()) if density.size else 0.0
        if top <= 0:
            return _collection([], peak_per_km2=0.0)
        r, c = np.nonzero(grid.mask & (density >= KDE_FLOOR * top))
        levels = np.minimum(KDE_LEVELS, np.floor(density[r, c] / top * KDE_LEVELS).astype(int) + 1)
        rows = [(round(float(density[r[k], c[k]]), 3), int(levels[k])) for k in range(len(r))]
        features = cell_features(grid, ("density_per_km2", "level"), rows, (r, c), "density_cell")
        return _collection(features, peak_per_km2=round(top, 3), bandwidth_m=query.band)

    return _guarded(make)


def repeat_layer(query: MapQuery) -> dict[str, Any]:
    if query.partner:
        return _empty(PARTNER_NOTE)

    def make() -> dict[str, Any]:
        result = repeat_result(query)
        columns = ("rank", "location", "district", "count", "share")
        rows = [tuple(getattr(p, c) for c in columns) for p in result.places]
        x = np.array([p.x for p in result.places])
        y = np.array([p.y for p in result.places])
        features = point_features(columns, rows, x, y, "repeat_place")
        return _collection(
            features, places=result.n_places, top_share=round(result.top_share, 4), repeat_places=result.repeat_places
        )

    return _guarded(make)


LAYERS: dict[str, Callable[[MapQuery], dict[str, Any]]] = {
    "hotspots": hotspot_layer,
    "emerging": emerging_layer,
    "kde": kde_layer,
    "repeat": repeat_layer,
}


def cell_detail(query: MapQuery, x: float, y: float) -> dict[str, Any]:
    """What a click on the map tells about the cell holding (x, y) BNG metres: its count, z, p and class, the
    districts it overlaps (does it cross an old district line?), and its trend over the months (Mann-Kendall of
    its monthly Gi*, with the emerging-hotspot category) when the range has enough months."""
    try:
        result = hotspot_result(query)
    except AnalyticsError as exc:
        return {"found": False, "message": str(exc)}
    grid = result.grid
    row, col, inside = grid.cell_of(np.array([x]), np.array([y]))
    if not inside[0] or not grid.mask[row[0], col[0]]:
        return {"found": False, "message": "That point is outside the partnership's area."}
    r, c = int(row[0]), int(col[0])
    names = _district_names()
    overlapped = [d for i, d in enumerate(grid.district_codes) if int(grid.district_bits[r, c]) >> i & 1]
    z, p = float(result.z[r, c]), float(result.p[r, c])
    significant = bool(result.significant[r, c])
    detail: dict[str, Any] = {
        "found": True,
        "query": query.describe(),
        "count": None if query.partner else int(result.counts[r, c]),
        "gi_z": round(z, 3) if math.isfinite(z) else None,
        "gi_p": float(f"{p:.4g}") if math.isfinite(p) else None,
        "fdr_significant": significant,
        "class": _z_class(z, significant),
        "districts": [names.get(d, d) for d in overlapped],
        "crosses_district_line": len(overlapped) > 1,
        "cross_boundary_hotspot": bool(result.cross_boundary[r, c]),
        "trend": None,
    }
    try:
        emerging = emerging_result(query)
    except AnalyticsError as exc:
        detail["trend_message"] = str(exc)
        return detail
    detail["trend"] = {
        "category": str(emerging.category[r, c]),
        "mann_kendall_z": round(float(emerging.trend_z[r, c]), 3),
        "mann_kendall_p": float(f"{emerging.trend_p[r, c]:.4g}"),
        "months": [month_key(m) for m in emerging.months],
        "monthly_z": [None if not math.isfinite(v) else round(float(v), 3) for v in emerging.z[:, r, c]],
        "hot_months": int(emerging.hot[:, r, c].sum()),
        "cold_months": int(emerging.cold[:, r, c].sum()),
    }
    return detail


# --- exports
# -------------------------------------------------------------------------------------------------------------

ExportFormat = Literal["geojson", "csv", "png"]


def export(query: MapQuery, fmt: ExportFormat) -> tuple[bytes, str, str]:
    """The current selection's hotspot grid as (content, media type, file name); raises AnalyticsError when
    nothing matches."""
    result = hotspot_result(query)
    stem = f"hotspots-{query.crime_type or 'all-crime'}-{query.events().months}".lower()
    stem = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in stem).strip("-")
    if fmt == "png":
        from csphub.analytics.mapping import render_hotspot_map  # matplotlib only when drawing

        app = analytics()
        out = io.BytesIO()
        render_hotspot_map(result, app.districts, app.config.csp_districts, out, f"Hotspots: {query.describe()}")
        return out.getvalue(), "image/png", f"{stem}.png"
    rows, cells = hotspot_rows(result, query.partner)
    if fmt == "csv":
        text = io.StringIO()
        write_csv(text, HOTSPOT_COLUMNS, rows)
        return text.getvalue().encode("utf-8"), "text/csv; charset=utf-8", f"{stem}.csv"
    features = cell_features(result.grid, HOTSPOT_COLUMNS, rows, cells, "hotspot_cell")
    features += district_features(analytics().districts)
    body = _collection(features, query=query.describe(), cell_size_m=query.cell, band_m=query.band)
    return json.dumps(body, separators=(",", ":"), allow_nan=False).encode(), "application/geo+json", f"{stem}.geojson"
