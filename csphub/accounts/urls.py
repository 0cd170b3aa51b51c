from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from csphub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("second-factor/", views.VerifyView.as_view(), name="otp-verify"),
    path("second-factor/set-up/", views.SetupView.as_view(), name="otp-setup"),
    # A one-time password reset link, sent by an administrator (they never set another agency's passwords).
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
]
