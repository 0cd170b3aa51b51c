"""Access cases for the sign-in pages."""

from __future__ import annotations

from tests.access_cases import MemberViewCases, PublicViewCases


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
