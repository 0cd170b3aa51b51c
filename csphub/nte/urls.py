"""The night-time economy, under /nte/. Records are addressed by UUID."""

from django.urls import path

from csphub.nte import views

app_name = "nte"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("shifts/new/", views.ShiftNewView.as_view(), name="shift-new"),
    path("shifts/<uuid:uuid>/", views.ShiftView.as_view(), name="shift"),
    path("shifts/<uuid:uuid>/incidents/new/", views.IncidentNewView.as_view(), name="incident-new"),
    path("weapons/", views.WeaponsView.as_view(), name="weapons"),
    path("sweeps/new/", views.SweepNewView.as_view(), name="sweep-new"),
    path("sweeps/<uuid:uuid>/", views.SweepView.as_view(), name="sweep"),
    path("sweeps/<uuid:uuid>/finds/new/", views.FindNewView.as_view(), name="find-new"),
    path("areas/", views.DesignationListView.as_view(), name="designations"),
    path("areas/new/", views.DesignationNewView.as_view(), name="designation-new"),
    path("areas/geojson/", views.DesignationsGeoJsonView.as_view(), name="designations-geojson"),
    path("areas/<uuid:uuid>/", views.DesignationView.as_view(), name="designation"),
]
