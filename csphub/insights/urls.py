"""The analytics area's pages, under /insights/."""

from django.urls import URLPattern, path

from . import map_views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("map/", map_views.MapView.as_view(), name="map"),
    path("map/hotspots.geojson", map_views.HotspotLayerView.as_view(), name="map-hotspots"),
    path("map/emerging.geojson", map_views.EmergingLayerView.as_view(), name="map-emerging"),
    path("map/density.geojson", map_views.KdeLayerView.as_view(), name="map-kde"),
    path("map/repeat-places.geojson", map_views.RepeatLayerView.as_view(), name="map-repeat"),
    path("map/case-places.geojson", map_views.CasePlacesLayerView.as_view(), name="map-case-places"),
    path("map/cell.json", map_views.CellView.as_view(), name="map-cell"),
    path("map/export/", map_views.ExportView.as_view(), name="map-export"),
]
