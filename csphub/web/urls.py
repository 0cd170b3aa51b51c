from django.urls import path

from csphub.web import views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("partnership/", views.PartnershipView.as_view(), name="partnership"),
    path("partnership/agencies/<uuid:uuid>/", views.AgencyView.as_view(), name="agency"),
    path("partnership/agreements/<uuid:uuid>/", views.AgreementView.as_view(), name="agreement"),
]
