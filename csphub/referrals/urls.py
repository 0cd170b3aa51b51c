from django.urls import path

from csphub.referrals import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.ReferralCreateView.as_view(), name="new"),
    path("mine/", views.MyReferralsView.as_view(), name="mine"),
    path("triage/", views.InboxView.as_view(), name="inbox"),
    path("<uuid:uuid>/", views.ReferralDetailView.as_view(), name="referral"),
    path("<uuid:uuid>/accept/", views.AcceptView.as_view(), name="accept-new"),
    path("<uuid:uuid>/add-to-case/", views.AddToCaseView.as_view(), name="accept-existing"),
    path("<uuid:uuid>/decline/", views.DeclineView.as_view(), name="decline"),
]
