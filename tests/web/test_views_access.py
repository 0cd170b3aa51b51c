"""Access cases for the home page and the partnership's structure."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import MemberViewCases, PublicViewCases, RoleViewCases
from tests.factories import World


class TestHomeAccess(MemberViewCases):
    url_name = "web:home"


class TestFaviconAccess(PublicViewCases):
    url_name = "web:favicon"
    expected_ok = (301,)  # the icon is static: anyone is sent on to it
    expected_anonymous = (301,)


class TestPartnershipAccess(MemberViewCases):
    url_name = "web:partnership"


class TestAgencyAccess(MemberViewCases):
    url_name = "web:agency"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[world.agencies["fire"].uuid])


class TestAgreementAccess(MemberViewCases):
    url_name = "web:agreement"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[world.agreements["ISA-1"].uuid])


class TestNotificationsAccess(RoleViewCases):
    url_name = "web:notifications"
    lacking_role = "council_admin"  # no access to cases: nothing to be notified of
