"""Pubwatch schemes and their ban registers, under /pubwatch/. Records are addressed by UUID."""

from django.urls import path

from csphub.pubwatch import views

app_name = "pubwatch"
urlpatterns = [
    path("", views.SchemesView.as_view(), name="schemes"),
    path("schemes/<uuid:uuid>/", views.SchemeView.as_view(), name="scheme"),
    path("new/", views.NewSchemeView.as_view(), name="new"),
    path("schemes/<uuid:uuid>/premises/add/", views.AddPremisesView.as_view(), name="premises-add"),
    path("schemes/<uuid:uuid>/premises/remove/", views.RemovePremisesView.as_view(), name="premises-remove"),
    path("schemes/<uuid:uuid>/members/add/", views.AddMemberView.as_view(), name="member-add"),
    path("schemes/<uuid:uuid>/members/remove/", views.RemoveMemberView.as_view(), name="member-remove"),
    path("schemes/<uuid:uuid>/rules/", views.RulesView.as_view(), name="rules"),
    path("schemes/<uuid:uuid>/propose/", views.ProposeBanView.as_view(), name="propose"),
    path("bans/<uuid:uuid>/", views.BanView.as_view(), name="ban"),
    path("bans/<uuid:uuid>/photo/", views.BanPhotoView.as_view(), name="photo"),
    path("bans/<uuid:uuid>/photo/add/", views.PhotoUploadView.as_view(), name="photo-add"),
    path("bans/<uuid:uuid>/decide/", views.DecideView.as_view(), name="decide"),
    path("bans/<uuid:uuid>/told/", views.TellView.as_view(), name="tell"),
    path("bans/<uuid:uuid>/review/", views.ReviewView.as_view(), name="review"),
    path("bans/<uuid:uuid>/appeal/", views.AppealView.as_view(), name="appeal"),
    path("bans/<uuid:uuid>/appeal/outcome/", views.AppealDecisionView.as_view(), name="appeal-outcome"),
]
