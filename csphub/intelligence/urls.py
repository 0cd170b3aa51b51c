from django.urls import path

from csphub.intelligence import network_views, views

app_name = "intelligence"
urlpatterns = [
    path("lines/", views.LineListView.as_view(), name="lines"),
    path("lines/new/", views.LineCreateView.as_view(), name="line-create"),
    path("lines/<uuid:uuid>/", views.LineDetailView.as_view(), name="line"),
    path("lines/<uuid:uuid>/facts/new/", views.LineFactView.as_view(), name="line-fact"),
    path("lines/<uuid:uuid>/facts/change/", views.LineChangeView.as_view(), name="line-change"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group-create"),
    path("groups/<uuid:uuid>/", views.GroupDetailView.as_view(), name="group"),
    path("groups/<uuid:uuid>/facts/new/", views.GroupFactView.as_view(), name="group-fact"),
    path("groups/<uuid:uuid>/facts/change/", views.GroupChangeView.as_view(), name="group-change"),
    path("groups/<uuid:uuid>/assessments/new/", views.GroupAssessView.as_view(), name="group-assess"),
    path("as-at/", views.PictureView.as_view(), name="picture"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("counts/", views.CountsView.as_view(), name="counts"),
    path("leads/", views.LeadsView.as_view(), name="leads"),
    path("network/", network_views.NetworkView.as_view(), name="network"),
    path("network/graph.json", network_views.NetworkJsonView.as_view(), name="network-json"),
    path("network/network.graphml", network_views.GraphmlExportView.as_view(), name="network-graphml"),
    path("network/entities.csv", network_views.EntitiesExportView.as_view(), name="network-entities"),
    path("network/links.csv", network_views.LinksExportView.as_view(), name="network-links"),
]
