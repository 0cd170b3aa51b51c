from django.urls import path

from csphub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("second-factor/", views.VerifyView.as_view(), name="otp-verify"),
    path("second-factor/set-up/", views.SetupView.as_view(), name="otp-setup"),
]
