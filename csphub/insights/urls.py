"""The analytics area's pages, under /insights/."""

from django.urls import URLPattern, path

from . import views

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
]
