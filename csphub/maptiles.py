"""The base map's tile source, from ``CSPHUB_MAP_TILES`` (parsed strictly: a bad value stops start-up).

Values:

- ``none`` (the default): no tiles; the maps draw on csphub's own shipped base map (district boundaries, streets
  and settlements: ``csphub/static/csphub/geo/``), which needs no internet;
- ``osm:<URL template>``: an OpenStreetMap raster tile server, e.g.
  ``osm:https://tile.example.org/{z}/{x}/{y}.png`` (``https`` only; placeholders ``{s}``, ``{z}``, ``{x}``,
  ``{y}``, ``{r}``; ``{s}`` takes the subdomains a, b, c). Attribution: © OpenStreetMap contributors (ODbL).
  Use your own server or one whose usage policy allows it (tile.openstreetmap.org's policy forbids heavy use);
- ``os:<API key>``: Ordnance Survey's OS Maps API, the Light style in Web Mercator
  (``https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=…``). The key reaches the browser, as
  the OS Maps API expects for web maps: restrict it to the site's address in the OS Data Hub.

The tile host is added to the Content-Security-Policy's ``img-src`` only when tiles are set. No Django import:
``csphub.settings`` calls :func:`parse_map_tiles` through the environment helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from csphub.env import ImproperlyConfigured

OS_MAPS_URL = "https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key="
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
OS_ATTRIBUTION = "Contains OS data © Crown copyright and database rights"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ALLOWED_PLACEHOLDERS = {"s", "z", "x", "y", "r"}
_OS_KEY = re.compile(r"[A-Za-z0-9]{16,64}")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"(\{{s\}}\.)?{_LABEL}(\.{_LABEL})+(:\d+)?")


@dataclass(frozen=True)
class MapTiles:
    """A tile layer for Leaflet: its URL template, attribution (HTML) and the CSP source of its images."""

    kind: str  # "osm" or "os"
    url: str
    attribution: str
    csp_source: str  # e.g. "https://tile.example.org" or "https://*.tile.example.org"


def parse_map_tiles(name: str, value: str | None) -> MapTiles | None:
    """``value`` of the variable ``name`` as a tile source, or None for ``none``/unset; ImproperlyConfigured if bad."""
    if value is None or value.strip().lower() in ("", "none"):
        return None
    kind, sep, rest = value.strip().partition(":")
    kind = kind.lower()
    if not sep or kind not in ("osm", "os"):
        raise ImproperlyConfigured(f"{name} must be none, osm:<https URL template> or os:<API key>, got {value!r}")
    if kind == "os":
        if not _OS_KEY.fullmatch(rest):
            raise ImproperlyConfigured(f"{name}: an OS Maps API key is 16 to 64 letters and digits, got {rest!r}")
        return MapTiles("os", OS_MAPS_URL + rest, OS_ATTRIBUTION, "https://api.os.uk")
    parts = urlsplit(rest)
    if parts.scheme != "https":
        raise ImproperlyConfigured(f"{name}: the tile URL must start with https://, got {rest!r}")
    if not _HOST.fullmatch(parts.netloc):
        raise ImproperlyConfigured(f"{name}: {parts.netloc!r} is not a host name")
    found = set(_PLACEHOLDER.findall(rest))
    if not {"z", "x", "y"} <= found or not found <= _ALLOWED_PLACEHOLDERS:
        raise ImproperlyConfigured(
            f"{name}: the tile URL needs {{z}}, {{x}} and {{y}} and may use only {{s}}, {{z}}, {{x}}, {{y}}, {{r}}, "
            f"got {rest!r}"
        )
    if any(c in rest for c in "\"'<> \\"):
        raise ImproperlyConfigured(f"{name}: the tile URL holds characters a URL may not, got {rest!r}")
    if "{s}" in parts.path or "{s}" in parts.query:
        raise ImproperlyConfigured(f"{name}: {{s}} may only start the host name, got {rest!r}")
    host = parts.netloc.replace("{s}.", "*.")
    return MapTiles("osm", rest, OSM_ATTRIBUTION, f"https://{host}")
