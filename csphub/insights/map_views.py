"""The map page and its data (GeoJSON for the layers, JSON for a clicked cell, the exports): thin views over
``csphub.insights.maps`` (the analytics) and ``csphub.insights.places`` (the cases' places, through the policy)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from csphub.access.views_base import acting_user
from csphub.analytics.errors import AnalyticsError
from csphub.analytics.store import month_key

from . import maps, overlays, places
from .forms import MapForm

LAYERS = {
    "hotspots": "insights:map-hotspots",
    "emerging": "insights:map-emerging",
    "kde": "insights:map-kde",
    "repeat": "insights:map-repeat",
    "places": "insights:map-case-places",
    "cell": "insights:map-cell",
}
EMERGING_CATEGORIES = (
    ("new hot spot", "#fdae61"),
    ("consecutive hot spot", "#f46d43"),
    ("intensifying hot spot", "#a50026"),
    ("persistent hot spot", "#d73027"),
    ("diminishing hot spot", "#fee090"),
    ("sporadic hot spot", "#fdd0a2"),
    ("oscillating hot spot", "#c51b7d"),
    ("historical hot spot", "#bf812d"),
    ("cold spots (any kind)", "#4575b4"),
)


def map_form(params: QueryDict) -> MapForm:
    """The controls bound to the request's values; by default the twelve months up to the latest one held."""
    contents = maps.contents()
    data: dict[str, Any] = {"source": "police", "cell": "250", "band": "750", "crime_type": ""}
    if contents.months:
        latest = contents.months[-1]
        year_before = date(latest.year - 1, latest.month, 1)
        first = next(m for m in contents.months if m > year_before)
        data.update(first=month_key(first), last=month_key(latest))
    for name in ("first", "last", "crime_type", "source", "cell", "band"):
        if name in params:
            data[name] = params[name]
    return MapForm(data, contents=contents)


def _bad_form(form: MapForm) -> JsonResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse({"errors": errors}, status=400)


class MapView(LoginRequiredMixin, TemplateView):
    """The map: Leaflet layers over the shipped base map; the same controls, table and exports without JavaScript."""

    template_name = "insights/map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = map_form(self.request.GET)
        valid = form.is_valid()
        query = form.query() if valid else maps.MapQuery()
        summary = maps.hotspot_summary(query) if valid else {"message": "Correct the controls to draw the map."}
        qs = self.request.GET.urlencode()
        context.update(
            form=form,
            valid=valid,
            query=query,
            summary=summary,
            table=maps.significant_table(query) if valid else [],
            table_limit=maps.TABLE_ROWS,
            has_data=bool(form.contents.months),
            layer_urls=json.dumps({name: reverse(url) for name, url in LAYERS.items()}),
            overlays=json.dumps(overlays.as_json()),
            streets_url=static("csphub/geo/streets.geojson"),
            export_query=qs,
            emerging_categories=EMERGING_CATEGORIES,
        )
        return context


class _LayerView(LoginRequiredMixin, View):
    layer: str  # a name of maps.LAYERS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = map_form(request.GET)
        if not form.is_valid():
            return _bad_form(form)
        return HttpResponse(maps.layer_json(self.layer, form.query()), content_type="application/geo+json")


class HotspotLayerView(_LayerView):
    layer = "hotspots"


class EmergingLayerView(_LayerView):
    layer = "emerging"


class KdeLayerView(_LayerView):
    layer = "kde"


class RepeatLayerView(_LayerView):
    layer = "repeat"


class CasePlacesLayerView(LoginRequiredMixin, View):
    """The places of the cases the viewer may see, as the access policy decides; the rest only counted."""

    def get(self, request: HttpRequest) -> HttpResponse:
        layer = places.case_places_layer(acting_user(request))
        return HttpResponse(json.dumps(layer, separators=(",", ":")), content_type="application/geo+json")


class CellView(LoginRequiredMixin, View):
    """A clicked cell: ?x=&y= (BNG metres) with the map's controls."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = map_form(request.GET)
        if not form.is_valid():
            return _bad_form(form)
        try:
            x, y = float(request.GET["x"]), float(request.GET["y"])
        except (KeyError, ValueError):
            return JsonResponse({"errors": {"x": ["Give the point's easting and northing (x and y)"]}}, status=400)
        return JsonResponse(maps.cell_detail(form.query(), x, y))


class ExportView(LoginRequiredMixin, View):
    """The current selection's hotspot grid: ?format=geojson (default), csv or png."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = map_form(request.GET)
        fmt = request.GET.get("format", "geojson")
        if fmt not in ("geojson", "csv", "png"):
            return JsonResponse({"errors": {"format": ["Choose geojson, csv or png"]}}, status=400)
        if not form.is_valid():
            return _bad_form(form)
        try:
            content, media_type, filename = maps.export(form.query(), fmt)  # type: ignore[arg-type]
        except AnalyticsError as exc:
            return JsonResponse({"errors": {"__all__": [str(exc)]}}, status=404)
        response = HttpResponse(content, content_type=media_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
