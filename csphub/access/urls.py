from django.urls import path

from csphub.access import views

app_name = "access"
urlpatterns = [
    path("", views.GrantsView.as_view(), name="grants"),
    path("request/", views.RequestAccessView.as_view(), name="request"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<uuid:uuid>/", views.ReviewView.as_view(), name="review"),
    path("records/<uuid:uuid>/justify/", views.JustifyView.as_view(), name="justify"),
    path("records/<uuid:uuid>/share/", views.ShareView.as_view(), name="share"),
]
