"""Access cases for the home page and the partnership's structure."""

from __future__ import annotations

from django.urls import reverse

from csphub.access.models import Governed
from tests.access_cases import AccessCases
from tests.factories import World


class TestHomeAccess(AccessCases):
    url_name = "web:home"
    kind = "member"


class TestPartnershipAccess(AccessCases):
    url_name = "web:partnership"
    kind = "member"


class TestAgencyAccess(AccessCases):
    url_name = "web:agency"
    kind = "member"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[world.agencies["fire"].uuid])


class TestAgreementAccess(AccessCases):
    url_name = "web:agreement"
    kind = "member"

    def url(self, world: World, target: Governed | None) -> str:
        return reverse(self.url_name, args=[world.agreements["ISA-1"].uuid])
