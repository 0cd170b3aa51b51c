"""Access cases for the sign-in pages."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import AccessCases
from tests.factories import World


class TestSignInAccess(AccessCases):
    url_name = "accounts:login"
    kind = "public"
    expected_ok = (302,)  # a signed-in user is sent on to the service


class TestSignOutAccess(AccessCases):
    url_name = "accounts:logout"
    kind = "public"
    method = "post"
    expected_ok = (302,)
    expected_anonymous = (302,)


class TestSecondFactorAccess(AccessCases):
    url_name = "accounts:otp-verify"
    kind = "member"


class TestSecondFactorSetupAccess(AccessCases):
    url_name = "accounts:otp-setup"
    kind = "member"
    # A user who already has a confirmed authenticator is sent to the verification page instead.
    expected_ok = (302,)


class TestPasswordResetConfirmAccess(AccessCases):
    """A one-time reset link: public (the user is signed out), and it opens nothing without a valid token."""

    url_name = "accounts:password-reset-confirm"
    kind = "public"
    expected_ok = (200,)

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=["MTIzNDU2Nzg", "bad-token"])


class TestPasswordResetCompleteAccess(AccessCases):
    url_name = "accounts:password-reset-complete"
    kind = "public"
