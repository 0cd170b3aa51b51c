"""Sign in, second factor (TOTP: verify, or set up on first sign-in), sign out."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.access.views_base import acting_user
from csphub.accounts import services
from csphub.accounts.forms import SignInForm, TokenForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


class VerifyView(LoginRequiredMixin, FormView):
    template_name = "accounts/otp_verify.html"
    form_class = TokenForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("accounts:otp-setup")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: TokenForm) -> HttpResponse:
        token = form.cleaned_data["token"]
        for device in TOTPDevice.objects.filter(user=self.request.user, confirmed=True):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", "Too many wrong codes. Wait a minute and try again.")
                return self.form_invalid(form)
            if device.verify_token(token):
                services.pass_second_factor(self.request, acting_user(self.request), device)
                return redirect(_next(self.request))
        services.fail_second_factor(acting_user(self.request))
        form.add_error("token", "The security code is wrong or has expired")
        return self.form_invalid(form)


class SetupView(LoginRequiredMixin, FormView):
    template_name = "accounts/otp_setup.html"
    form_class = TokenForm

    def _device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=self.request.user, name="Authenticator app", confirmed=False)
        return device

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("accounts:otp-verify")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device = self._device()
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        svg = image.to_string(encoding="unicode")
        context["qr_data_uri"] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def form_valid(self, form: TokenForm) -> HttpResponse:
        device = self._device()
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes. Wait a minute and try again.")
            return self.form_invalid(form)
        if not device.verify_token(form.cleaned_data["token"]):
            form.add_error("token", "The security code is wrong or has expired")
            return self.form_invalid(form)
        services.set_up_second_factor(self.request, acting_user(self.request), device)
        messages.success(self.request, "Your authenticator app is set up. You will need a code each time you sign in.")
        return redirect(_next(self.request))
