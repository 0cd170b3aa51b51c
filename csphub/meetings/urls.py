from django.urls import path

from csphub.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.SeriesListView.as_view(), name="list"),
    path("series/new/", views.SeriesCreateView.as_view(), name="create"),
    path("series/<uuid:uuid>/", views.SeriesView.as_view(), name="series"),
    path("series/<uuid:uuid>/objectives/new/", views.ObjectiveCreateView.as_view(), name="add-objective"),
    path("series/<uuid:uuid>/next/", views.ScheduleNextView.as_view(), name="schedule-next"),
    path("series/<uuid:uuid>/progress/", views.ProgressView.as_view(), name="progress"),
    path("series/<uuid:uuid>/members/", views.MembersView.as_view(), name="members"),
    path("<uuid:uuid>/", views.MeetingView.as_view(), name="meeting"),
    path("<uuid:uuid>/papers.pdf", views.PapersView.as_view(), name="papers"),
    path("<uuid:uuid>/invite.ics", views.InviteView.as_view(), name="invite"),
    path("<uuid:uuid>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<uuid:uuid>/agenda/new/", views.ReferView.as_view(), name="refer"),
    path("<uuid:uuid>/decisions/new/", views.DecisionView.as_view(), name="decide"),
    path("<uuid:uuid>/actions/new/", views.ActionCreateView.as_view(), name="add-action"),
    path("<uuid:uuid>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<uuid:uuid>/move/", views.RescheduleView.as_view(), name="reschedule"),
    path("<uuid:uuid>/cuckooing-panel/", views.CuckooingPanelView.as_view(), name="cuckooing-panel"),
    path("refer/people/<uuid:uuid>/", views.ReferPersonView.as_view(), name="refer-person"),
    path("refer/places/<uuid:uuid>/", views.ReferPlaceView.as_view(), name="refer-place"),
    path("refer/referrals/<uuid:uuid>/", views.ReferReferralView.as_view(), name="refer-referral"),
    path("refer/cuckooing/<uuid:uuid>/", views.ReferPanelRecordView.as_view(), name="refer-cuckooing"),
    path("refer/cases/<str:reference>/", views.ReferCaseView.as_view(), name="refer-case"),
    path("actions/<uuid:uuid>/", views.ActionUpdateView.as_view(), name="action"),
]
