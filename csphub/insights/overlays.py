"""Overlays other apps add to the analytics map (e.g. the night-time economy's dispersal and PSPO areas): each a
GeoJSON URL of non-personal areas every member may see, drawn as outlined polygons with a popup.

The map (this app) knows no app above it: an app registers its overlay in its ``AppConfig.ready`` (as meetings
register their actions with the cases' action list)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Overlay:
    key: str
    label: str  # in the map's layer control
    url_name: str  # a URL name answering a GeoJSON FeatureCollection
    shown: bool = True  # drawn when the map opens
    #: feature properties the popup shows: ``name`` (a link to ``url`` when given) and these, in this order
    details: tuple[str, ...] = ()


_overlays: dict[str, Overlay] = {}


def register(overlay: Overlay) -> None:
    _overlays[overlay.key] = overlay


def registered() -> tuple[Overlay, ...]:
    return tuple(_overlays.values())


def as_json() -> list[dict[str, object]]:
    return [
        {"key": o.key, "label": o.label, "url": reverse(o.url_name), "shown": o.shown, "details": list(o.details)}
        for o in registered()
    ]
