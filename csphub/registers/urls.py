from django.urls import path

from csphub.registers import views

app_name = "registers"
urlpatterns = [
    path("people/", views.PersonSearchView.as_view(), name="person-search"),
    path("people/new/", views.PersonCreateView.as_view(), name="person-create"),
    path("people/<uuid:uuid>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<uuid:uuid>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("people/<uuid:uuid>/names/new/", views.AliasAddView.as_view(), name="person-alias-add"),
    path("people/<uuid:uuid>/references/new/", views.IdentifierAddView.as_view(), name="person-identifier-add"),
    path("people/<uuid:uuid>/flags/new/", views.FlagAddView.as_view(), name="person-flag-add"),
    path("people/<uuid:uuid>/places/new/", views.PlaceLinkView.as_view(), name="person-place-link"),
    path("people/<uuid:uuid>/phones/new/", views.PhoneLinkView.as_view(), name="person-phone-link"),
    path("people/<uuid:uuid>/vehicles/new/", views.VehicleLinkView.as_view(), name="person-vehicle-link"),
    path("people/<uuid:uuid>/erase/", views.PersonEraseView.as_view(), name="person-erase"),
    path("places/", views.PlaceSearchView.as_view(), name="place-search"),
    path("places/new/", views.PlaceCreateView.as_view(), name="place-create"),
    path("places/postcode/", views.PostcodeLookupView.as_view(), name="postcode-lookup"),
    path("places/<uuid:uuid>/", views.PlaceDetailView.as_view(), name="place"),
    path("places/<uuid:uuid>/edit/", views.PlaceEditView.as_view(), name="place-edit"),
    path("phones/<uuid:uuid>/", views.PhoneDetailView.as_view(), name="phone"),
    path("vehicles/<uuid:uuid>/", views.VehicleDetailView.as_view(), name="vehicle"),
]
