"""Access cases for the sign-in pages."""

from __future__ import annotations

from tests.access_cases import AccessCases


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
