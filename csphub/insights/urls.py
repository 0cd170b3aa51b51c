"""The analytics area's pages, under /insights/."""

from django.urls import URLPattern, path

from . import map_views, views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("", views.IndexView.as_view(), name="index"),
    path("dashboards/<slug:priority>/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboards/<slug:priority>/<slug:chart>.csv", views.ChartFileView.as_view(fmt="csv"), name="chart-csv"),
    path("dashboards/<slug:priority>/<slug:chart>.svg", views.ChartFileView.as_view(fmt="svg"), name="chart-svg"),
    path("dashboards/<slug:priority>/<slug:chart>.png", views.ChartFileView.as_view(fmt="png"), name="chart-png"),
    path("data/", views.HoldingsView.as_view(), name="holdings"),
    path("data/upload/", views.UploadView.as_view(), name="upload"),
    path("data/upload/<uuid:uuid>/", views.UploadStatusView.as_view(), name="upload-status"),
    path("data/upload/<uuid:uuid>/progress.json", views.UploadProgressView.as_view(), name="upload-progress"),
    path("map/", map_views.MapView.as_view(), name="map"),
    path("map/hotspots.geojson", map_views.HotspotLayerView.as_view(), name="map-hotspots"),
    path("map/emerging.geojson", map_views.EmergingLayerView.as_view(), name="map-emerging"),
    path("map/density.geojson", map_views.KdeLayerView.as_view(), name="map-kde"),
    path("map/repeat-places.geojson", map_views.RepeatLayerView.as_view(), name="map-repeat"),
    path("map/case-places.geojson", map_views.CasePlacesLayerView.as_view(), name="map-case-places"),
    path("map/cell.json", map_views.CellView.as_view(), name="map-cell"),
    path("map/export/", map_views.ExportView.as_view(), name="map-export"),
]
