"""The cuckooing register and panel, under /cuckooing/. Records are addressed by UUID."""

from django.urls import path

from csphub.cuckooing import views

app_name = "cuckooing"
urlpatterns = [
    path("", views.PanelView.as_view(), name="panel"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/print/", views.AgendaView.as_view(printable=True), name="agenda-print"),
    path("new/", views.NewRecordView.as_view(), name="new"),
    path("<uuid:uuid>/", views.RecordView.as_view(), name="record"),
    path("<uuid:uuid>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("<uuid:uuid>/support/", views.SupportOfferView.as_view(), name="support"),
    path("<uuid:uuid>/support/answer/", views.SupportResponseView.as_view(), name="support-answer"),
    path("<uuid:uuid>/review/", views.ReviewView.as_view(), name="review"),
]
