"""Access cases for the sign-in pages."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, PublicViewCases
from tests.factories import World


class TestSignInAccess(PublicViewCases):
    url_name = "accounts:login"
    expected_ok = (302,)  # a signed-in user is sent on to the service


class TestSignOutAccess(PublicViewCases):
    url_name = "accounts:logout"
    method = "post"
    expected_ok = (302,)
    expected_anonymous = (302,)


class TestSecondFactorAccess(MemberViewCases):
    url_name = "accounts:otp-verify"


class TestSecondFactorSetupAccess(MemberViewCases):
    url_name = "accounts:otp-setup"
    # A user who already has a confirmed authenticator is sent to the verification page instead.
    expected_ok = (302,)


class TestPasswordResetConfirmAccess(PublicViewCases):
    """A one-time reset link: public (the user is signed out), and it opens nothing without a valid token."""

    url_name = "accounts:password-reset-confirm"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=["MTIzNDU2Nzg", "bad-token"])


class TestPasswordResetCompleteAccess(PublicViewCases):
    url_name = "accounts:password-reset-complete"
