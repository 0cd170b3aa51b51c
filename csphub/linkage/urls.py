from django.urls import path

from csphub.linkage import views

app_name = "linkage"
urlpatterns = [
    path("duplicates/", views.QueueView.as_view(), name="queue"),
    path("duplicates/<uuid:uuid>/", views.PairView.as_view(), name="pair"),
    path("merges/<uuid:uuid>/undo/", views.UnmergeView.as_view(), name="unmerge"),
    path("imports/", views.ImportsView.as_view(), name="imports"),
]
