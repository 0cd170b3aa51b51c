from django.urls import path

from csphub.web.auditlog import views

app_name = "audit"
urlpatterns = [path("", views.AuditIndexView.as_view(), name="index")]
