"""Password reset links: how an administrator gets a user a new password without ever knowing it.

An administrator may not set the password of another agency's user (the Django admin refuses it): they send the
user a one-time reset link instead, to the e-mail address on the account. Sending it is a security event.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from csphub.audit import log
from csphub.audit.models import Operation
from csphub.partnership.models import User


class NoEmailAddress(Exception):
    pass


def reset_link(user: User, *, base_url: str) -> str:
    """A one-time link (Django's token: void once the password changes, or after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("accounts:password-reset-confirm", args=[uid, token])


def may_set_password(administrator: User, user: User) -> bool:
    """Administrators set passwords of their own agency's users only; everyone else gets a reset link."""
    return administrator.agency_id is not None and administrator.agency_id == user.agency_id


def send_reset_link(user: User, *, base_url: str) -> None:
    """E-mail the user a one-time link to choose a new password, and log it (never the link itself)."""
    if not user.email:
        raise NoEmailAddress(f"{user.get_username()} has no e-mail address: add one first.")
    link = reset_link(user, base_url=base_url)
    service = settings.CSPHUB_SERVICE_NAME
    send_mail(
        f"{service}: choose a new password",
        f"An administrator of {service} has sent you a link to choose a new password for your account "
        f"{user.get_username()}.\n\n{link}\n\nThe link works once, for a limited time. If you did not expect "
        f"it, tell your agency's administrator.\n",
        None,
        [user.email],
    )
    log.write(
        log.Event.about(
            Operation.SECURITY,
            user,
            "Password reset link sent",
            recipients=[user.email],
            detail={"username": user.get_username()},
        )
    )
