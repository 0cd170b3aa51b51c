"""The analytics area's pages, under /insights/."""

from django.urls import URLPattern, path

from . import views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("map/", views.MapView.as_view(), name="map"),
    path("map/hotspots.geojson", views.HotspotLayerView.as_view(), name="map-hotspots"),
    path("map/emerging.geojson", views.EmergingLayerView.as_view(), name="map-emerging"),
    path("map/density.geojson", views.KdeLayerView.as_view(), name="map-kde"),
    path("map/repeat-places.geojson", views.RepeatLayerView.as_view(), name="map-repeat"),
    path("map/case-places.geojson", views.CasePlacesLayerView.as_view(), name="map-case-places"),
    path("map/cell.json", views.CellView.as_view(), name="map-cell"),
    path("map/export/", views.ExportView.as_view(), name="map-export"),
]
