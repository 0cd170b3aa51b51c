from django.urls import path

from csphub.purpleflag import views

app_name = "purpleflag"
urlpatterns = [
    path("", views.PackListView.as_view(), name="list"),
    path("new/", views.PackCreateView.as_view(), name="create"),
    path("<uuid:uuid>/", views.PackView.as_view(), name="pack"),
    path("<uuid:uuid>/narrative/", views.NarrativeView.as_view(), name="narrative"),
    path("<uuid:uuid>/pack.pdf", views.PdfView.as_view(), name="pdf"),
]
